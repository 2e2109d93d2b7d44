// SPDX-License-Identifier: MPL-2.0
//! Tests of the provider block: schema hygiene and configure with unknown and known values
//! (the environment comes from `Environment::from_pairs`; no network is involved).

use std::collections::BTreeMap;

use super::*;
use crate::protocol::{Block, Severity};
use crate::value::{Type, Value};

/// A provider block of the schema's type: every attribute null, every block absent (an empty
/// list, as Terraform sends it), then `set` applied.
fn block_value(set: &[(&str, Value)]) -> Value {
    let Type::Object(attrs) = schema::provider_schema().block.implied_type() else {
        panic!("the provider schema is an object");
    };
    let mut fields: BTreeMap<String, Value> = attrs
        .into_iter()
        .map(|(name, ty)| {
            let v = match &ty {
                Type::List(elem) => Value::list((**elem).clone(), vec![]),
                _ => Value::null(ty.clone()),
            };
            (name, v)
        })
        .collect();
    for (name, v) in set {
        fields.insert(name.to_string(), v.clone());
    }
    Value::object(fields)
}

async fn configure(env: &[(&str, &str)], config: Value) -> ConfigureResponse<ProviderData> {
    let provider = EhpcProvider {
        env: Some(Environment::from_pairs(env.iter().copied())),
    };
    let mut resp = ConfigureResponse::default();
    let req = ConfigureRequest {
        terraform_version: "1.11.4".into(),
        config,
    };
    provider.configure(req, &mut resp).await;
    resp
}

fn walk(block: &Block, prefix: &str, out: &mut Vec<(String, bool, bool)>) {
    for a in &block.attributes {
        out.push((
            format!("{prefix}{}", a.name),
            a.description.is_empty(),
            a.sensitive,
        ));
    }
    for nb in &block.block_types {
        out.push((
            format!("{prefix}{}", nb.type_name),
            nb.block.description.is_empty(),
            false,
        ));
        walk(&nb.block, &format!("{prefix}{}.", nb.type_name), out);
    }
}

#[test]
fn every_attribute_is_described_and_secrets_are_sensitive() {
    let mut attrs = Vec::new();
    walk(&schema::provider_schema().block, "", &mut attrs);
    let undescribed: Vec<&str> = attrs.iter().filter(|a| a.1).map(|a| a.0.as_str()).collect();
    assert_eq!(undescribed, Vec::<&str>::new());
    let sensitive: Vec<&str> = attrs.iter().filter(|a| a.2).map(|a| a.0.as_str()).collect();
    assert_eq!(
        sensitive,
        [
            "secret_key",
            "security_token",
            "assume_role_with_oidc.oidc_token"
        ]
    );
}

#[tokio::test]
async fn unknown_values_never_fail_configure() {
    let unknown_key = ("access_key", Value::unknown(Type::String));
    let cases = [
        (
            "unknown region",
            vec![("region", Value::unknown(Type::String))],
            vec![],
            Attr::Unknown,
        ),
        (
            "region from env",
            vec![unknown_key.clone()],
            vec![("ALIBABA_CLOUD_REGION", "cn-beijing")],
            Attr::Known("cn-beijing".to_string()),
        ),
        (
            "known region",
            vec![
                unknown_key.clone(),
                ("region", Value::string("cn-hangzhou")),
            ],
            vec![],
            Attr::Known("cn-hangzhou".to_string()),
        ),
        (
            "region only in a profile",
            vec![unknown_key.clone()],
            vec![],
            Attr::Unknown,
        ),
    ];
    for (name, set, env, want_region) in cases {
        let resp = configure(&env, block_value(&set)).await;
        assert_eq!(resp.diagnostics, Diagnostics::default(), "{name}");
        let data = resp.data.unwrap_or_else(|| panic!("{name}: no data"));
        assert_eq!(data.region(), &want_region, "{name}");
        assert!(data.client().is_none(), "{name}: no client while planning");
    }
}

#[tokio::test]
async fn known_values_build_a_client() {
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexampleKeyId"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "example-secret"),
        ("ALICLOUD_REGION", "cn-shanghai"),
        ("ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT", "http://127.0.0.1:9"),
    ];
    let resp = configure(&env, block_value(&[])).await;
    assert!(!resp.diagnostics.has_errors(), "{:?}", resp.diagnostics);
    let data = resp.data.unwrap_or_else(|| panic!("no data"));
    assert_eq!(data.region(), &Attr::Known("cn-shanghai".to_string()));
    let client = data.client().unwrap_or_else(|| panic!("no client"));
    // Configure (also run by every `terraform plan`) must not pay for loading root
    // certificates: the one HTTP client is built at the first request.
    let shown = format!("{client:?}");
    assert!(
        shown.contains("built: false"),
        "HTTP client built at configure: {shown}"
    );
    let user_agent = format!(
        "user_agent: \"terraform-provider-ehpc/{} Terraform/1.11.4\"",
        crate::VERSION
    );
    assert!(shown.contains(&user_agent), "{shown}");
}

#[tokio::test]
async fn missing_region_is_an_error_at_region() {
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexampleKeyId"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
    ];
    let resp = configure(&env, block_value(&[])).await;
    assert!(resp.data.is_none());
    let errors: Vec<_> = resp
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].attribute,
        Some(crate::value::AttributePath::attribute("region"))
    );
    assert!(
        errors[0].detail.contains("ALIBABA_CLOUD_REGION"),
        "{}",
        errors[0].detail
    );
}

#[tokio::test]
async fn validate_reports_bad_endpoint_urls_at_their_path() {
    let endpoints = Value::list(
        Type::object([("ehpcinstant", Type::String), ("sts", Type::String)]),
        vec![Value::object(BTreeMap::from([
            ("ehpcinstant".to_string(), Value::string("not a url")),
            ("sts".to_string(), Value::unknown(Type::String)),
        ]))],
    );
    let mut resp = ValidateResponse::default();
    let req = ValidateRequest {
        config: block_value(&[("endpoints", endpoints)]),
    };
    EhpcProvider::new().validate_config(req, &mut resp).await;
    let paths: Vec<String> = resp
        .diagnostics
        .iter()
        .filter_map(|d| d.attribute.as_ref().map(|p| p.to_string()))
        .collect();
    assert_eq!(paths, ["endpoints[0].ehpcinstant"]);
}

#[test]
fn user_agents() {
    let base = format!("terraform-provider-ehpc/{}", crate::VERSION);
    let cases = [
        ("no terraform version", "", base.clone()),
        ("blank terraform version", "  ", base.clone()),
        (
            "terraform version",
            "1.11.4",
            format!("{base} Terraform/1.11.4"),
        ),
    ];
    for (name, version, want) in cases {
        assert_eq!(user_agent(version), want, "{name}");
    }
}
