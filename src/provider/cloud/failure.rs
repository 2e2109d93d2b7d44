// SPDX-License-Identifier: MPL-2.0
//! How a failed call reads to a user: the one mapping of the client's [`Error`] to a
//! [`Diagnostic`]. The summary names the action and the code ("ListImages failed:
//! Forbidden.RAM", "HTTP 502" without one), or says it was cancelled or timed out; the detail
//! is the client's description (code, message, HTTP status, RequestId, what to do, the RAM
//! action a denial refused) and what only the provider knows: the attribute or flag behind
//! a code (the client names none), the endpoint settings to check, the operation's advice.

use ehpc_alibaba::{Action, ApiError, Error, ErrorCode, SynchronizeApp};

use super::READ_TIMEOUT;
use crate::protocol::Diagnostic;

/// A failed call as its operation describes it: the action, and what it says beyond the
/// client's text.
#[derive(Clone, Debug)]
pub struct Call<'a> {
    /// The API action, e.g. `ListImages`: every summary names it.
    pub action: &'a str,
    /// Put before the error's text, e.g. `Reading application "x" in cn-hangzhou`.
    pub subject: Option<String>,
    /// Said after the text of a cancellation.
    pub cancelled: Option<String>,
    /// Said after the text of a deadline that passed.
    pub timed_out: String,
    /// Said after the text of a pause the server asked for that the deadline left no time
    /// for; `None`: that reads as any other failure.
    pub throttled: Option<String>,
}

impl<'a> Call<'a> {
    /// A read of `action`, bounded by [`READ_TIMEOUT`].
    pub fn read(action: &'a str) -> Self {
        Call {
            action,
            subject: None,
            cancelled: None,
            timed_out: format!(
                "A read may take {} minutes, retries included; check the endpoint and retry \
                 later.",
                READ_TIMEOUT.as_secs() / 60
            ),
            throttled: None,
        }
    }

    /// This call, its text put after `subject` (what it was for).
    pub fn about(mut self, subject: String) -> Self {
        self.subject = Some(subject);
        self
    }
}

/// `err` of the read `action` (e.g. `ListImages`) as an error diagnostic (see [`failed`]).
pub fn api_error(action: &str, err: &Error) -> Diagnostic {
    failed(&Call::read(action), err)
}

/// `err` of `call` as an error diagnostic: "<Action> failed: <Code>", "<Action> failed:
/// endpoint unreachable", "<Action> cancelled", "<Action> timed out", and, when the call
/// says what to do about it, "<Action> throttled past its timeout".
pub fn failed(call: &Call, err: &Error) -> Diagnostic {
    let action = call.action;
    let advised = |advice: Option<&str>| {
        let text = error_text(err);
        match advice {
            Some(advice) => format!("{}. {advice}", text.trim_end_matches('.')),
            None => format!("{}.", text.trim_end_matches('.')),
        }
    };
    let (summary, detail) = match err {
        Error::Api(api) => (
            format!("{action} failed: {}", code_label(api)),
            error_text(err),
        ),
        Error::Cancelled { .. } => (
            format!("{action} cancelled"),
            advised(call.cancelled.as_deref()),
        ),
        Error::DeadlineExceeded { .. } => (
            format!("{action} timed out"),
            advised(Some(&call.timed_out)),
        ),
        Error::RetryAfterPastDeadline { .. } if call.throttled.is_some() => (
            format!("{action} throttled past its timeout"),
            advised(call.throttled.as_deref()),
        ),
        Error::Unreachable { .. } => (
            format!("{action} failed: endpoint unreachable"),
            error_text(err),
        ),
        _ => (format!("{action} failed"), error_text(err)),
    };
    let detail = match &call.subject {
        Some(subject) => format!("{subject}: {detail}"),
        None => detail,
    };
    Diagnostic::error(summary, detail)
}

/// The code of an API error for a summary; `HTTP <status>` when the answer had none.
fn code_label(api: &ApiError) -> String {
    if api.code.is_empty() {
        format!("HTTP {}", api.status)
    } else {
        api.code.clone()
    }
}

/// An error's text for a diagnostic: the client's, then what the provider adds (the
/// attribute or flag behind the code; for a refused connection, the settings to check).
pub fn error_text(err: &Error) -> String {
    let mut text = match err {
        Error::Unreachable { endpoint, .. } => format!(
            "{err}. Check the E-HPC Instant endpoint {endpoint}: an `endpoints {{ ehpcinstant = \
             ... }}` override (or ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT) must name a reachable \
             server, and without one the provider's or resource's `region` must be a region \
             where E-HPC Instant is available."
        ),
        other => other.to_string(),
    };
    if let Some(advice) = err.api().and_then(settings_advice) {
        text.push(' ');
        text.push_str(advice);
    }
    text
}

/// Where the user sets what an API error code is about: the client words its advice in its
/// own terms (the AccessKey secret, the target regions), the provider names the attribute.
fn settings_advice(api: &ApiError) -> Option<&'static str> {
    // The client records the action each error answered; an error built without one (a
    // fake) is read as SynchronizeApp's, as the client's own RAM hint does.
    let synchronizing = matches!(api.action.as_str(), "" | SynchronizeApp::ACTION);
    let advice = [
        (
            ErrorCode::IncompleteSignature,
            false,
            "In the provider: check that access_key and secret_key are complete.",
        ),
        (
            ErrorCode::InvalidAccessKeyId,
            false,
            "In the provider: configure an active access_key.",
        ),
        (
            ErrorCode::MissingSecurityToken,
            false,
            "In the provider: set security_token, or use assume_role.",
        ),
        (
            ErrorCode::InvalidSecurityToken,
            false,
            "In the provider: refresh security_token, or use assume_role so they are renewed \
             automatically.",
        ),
        (
            ErrorCode::Throttling,
            false,
            "Lower Terraform's -parallelism, or allow more time for retries (the resource's \
             timeouts, the provider's max_retries).",
        ),
        (
            ErrorCode::ImageNotFound,
            false,
            "Check app_id and the provider's or resource's region.",
        ),
        (
            ErrorCode::ImageAlreadyExists,
            true,
            "Remove that region from target_region_ids, or delete the copy first.",
        ),
        (ErrorCode::InvalidParams, true, "Check target_region_ids."),
        (ErrorCode::MissingParameter, true, "Check app_id."),
    ];
    advice
        .into_iter()
        .find(|(code, sync_only, _)| api.is(*code) && (synchronizing || !sync_only))
        .map(|(_, _, text)| text)
}

#[cfg(test)]
mod tests;
