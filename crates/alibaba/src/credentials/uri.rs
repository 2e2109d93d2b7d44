// SPDX-License-Identifier: MPL-2.0
//! Step 5 of the chain: a credentials URI (a sidecar or local agent). `GET <uri>` answers
//! `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
//! The URI itself is shown without query string or user-info, which may carry a token.

use std::time::Duration;

use super::cached::{temporary_from_json, Fetch};
use super::config::redact_url;
use super::Credentials;
use crate::endpoint::is_loopback_host;
use crate::error::{sanitize, ID_CHARS};
use crate::rpc::exchange;
use crate::{Error, HttpClient};

/// A sidecar on the same machine answers quickly; this bounds a hung or trickling one.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Fetches credentials from the URI.
pub(crate) struct UriFetcher {
    pub(crate) http: HttpClient,
    pub(crate) uri: String,
    /// How its errors name the setting the URI came from (see
    /// [`SettingNames`](super::SettingNames)).
    pub(crate) setting: &'static str,
}

/// Checks a credentials URI before anything is sent to it: `https`, or plain `http` to this
/// machine only (a sidecar; the answer is a secret key and token). `from` names where it was
/// set, for the error, which never quotes more of the URI than [`redact_url`] does.
pub(crate) fn check_uri(uri: &str, from: &str) -> Result<(), Error> {
    let bad = |why: String| {
        Error::Config(format!(
            "the credentials URI {} from {from} {why}",
            redact_url(uri)
        ))
    };
    let url = reqwest::Url::parse(uri.trim()).map_err(|e| {
        bad(format!(
            "is not a URL ({e}); write e.g. https://host:port/path"
        ))
    })?;
    let host = url.host_str().filter(|h| !h.is_empty()).unwrap_or_default();
    match url.scheme() {
        "https" if !host.is_empty() => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => {
            let mut https = url.clone();
            // Infallible for an http URL with a host; the hint is then only less precise.
            let _ = https.set_scheme("https");
            Err(bad(format!(
                "uses plain http to another machine, which would carry the credentials in \
                 clear; plain http is only allowed to localhost, 127.0.0.1 or [::1]: use {}",
                redact_url(https.as_str())
            )))
        }
        other => Err(bad(format!(
            "has scheme {other:?} or no host; write an https URL (http only to localhost)"
        ))),
    }
}

impl UriFetcher {
    /// What of the URI is never shown, and so must not come back in the server's text: the
    /// user-info, the query (whole and each value) and the fragment.
    fn secrets(&self) -> Vec<String> {
        let Ok(url) = reqwest::Url::parse(&self.uri) else {
            return vec![self.uri.clone()];
        };
        let mut secrets: Vec<String> = url.query_pairs().map(|(_, v)| v.into_owned()).collect();
        secrets.extend(url.password().map(str::to_string));
        secrets.extend(url.query().map(str::to_string));
        secrets.extend(url.fragment().map(str::to_string));
        if !url.username().is_empty() {
            secrets.push(url.username().to_string());
        }
        // Longest first: a value may be a part of the whole query.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
    }

    fn fail(&self, detail: impl std::fmt::Display) -> Error {
        Error::Credentials(format!(
            "credentials URI {}: {detail}; check {} / ALIBABA_CLOUD_CREDENTIALS_URI and that the \
             service behind it is running",
            redact_url(&self.uri),
            self.setting
        ))
    }
}

#[async_trait::async_trait]
impl Fetch for UriFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let request = self.http.pool_for(&self.uri)?.get(&self.uri);
        let answer = exchange(request, TIMEOUT).await.map_err(|e| self.fail(e))?;
        let status = answer.status;
        if status.is_redirection() {
            // The one HTTP client follows no redirects (see `alibaba::HttpClient`): a credential
            // request stays on the host the user configured.
            return Err(self.fail(format_args!(
                "HTTP {} (a redirect, which is not followed; set the final address)",
                status.as_u16()
            )));
        }
        if !status.is_success() {
            return Err(self.fail(format_args!("HTTP {}", status.as_u16())));
        }
        let json: serde_json::Value = serde_json::from_slice(&answer.body)
            .map_err(|_| self.fail("the answer is not JSON"))?;
        let code = json
            .get("Code")
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        if code != "Success" {
            let secrets = self.secrets();
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            return Err(self.fail(format_args!(
                "Code is {:?}, not \"Success\"",
                sanitize(code, &secrets, ID_CHARS)
            )));
        }
        temporary_from_json(&json, &self.source())
    }

    fn source(&self) -> String {
        format!("credentials URI {}", redact_url(&self.uri))
    }
}
