// SPDX-License-Identifier: MPL-2.0
//! Upgrade, read, import and StopProvider.

use std::sync::Arc;

use tokio::sync::Notify;

use super::*;

fn upgrade_req(version: i64, json: &str) -> UpgradeResourceStateRequest {
    UpgradeResourceStateRequest {
        type_name: TYPE_NAME.to_string(),
        version,
        raw_state: Some(RawState {
            json: json.as_bytes().to_vec(),
            ..RawState::default()
        }),
    }
}

#[tokio::test]
async fn upgrade_resource_state() {
    // NOTE(protocol): state read from the state file arrives indented.
    let indented = "{\n  \"description\": null,\n  \"id\": \"i-1\",\n  \"name\": \"a\",\n  \"region\": \"eu\",\n  \"tags\": [\"x\"],\n  \"timeouts\": null\n}";
    let want = obj(&[
        ("id", s("i-1")),
        ("name", s("a")),
        ("region", s("eu")),
        ("tags", Value::set(Type::String, vec![s("x")])),
    ]);
    let from_v0 = want.clone();
    let hooks = Hooks {
        upgrade: Some(Box::new(move |req, resp| {
            if req.json.get("legacy_name").is_some() {
                resp.state = from_v0.clone();
            }
        })),
        ..Hooks::default()
    };
    let (engine, calls) = new_engine(hooks);

    let current = engine
        .upgrade_resource_state(upgrade_req(1, indented))
        .await;
    assert_eq!(current.diagnostics, Diagnostics::default());
    assert_eq!(decoded(current.upgraded_state.as_ref()), want);
    assert!(
        called(&calls).is_empty(),
        "the current version needs no resource code"
    );

    let older = engine
        .upgrade_resource_state(upgrade_req(0, r#"{"legacy_name":"a"}"#))
        .await;
    assert_eq!(older.diagnostics, Diagnostics::default());
    assert_eq!(decoded(older.upgraded_state.as_ref()), want);
    assert_eq!(called(&calls), vec!["upgrade"]);

    let unfinished = engine
        .upgrade_resource_state(upgrade_req(0, r#"{"other":1}"#))
        .await;
    let want = vec![(
        "Provider produced an invalid upgraded state".to_string(),
        None,
    )];
    assert_eq!(errors(&unfinished.diagnostics), want);
    assert!(unfinished.upgraded_state.is_none());

    let newer = engine
        .upgrade_resource_state(upgrade_req(2, indented))
        .await;
    let summaries = errors(&newer.diagnostics);
    assert_eq!(
        summaries,
        vec![(
            "Resource state written by a newer provider version".to_string(),
            None
        )]
    );

    let flatmap = UpgradeResourceStateRequest {
        type_name: TYPE_NAME.to_string(),
        version: 1,
        raw_state: Some(RawState {
            json: Vec::new(),
            flatmap: [("id".to_string(), "i-1".to_string())].into(),
        }),
    };
    let legacy = engine.upgrade_resource_state(flatmap).await;
    assert_eq!(
        errors(&legacy.diagnostics),
        vec![("Unsupported state format".to_string(), None)]
    );
}

#[tokio::test]
async fn read_echoes_private_and_rejects_unknown_results() {
    struct Case {
        name: &'static str,
        edit: fn(&mut ReadResponse),
        want_state: Value,
        want_private: &'static [u8],
        want_errors: Vec<(String, Option<AttributePath>)>,
    }
    let state = || obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
    let cases = [
        Case {
            name: "untouched",
            edit: |_| {},
            want_state: state(),
            want_private: b"p",
            want_errors: vec![],
        },
        Case {
            name: "drift and new private",
            edit: |r| {
                r.state.set_attr("region", s("us"));
                r.private = b"q".to_vec();
            },
            want_state: obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("us"))]),
            want_private: b"q",
            want_errors: vec![],
        },
        Case {
            name: "gone",
            edit: |r| r.state = Value::null(ty()),
            want_state: Value::null(ty()),
            want_private: b"p",
            want_errors: vec![],
        },
        Case {
            name: "unknown result keeps the current state",
            edit: |r| r.state.set_attr("region", unknown()),
            want_state: state(),
            want_private: b"p",
            want_errors: vec![(
                "Provider produced an invalid state after refresh".to_string(),
                Some(path("region")),
            )],
        },
    ];
    for case in cases {
        let edit = case.edit;
        let (engine, _) = configured(Hooks {
            read: Some(Box::new(move |_, r| edit(r))),
            ..Hooks::default()
        })
        .await;
        let req = ReadResourceRequest {
            type_name: TYPE_NAME.to_string(),
            current_state: Some(dv(&state())),
            private: b"p".to_vec(),
            ..Default::default()
        };
        let resp = engine.read_resource(req).await;
        assert_eq!(errors(&resp.diagnostics), case.want_errors, "{}", case.name);
        assert_eq!(
            decoded(resp.new_state.as_ref()),
            case.want_state,
            "{}",
            case.name
        );
        assert_eq!(resp.private, case.want_private, "{}", case.name);
    }
}

#[tokio::test]
async fn import_returns_one_wholly_known_resource() {
    let imported = obj(&[("id", s("i-7")), ("name", s("a")), ("region", s("eu"))]);
    let for_hook = imported.clone();
    let hooks = Hooks {
        import: Some(Box::new(move |req, resp| {
            assert!(resp.state.is_null(), "import starts from a null state");
            if req.id == "i-7" {
                resp.state = for_hook.clone();
                resp.private = b"imp".to_vec();
            } else {
                resp.state = obj(&[("id", unknown())]);
            }
        })),
        ..Hooks::default()
    };
    let (engine, _) = configured(hooks).await;
    let import = |id: &str| ImportResourceStateRequest {
        type_name: TYPE_NAME.to_string(),
        id: id.to_string(),
    };
    let ok = engine.import_resource_state(import("i-7")).await;
    assert_eq!(ok.diagnostics, Diagnostics::default());
    assert_eq!(ok.imported_resources.len(), 1);
    assert_eq!(ok.imported_resources[0].type_name, TYPE_NAME);
    assert_eq!(ok.imported_resources[0].private, b"imp".to_vec());
    assert_eq!(decoded(ok.imported_resources[0].state.as_ref()), imported);

    let bad = engine.import_resource_state(import("other")).await;
    let want = vec![(
        "Provider produced an invalid imported state".to_string(),
        Some(path("id")),
    )];
    assert_eq!(errors(&bad.diagnostics), want);
    assert!(bad.imported_resources.is_empty());
}

#[tokio::test]
async fn stop_provider_cancels_in_flight_requests_only() {
    let started = Arc::new(Notify::new());
    let later_token = Arc::new(std::sync::Mutex::new(None));
    let record = later_token.clone();
    let hooks = Hooks {
        read_waits_for_stop: Some(started.clone()),
        create: Some(Box::new(move |req, resp| {
            *record.lock().expect("lock") = Some(req.cancel.is_cancelled());
            resp.state = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
        })),
        ..Hooks::default()
    };
    let (engine, _) = configured(hooks).await;
    let engine = Arc::new(engine);
    let state = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
    let read = ReadResourceRequest {
        type_name: TYPE_NAME.to_string(),
        current_state: Some(dv(&state)),
        ..Default::default()
    };
    let in_flight = tokio::spawn({
        let engine = engine.clone();
        async move { engine.read_resource(read).await }
    });
    started.notified().await;
    assert_eq!(engine.stop_provider(), StopProviderResponse::default());
    let read = in_flight.await.expect("read task");
    assert_eq!(
        errors(&read.diagnostics),
        vec![("Cancelled".to_string(), None)]
    );

    let plan = obj(&[("id", unknown()), ("name", s("a")), ("region", unknown())]);
    let create = ApplyResourceChangeRequest {
        type_name: TYPE_NAME.to_string(),
        planned_state: Some(dv(&plan)),
        config: Some(dv(&obj(&[("name", s("a"))]))),
        ..Default::default()
    };
    let created = engine.apply_resource_change(create).await;
    assert_eq!(created.diagnostics, Diagnostics::default());
    assert_eq!(
        *later_token.lock().expect("lock"),
        Some(false),
        "a later request gets a fresh token"
    );
}
