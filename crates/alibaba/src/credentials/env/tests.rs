// SPDX-License-Identifier: MPL-2.0
use super::*;

fn cfg(ak: Option<&str>, sk: Option<&str>, tok: Option<&str>) -> CredentialConfig {
    CredentialConfig {
        access_key: ak.map(str::to_string),
        secret_key: sk.map(str::to_string),
        security_token: tok.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn precedence_cases() {
    type Case<'a> = (
        &'a str,
        CredentialConfig,
        Vec<(&'a str, &'a str)>,
        Option<(&'a str, &'a str, Option<&'a str>, &'a str)>,
    );
    let cases: Vec<Case> = vec![
        ("nothing", cfg(None, None, None), vec![], None),
        (
            "attributes",
            cfg(Some("a-id"), Some("a-sk"), Some("a-tok")),
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "e-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e-sk"),
            ],
            Some(("a-id", "a-sk", Some("a-tok"), "the configured AccessKey")),
        ),
        (
            "empty attributes fall through",
            cfg(Some(""), Some(""), None),
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "e-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e-sk"),
            ],
            Some((
                "e-id",
                "e-sk",
                None,
                "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
            )),
        ),
        (
            "new env names with token",
            cfg(None, None, None),
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "e-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e-sk"),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", "e-tok"),
            ],
            Some((
                "e-id",
                "e-sk",
                Some("e-tok"),
                "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)",
            )),
        ),
        (
            "legacy names win over new ones",
            cfg(None, None, None),
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "new-id"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "new-sk"),
                ("ALICLOUD_ACCESS_KEY", "old-id"),
                ("ALICLOUD_SECRET_KEY", "old-sk"),
            ],
            Some((
                "old-id",
                "old-sk",
                None,
                "environment (ALICLOUD_ACCESS_KEY)",
            )),
        ),
        (
            "attribute key id with secret from env",
            cfg(Some("a-id"), None, None),
            vec![("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e-sk")],
            Some((
                "a-id",
                "e-sk",
                None,
                "the configured AccessKey id + environment (ALIBABA_CLOUD_ACCESS_KEY_SECRET)",
            )),
        ),
    ];
    for (name, config, vars, want) in cases {
        let got = static_keys(&config, &Environment::from_pairs(vars)).unwrap();
        let got = got.map(|f| {
            (
                f.credentials.access_key_id,
                f.credentials.access_key_secret,
                f.credentials.security_token,
                f.source,
            )
        });
        let want = want.map(|(a, b, c, d)| {
            (
                a.to_string(),
                b.to_string(),
                c.map(str::to_string),
                d.to_string(),
            )
        });
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn half_pair_cases() {
    let cases = [
        (
            "env id only",
            cfg(None, None, None),
            vec![("ALIBABA_CLOUD_ACCESS_KEY_ID", "x")],
            "the configured AccessKey secret is missing",
        ),
        (
            "env secret only",
            cfg(None, None, None),
            vec![("ALICLOUD_SECRET_KEY", "SECRETX")],
            "the configured AccessKey id is missing",
        ),
        (
            "attribute id only",
            cfg(Some("x"), None, None),
            vec![],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
    ];
    for (name, config, vars, want) in cases {
        let err = static_keys(&config, &Environment::from_pairs(vars))
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("SECRETX"), "{name}: {err}");
    }
}
