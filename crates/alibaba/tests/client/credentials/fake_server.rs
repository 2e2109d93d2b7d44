// SPDX-License-Identifier: MPL-2.0
//! The local server standing in for STS, the ECS metadata service and a credentials URI,
//! recording what it was asked, plus the profiles file and credential fixtures the tests share.
//! Its CloudSSO and OAuth routes are in `fake_sign_in`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, put};
use axum::{Form, Json, Router};
use ehpc_alibaba::credentials::{
    resolve_with, CredentialConfig, Credentials, Environment, ResolveContext, ResolveOptions,
    Resolved,
};
use ehpc_alibaba::{signer, Endpoints, Error, HttpClient, ServiceUrl};
use serde_json::{json, Value};

use crate::credentials::fake_sign_in::{self, Overrides, SignInRequest};
use crate::credentials::misbehave::{self, Misbehaving};

/// AccessKeys the fake STS accepts, id -> secret.
const KEYS: &[(&str, &str)] = &[
    ("LTAIattr0001", "secret-attr-0001"),
    ("LTAIenv00001", "secret-env-00001"),
    ("LTAIprofile1", "secret-profile-1"),
];

/// What the credential chain under test calls itself.
pub(super) const USER_AGENT: &str = "terraform-provider-ehpc/0.0.0-test Terraform/1.11.4";

#[derive(Default)]
pub(super) struct Seen {
    pub sts: Vec<BTreeMap<String, String>>,
    pub imds_tokens: u32,
    pub imds_role_lists: u32,
    /// The `X-aliyun-ecs-metadata-token` of each credentials request.
    pub imds_creds: Vec<Option<String>>,
    pub uri: u32,
    /// The User-Agent of each credentials URI request.
    pub uri_user_agents: Vec<String>,
    /// Requests to the CloudSSO portal and the OAuth service, in order.
    pub sign_in: Vec<SignInRequest>,
    /// Requests to a path no route serves.
    pub unrouted: Vec<SignInRequest>,
}

pub(super) struct Knobs {
    pub imds_v2: bool,
    /// Lifetime of every temporary credential handed out, in seconds.
    pub ttl: i64,
}

pub(super) struct Shared {
    pub seen: Mutex<Seen>,
    knobs: Knobs,
    /// Set with `Server::answer_sign_in`.
    pub sign_in_answers: Overrides,
    pub misbehaving: Misbehaving,
}

type S = State<Arc<Shared>>;

fn expiration(ttl: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(ttl);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(fmt).expect("formatting a UTC time")
}

pub(super) fn temporary(shared: &Shared, kind: &str, n: usize) -> Value {
    json!({"Code": "Success", "AccessKeyId": format!("STS.{kind}{n:06}"),
           "AccessKeySecret": format!("{kind}-secret-{n}"), "SecurityToken": format!("{kind}-token-{n}"),
           "Expiration": expiration(shared.knobs.ttl)})
}

/// The secret of a credential `temporary` issued for AssumeRole or a sign-in exchange, when
/// `token` is its token: role chaining signs the next AssumeRole with the previous hop's
/// credentials.
fn issued_secret(id: &str, token: Option<&String>) -> Option<String> {
    let rest = id.strip_prefix("STS.")?;
    let kind = ["assumed", "sso", "oauth"]
        .into_iter()
        .find(|k| rest.starts_with(k))?;
    let n: usize = rest[kind.len()..].parse().ok()?;
    (token? == &format!("{kind}-token-{n}")).then(|| format!("{kind}-secret-{n}"))
}

/// STS as the client must call it: `POST /`, every parameter in the form body, none in the URL
/// (where a proxy or an access log would record the tokens).
async fn sts(
    State(s): S,
    RawQuery(query): RawQuery,
    Form(q): Form<BTreeMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    if query.is_some_and(|q| !q.is_empty()) {
        let body = json!({"Code": "InvalidParameter", "Message": "parameters in the URL"});
        return (StatusCode::BAD_REQUEST, Json(body));
    }
    let n = {
        let mut seen = s.seen.lock().unwrap();
        seen.sts.push(q.clone());
        seen.sts.len()
    };
    let fail = |code: &str, msg: String| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"Code": code, "Message": msg, "RequestId": "req-1"})),
        )
    };
    match q.get("Action").map(String::as_str) {
        Some("AssumeRole") => {
            let mut signed = q.clone();
            let signature = signed.remove("Signature").unwrap_or_default();
            let id = q.get("AccessKeyId").cloned().unwrap_or_default();
            let known = KEYS
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, s)| s.to_string());
            let Some(secret) = known.or_else(|| issued_secret(&id, q.get("SecurityToken"))) else {
                return fail(
                    "InvalidAccessKeyId.NotFound",
                    format!("Specified access key is not found: {id}"),
                );
            };
            let string_to_sign = signer::string_to_sign_v2("POST", &signed);
            if signer::sign_v2(&secret, &string_to_sign) != signature {
                // Like the real gateway, echo the string to sign (it holds the token).
                return fail(
                    "SignatureDoesNotMatch",
                    format!("server string to sign is:{string_to_sign}"),
                );
            }
            (
                StatusCode::OK,
                Json(json!({"RequestId": "req", "Credentials": temporary(&s, "assumed", n)})),
            )
        }
        Some("AssumeRoleWithOIDC") => {
            for signed_only in [
                "Signature",
                "AccessKeyId",
                "SignatureMethod",
                "SecurityToken",
            ] {
                if q.contains_key(signed_only) {
                    return fail(
                        "InvalidParameter",
                        format!("{signed_only} must not be sent"),
                    );
                }
            }
            if !q
                .get("OIDCToken")
                .is_some_and(|t| t.starts_with("oidc-jwt-"))
            {
                return fail(
                    "InvalidParameter.OIDCToken",
                    format!("bad token {:?}", q.get("OIDCToken")),
                );
            }
            (
                StatusCode::OK,
                Json(json!({"RequestId": "req", "Credentials": temporary(&s, "oidc", n)})),
            )
        }
        _ => fail("InvalidApi.NotFound", "unknown action".into()),
    }
}

async fn imds_token(State(s): S, headers: HeaderMap) -> (StatusCode, String) {
    s.seen.lock().unwrap().imds_tokens += 1;
    let ttl_sent = headers.contains_key("x-aliyun-ecs-metadata-token-ttl-seconds");
    if s.knobs.imds_v2 && ttl_sent {
        (StatusCode::OK, "imds-session-token".into())
    } else {
        (StatusCode::FORBIDDEN, String::new())
    }
}

async fn imds_roles(State(s): S) -> String {
    s.seen.lock().unwrap().imds_role_lists += 1;
    "instance-role\n".into()
}

/// A header's value, when it is text.
pub(super) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn imds_creds(
    State(s): S,
    UrlPath(role): UrlPath<String>,
    headers: HeaderMap,
) -> (StatusCode, Json<Value>) {
    let token = header(&headers, "x-aliyun-ecs-metadata-token");
    let n = {
        let mut seen = s.seen.lock().unwrap();
        seen.imds_creds.push(token);
        seen.imds_creds.len()
    };
    if role != "instance-role" {
        return (StatusCode::NOT_FOUND, Json(json!({})));
    }
    (StatusCode::OK, Json(temporary(&s, "ecs", n)))
}

async fn uri_creds(State(s): S, headers: HeaderMap) -> Json<Value> {
    let n = {
        let mut seen = s.seen.lock().unwrap();
        seen.uri += 1;
        seen.uri_user_agents
            .push(header(&headers, "user-agent").unwrap_or_default());
        seen.uri as usize
    };
    Json(temporary(&s, "uri", n))
}

/// A credentials URI that moved: redirects to the working one.
async fn moved() -> (StatusCode, [(&'static str, &'static str); 1]) {
    (StatusCode::FOUND, [("location", "/creds")])
}

pub(super) struct Server {
    pub base: String,
    pub shared: Arc<Shared>,
    endpoints: Endpoints,
    pub http: HttpClient,
    pub home: tempfile::TempDir,
}

impl Server {
    pub(super) async fn start(knobs: Knobs) -> Server {
        let shared = Arc::new(Shared {
            seen: Mutex::new(Seen::default()),
            knobs,
            sign_in_answers: Overrides::default(),
            misbehaving: Misbehaving::default(),
        });
        let app = Router::new()
            .route("/", post(sts))
            .route("/latest/api/token", put(imds_token))
            .route(
                "/latest/meta-data/ram/security-credentials/",
                get(imds_roles),
            )
            .route(
                "/latest/meta-data/ram/security-credentials/{role}",
                get(imds_creds),
            )
            .route("/creds", get(uri_creds))
            .route("/moved", get(moved))
            .merge(fake_sign_in::routes())
            .layer(from_fn_with_state(shared.clone(), misbehave::intercept))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let url = ServiceUrl::parse(&base).unwrap();
        let endpoints = Endpoints {
            ehpcinstant: None,
            sts: Some(url.clone()),
            ecs_metadata: Some(url.clone()),
            oauth: Some(url),
        };
        Server {
            base,
            shared,
            endpoints,
            http: HttpClient::new(
                std::time::Duration::from_secs(10),
                std::time::Duration::from_secs(10),
                USER_AGENT,
            ),
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub(super) async fn default() -> Server {
        Server::start(Knobs {
            imds_v2: true,
            ttl: 3600,
        })
        .await
    }

    /// Like [`Server::default`], but every credential it hands out expires in 2 minutes,
    /// inside the refresh window: each `credentials()` call fetches again.
    pub(super) async fn expiring_soon() -> Server {
        Server::start(Knobs {
            imds_v2: true,
            ttl: 120,
        })
        .await
    }

    /// Lets `OAuth` profiles use their site's public service (which no test may call), or
    /// `url` instead.
    pub(super) fn with_oauth_override(mut self, url: Option<&str>) -> Server {
        self.endpoints.oauth = url.map(|u| ServiceUrl::parse(u).expect("a valid URL"));
        self
    }

    /// STS at `url` instead of this server.
    pub(super) fn with_sts_override(mut self, url: &str) -> Server {
        self.endpoints.sts = Some(ServiceUrl::parse(url).expect("a valid URL"));
        self
    }

    /// An environment with HOME in a fresh temporary directory plus `pairs`.
    pub(super) fn env(&self, pairs: &[(&str, &str)]) -> Environment {
        let home = self.home.path().to_string_lossy().to_string();
        let mut all: Vec<(String, String)> = vec![("HOME".into(), home)];
        all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(all)
    }

    /// Writes `~/.aliyun/config.json` under the temporary HOME.
    pub(super) fn write_default_profile(&self, text: &str) {
        let dir = self.home.path().join(".aliyun");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), text).unwrap();
    }

    pub(super) async fn resolve(
        &self,
        config: &CredentialConfig,
        env: &Environment,
    ) -> Result<Resolved, Error> {
        self.resolve_with(config, env, &ResolveOptions::default())
            .await
    }

    /// [`Server::resolve`], asserted to fail: the error's text.
    pub(super) async fn resolve_error(
        &self,
        config: &CredentialConfig,
        env: &Environment,
    ) -> String {
        match self.resolve(config, env).await {
            Ok(_) => panic!("resolving the credential chain was expected to fail"),
            Err(e) => e.to_string(),
        }
    }

    pub(super) async fn resolve_with(
        &self,
        config: &CredentialConfig,
        env: &Environment,
        options: &ResolveOptions,
    ) -> Result<Resolved, Error> {
        let ctx = ResolveContext {
            env,
            http: &self.http,
            endpoints: &self.endpoints,
            region: None,
        };
        resolve_with(config, &ctx, options).await
    }

    /// Resolves `config` and fetches its credentials; both must succeed.
    pub(super) async fn credentials(
        &self,
        config: &CredentialConfig,
        env: &Environment,
    ) -> Credentials {
        let resolved = self.resolve(config, env).await.expect("resolve");
        resolved.provider.credentials().await.expect("credentials")
    }

    /// Writes a file under the temporary HOME and returns its path.
    /// Mode 0600, as `aliyun configure` leaves its file (whatever the umask).
    pub(super) fn write_file(&self, name: &str, text: &str) -> String {
        use std::os::unix::fs::PermissionsExt as _;
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path.to_string_lossy().into()
    }

    pub(super) fn sts_calls(&self) -> Vec<BTreeMap<String, String>> {
        self.shared.seen.lock().unwrap().sts.clone()
    }

    pub(super) fn uri(&self) -> String {
        format!("{}/creds", self.base)
    }
}

pub(super) const PROFILES: &str = r#"{"current": "main", "profiles": [
  {"name": "main", "mode": "AK", "access_key_id": "LTAIprofile1", "access_key_secret": "secret-profile-1", "region_id": "cn-shanghai"},
  {"name": "sts", "mode": "StsToken", "access_key_id": "STS.profile", "access_key_secret": "secret-profile-2", "sts_token": "profile-token-2"},
  {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIprofile1", "access_key_secret": "secret-profile-1",
   "ram_role_arn": "acs:ram::1:role/from-profile", "ram_session_name": "prof-session", "expired_seconds": 1800, "external_id": "ext-p"},
  {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "instance-role"},
  {"name": "ecs-any", "mode": "EcsRamRole", "ram_role_name": ""},
  {"name": "sso", "mode": "CloudSSO"},
  {"name": "hop1", "mode": "ChainableRamRoleArn", "source_profile": "main",
   "ram_role_arn": "acs:ram::1:role/first", "ram_session_name": "hop-1"},
  {"name": "hop2", "mode": "ChainableRamRoleArn", "source_profile": "hop1",
   "ram_role_arn": "acs:ram::1:role/second", "expired_seconds": 900},
  {"name": "short", "mode": "RamRoleArn", "access_key_id": "LTAIprofile1",
   "access_key_secret": "secret-profile-1", "ram_role_arn": "acs:ram::1:role/s", "expired_seconds": 100},
  {"name": "via-short", "mode": "ChainableRamRoleArn", "source_profile": "short",
   "ram_role_arn": "acs:ram::1:role/t"}
]}"#;

pub(super) const ENV_AK: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv00001"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret-env-00001"),
];

pub(super) fn attrs() -> CredentialConfig {
    CredentialConfig {
        access_key: Some("LTAIattr0001".into()),
        secret_key: Some("secret-attr-0001".into()),
        ..Default::default()
    }
}

pub(super) fn with(
    base: &[(&'static str, &'static str)],
    more: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    base.iter().chain(more).copied().collect()
}
