// SPDX-License-Identifier: MPL-2.0
//! The credential chain end to end against a local server acting as STS (verifying the V2
//! signature of AssumeRole, and that AssumeRoleWithOIDC is unsigned), the ECS metadata service
//! and a credentials URI: every source and their precedence, profile modes, lazy STS round
//! trips, refresh of near-expiry credentials, the "no credentials" error, and a run whose whole
//! log output, errors and Debug output are searched for secrets.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, put};
use axum::{Json, Router};
use ehpc::alibaba::credentials::{
    resolve, AssumeRoleConfig, AssumeRoleWithOidcConfig, CredentialConfig, Credentials,
    Environment, ResolveContext, Resolved,
};
use ehpc::alibaba::{signer, Endpoints, Error, HttpClient, ServiceUrl};
use serde_json::{json, Value};

/// AccessKeys the fake STS accepts, id -> secret.
const KEYS: &[(&str, &str)] = &[
    ("LTAIattr0001", "secret-attr-0001"),
    ("LTAIenv00001", "secret-env-00001"),
    ("LTAIprofile1", "secret-profile-1"),
];

#[derive(Default)]
struct Seen {
    sts: Vec<BTreeMap<String, String>>,
    imds_tokens: u32,
    imds_role_lists: u32,
    /// The `X-aliyun-ecs-metadata-token` of each credentials request.
    imds_creds: Vec<Option<String>>,
    uri: u32,
    /// The User-Agent of each credentials URI request.
    uri_user_agents: Vec<String>,
}

struct Knobs {
    imds_v2: bool,
    /// Lifetime of every temporary credential handed out, in seconds.
    ttl: i64,
}

struct Shared {
    seen: Mutex<Seen>,
    knobs: Knobs,
}

type S = State<Arc<Shared>>;

fn expiration(ttl: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(ttl);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(fmt).expect("formatting a UTC time")
}

fn temporary(shared: &Shared, kind: &str, n: usize) -> Value {
    json!({"Code": "Success", "AccessKeyId": format!("STS.{kind}{n:06}"),
           "AccessKeySecret": format!("{kind}-secret-{n}"), "SecurityToken": format!("{kind}-token-{n}"),
           "Expiration": expiration(shared.knobs.ttl)})
}

/// The secret of a credential `temporary` issued for AssumeRole, when `token` is its token:
/// role chaining signs the next AssumeRole with the previous hop's credentials.
fn issued_secret(id: &str, token: Option<&String>) -> Option<String> {
    let n: usize = id.strip_prefix("STS.assumed")?.parse().ok()?;
    (token? == &format!("assumed-token-{n}")).then(|| format!("assumed-secret-{n}"))
}

async fn sts(State(s): S, Query(q): Query<BTreeMap<String, String>>) -> (StatusCode, Json<Value>) {
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
            let string_to_sign = signer::string_to_sign_v2("GET", &signed);
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

async fn imds_creds(
    State(s): S,
    UrlPath(role): UrlPath<String>,
    headers: HeaderMap,
) -> (StatusCode, Json<Value>) {
    let token = headers
        .get("x-aliyun-ecs-metadata-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
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
        let ua = headers.get("user-agent").and_then(|v| v.to_str().ok());
        seen.uri_user_agents
            .push(ua.unwrap_or_default().to_string());
        seen.uri as usize
    };
    Json(temporary(&s, "uri", n))
}

/// A credentials URI that moved: redirects to the working one.
async fn moved() -> (StatusCode, [(&'static str, &'static str); 1]) {
    (StatusCode::FOUND, [("location", "/creds")])
}

struct Server {
    base: String,
    shared: Arc<Shared>,
    endpoints: Endpoints,
    http: HttpClient,
    home: tempfile::TempDir,
}

impl Server {
    async fn start(knobs: Knobs) -> Server {
        let shared = Arc::new(Shared {
            seen: Mutex::new(Seen::default()),
            knobs,
        });
        let app = Router::new()
            .route("/", get(sts))
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
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let url = ServiceUrl::parse(&base).unwrap();
        let endpoints = Endpoints {
            ehpcinstant: None,
            sts: Some(url.clone()),
            ecs_metadata: Some(url),
        };
        Server {
            base,
            shared,
            endpoints,
            http: HttpClient::new(
                std::time::Duration::from_secs(10),
                std::time::Duration::from_secs(10),
                "Terraform/1.11.4",
            ),
            home: tempfile::tempdir().unwrap(),
        }
    }

    async fn default() -> Server {
        Server::start(Knobs {
            imds_v2: true,
            ttl: 3600,
        })
        .await
    }

    /// An environment with HOME in a fresh temporary directory plus `pairs`.
    fn env(&self, pairs: &[(&str, &str)]) -> Environment {
        let home = self.home.path().to_string_lossy().to_string();
        let mut all: Vec<(String, String)> = vec![("HOME".into(), home)];
        all.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(all)
    }

    /// Writes `~/.aliyun/config.json` under the temporary HOME.
    fn write_default_profile(&self, text: &str) {
        let dir = self.home.path().join(".aliyun");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), text).unwrap();
    }

    async fn resolve(
        &self,
        config: &CredentialConfig,
        env: &Environment,
    ) -> Result<Resolved, Error> {
        let ctx = ResolveContext {
            env,
            http: &self.http,
            endpoints: &self.endpoints,
            region: None,
        };
        resolve(config, &ctx).await
    }

    /// Resolves `config` and fetches its credentials; both must succeed.
    async fn credentials(&self, config: &CredentialConfig, env: &Environment) -> Credentials {
        let resolved = self.resolve(config, env).await.expect("resolve");
        resolved.provider.credentials().await.expect("credentials")
    }

    /// Writes a file under the temporary HOME and returns its path.
    fn write_file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into()
    }

    fn sts_calls(&self) -> Vec<BTreeMap<String, String>> {
        self.shared.seen.lock().unwrap().sts.clone()
    }

    fn uri(&self) -> String {
        format!("{}/creds", self.base)
    }
}

const PROFILES: &str = r#"{"current": "main", "profiles": [
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

const ENV_AK: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv00001"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret-env-00001"),
];

fn attrs() -> CredentialConfig {
    CredentialConfig {
        access_key: Some("LTAIattr0001".into()),
        secret_key: Some("secret-attr-0001".into()),
        ..Default::default()
    }
}

fn with(
    base: &[(&'static str, &'static str)],
    more: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    base.iter().chain(more).copied().collect()
}

#[tokio::test]
async fn precedence_attributes_env_profile_ecs_uri() {
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let uri = srv.uri();
    let ecs = [("ALIBABA_CLOUD_ECS_METADATA", "instance-role")];
    let uri_env = [("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())];
    let everything: Vec<(&str, &str)> =
        ENV_AK.iter().chain(&ecs).chain(&uri_env).copied().collect();
    let no_ak: Vec<(&str, &str)> = ecs.iter().chain(&uri_env).copied().collect();
    // A file without profiles: the profile step finds nothing and the chain goes on.
    let empty = Some(srv.write_file("empty.json", r#"{"profiles": []}"#));
    type Case<'a> = (
        &'a str,
        CredentialConfig,
        Vec<(&'a str, &'a str)>,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "attributes first",
            attrs(),
            everything.clone(),
            "provider attributes",
            "LTAIattr0001",
        ),
        (
            "then environment",
            CredentialConfig::default(),
            everything,
            "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
            "LTAIenv00001",
        ),
        (
            "then profile",
            CredentialConfig::default(),
            no_ak.clone(),
            "profile \"main\" in ",
            "LTAIprofile1",
        ),
        (
            "then ECS role",
            CredentialConfig {
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            no_ak,
            "ECS RAM role \"instance-role\"",
            "STS.ecs000001",
        ),
        (
            "then URI",
            CredentialConfig {
                shared_credentials_file: empty,
                ..Default::default()
            },
            uri_env.to_vec(),
            "credentials URI http://127.0.0.1:",
            "STS.uri000001",
        ),
    ];
    for (name, config, vars, source, key) in cases {
        let r = srv
            .resolve(&config, &srv.env(&vars))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(r.source.starts_with(source), "{name}: {}", r.source);
        assert_eq!(
            r.provider.credentials().await.unwrap().access_key_id,
            key,
            "{name}"
        );
    }
    let seen = srv.shared.seen.lock().unwrap();
    assert_eq!((seen.imds_creds.len(), seen.uri, seen.sts.len()), (1, 1, 0));
}

#[tokio::test]
async fn legacy_env_names_win_and_half_keys_fail() {
    let srv = Server::default().await;
    let env = srv.env(&with(
        ENV_AK,
        &[
            ("ALICLOUD_ACCESS_KEY", "LTAIlegacy01"),
            ("ALICLOUD_SECRET_KEY", "secret-legacy"),
        ],
    ));
    let r = srv
        .resolve(&CredentialConfig::default(), &env)
        .await
        .unwrap();
    assert_eq!(r.source, "environment (ALICLOUD_ACCESS_KEY)");
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(
        (c.access_key_id.as_str(), c.access_key_secret.as_str()),
        ("LTAIlegacy01", "secret-legacy")
    );

    let env = srv.env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv00001")]);
    let err = srv
        .resolve(&CredentialConfig::default(), &env)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("secret_key is missing") && err.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{err}"
    );
}

#[tokio::test]
async fn profile_modes() {
    let srv = Server::default().await;
    let file = srv.home.path().join("cli.json");
    std::fs::write(&file, PROFILES).unwrap();
    let config = |profile: &str| CredentialConfig {
        profile: Some(profile.into()),
        shared_credentials_file: Some(file.to_string_lossy().into()),
        ..Default::default()
    };
    let env = srv.env(&[]);

    let r = srv.resolve(&config("main"), &env).await.unwrap();
    assert_eq!(r.profile_region.as_deref(), Some("cn-shanghai"));
    assert_eq!(r.source, format!("profile \"main\" in {}", file.display()));

    let c = srv.credentials(&config("sts"), &env).await;
    assert_eq!(c.security_token.as_deref(), Some("profile-token-2"));

    let r = srv.resolve(&config("role"), &env).await.unwrap();
    assert!(
        r.source
            .starts_with("assume_role acs:ram::1:role/from-profile via profile \"role\""),
        "{}",
        r.source
    );
    assert!(
        srv.sts_calls().is_empty(),
        "STS must not be called by resolve"
    );
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.assumed000001"
    );
    let q = &srv.sts_calls()[0];
    assert_eq!(q["AccessKeyId"], "LTAIprofile1");
    assert_eq!(
        (q["RoleSessionName"].as_str(), q["DurationSeconds"].as_str()),
        ("prof-session", "1800")
    );
    assert_eq!(q["ExternalId"], "ext-p");

    let c = srv.credentials(&config("ecs"), &env).await;
    assert_eq!(c.access_key_id, "STS.ecs000001");
    let c = srv.credentials(&config("ecs-any"), &env).await;
    assert_eq!(c.access_key_id, "STS.ecs000002");
    assert_eq!(
        srv.shared.seen.lock().unwrap().imds_role_lists,
        1,
        "only ecs-any discovers the role"
    );

    for (profile, want) in [
        ("sso", "mode \"CloudSSO\""),
        (
            "nope",
            "profile \"nope\" (named by the profile attribute) is not in",
        ),
    ] {
        let err = srv
            .resolve(&config(profile), &env)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{profile}: {err}");
    }
    // The environment names the profile too; ALICLOUD_PROFILE wins over ALIBABA_CLOUD_PROFILE.
    let by_env = CredentialConfig {
        profile: None,
        ..config("x")
    };
    let env = srv.env(&[
        ("ALIBABA_CLOUD_PROFILE", "main"),
        ("ALICLOUD_PROFILE", "sts"),
    ]);
    assert!(srv
        .resolve(&by_env, &env)
        .await
        .unwrap()
        .source
        .starts_with("profile \"sts\""));
}

#[tokio::test]
async fn chainable_profile_assumes_each_role_in_turn() {
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let config = CredentialConfig {
        profile: Some("hop2".into()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert!(srv.sts_calls().is_empty(), "resolve calls no STS");
    assert_eq!(r.profile_region, None, "hop2 names no region of its own");
    for part in [
        "assume_role acs:ram::1:role/second via ",
        "assume_role acs:ram::1:role/first via ",
        "profile \"main\", source_profile of profile \"hop1\", source_profile of profile \"hop2\"",
    ] {
        assert!(r.source.contains(part), "{part:?} in {}", r.source);
    }

    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.assumed000002");
    let calls = srv.sts_calls();
    let summary: Vec<_> = calls
        .iter()
        .map(|q| {
            (
                q["AccessKeyId"].as_str(),
                q.get("SecurityToken").map(String::as_str),
                q["RoleArn"].as_str(),
                q["RoleSessionName"].as_str(),
                q["DurationSeconds"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "LTAIprofile1",
                None,
                "acs:ram::1:role/first",
                "hop-1",
                "3600"
            ),
            (
                "STS.assumed000001",
                Some("assumed-token-1"),
                "acs:ram::1:role/second",
                "terraform",
                "900"
            ),
        ],
        "the first hop signs with the source profile's AccessKey, the second with the first \
         hop's temporary credentials"
    );
    // Cached: a second caller gets the same credentials without another hop.
    r.provider.credentials().await.unwrap();
    assert_eq!(srv.sts_calls().len(), 2);

    // An inner hop's settings are checked at resolve time, naming its profile.
    let config = CredentialConfig {
        profile: Some("via-short".into()),
        ..Default::default()
    };
    let err = srv
        .resolve(&config, &srv.env(&[]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expired_seconds of profile \"short\" must be between 900 and 43200"),
        "{err}"
    );
    assert_eq!(srv.sts_calls().len(), 2, "no call for an invalid chain");
}

#[tokio::test]
async fn named_profile_without_default_file_is_an_error() {
    let srv = Server::default().await;
    let env = srv.env(&[("ALIBABA_CLOUD_PROFILE", "work")]);
    let err = srv
        .resolve(&CredentialConfig::default(), &env)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("profile \"work\" was requested by environment (ALIBABA_CLOUD_PROFILE)"),
        "{err}"
    );
    assert!(err.contains(".aliyun/config.json does not exist"), "{err}");
}

#[tokio::test]
async fn ecs_metadata_imds_v2_then_v1_fallback() {
    for (imds_v2, v1_disabled, want_token, want_ok) in [
        (true, false, Some("imds-session-token"), true),
        (false, false, None, true),
        (false, true, None, false),
    ] {
        let name = format!("imds_v2={imds_v2} v1_disabled={v1_disabled}");
        let srv = Server::start(Knobs { imds_v2, ttl: 3600 }).await;
        let mut vars = vec![("ALICLOUD_ECS_ROLE_NAME", "instance-role")];
        if v1_disabled {
            vars.push(("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"));
        }
        let r = srv
            .resolve(&CredentialConfig::default(), &srv.env(&vars))
            .await
            .unwrap();
        assert_eq!(
            srv.shared.seen.lock().unwrap().imds_tokens,
            0,
            "{name}: resolve is local"
        );
        let got = r.provider.credentials().await;
        assert_eq!(got.is_ok(), want_ok, "{name}: {got:?}");
        let seen = srv.shared.seen.lock().unwrap();
        assert_eq!(seen.imds_tokens, 1, "{name}");
        let sent: Vec<Option<&str>> = seen.imds_creds.iter().map(Option::as_deref).collect();
        let want: Vec<Option<&str>> = if want_ok { vec![want_token] } else { vec![] };
        assert_eq!(sent, want, "{name}");
    }
}

#[tokio::test]
async fn assume_role_is_lazy_signed_and_cached() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        assume_role: Some(AssumeRoleConfig {
            role_arn: "acs:ram::1:role/deployer".into(),
            external_id: Some("ext-1".into()),
            policy: Some(r#"{"Version":"1","Statement":[]}"#.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&with(
        ENV_AK,
        &[("ALIBABA_CLOUD_SECURITY_TOKEN", "env-source-token")],
    ));
    // The fake STS knows the env key, so a valid signature proves V2 signing with the source.
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(
        r.source,
        "assume_role acs:ram::1:role/deployer via environment (ALIBABA_CLOUD_ACCESS_KEY_ID)"
    );
    assert_eq!(srv.sts_calls().len(), 0);
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.assumed000001");
    assert_eq!(c.security_token.as_deref(), Some("assumed-token-1"));
    assert!(c.expiration.is_some());
    r.provider.credentials().await.unwrap();
    let calls = srv.sts_calls();
    assert_eq!(calls.len(), 1, "far-from-expiry credentials are cached");
    let q = &calls[0];
    for (k, v) in [
        ("Action", "AssumeRole"),
        ("Version", "2015-04-01"),
        ("DurationSeconds", "3600"),
        ("RoleSessionName", "terraform"),
        ("ExternalId", "ext-1"),
        ("SecurityToken", "env-source-token"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("RoleArn", "acs:ram::1:role/deployer"),
    ] {
        assert_eq!(q.get(k).map(String::as_str), Some(v), "{k}");
    }
    assert!(q.contains_key("Policy"));
}

#[tokio::test]
async fn assume_role_validates_settings_without_network() {
    let srv = Server::default().await;
    let role = |session_expiration, role_arn: &str| CredentialConfig {
        assume_role: Some(AssumeRoleConfig {
            role_arn: role_arn.into(),
            session_expiration,
            ..Default::default()
        }),
        ..attrs()
    };
    let cases = [
        (
            "too short",
            role(Some(600), "arn"),
            vec![],
            "between 900 and 43200",
        ),
        (
            "too long",
            role(Some(50_000), "arn"),
            vec![],
            "between 900 and 43200",
        ),
        (
            "no arn",
            role(None, ""),
            vec![],
            "assume_role.role_arn is required",
        ),
        (
            "bad env expiration",
            role(None, "arn"),
            vec![("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION", "soon")],
            "must be a number",
        ),
    ];
    for (name, config, vars, want) in cases {
        let err = srv
            .resolve(&config, &srv.env(&vars))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{name}: {err}");
    }
    let env = srv.env(&[("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/env")]);
    let r = srv.resolve(&role(Some(0), ""), &env).await.unwrap();
    assert!(r
        .source
        .starts_with("assume_role acs:ram::1:role/env via provider attributes"));
    assert!(srv.sts_calls().is_empty());
}

#[tokio::test]
async fn oidc_round_trip_rereads_token_file_and_refreshes() {
    // Every credential expires in 2 minutes, inside the refresh window: each call refreshes.
    let srv = Server::start(Knobs {
        imds_v2: true,
        ttl: 120,
    })
    .await;
    let token_file = srv.home.path().join("oidc-token");
    std::fs::write(&token_file, "oidc-jwt-first\n").unwrap();
    let config = CredentialConfig {
        assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
            oidc_token_file: Some(token_file.to_string_lossy().into()),
            session_expiration: Some(900),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&[
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/ci"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/gh",
        ),
    ]);
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(r.source, "assume_role_with_oidc acs:ram::1:role/ci");
    assert_eq!(srv.sts_calls().len(), 0);
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.oidc000001"
    );
    std::fs::write(&token_file, "oidc-jwt-rotated").unwrap();
    assert_eq!(
        r.provider.credentials().await.unwrap().access_key_id,
        "STS.oidc000002"
    );
    let calls = srv.sts_calls();
    let tokens: Vec<&str> = calls.iter().map(|q| q["OIDCToken"].as_str()).collect();
    assert_eq!(tokens, ["oidc-jwt-first", "oidc-jwt-rotated"]);
    assert_eq!(calls[0]["OIDCProviderArn"], "acs:ram::1:oidc-provider/gh");
    assert_eq!(
        (
            calls[0]["DurationSeconds"].as_str(),
            calls[0]["RoleSessionName"].as_str()
        ),
        ("900", "terraform")
    );
}

#[tokio::test]
async fn oidc_then_assume_role_chains() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
            role_arn: "acs:ram::1:role/ci".into(),
            oidc_provider_arn: "acs:ram::1:oidc-provider/gh".into(),
            ..Default::default()
        }),
        assume_role: Some(AssumeRoleConfig {
            role_arn: "acs:ram::2:role/target".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let env = srv.env(&[("ALIBABA_CLOUD_OIDC_TOKEN", "oidc-jwt-inline")]);
    let r = srv.resolve(&config, &env).await.unwrap();
    assert_eq!(
        r.source,
        "assume_role acs:ram::2:role/target via assume_role_with_oidc acs:ram::1:role/ci"
    );
    // The fake STS cannot verify signatures made with OIDC-issued keys: the answer is an
    // error, but both calls must have happened in order, the second signed with the first's key.
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(err.contains("InvalidAccessKeyId.NotFound"), "{err}");
    let calls = srv.sts_calls();
    assert_eq!(calls[0]["Action"], "AssumeRoleWithOIDC");
    assert_eq!(calls[1]["AccessKeyId"], "STS.oidc000001");
    assert_eq!(calls[1]["SecurityToken"], "oidc-token-1");
}

#[tokio::test]
async fn uri_credentials_refresh_near_expiry() {
    // Credentials expiring in 2 minutes are inside the refresh window: every call refreshes.
    let srv = Server::start(Knobs {
        imds_v2: true,
        ttl: 120,
    })
    .await;
    let config = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    assert_eq!(srv.shared.seen.lock().unwrap().uri, 0, "resolve is local");
    let first = r.provider.credentials().await.unwrap();
    let second = r.provider.credentials().await.unwrap();
    assert_eq!(
        (first.access_key_id.as_str(), second.access_key_id.as_str()),
        ("STS.uri000001", "STS.uri000002")
    );
    // The provider's one HTTP client, with its User-Agent, made both requests.
    let ua = format!("terraform-provider-ehpc/{} Terraform/1.11.4", ehpc::VERSION);
    assert_eq!(
        srv.shared.seen.lock().unwrap().uri_user_agents,
        [ua.as_str(), ua.as_str()]
    );
}

#[tokio::test]
async fn uri_redirects_are_not_followed() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        credentials_uri: Some(format!("{}/moved?token=uri-secret-0001", srv.base)),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let err = r.provider.credentials().await.unwrap_err().to_string();
    assert!(err.contains("HTTP 302"), "{err}");
    assert!(err.contains("redirect"), "{err}");
    assert!(!err.contains("uri-secret-0001"), "{err}");
    assert_eq!(
        srv.shared.seen.lock().unwrap().uri,
        0,
        "target never called"
    );
}

#[tokio::test]
async fn fresh_credentials_are_cached_and_shared_by_concurrent_callers() {
    let srv = Server::default().await;
    let config = CredentialConfig {
        credentials_uri: Some(srv.uri()),
        ..Default::default()
    };
    let r = srv.resolve(&config, &srv.env(&[])).await.unwrap();
    let p = &r.provider;
    let (a, b, c) = tokio::join!(p.credentials(), p.credentials(), p.credentials());
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(a == b && b == c);
    assert_eq!(p.credentials().await.unwrap(), a);
    assert_eq!(srv.shared.seen.lock().unwrap().uri, 1);
}

#[tokio::test]
async fn no_credentials_lists_every_place() {
    let srv = Server::default().await;
    let err = srv
        .resolve(&CredentialConfig::default(), &srv.env(&[]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials(_)));
    let msg = err.to_string();
    let home = srv.home.path().join(".aliyun").join("config.json");
    let places = [
        "1. provider attributes access_key / secret_key: not set",
        "2. environment variables ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID",
        &format!("3. aliyun CLI profile: {} does not exist", home.display()),
        "4. ECS instance RAM role: skipped, no role name",
        "5. credentials URI: not set",
        "To fix:",
    ];
    let mut at = 0;
    for p in places {
        let found = msg[at..]
            .find(p)
            .unwrap_or_else(|| panic!("{p:?} missing or out of order in:\n{msg}"));
        at += found + p.len();
    }
    assert_eq!(
        srv.shared.seen.lock().unwrap().imds_tokens,
        0,
        "no metadata probe"
    );
}

/// Collects every event and span field into one string.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut out = self.0.lock().unwrap();
        let _ = write!(
            out,
            "{} {}: ",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut out));
        out.push('\n');
    }
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        attrs.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
}

#[tokio::test]
async fn no_secret_in_logs_errors_or_debug() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let srv = Server::default().await;
    srv.write_default_profile(PROFILES);
    let token_file = srv.home.path().join("oidc");
    std::fs::write(&token_file, "oidc-jwt-from-file").unwrap();
    let mut out = String::new();
    let empty = Some(srv.write_file("empty.json", r#"{"profiles": []}"#));
    let role = AssumeRoleConfig {
        role_arn: "acs:ram::1:role/x".into(),
        ..Default::default()
    };
    let configs: Vec<(CredentialConfig, Vec<(&str, &str)>)> = vec![
        (
            CredentialConfig {
                assume_role: Some(role.clone()),
                security_token: Some("attr-token-xyz".into()),
                ..attrs()
            },
            vec![],
        ),
        // Unknown key: STS answers SignatureDoesNotMatch-like errors that must not echo the token.
        (
            CredentialConfig {
                assume_role: Some(role.clone()),
                ..Default::default()
            },
            vec![
                ("ALICLOUD_ACCESS_KEY", "LTAIenv00001"),
                ("ALICLOUD_SECRET_KEY", "wrong-secret-abc"),
                ("ALICLOUD_SECURITY_TOKEN", "env-token-xyz"),
            ],
        ),
        (
            CredentialConfig {
                profile: Some("role".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                ecs_role_name: Some("instance-role".into()),
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                profile: Some("sts".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                credentials_uri: Some(format!("{}?token=uri-query-secret", srv.uri())),
                profile: Some("ecs".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                credentials_uri: Some(format!("{}?token=uri-query-secret", srv.uri())),
                shared_credentials_file: empty.clone(),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    role_arn: "acs:ram::1:role/ci".into(),
                    oidc_provider_arn: "p".into(),
                    oidc_token: Some("bad-oidc-inline-secret".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            vec![],
        ),
        (
            CredentialConfig {
                assume_role_with_oidc: Some(AssumeRoleWithOidcConfig {
                    role_arn: "acs:ram::1:role/ci".into(),
                    oidc_provider_arn: "p".into(),
                    oidc_token_file: Some(token_file.to_string_lossy().into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            vec![],
        ),
    ];
    let mut successes = 0;
    let mut failures = 0;
    for (config, vars) in configs {
        let env = srv.env(&vars);
        let _ = writeln!(out, "{config:?} {env:?}");
        let resolved = srv.resolve(&config, &env).await;
        let _ = writeln!(out, "{resolved:?}");
        match resolved {
            Ok(r) => match r.provider.credentials().await {
                Ok(c) => {
                    successes += 1;
                    let _ = writeln!(out, "{c:?} {}", r.provider.source());
                }
                Err(e) => {
                    failures += 1;
                    let _ = writeln!(out, "{e} {e:?}");
                }
            },
            Err(e) => {
                failures += 1;
                let _ = writeln!(out, "{e} {e:?}");
            }
        }
    }
    assert!(
        (successes, failures) == (7, 2),
        "the run must exercise both paths ({successes}/{failures}):\n{out}"
    );
    let logs = capture.0.lock().unwrap().clone();
    assert!(
        logs.contains("credentials resolved") && logs.contains("calling STS AssumeRole"),
        "{logs}"
    );
    let secrets = [
        "secret-attr-0001",
        "secret-env-00001",
        "secret-profile-1",
        "secret-profile-2",
        "wrong-secret-abc",
        "attr-token-xyz",
        "env-token-xyz",
        "profile-token-2",
        "assumed-secret",
        "assumed-token",
        "ecs-secret",
        "ecs-token",
        "uri-secret",
        "uri-token",
        "oidc-secret",
        "oidc-token-",
        "uri-query-secret",
        "oidc-jwt-from-file",
        "bad-oidc-inline-secret",
        "imds-session-token",
    ];
    for s in secrets {
        assert!(!logs.contains(s), "{s} in logs:\n{logs}");
        assert!(!out.contains(s), "{s} in errors or Debug output:\n{out}");
    }
    // Access key ids appear masked only.
    assert!(
        !logs.contains("LTAIprofile1") && logs.contains("LTA***le1"),
        "{logs}"
    );
    assert!(Path::new(&token_file).exists());
}
