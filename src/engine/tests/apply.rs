// SPDX-License-Identifier: MPL-2.0
//! ApplyResourceChange: dispatch, failure rules, and inconsistent results.

use super::*;

fn apply_req(prior: Option<&Value>, planned: Option<&Value>) -> ApplyResourceChangeRequest {
    // The config is the plan without computed values; the engine passes it through only.
    let config = planned.map(|p| {
        let mut c = p.clone();
        c.set_attr("id", Value::null(Type::String));
        c
    });
    ApplyResourceChangeRequest {
        type_name: TYPE_NAME.to_string(),
        prior_state: prior.map(dv),
        planned_state: planned.map(dv),
        config: config.as_ref().map(dv),
        planned_private: b"planned-private".to_vec(),
        provider_meta: None,
    }
}

fn existing() -> Value {
    obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("eu"))])
}

fn create_plan() -> Value {
    obj(&[("id", unknown()), ("name", s("a")), ("region", unknown())])
}

fn update_plan() -> Value {
    obj(&[
        ("id", s("i-1")),
        ("name", s("a")),
        ("region", s("eu")),
        ("description", s("d")),
    ])
}

fn fail<R>(resp: &mut R)
where
    R: HasDiagnostics,
{
    resp.diagnostics().error("API error", "the test API failed");
}

trait HasDiagnostics {
    fn diagnostics(&mut self) -> &mut Diagnostics;
}
impl HasDiagnostics for CreateResponse {
    fn diagnostics(&mut self) -> &mut Diagnostics {
        &mut self.diagnostics
    }
}
impl HasDiagnostics for UpdateResponse {
    fn diagnostics(&mut self) -> &mut Diagnostics {
        &mut self.diagnostics
    }
}
impl HasDiagnostics for DeleteResponse {
    fn diagnostics(&mut self) -> &mut Diagnostics {
        &mut self.diagnostics
    }
}

#[tokio::test]
async fn apply_dispatches_by_null_prior_and_planned_state() {
    struct Case {
        name: &'static str,
        prior: Option<Value>,
        planned: Option<Value>,
        want_call: &'static str,
        want_state: Value,
        want_private: Vec<u8>,
    }
    let cases = [
        Case {
            name: "create",
            prior: None,
            planned: Some(create_plan()),
            want_call: "create",
            want_state: obj(&[
                ("id", s("id-1")),
                ("name", s("a")),
                ("region", s("region-1")),
            ]),
            want_private: b"planned-private".to_vec(),
        },
        Case {
            name: "update",
            prior: Some(existing()),
            planned: Some(update_plan()),
            want_call: "update",
            want_state: update_plan(),
            want_private: b"planned-private".to_vec(),
        },
        Case {
            name: "delete",
            prior: Some(existing()),
            planned: None,
            want_call: "delete",
            want_state: Value::null(ty()),
            want_private: Vec::new(),
        },
    ];
    for case in cases {
        let (engine, calls) = configured(Hooks::default()).await;
        let resp = engine
            .apply_resource_change(apply_req(case.prior.as_ref(), case.planned.as_ref()))
            .await;
        assert_eq!(resp.diagnostics, Diagnostics::default(), "{}", case.name);
        assert_eq!(called(&calls), vec![case.want_call], "{}", case.name);
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
async fn failed_applies_keep_what_really_exists() {
    struct Case {
        name: &'static str,
        hooks: Hooks,
        prior: Option<Value>,
        planned: Option<Value>,
        want_state: Value,
    }
    let partial = obj(&[("id", s("id-9")), ("name", s("a")), ("region", s("eu"))]);
    let partial_for_hook = partial.clone();
    let changed = obj(&[("id", s("i-1")), ("name", s("a")), ("region", s("moved"))]);
    let changed_for_hook = changed.clone();
    let cases = [
        Case {
            name: "failed create returns null",
            hooks: Hooks {
                create: Some(Box::new(|_, r| fail(r))),
                ..Hooks::default()
            },
            prior: None,
            planned: Some(create_plan()),
            want_state: Value::null(ty()),
        },
        Case {
            name: "failed create keeps a wholly known partial object",
            hooks: Hooks {
                create: Some(Box::new(move |_, r| {
                    r.state = partial_for_hook.clone();
                    fail(r);
                })),
                ..Hooks::default()
            },
            prior: None,
            planned: Some(create_plan()),
            want_state: partial,
        },
        Case {
            name: "failed update keeps the prior state, not the untouched plan",
            hooks: Hooks {
                update: Some(Box::new(|_, r| fail(r))),
                ..Hooks::default()
            },
            prior: Some(existing()),
            planned: Some(update_plan()),
            want_state: existing(),
        },
        Case {
            name: "failed update keeps a wholly known state the resource reported",
            hooks: Hooks {
                update: Some(Box::new(move |_, r| {
                    r.state = changed_for_hook.clone();
                    fail(r);
                })),
                ..Hooks::default()
            },
            prior: Some(existing()),
            planned: Some(update_plan()),
            want_state: changed,
        },
        Case {
            name: "failed delete keeps the prior state",
            hooks: Hooks {
                delete: Some(Box::new(|_, r| fail(r))),
                ..Hooks::default()
            },
            prior: Some(existing()),
            planned: None,
            want_state: existing(),
        },
    ];
    for case in cases {
        let (engine, _) = configured(case.hooks).await;
        let resp = engine
            .apply_resource_change(apply_req(case.prior.as_ref(), case.planned.as_ref()))
            .await;
        assert_eq!(
            errors(&resp.diagnostics),
            vec![("API error".to_string(), None)],
            "{}",
            case.name
        );
        assert_eq!(
            decoded(resp.new_state.as_ref()),
            case.want_state,
            "{}",
            case.name
        );
    }
}

#[tokio::test]
async fn inconsistent_apply_results_are_diagnosed_and_still_returned() {
    type Edit = fn(&mut Value);
    struct Case {
        name: &'static str,
        prior: Option<Value>,
        planned: Value,
        edit: Edit,
        want: (&'static str, Option<AttributePath>),
    }
    const INCONSISTENT: &str = "Provider produced an inconsistent result after apply";
    let cases = [
        Case {
            name: "create changes a planned value",
            prior: None,
            planned: create_plan(),
            edit: |v| {
                v.set_attr("id", s("id-1"));
                v.set_attr("region", s("eu"));
                v.set_attr("name", s("other"));
            },
            want: (INCONSISTENT, Some(path("name"))),
        },
        Case {
            name: "create leaves an unknown value",
            prior: None,
            planned: create_plan(),
            edit: |v| v.set_attr("region", s("eu")),
            want: (
                "Provider produced an invalid state after apply",
                Some(path("id")),
            ),
        },
        Case {
            name: "update sets a value planned as null",
            prior: Some(existing()),
            planned: update_plan(),
            edit: |v| v.set_attr("timeouts", timeouts(Some("1m"))),
            want: (INCONSISTENT, Some(path("timeouts"))),
        },
        Case {
            name: "create returns no object",
            prior: None,
            planned: create_plan(),
            edit: |v| *v = Value::null(ty()),
            want: (INCONSISTENT, None),
        },
    ];
    for case in cases {
        let edit = case.edit;
        let hooks = Hooks {
            create: Some(Box::new(move |_, r| edit(&mut r.state))),
            update: Some(Box::new(move |_, r| edit(&mut r.state))),
            ..Hooks::default()
        };
        let (engine, _) = configured(hooks).await;
        let resp = engine
            .apply_resource_change(apply_req(case.prior.as_ref(), Some(&case.planned)))
            .await;
        let (summary, at) = case.want;
        assert_eq!(
            errors(&resp.diagnostics),
            vec![(summary.to_string(), at)],
            "{}",
            case.name
        );
        assert!(
            resp.diagnostics.0[0].detail.contains("bug in the provider"),
            "{}",
            case.name
        );
        let mut want_state = case.planned.clone();
        edit(&mut want_state);
        assert_eq!(
            decoded(resp.new_state.as_ref()),
            want_state,
            "{}: state is still returned",
            case.name
        );
    }
}
