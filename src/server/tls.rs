// SPDX-License-Identifier: MPL-2.0
//! AutoMTLS as go-plugin does it: a fresh self-signed server certificate per process and a
//! rustls server config that requires the client to present exactly the certificate from
//! `PLUGIN_CLIENT_CERT` (pinned byte for byte).
//!
//! NOTE(protocol): Terraform's client certificate is P-521 with CA:TRUE. webpki's client
//! verifier rejects it (`CaUsedAsEndEntity`) and ring cannot verify P-521 (Go then sends no
//! certificate at all), hence aws-lc-rs plus the pinning verifier below.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{aws_lc_rs, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("PLUGIN_CLIENT_CERT holds no PEM CERTIFICATE block")]
    NoClientCert,
    #[error("PLUGIN_CLIENT_CERT is not valid PEM: {0}")]
    ClientCertPem(String),
    #[error("could not generate the server certificate: {0}")]
    Keygen(#[from] rcgen::Error),
    #[error("could not build the TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The server half of AutoMTLS: the rustls config and our certificate's DER (for the
/// handshake line).
pub(super) struct ServerTls {
    pub config: Arc<ServerConfig>,
    pub cert_der: CertificateDer<'static>,
}

impl ServerTls {
    /// Builds the TLS setup for a `PLUGIN_CLIENT_CERT` value.
    pub(super) fn for_client_pem(client_pem: &str) -> Result<Self, TlsError> {
        let pinned = parse_client_certs(client_pem)?;
        let (cert_der, key) = self_signed_server_cert()?;
        let provider = Arc::new(aws_lc_rs::default_provider());
        let verifier = PinnedClientVerifier::new(pinned, &provider);
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
            .with_client_cert_verifier(Arc::new(verifier))
            .with_single_cert(vec![cert_der.clone()], key)?;
        // NOTE(protocol): grpc-go >= 1.67 (Terraform >= 1.12) rejects servers without ALPN h2.
        config.alpn_protocols = vec![b"h2".to_vec()];
        // The process serves one connection and dies, so a session could never be resumed:
        // no tickets to make and send at every start, no session secrets kept in memory.
        config.send_tls13_tickets = 0;
        config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
        Ok(Self {
            config: Arc::new(config),
            cert_der,
        })
    }
}

/// Every CERTIFICATE block in the PEM (Terraform sends one).
fn parse_client_certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::ClientCertPem(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsError::NoClientCert);
    }
    Ok(certs)
}

/// A P-256 self-signed certificate for `localhost`: cheap to generate (the process starts
/// several times per terraform command) and accepted by Go's verifier, which needs the SAN
/// (it ignores the CN), a current validity window and the serverAuth EKU.
fn self_signed_server_cert() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsError>
{
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    let now = time::OffsetDateTime::now_utc();
    // Backdated like go-plugin's, so a client clock a little behind ours still accepts it.
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365);
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    let cert = params.self_signed(&key)?;
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key_der))
}

/// Accepts only a client whose end-entity certificate is byte-for-byte one of the pinned
/// certificates; proof of possession is the TLS signature check, delegated to rustls.
#[derive(Debug)]
pub(super) struct PinnedClientVerifier {
    pinned: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientVerifier {
    pub(super) fn new(pinned: Vec<CertificateDer<'static>>, provider: &CryptoProvider) -> Self {
        Self {
            pinned,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for PinnedClientVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // Go's client sends its only certificate whatever the hints say.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_ref() == end_entity.as_ref())
        {
            Ok(ClientCertVerified::assertion())
        } else {
            tracing::warn!("refused a TLS client whose certificate is not PLUGIN_CLIENT_CERT");
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        // aws-lc-rs includes ECDSA_NISTP521_SHA512, which Terraform's certificate needs.
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests;
