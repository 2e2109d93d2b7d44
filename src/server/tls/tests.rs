// SPDX-License-Identifier: MPL-2.0
use rustls::client::ClientSessionStore;
use rustls::pki_types::ServerName;

use super::*;

/// A client certificate like Terraform's: P-521 with CA:TRUE.
fn terraform_like_client() -> (rcgen::KeyPair, rcgen::Certificate) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)
        .unwrap_or_else(|e| panic!("keygen: {e}"));
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap_or_else(|e| panic!("params: {e}"));
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params
        .self_signed(&key)
        .unwrap_or_else(|e| panic!("sign: {e}"));
    (key, cert)
}

fn localhost() -> ServerName<'static> {
    ServerName::try_from("localhost").unwrap_or_else(|e| panic!("name: {e}"))
}

#[test]
fn pinned_verifier() {
    let pinned = terraform_like_client().1.der().clone();
    let other = terraform_like_client().1.der().clone();
    let provider = aws_lc_rs::default_provider();
    let verifier = PinnedClientVerifier::new(vec![pinned.clone()], &provider);
    let cases = [("pinned DER", &pinned, true), ("other DER", &other, false)];
    for (name, cert, ok) in cases {
        let got = verifier.verify_client_cert(cert, &[], UnixTime::now());
        assert_eq!(got.is_ok(), ok, "{name}");
    }
    assert!(verifier.offer_client_auth() && verifier.client_auth_mandatory());
    assert!(verifier.root_hint_subjects().is_empty());
    assert!(verifier
        .supported_verify_schemes()
        .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
}

#[test]
fn client_pem_parsing() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .unwrap_or_else(|e| panic!("keygen: {e}"));
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .and_then(|p| p.self_signed(&key))
        .unwrap_or_else(|e| panic!("sign: {e}"));
    let cases = [
        ("one cert", cert.pem(), Some(1)),
        ("no block", "hello".to_string(), None),
        (
            "broken base64",
            "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n".into(),
            None,
        ),
    ];
    for (name, pem, want) in cases {
        assert_eq!(
            parse_client_certs(&pem).ok().map(|c| c.len()),
            want,
            "{name}"
        );
    }
    let parsed = parse_client_certs(&cert.pem()).unwrap_or_default();
    assert_eq!(
        parsed.first().map(|c| c.as_ref()),
        Some(cert.der().as_ref())
    );
}

#[test]
fn server_setup_has_alpn_and_cert() {
    let (_, client) = terraform_like_client();
    let tls = ServerTls::for_client_pem(&client.pem()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tls.config.alpn_protocols, vec![b"h2".to_vec()]);
    assert!(!tls.cert_der.is_empty());
}

/// Runs a full in-memory handshake with a Terraform-like client that keeps whatever
/// resumption state the server gives it, and returns the client's store.
fn handshake_and_keep_tickets() -> Arc<rustls::client::ClientSessionMemoryCache> {
    let (key, client_cert) = terraform_like_client();
    let server = ServerTls::for_client_pem(&client_cert.pem()).unwrap_or_else(|e| panic!("{e}"));
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(server.cert_der.clone())
        .unwrap_or_else(|e| panic!("roots: {e}"));
    let store = Arc::new(rustls::client::ClientSessionMemoryCache::new(8));
    let provider = Arc::new(aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|e| panic!("versions: {e}"))
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![client_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap_or_else(|e| panic!("client config: {e}"));
    config.resumption = rustls::client::Resumption::store(store.clone());
    let mut client = rustls::ClientConnection::new(Arc::new(config), localhost())
        .unwrap_or_else(|e| panic!("client: {e}"));
    let mut conn = rustls::ServerConnection::new(server.config.clone())
        .unwrap_or_else(|e| panic!("server: {e}"));
    // Until neither side has anything left to send (tickets follow the handshake).
    loop {
        let mut wire = Vec::new();
        let to_server = client.write_tls(&mut wire).unwrap_or(0);
        conn.read_tls(&mut wire.as_slice()).unwrap_or(0);
        conn.process_new_packets()
            .unwrap_or_else(|e| panic!("server: {e}"));
        wire.clear();
        let to_client = conn.write_tls(&mut wire).unwrap_or(0);
        client.read_tls(&mut wire.as_slice()).unwrap_or(0);
        client
            .process_new_packets()
            .unwrap_or_else(|e| panic!("client: {e}"));
        if to_server == 0 && to_client == 0 {
            break;
        }
    }
    assert!(!client.is_handshaking() && !conn.is_handshaking());
    store
}

#[test]
fn no_resumption_state_for_a_connection_that_is_never_resumed() {
    let store = handshake_and_keep_tickets();
    assert!(store.take_tls13_ticket(&localhost()).is_none());
    assert!(store.tls12_session(&localhost()).is_none());
}
