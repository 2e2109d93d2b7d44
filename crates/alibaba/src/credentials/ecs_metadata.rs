// SPDX-License-Identifier: MPL-2.0
//! Step 4 of the chain: the RAM role of the ECS instance Terraform runs on, from the instance
//! metadata service (`http://100.100.100.200`, or `endpoints.ecs_metadata`).
//!
//! IMDSv2 first (a session token from `PUT /latest/api/token`), falling back to IMDSv1 unless
//! `ALIBABA_CLOUD_IMDSV1_DISABLED=true`. Every request, answer included, has 1 s, as in the SDKs:
//! off ECS the address does not answer, and waiting longer only slows Terraform down.

use std::time::Duration;

use super::cached::{temporary_from_json, Fetch};
use super::Credentials;
use crate::error::{sanitize, ID_CHARS};
use crate::rpc::exchange;
use crate::signer::percent_encode;
use crate::{Error, HttpClient};

const TIMEOUT: Duration = Duration::from_secs(1);
const TOKEN_TTL_SECONDS: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Fetches the instance role's temporary credentials.
pub(crate) struct EcsRoleFetcher {
    pub(crate) http: HttpClient,
    /// Without a trailing slash.
    pub(crate) base: String,
    /// `None`: discover the role attached to the instance.
    pub(crate) role_name: Option<String>,
    pub(crate) imds_v1_disabled: bool,
}

impl EcsRoleFetcher {
    fn fail(&self, what: &str, detail: impl std::fmt::Display) -> Error {
        Error::Credentials(format!(
            "{}: {what} from the ECS metadata service at {} failed: {detail}. Is Terraform \
             running on an ECS instance with this RAM role attached?",
            self.source(),
            self.base
        ))
    }

    /// The IMDSv2 session token, or `None` to continue with IMDSv1.
    async fn session_token(&self) -> Result<Option<String>, Error> {
        let request = self
            .http
            .pool_for(&self.base)?
            .put(format!("{}/latest/api/token", self.base))
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
        let outcome = match exchange(request, TIMEOUT).await {
            Ok(a) if a.status.is_success() => match String::from_utf8_lossy(&a.body).trim() {
                "" => "an empty token".to_string(),
                token => return Ok(Some(token.to_string())),
            },
            Ok(a) => format!("HTTP {}", a.status.as_u16()),
            Err(e) => e,
        };
        if self.imds_v1_disabled {
            return Err(self.fail(
                "getting an IMDSv2 token (IMDSv1 is disabled by ALIBABA_CLOUD_IMDSV1_DISABLED)",
                outcome,
            ));
        }
        tracing::debug!(%outcome, "no IMDSv2 token from the ECS metadata service; using IMDSv1");
        Ok(None)
    }

    async fn get(&self, path: &str, token: Option<&str>, what: &str) -> Result<String, Error> {
        let mut req = self
            .http
            .pool_for(&self.base)?
            .get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("X-aliyun-ecs-metadata-token", t);
        }
        let answer = exchange(req, TIMEOUT)
            .await
            .map_err(|e| self.fail(what, e))?;
        if !answer.status.is_success() {
            return Err(self.fail(what, format_args!("HTTP {}", answer.status.as_u16())));
        }
        Ok(String::from_utf8_lossy(&answer.body).into_owned())
    }
}

#[async_trait::async_trait]
impl Fetch for EcsRoleFetcher {
    async fn fetch(&self) -> Result<Credentials, Error> {
        let token = self.session_token().await?;
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let body = self
                    .get(
                        CREDENTIALS_PATH,
                        token.as_deref(),
                        "discovering the role name",
                    )
                    .await?;
                match body.lines().map(str::trim).find(|l| !l.is_empty()) {
                    // Server text that names the role in errors and logs: sanitised.
                    Some(r) => sanitize(r, &token_secret(token.as_deref()), ID_CHARS),
                    None => {
                        return Err(self.fail("discovering the role name", "no role is attached"))
                    }
                }
            }
        };
        let path = format!("{CREDENTIALS_PATH}{}", percent_encode(&role));
        let body = self
            .get(&path, token.as_deref(), "getting the role's credentials")
            .await?;
        let json: serde_json::Value = serde_json::from_str(&body)
            .map_err(|_| self.fail("getting the role's credentials", "the answer is not JSON"))?;
        let code = json
            .get("Code")
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        if code != "Success" {
            return Err(self.fail(
                "getting the role's credentials",
                format_args!(
                    "Code is {:?}, not \"Success\"",
                    sanitize(code, &token_secret(token.as_deref()), ID_CHARS)
                ),
            ));
        }
        temporary_from_json(&json, &format!("ECS RAM role {role:?}"))
    }

    fn source(&self) -> String {
        match &self.role_name {
            Some(r) => format!("ECS RAM role {r:?}"),
            None => "ECS RAM role (discovered)".to_string(),
        }
    }
}

/// The IMDSv2 session token, which a server's text must not carry into an error.
fn token_secret(token: Option<&str>) -> Vec<&str> {
    token.into_iter().collect()
}
