// SPDX-License-Identifier: MPL-2.0
//! What every resource and data source shares about calls: how long a read may take, and how
//! an error of the Alibaba client reads to a user (the summary names the action and the code;
//! the detail is the client's description: code, message, HTTP status, RequestId, what to do,
//! and the RAM action a denial refused).

use std::time::Duration;

use ehpc_alibaba::{CallOptions, Error};
use tokio_util::sync::CancellationToken;

use crate::protocol::Diagnostic;

/// How long one read may take, retries and every ListImages page included: the default read
/// timeout of a resource, so a throttled or unreachable endpoint fails the plan instead of
/// hanging it.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// The bounds of one read: [`READ_TIMEOUT`] from now, cancelled by StopProvider.
pub fn read_options(cancel: CancellationToken) -> CallOptions {
    CallOptions {
        deadline: Some(tokio::time::Instant::now() + READ_TIMEOUT),
        cancel,
    }
}

/// `err` of `action` (e.g. `ListImages`) as an error diagnostic: "<Action> failed: <Code>",
/// "<Action> cancelled" or "<Action> timed out".
pub fn api_error(action: &str, err: &Error) -> Diagnostic {
    match err {
        Error::Api(api) => {
            let code = if api.code.is_empty() {
                format!("HTTP {}", api.status)
            } else {
                api.code.clone()
            };
            Diagnostic::error(format!("{action} failed: {code}"), api.describe())
        }
        Error::Cancelled { .. } => {
            Diagnostic::error(format!("{action} cancelled"), format!("{err}."))
        }
        Error::DeadlineExceeded { .. } => Diagnostic::error(
            format!("{action} timed out"),
            format!(
                "{err}. A read may take {} minutes, retries included; check the endpoint and \
                 retry later.",
                READ_TIMEOUT.as_secs() / 60
            ),
        ),
        other => Diagnostic::error(format!("{action} failed"), other.to_string()),
    }
}
