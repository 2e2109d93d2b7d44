// SPDX-License-Identifier: MPL-2.0
//! PlanResourceChange: create/update/destroy plans, replace paths, and invalid plans.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::*;
use crate::engine::plan::mark_computed_unknown;

fn plan_req(
    prior: Option<&Value>,
    proposed: Option<&Value>,
    config: Option<&Value>,
) -> PlanResourceChangeRequest {
    PlanResourceChangeRequest {
        type_name: TYPE_NAME.to_string(),
        prior_state: prior.map(dv),
        proposed_new_state: proposed.map(dv),
        config: config.map(dv),
        prior_private: b"prior-private".to_vec(),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_plan_marks_unset_computed_attributes_unknown() {
    struct Case {
        name: &'static str,
        config: Value,
        want: Value,
    }
    let cases = [
        Case {
            name: "unset computed and optional+computed become unknown",
            config: obj(&[("name", s("a"))]),
            want: obj(&[("name", s("a")), ("id", unknown()), ("region", unknown())]),
        },
        Case {
            name: "configured optional+computed is kept",
            config: obj(&[("name", s("a")), ("region", s("eu"))]),
            want: obj(&[("name", s("a")), ("id", unknown()), ("region", s("eu"))]),
        },
        Case {
            name: "nested block without computed attributes is unchanged",
            config: obj(&[("name", s("a")), ("timeouts", timeouts(Some("5m")))]),
            want: obj(&[
                ("name", s("a")),
                ("id", unknown()),
                ("region", unknown()),
                ("timeouts", timeouts(Some("5m"))),
            ]),
        },
    ];
    for case in cases {
        let (engine, calls) = configured(Hooks::default()).await;
        // NOTE(protocol): on create, Terraform's proposed state is the config itself.
        let resp = engine
            .plan_resource_change(plan_req(None, Some(&case.config), Some(&case.config)))
            .await;
        assert_eq!(resp.diagnostics, Diagnostics::default(), "{}", case.name);
        assert_eq!(
            decoded(resp.planned_state.as_ref()),
            case.want,
            "{}",
            case.name
        );
        assert!(resp.requires_replace.is_empty(), "{}", case.name);
        assert_eq!(
            resp.planned_private,
            b"prior-private".to_vec(),
            "{}",
            case.name
        );
        assert_eq!(called(&calls), vec!["modify_plan"], "{}", case.name);
    }
}

#[test]
fn mark_computed_unknown_recurses_into_existing_nested_blocks() {
    let inner = Block {
        attributes: vec![
            Attribute::new("given", Type::String, "").optional(),
            Attribute::new("effective", Type::String, "").computed(),
        ],
        ..Block::default()
    };
    let nested = |name: &str, nesting| NestedBlock {
        type_name: name.to_string(),
        block: inner.clone(),
        nesting,
        min_items: 0,
        max_items: 0,
    };
    let block = Block {
        block_types: vec![
            nested("single", NestingMode::Single),
            nested("absent", NestingMode::Single),
            nested("list", NestingMode::List),
            nested("set", NestingMode::Set),
        ],
        ..Block::default()
    };
    let Type::Object(attrs) = block.implied_type() else {
        unreachable!("object")
    };
    let elem_ty = inner.implied_type();
    let elem = |given: &str, effective: Value| {
        Value::object(BTreeMap::from([
            ("given".to_string(), s(given)),
            ("effective".to_string(), effective),
        ]))
    };
    let null = || Value::null(Type::String);
    let root = |single: Value, list: Vec<Value>, set: Vec<Value>| {
        Value::object(BTreeMap::from([
            ("single".to_string(), single),
            ("absent".to_string(), Value::null(attrs["absent"].clone())),
            ("list".to_string(), Value::list(elem_ty.clone(), list)),
            ("set".to_string(), Value::set(elem_ty.clone(), set)),
        ]))
    };
    let proposed = root(
        elem("s", null()),
        vec![elem("l", null())],
        vec![elem("x", null())],
    );
    let want = root(
        elem("s", unknown()),
        vec![elem("l", unknown())],
        vec![elem("x", unknown())],
    );
    assert_eq!(mark_computed_unknown(&block, proposed), want);
}

#[tokio::test]
async fn update_plan_keeps_prior_computed_values() {
    let (engine, _) = configured(Hooks::default()).await;
    let prior = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
    let config = obj(&[("name", s("a")), ("description", s("new"))]);
    let proposed = obj(&[
        ("id", s("i-1")),
        ("name", s("a")),
        ("region", s("eu")),
        ("description", s("new")),
    ]);
    let resp = engine
        .plan_resource_change(plan_req(Some(&prior), Some(&proposed), Some(&config)))
        .await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    assert_eq!(decoded(resp.planned_state.as_ref()), proposed);
    assert!(resp.requires_replace.is_empty());
}

#[tokio::test]
async fn requires_replace_paths() {
    struct Case {
        name: &'static str,
        new_name: Value,
        new_description: Value,
        from_resource: Vec<AttributePath>,
        want: Vec<AttributePath>,
    }
    let cases = [
        Case {
            name: "changed requires_replace attribute",
            new_name: s("b"),
            new_description: Value::null(Type::String),
            from_resource: vec![],
            want: vec![path("name")],
        },
        Case {
            name: "changed ordinary attribute",
            new_name: s("a"),
            new_description: s("d"),
            from_resource: vec![],
            want: vec![],
        },
        Case {
            name: "unknown requires_replace attribute",
            new_name: unknown(),
            new_description: Value::null(Type::String),
            from_resource: vec![],
            want: vec![path("name")],
        },
        Case {
            name: "resource paths are kept, sorted and de-duplicated",
            new_name: s("b"),
            new_description: s("d"),
            from_resource: vec![path("name"), path("description"), path("name")],
            want: vec![path("description"), path("name")],
        },
    ];
    for case in cases {
        let extra = case.from_resource.clone();
        let hooks = Hooks {
            modify_plan: Some(Box::new(move |_, resp| {
                resp.requires_replace.extend(extra.clone());
            })),
            ..Hooks::default()
        };
        let (engine, _) = configured(hooks).await;
        let prior = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
        let config = obj(&[
            ("name", case.new_name.clone()),
            ("description", case.new_description.clone()),
        ]);
        let proposed = obj(&[
            ("id", s("i-1")),
            ("name", case.new_name.clone()),
            ("description", case.new_description.clone()),
            ("region", s("eu")),
        ]);
        let resp = engine
            .plan_resource_change(plan_req(Some(&prior), Some(&proposed), Some(&config)))
            .await;
        assert_eq!(resp.diagnostics, Diagnostics::default(), "{}", case.name);
        assert_eq!(resp.requires_replace, case.want, "{}", case.name);
    }
}

#[tokio::test]
async fn replace_path_outside_the_schema_is_a_provider_bug() {
    let hooks = Hooks {
        modify_plan: Some(Box::new(|_, resp| {
            resp.requires_replace.push(path("no_such"));
        })),
        ..Hooks::default()
    };
    let (engine, _) = configured(hooks).await;
    let prior = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
    let config = obj(&[("name", s("a"))]);
    let resp = engine
        .plan_resource_change(plan_req(Some(&prior), Some(&prior), Some(&config)))
        .await;
    assert_eq!(
        errors(&resp.diagnostics),
        vec![("Provider produced an invalid plan".to_string(), None)]
    );
    assert!(resp.requires_replace.is_empty());
}

#[tokio::test]
async fn destroy_plan_is_null_and_still_calls_modify_plan() {
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    let hooks = Hooks {
        modify_plan: Some(Box::new(move |req, resp| {
            *record.lock().expect("lock") = Some((req.planned.is_null(), req.config.is_null()));
            resp.diagnostics
                .warning("Destroying", "the test thing will be destroyed");
        })),
        ..Hooks::default()
    };
    let (engine, calls) = configured(hooks).await;
    let prior = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))]);
    let resp = engine
        .plan_resource_change(plan_req(Some(&prior), None, None))
        .await;
    assert!(
        errors(&resp.diagnostics).is_empty(),
        "{:?}",
        resp.diagnostics
    );
    assert_eq!(
        resp.diagnostics
            .iter()
            .map(|d| d.summary.as_str())
            .collect::<Vec<_>>(),
        ["Destroying"]
    );
    assert!(decoded(resp.planned_state.as_ref()).is_null());
    assert_eq!(resp.planned_state.map(|dv| dv.msgpack), Some(vec![0xc0]));
    assert_eq!(called(&calls), vec!["modify_plan"]);
    assert_eq!(*seen.lock().expect("lock"), Some((true, true)));
}

#[tokio::test]
async fn invalid_plans_become_provider_bug_diagnostics() {
    type Edit = fn(&mut Value);
    struct Case {
        name: &'static str,
        edit: Edit,
        want: Option<&'static str>,
    }
    let cases = [
        Case {
            name: "sets an unconfigured optional",
            edit: |v| v.set_attr("description", s("x")),
            want: Some("description"),
        },
        Case {
            name: "changes a required value",
            edit: |v| v.set_attr("name", s("other")),
            want: Some("name"),
        },
        Case {
            name: "adds an unconfigured block",
            edit: |v| v.set_attr("timeouts", timeouts(None)),
            want: Some("timeouts"),
        },
        Case {
            name: "makes a configured value unknown",
            edit: |v| v.set_attr("tags", Value::unknown(Type::Set(Box::new(Type::String)))),
            want: Some("tags"),
        },
        Case {
            name: "sets an unconfigured optional+computed",
            edit: |v| v.set_attr("region", s("r")),
            want: None,
        },
        Case {
            name: "sets a computed-only",
            edit: |v| v.set_attr("id", s("x")),
            want: None,
        },
    ];
    for case in cases {
        let edit = case.edit;
        let hooks = Hooks {
            modify_plan: Some(Box::new(move |_, resp| edit(&mut resp.planned))),
            ..Hooks::default()
        };
        let (engine, _) = configured(hooks).await;
        let tags = Value::set(Type::String, vec![s("t")]);
        let config = obj(&[("name", s("a")), ("tags", tags)]);
        let resp = engine
            .plan_resource_change(plan_req(None, Some(&config), Some(&config)))
            .await;
        let want: Vec<_> = case
            .want
            .map(|p| {
                (
                    "Provider produced an invalid plan".to_string(),
                    Some(path(p)),
                )
            })
            .into_iter()
            .collect();
        assert_eq!(errors(&resp.diagnostics), want, "{}", case.name);
        if case.want.is_some() {
            let detail = &resp.diagnostics.0[0].detail;
            assert!(
                detail.contains("bug in the provider"),
                "{}: {detail}",
                case.name
            );
        }
    }
}
