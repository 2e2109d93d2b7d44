// SPDX-License-Identifier: MPL-2.0
//! Data sources: schema and metadata, validation, and the rules every read obeys (known
//! configuration only, result of the schema's type, wholly known, configuration echoed).

use super::*;

const INVALID: &str = "Provider produced an invalid data source result";

/// A data source object: `name = "a"` and every other attribute null except `fields`.
fn data(fields: &[(&str, Value)]) -> Value {
    let mut all = vec![("name", s("a"))];
    all.extend(fields.iter().cloned());
    object_of(data_ty(), &all)
}

fn versions(items: Vec<Value>) -> Value {
    Value::list(Type::String, items)
}

/// The object the default read returns for `data(&[])`.
fn read_result() -> Value {
    data(&[
        ("id", s("id-1")),
        ("region", s("region-1")),
        ("versions", versions(vec![s("1.0")])),
    ])
}

fn read_req(config: &Value) -> ReadDataSourceRequest {
    ReadDataSourceRequest {
        type_name: DATA_TYPE_NAME.to_string(),
        config: Some(dv_of(config, &data_ty())),
        provider_meta: None,
    }
}

fn read_hook(
    f: impl Fn(ReadDataRequest<TestData>, &mut ReadDataResponse) + Send + Sync + 'static,
) -> DataHooks {
    DataHooks {
        read: Some(Box::new(f)),
        ..DataHooks::default()
    }
}

/// Reads `data(&[])` with `hooks` and returns the response.
async fn read_with(hooks: DataHooks) -> ReadDataSourceResponse {
    let (engine, _) = data_engine(hooks, true).await;
    engine.read_data_source(read_req(&data(&[]))).await
}

#[tokio::test]
async fn schema_and_metadata_advertise_data_sources() {
    let (engine, _) = data_engine(DataHooks::default(), false).await;
    let schema = engine.get_provider_schema();
    assert_eq!(
        schema.data_source_schemas.keys().collect::<Vec<_>>(),
        [DATA_TYPE_NAME]
    );
    assert_eq!(
        schema.data_source_schemas[DATA_TYPE_NAME],
        data_source_schema()
    );
    assert_eq!(
        schema.resource_schemas.keys().collect::<Vec<_>>(),
        [TYPE_NAME]
    );
    assert_eq!(schema.diagnostics, Diagnostics::default());
    let meta = engine.get_metadata();
    assert_eq!(meta.data_sources, vec![DATA_TYPE_NAME.to_string()]);
    assert_eq!(meta.resources, vec![TYPE_NAME.to_string()]);
}

#[tokio::test]
async fn happy_path_reads_the_known_config_and_returns_the_result() {
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let hooks = read_hook(move |req, resp| {
        *record.lock().expect("lock") = Some((req.config.clone(), resp.state.clone()));
        resp.state.set_attr("id", s("id-1"));
        resp.state.set_attr("region", s("region-1"));
        resp.state.set_attr("versions", versions(vec![s("1.0")]));
    });
    let (engine, calls) = data_engine(hooks, true).await;
    let resp = engine.read_data_source(read_req(&data(&[]))).await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    let state = resp.state.as_ref().map(|dv| dv.decode(&data_ty()));
    assert_eq!(state.map(|s| s.ok()), Some(Some(read_result())));
    assert_eq!(called(&calls), ["data_read"]);

    // The read saw the config, and a response whose computed attributes start unknown.
    let (config, prefilled) = seen.lock().expect("lock").clone().expect("read ran");
    assert_eq!(config, data(&[]));
    let unknown_list = Value::unknown(Type::List(Box::new(Type::String)));
    let want = data(&[
        ("id", unknown()),
        ("region", unknown()),
        ("versions", unknown_list),
    ]);
    assert_eq!(prefilled, want);
}

#[tokio::test]
async fn configured_optional_computed_value_is_kept_and_computed_null_is_allowed() {
    let hooks = read_hook(|_, resp| {
        resp.state.set_attr("id", Value::null(Type::String));
        resp.state.set_attr("versions", versions(vec![]));
    });
    let (engine, _) = data_engine(hooks, true).await;
    let config = data(&[("region", s("eu"))]);
    let resp = engine.read_data_source(read_req(&config)).await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    let want = data(&[("region", s("eu")), ("versions", versions(vec![]))]);
    let got = resp.state.map(|dv| dv.decode(&data_ty()).expect("decodes"));
    assert_eq!(got, Some(want));
}

#[tokio::test]
async fn missing_computed_values_are_a_provider_bug_naming_each_attribute() {
    let resp = read_with(read_hook(|_, _| {})).await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![
            (INVALID.to_string(), Some(path("region"))),
            (INVALID.to_string(), Some(path("id"))),
            (INVALID.to_string(), Some(path("versions"))),
        ]
    );
    let detail = &resp.diagnostics.0[1].detail;
    assert!(detail.contains("test_lookup is invalid at id"), "{detail}");
    assert!(detail.contains("did not set it"), "{detail}");
    assert!(detail.contains("bug in the provider"), "{detail}");
    assert_eq!(resp.state, None, "no inconsistent result is returned");
}

#[tokio::test]
async fn unknown_values_in_the_result_are_a_provider_bug() {
    let resp = read_with(read_hook(|_, resp| {
        resp.state.set_attr("id", s("id-1"));
        resp.state.set_attr("region", s("r"));
        resp.state
            .set_attr("versions", versions(vec![s("1.0"), unknown()]));
    }))
    .await;
    let at = path("versions").index(1);
    assert_eq!(
        errors(&resp.diagnostics),
        vec![(INVALID.to_string(), Some(at))]
    );
    assert!(resp.diagnostics.0[0]
        .detail
        .contains("unknown after the read"));
    assert_eq!(resp.state, None);
}

#[tokio::test]
async fn a_changed_configuration_value_is_a_provider_bug() {
    let resp = read_with(read_hook(|_, resp| {
        resp.state = read_result();
        resp.state.set_attr("name", s("A"));
        resp.state.set_attr("filter", s("invented"));
    }))
    .await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![
            (INVALID.to_string(), Some(path("name"))),
            (INVALID.to_string(), Some(path("filter"))),
        ]
    );
    assert!(resp.diagnostics.0[0]
        .detail
        .contains("changed the configured value"));
    assert_eq!(resp.state, None);
}

#[tokio::test]
async fn a_result_of_another_type_is_a_provider_bug() {
    let resp = read_with(read_hook(|_, resp| {
        let mut fields = read_result().fields().cloned().unwrap_or_default();
        fields.remove("versions");
        resp.state = Value::object(fields);
    }))
    .await;
    let errs = errors(&resp.diagnostics);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, INVALID);
    let detail = &resp.diagnostics.0[0].detail;
    assert!(detail.contains("does not match the schema"), "{detail}");
    assert!(detail.contains("bug in the provider"), "{detail}");
    assert_eq!(resp.state, None);

    let resp = read_with(read_hook(|_, resp| {
        resp.state = Value::null(data_ty());
    }))
    .await;
    let root = AttributePath::root();
    assert_eq!(
        errors(&resp.diagnostics),
        vec![(INVALID.to_string(), Some(root))]
    );
}

#[tokio::test]
async fn an_unknown_configuration_is_never_read() {
    let (engine, calls) = data_engine(DataHooks::default(), true).await;
    let resp = engine
        .read_data_source(read_req(&data(&[("filter", unknown())])))
        .await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![(
            "Data source configuration not yet known".to_string(),
            Some(path("filter"))
        )]
    );
    assert!(resp.diagnostics.0[0].detail.contains("test_lookup"));
    assert_eq!(resp.state, None);
    assert!(called(&calls).is_empty(), "read must not run");
}

#[tokio::test]
async fn read_diagnostics_pass_through_with_paths_and_no_state() {
    let resp = read_with(read_hook(|_, resp| {
        resp.state = read_result();
        resp.diagnostics.warning("Slow API", "took a while");
        resp.diagnostics
            .attribute_error(path("name"), "No such app", "nothing is named a");
    }))
    .await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("No such app".to_string(), Some(path("name")))]
    );
    assert_eq!(resp.diagnostics.0.len(), 2, "the warning is kept");
    assert_eq!(resp.state, None);
}

#[tokio::test]
async fn validate_passes_the_config_and_diagnostics_with_paths() {
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let hooks = DataHooks {
        validate: Some(Box::new(move |req, resp| {
            *record.lock().expect("lock") = Some(req.config);
            resp.diagnostics
                .attribute_error(path("filter"), "Bad filter", "filters look like k=v");
            resp.diagnostics.warning("Deprecated", "use name");
        })),
        ..DataHooks::default()
    };
    // Validation needs no configured provider, and config unknowns reach it untouched.
    let (engine, calls) = data_engine(hooks, false).await;
    let config = data(&[("filter", unknown())]);
    let resp = engine
        .validate_data_resource_config(ValidateDataResourceConfigRequest {
            type_name: DATA_TYPE_NAME.to_string(),
            config: Some(dv_of(&config, &data_ty())),
        })
        .await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Bad filter".to_string(), Some(path("filter")))]
    );
    assert_eq!(resp.diagnostics.0.len(), 2);
    assert_eq!(seen.lock().expect("lock").clone(), Some(config));
    assert_eq!(called(&calls), ["data_validate"]);
}

#[tokio::test]
async fn unknown_data_source_types_are_named_in_an_error() {
    let (engine, calls) = data_engine(DataHooks::default(), true).await;
    // A resource type name is not a data source type name.
    for name in ["test_nope", TYPE_NAME] {
        let validate = engine
            .validate_data_resource_config(ValidateDataResourceConfigRequest {
                type_name: name.to_string(),
                config: None,
            })
            .await
            .diagnostics;
        let read = engine
            .read_data_source(ReadDataSourceRequest {
                type_name: name.to_string(),
                ..Default::default()
            })
            .await
            .diagnostics;
        for diagnostics in [validate, read] {
            assert_eq!(
                errors(&diagnostics),
                vec![("Unknown data source type".to_string(), None)],
                "{name}"
            );
            assert!(diagnostics.0[0].detail.contains(name), "{name}");
        }
    }
    assert!(called(&calls).is_empty());
}

#[tokio::test]
async fn read_before_configure_is_the_resource_error_and_bad_bytes_are_rejected() {
    let (engine, calls) = data_engine(DataHooks::default(), false).await;
    let resp = engine.read_data_source(read_req(&data(&[]))).await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Provider not configured".to_string(), None)]
    );
    assert!(resp.diagnostics.0[0].detail.contains("bug in Terraform"));

    // A msgpack string where the schema wants an object.
    let garbage = ReadDataSourceRequest {
        type_name: DATA_TYPE_NAME.to_string(),
        config: Some(DynamicValue {
            msgpack: vec![0xa1, b'x'],
            json: Vec::new(),
        }),
        provider_meta: None,
    };
    let resp = engine.read_data_source(garbage).await;
    let errs = errors(&resp.diagnostics);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "Invalid data source configuration value");

    let absent = ReadDataSourceRequest {
        type_name: DATA_TYPE_NAME.to_string(),
        ..Default::default()
    };
    let resp = engine.read_data_source(absent).await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Missing data source configuration".to_string(), None)]
    );
    assert!(called(&calls).is_empty());
}

#[tokio::test]
async fn stop_provider_cancels_an_in_flight_read() {
    let started = Arc::new(Notify::new());
    let hooks = DataHooks {
        read_waits_for_stop: Some(started.clone()),
        ..DataHooks::default()
    };
    let (engine, _) = data_engine(hooks, true).await;
    let engine = Arc::new(engine);
    let in_flight = tokio::spawn({
        let engine = engine.clone();
        async move { engine.read_data_source(read_req(&data(&[]))).await }
    });
    started.notified().await;
    assert_eq!(engine.stop_provider(), StopProviderResponse::default());
    let resp = in_flight.await.expect("read task");
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Cancelled".to_string(), None)]
    );
    assert_eq!(resp.state, None);
}
