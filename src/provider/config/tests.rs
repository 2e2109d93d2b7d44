// SPDX-License-Identifier: MPL-2.0
//! Tests of the provider block model: region precedence (attribute, environment, profile),
//! client settings, credential attributes and endpoint URLs, with `Environment::from_pairs`.

use super::*;

fn env(pairs: &[(&str, &str)]) -> Environment {
    Environment::from_pairs(pairs.iter().copied())
}

fn region_attr(r: Option<&str>) -> ProviderConfig {
    ProviderConfig {
        region: r.map_or(Attr::Null, |r| Attr::Known(r.to_string())),
        ..ProviderConfig::default()
    }
}

/// The region, or a fragment of the error detail.
type Expected<'a> = Result<&'a str, &'a str>;

#[test]
fn region_precedence() {
    let both = [
        ("ALIBABA_CLOUD_REGION", "cn-beijing"),
        ("ALICLOUD_REGION", "cn-shanghai"),
    ];
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Vec<(&'a str, &'a str)>,
        Option<&'a str>,
        Expected<'a>,
    );
    let cases: Vec<Case> = vec![
        ("attribute wins", Some("cn-hangzhou"), both.to_vec(), Some("ap-southeast-1"), Ok("cn-hangzhou")),
        ("legacy env before new, as alicloud", None, both.to_vec(), Some("ap-southeast-1"), Ok("cn-shanghai")),
        ("legacy env", None, vec![("ALICLOUD_REGION", "cn-shanghai")], Some("ap-southeast-1"), Ok("cn-shanghai")),
        ("empty env ignored", None, vec![("ALIBABA_CLOUD_REGION", "")], Some("ap-southeast-1"), Ok("ap-southeast-1")),
        ("profile last", None, vec![], Some("ap-southeast-1"), Ok("ap-southeast-1")),
        ("nowhere", None, vec![], None, Err("ALICLOUD_REGION and ALIBABA_CLOUD_REGION, and the `region_id` of the aliyun CLI profile")),
        ("bad env region", None, vec![("ALIBABA_CLOUD_REGION", "Beijing")], None, Err("\"Beijing\" is not a region id")),
    ];
    for (name, attr, pairs, profile, want) in cases {
        let before = region_attr(attr).region_before_profile(&env(&pairs));
        let got = resolve_region(&before, profile);
        match (got, want) {
            (Ok(region), Ok(want)) => assert_eq!(region, want, "{name}"),
            (Err(d), Err(want)) => {
                assert!(d.detail.contains(want), "{name}: {}", d.detail);
                assert_eq!(
                    d.attribute,
                    Some(AttributePath::attribute("region")),
                    "{name}"
                );
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn unknown_region_attribute_stays_unknown_before_the_profile() {
    let config = ProviderConfig {
        region: Attr::Unknown,
        ..ProviderConfig::default()
    };
    let env = env(&[("ALIBABA_CLOUD_REGION", "cn-beijing")]);
    assert_eq!(config.region_before_profile(&env), Attr::Unknown);
}

#[test]
fn client_settings_defaults_and_values() {
    let defaults = ProviderConfig::default().client_settings();
    assert_eq!(
        defaults,
        ClientSettings {
            max_retries: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
        }
    );
    let set = ProviderConfig {
        max_retries: Attr::Known(0),
        client_connect_timeout: Attr::Known(1500),
        client_read_timeout: Attr::Known(-3),
        ..ProviderConfig::default()
    };
    assert_eq!(
        set.client_settings(),
        ClientSettings {
            max_retries: Some(0),
            connect_timeout: Duration::from_millis(1500),
            read_timeout: Duration::from_secs(60),
        }
    );
}

#[test]
fn credential_config_takes_known_attributes() {
    let config = ProviderConfig {
        access_key: Attr::Known("LTAIexample".into()),
        secret_key: Attr::Known("secret".into()),
        profile: Attr::Null,
        assume_role: Attr::Known(AssumeRoleBlock {
            role_arn: Attr::Known("acs:ram::1:role/r".into()),
            session_expiration: Attr::Known(1800),
            ..AssumeRoleBlock::default()
        }),
        ..ProviderConfig::default()
    };
    let c = config.credential_config();
    assert_eq!(c.access_key.as_deref(), Some("LTAIexample"));
    assert_eq!(c.secret_key.as_deref(), Some("secret"));
    assert_eq!(c.profile, None);
    assert_eq!(
        c.assume_role,
        Some(AssumeRoleConfig {
            role_arn: "acs:ram::1:role/r".into(),
            session_expiration: Some(1800),
            ..AssumeRoleConfig::default()
        })
    );
    assert_eq!(c.assume_role_with_oidc, None);
}

#[test]
fn endpoints_from_block_then_environment() {
    let env = env(&[
        ("ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT", "http://127.0.0.1:1"),
        ("ALIBABA_CLOUD_ENDPOINT_STS", "http://127.0.0.1:2"),
        ("ALIBABA_CLOUD_ENDPOINT_ECS_METADATA", "http://127.0.0.1:3"),
    ]);
    let config = ProviderConfig {
        endpoints: Attr::Known(EndpointsBlock {
            ehpcinstant: Attr::Known("http://127.0.0.1:9".into()),
            sts: Attr::Null,
        }),
        ..ProviderConfig::default()
    };
    let got = config.endpoints(&env).map_err(|d| format!("{d:?}"));
    let urls = got
        .map(|e| [e.ehpcinstant, e.sts, e.ecs_metadata].map(|u| u.map(|u| u.as_str().to_string())));
    assert_eq!(
        urls,
        Ok([
            Some("http://127.0.0.1:9".to_string()),
            Some("http://127.0.0.1:2".to_string()),
            Some("http://127.0.0.1:3".to_string()),
        ])
    );
    assert_eq!(
        ProviderConfig::default().endpoints(&Environment::default()),
        Ok(Endpoints::default())
    );
}

#[test]
fn plain_http_elsewhere_is_refused_where_it_was_written() {
    let env = env(&[
        ("ALIBABA_CLOUD_ENDPOINT_OAUTH", "http://oauth.example.com"),
        // The metadata service has no https: a link-local address is fine.
        (
            "ALIBABA_CLOUD_ENDPOINT_ECS_METADATA",
            "http://169.254.169.254",
        ),
    ]);
    let config = ProviderConfig {
        endpoints: Attr::Known(EndpointsBlock {
            ehpcinstant: Attr::Null,
            sts: Attr::Known("http://sts.example.com:8080".into()),
        }),
        ..ProviderConfig::default()
    };
    let errors = config.endpoints(&env).err().unwrap_or_default();
    let got: Vec<(Option<String>, bool)> = errors
        .iter()
        .map(|d| {
            (
                d.attribute.as_ref().map(|p| p.to_string()),
                d.detail.contains("use https://"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(Some("endpoints[0].sts".to_string()), true), (None, true)]
    );
    assert!(
        errors[0].detail.contains("https://sts.example.com:8080"),
        "{:?}",
        errors[0]
    );
    assert!(errors[1].detail.contains(OAUTH_ENV), "{:?}", errors[1]);
}

#[test]
fn bad_endpoints_are_reported_where_they_came_from() {
    let env = env(&[("ALIBABA_CLOUD_ENDPOINT_STS", "not a url")]);
    let config = ProviderConfig {
        endpoints: Attr::Known(EndpointsBlock {
            ehpcinstant: Attr::Known("ftp://x".into()),
            sts: Attr::Null,
        }),
        ..ProviderConfig::default()
    };
    let errors = config.endpoints(&env).err().unwrap_or_default();
    let places: Vec<(Option<String>, bool)> = errors
        .iter()
        .map(|d| {
            (
                d.attribute.as_ref().map(|p| p.to_string()),
                d.detail.contains(STS_ENV),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (Some("endpoints[0].ehpcinstant".to_string()), false),
            (None, true)
        ]
    );
}

/// The chain's source for `config` in an environment with only HOME (an empty directory), or
/// its error.
async fn resolve_chain(config: &ProviderConfig) -> Result<String, String> {
    use ehpc_alibaba::credentials::{resolve, ResolveContext};
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let env = env(&[("HOME", &home.path().display().to_string())]);
    let http = ehpc_alibaba::HttpClient::new(Duration::from_secs(1), Duration::from_secs(1), "t");
    let ctx = ResolveContext {
        env: &env,
        http: &http,
        endpoints: &Endpoints::default(),
        region: None,
    };
    match resolve(&config.credential_config(), &ctx).await {
        Ok(r) => Ok(r.source),
        Err(e) => Err(e.to_string()),
    }
}

/// The client names no attribute; the provider hands it its attribute names, so that the
/// chain's advice points at what a user writes in the provider block.
#[tokio::test]
async fn credential_errors_name_the_provider_attributes() {
    let key = |v: &str| Attr::Known(v.to_string());
    let oidc = OidcBlock {
        role_arn: key("acs:ram::1:role/ci"),
        oidc_provider_arn: key("acs:ram::1:oidc-provider/gh"),
        ..OidcBlock::default()
    };
    let cases: Vec<(&str, ProviderConfig, &[&str])> = vec![
        (
            "nothing",
            ProviderConfig::default(),
            &[
                "1. the access_key attribute / the secret_key attribute: not set",
                "set the ecs_role_name attribute, ALICLOUD_ECS_ROLE_NAME",
                "(the credentials_uri attribute, ALICLOUD_CREDENTIALS_URI",
                "To fix: set the access_key attribute and the secret_key attribute",
                "(or set the profile attribute / the shared_credentials_file attribute)",
                "in CI, use assume_role_with_oidc.",
            ],
        ),
        (
            "key id only",
            ProviderConfig {
                access_key: key("LTAIexample"),
                ..ProviderConfig::default()
            },
            &["(the access_key attribute) but the secret_key attribute is missing"],
        ),
        (
            "role without ARN",
            ProviderConfig {
                access_key: key("LTAIexample"),
                secret_key: key("secret"),
                assume_role: Attr::Known(AssumeRoleBlock::default()),
                ..ProviderConfig::default()
            },
            &["assume_role.role_arn is required"],
        ),
        (
            "key and OIDC",
            ProviderConfig {
                access_key: key("LTAIexample"),
                assume_role_with_oidc: Attr::Known(oidc.clone()),
                ..ProviderConfig::default()
            },
            &["the access_key attribute / the secret_key attribute and \
               assume_role_with_oidc are both set"],
        ),
        (
            "OIDC without token",
            ProviderConfig {
                assume_role_with_oidc: Attr::Known(oidc),
                ..ProviderConfig::default()
            },
            &["set assume_role_with_oidc.oidc_token or assume_role_with_oidc.oidc_token_file"],
        ),
        (
            "named profile, no file",
            ProviderConfig {
                profile: key("work"),
                ..ProviderConfig::default()
            },
            &[
                "requested by the profile attribute",
                "set the shared_credentials_file attribute",
            ],
        ),
    ];
    for (name, config, wanted) in cases {
        let err = resolve_chain(&config).await.expect_err(name);
        for w in wanted {
            assert!(err.contains(w), "{name}: {w:?} not in {err}");
        }
    }
    let role = ProviderConfig {
        access_key: key("LTAIexample"),
        secret_key: key("secret"),
        assume_role: Attr::Known(AssumeRoleBlock {
            role_arn: key("acs:ram::1:role/r"),
            ..AssumeRoleBlock::default()
        }),
        ..ProviderConfig::default()
    };
    assert_eq!(
        resolve_chain(&role).await.as_deref(),
        Ok("assume_role acs:ram::1:role/r via provider attributes")
    );
}
