// SPDX-License-Identifier: MPL-2.0
//! Schema, unknown type names, malformed input, configure and validate.

use super::*;

#[tokio::test]
async fn schema_and_metadata_advertise_resources_and_capabilities() {
    let (engine, _) = new_engine(Hooks::default());
    let schema = engine.get_provider_schema();
    assert_eq!(
        schema.resource_schemas.keys().collect::<Vec<_>>(),
        [TYPE_NAME]
    );
    assert_eq!(schema.resource_schemas[TYPE_NAME], resource_schema());
    assert!(schema.server_capabilities.plan_destroy);
    assert!(schema.server_capabilities.get_provider_schema_optional);
    assert_eq!(schema.diagnostics, Diagnostics::default());
    let meta = engine.get_metadata();
    assert_eq!(meta.resources, vec![TYPE_NAME.to_string()]);
    assert_eq!(meta.server_capabilities, schema.server_capabilities);
}

#[tokio::test]
async fn unknown_type_names_are_named_in_an_error() {
    let (engine, _) = configured(Hooks::default()).await;
    let t = || "test_nope".to_string();
    let all = [
        engine
            .validate_resource_config(ValidateResourceConfigRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
        engine
            .upgrade_resource_state(UpgradeResourceStateRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
        engine
            .read_resource(ReadResourceRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
        engine
            .plan_resource_change(PlanResourceChangeRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
        engine
            .apply_resource_change(ApplyResourceChangeRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
        engine
            .import_resource_state(ImportResourceStateRequest {
                type_name: t(),
                ..Default::default()
            })
            .await
            .diagnostics,
    ];
    for (i, diagnostics) in all.iter().enumerate() {
        assert_eq!(
            errors(diagnostics),
            vec![("Unknown resource type".to_string(), None)],
            "rpc #{i}"
        );
        assert!(diagnostics.0[0].detail.contains("test_nope"), "rpc #{i}");
    }
}

#[tokio::test]
async fn malformed_values_become_diagnostics() {
    let bytes = |b: &[u8]| {
        Some(DynamicValue {
            msgpack: b.to_vec(),
            json: Vec::new(),
        })
    };
    struct Case {
        name: &'static str,
        prior: Option<DynamicValue>,
        want: &'static str,
    }
    let cases = [
        Case {
            name: "truncated array header",
            prior: bytes(&[0xdc, 0x00]),
            want: "Invalid prior state value",
        },
        Case {
            name: "truncated map",
            prior: bytes(&[0x85, 0xa2, b'i']),
            want: "Invalid prior state value",
        },
        Case {
            name: "string instead of object",
            prior: bytes(&[0xa1, b'x']),
            want: "Invalid prior state value",
        },
        Case {
            name: "bad JSON fallback",
            prior: Some(DynamicValue {
                msgpack: Vec::new(),
                json: b"{".to_vec(),
            }),
            want: "Invalid prior state value",
        },
    ];
    for case in cases {
        let (engine, calls) = configured(Hooks::default()).await;
        let config = obj(&[("name", s("a"))]);
        let req = PlanResourceChangeRequest {
            type_name: TYPE_NAME.to_string(),
            prior_state: case.prior,
            proposed_new_state: Some(dv(&config)),
            config: Some(dv(&config)),
            ..Default::default()
        };
        let resp = engine.plan_resource_change(req).await;
        let summaries: Vec<_> = errors(&resp.diagnostics)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(summaries, vec![case.want.to_string()], "{}", case.name);
        assert!(resp.planned_state.is_none(), "{}", case.name);
        assert!(
            called(&calls).is_empty(),
            "{}: the resource must not run",
            case.name
        );
    }
}

#[tokio::test]
async fn resource_calls_before_configure_are_rejected() {
    let (engine, calls) = new_engine(Hooks::default());
    let config = obj(&[("name", s("a"))]);
    let req = PlanResourceChangeRequest {
        type_name: TYPE_NAME.to_string(),
        proposed_new_state: Some(dv(&config)),
        config: Some(dv(&config)),
        ..Default::default()
    };
    let resp = engine.plan_resource_change(req).await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Provider not configured".to_string(), None)]
    );
    assert!(resp.diagnostics.0[0].detail.contains("bug in Terraform"));
    assert!(called(&calls).is_empty());
}

#[tokio::test]
async fn configure_is_replaceable_and_failures_store_nothing() {
    let (engine, _) = new_engine(Hooks::default());
    let endpoint = |v: Value| {
        let ty = engine.get_provider_schema().provider.block.implied_type();
        let v = Value::object([("endpoint".to_string(), v)].into());
        Some(DynamicValue {
            msgpack: msgpack::encode(&v, &ty).expect("encodes"),
            json: Vec::new(),
        })
    };
    let configure = |config| ConfigureProviderRequest {
        config,
        ..Default::default()
    };
    let failed = engine
        .configure_provider(configure(endpoint(s("fail"))))
        .await;
    assert_eq!(
        errors(&failed.diagnostics),
        vec![("Invalid endpoint".to_string(), None)]
    );
    assert!(engine.data().is_err(), "a failed configure stores nothing");
    // NOTE(protocol): during plan the provider block may be unknown; configure must succeed.
    let unknown = engine
        .configure_provider(configure(endpoint(Value::unknown(Type::String))))
        .await;
    assert_eq!(unknown.diagnostics, Diagnostics::default());
    let again = engine
        .configure_provider(configure(endpoint(s("https://x"))))
        .await;
    assert_eq!(again.diagnostics, Diagnostics::default());
    assert!(engine.data().is_ok());
}

#[tokio::test]
async fn validate_passes_the_decoded_config_to_the_resource() {
    let hooks = Hooks {
        validate: Some(Box::new(|req, resp| {
            if req.config.attr("description").and_then(Value::as_str) == Some("bad") {
                resp.diagnostics
                    .attribute_error(path("description"), "Bad description", "test");
            }
        })),
        ..Hooks::default()
    };
    let (engine, _) = new_engine(hooks);
    let validate = |v: Value| ValidateResourceConfigRequest {
        type_name: TYPE_NAME.to_string(),
        config: Some(dv(&v)),
        write_only_allowed: true,
    };
    let good = engine
        .validate_resource_config(validate(obj(&[("name", unknown())])))
        .await;
    assert_eq!(good.diagnostics, Diagnostics::default());
    let bad = engine
        .validate_resource_config(validate(obj(&[("description", s("bad"))])))
        .await;
    assert_eq!(
        errors(&bad.diagnostics),
        vec![("Bad description".to_string(), Some(path("description")))]
    );
}
