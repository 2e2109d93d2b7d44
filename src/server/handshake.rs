// SPDX-License-Identifier: MPL-2.0
//! The go-plugin handshake as pure functions: the magic-cookie check, protocol-version
//! negotiation, the one stdout handshake line, and the `--debug` reattach message.
//! Reading the environment and writing stdout happen in `server::mod`; everything here is
//! unit-tested without a process.

use std::path::Path;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;

use super::ServeError;

/// Environment variable carrying go-plugin's magic cookie (same name and value in OpenTofu).
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The cookie value Terraform and OpenTofu set.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The only app protocol this provider speaks (tfplugin6).
pub(super) const PROTOCOL_VERSION: u32 = 6;
/// go-plugin's core protocol version, the handshake line's first field.
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The provider source address printed in `--debug` mode.
pub const PROVIDER_ADDRESS: &str = "terraform.local/ehpc/ehpc";

/// Fails unless the cookie Terraform sets is present and exact.
pub(super) fn check_cookie(value: Option<&str>) -> Result<(), ServeError> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(ServeError::NotLaunchedByTerraform),
    }
}

/// Chooses protocol 6 from `PLUGIN_PROTOCOL_VERSIONS`.
///
/// NOTE(protocol): Terraform builds the list from a Go map, so it is an unordered set
/// ("5,6" or "6,5"). Entries that are not numbers are skipped, as go-plugin does; an unset
/// or empty variable means the client did not negotiate, and go-plugin then uses the
/// server's own version.
pub(super) fn negotiate_protocol(offered: Option<&str>) -> Result<u32, ServeError> {
    let offered = offered.map(str::trim).unwrap_or_default();
    if offered.is_empty() {
        return Ok(PROTOCOL_VERSION);
    }
    let has_six = offered
        .split(',')
        .filter_map(|v| v.trim().parse::<u32>().ok())
        .any(|v| v == PROTOCOL_VERSION);
    if has_six {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(ServeError::UnsupportedProtocol {
            offered: offered.to_string(),
        })
    }
}

/// The handshake line, without its newline: `1|6|unix|PATH|grpc|CERT`.
///
/// NOTE(protocol): CERT is the server certificate's DER in standard base64 *without*
/// padding (Go's RawStdEncoding); padded base64 makes Terraform fail at once. Without TLS
/// the field is empty but present.
pub(super) fn handshake_line(socket: &Path, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|unix|{}|grpc|{cert}",
        socket.display()
    )
}

/// What `--debug` prints on stdout, in terraform-plugin-go's words and layout: an intro
/// line, a tab-indented `TF_REATTACH_PROVIDERS='…'` assignment, and a blank line.
///
/// NOTE(protocol): `"Test": true` is mandatory for protocol 6; with false, Terraform
/// 1.11 negotiates protocol 5 and panics.
pub(super) fn reattach_message(pid: u32, socket: &Path) -> String {
    let config = serde_json::json!({
        PROVIDER_ADDRESS: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "unix", "String": socket.display().to_string() },
        }
    });
    // Single quotes inside the value must be escaped for sh: close, escaped quote, reopen.
    let quoted = config.to_string().replace('\'', r"'\''");
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment \
         variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{quoted}'\n\n"
    )
}

#[cfg(test)]
mod tests;
