// SPDX-License-Identifier: MPL-2.0
use ehpc_alibaba::actions::{ImageDetail, VmImageSpec};

use super::model::imported_state;
use super::*;
use crate::protocol::{Block, Diagnostics};
use crate::value::{Attr, AttributePath, Type};

fn vm_state(image_id: &str) -> Value {
    let detail = ImageDetail {
        image_type: Some(VM.into()),
        name: Some("solver".into()),
        vm_image_spec: Some(VmImageSpec {
            image_id: Some(image_id.into()),
            ..VmImageSpec::default()
        }),
        ..ImageDetail::default()
    };
    imported_state("cn-hangzhou", image_id, "ci-vm-a", &detail)
}

fn errors(diags: &Diagnostics) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == crate::protocol::Severity::Error)
        .count()
}

#[test]
fn the_password_is_write_only_and_sensitive_and_never_under_a_set() {
    fn find<'a>(block: &'a Block, path: &[&str]) -> Option<&'a crate::protocol::Attribute> {
        match path {
            [name] => block.attribute(name),
            [head, rest @ ..] => {
                let nb = block.block_types.iter().find(|nb| nb.type_name == *head)?;
                assert_ne!(nb.nesting, crate::protocol::NestingMode::Set);
                find(&nb.block, rest)
            }
            [] => None,
        }
    }
    let schema = schema::app_schema();
    let path = ["container_image", "registry_credential", "password_wo"];
    let password = find(&schema.block, &path).expect("password_wo");
    assert!(password.write_only && password.sensitive && !password.computed);
    let version_path = [
        "container_image",
        "registry_credential",
        "password_wo_version",
    ];
    let version = find(&schema.block, &version_path);
    assert!(version.is_some_and(|v| !v.write_only));
    for name in ["name", "image_type", "version", "description", "region"] {
        assert!(
            schema
                .block
                .attribute(name)
                .is_some_and(|a| a.requires_replace),
            "{name}"
        );
    }
}

#[test]
fn validation_wants_exactly_one_image_block_and_a_matching_type() {
    let good = vm_state("m-src");
    assert_eq!(errors(&plan::validate(&good)), 0);

    let mut none = good.clone();
    let vm_ty = none
        .attr("vm_image")
        .map(|v| v.ty().clone())
        .unwrap_or(Type::Dynamic);
    none.set_attrs([("vm_image", Value::null(vm_ty.clone()))]);
    assert_eq!(errors(&plan::validate(&none)), 1, "no block");

    let mut unknown = good.clone();
    unknown.set_attrs([
        ("vm_image", Value::unknown(vm_ty)),
        ("name", Value::unknown(Type::String)),
    ]);
    assert_eq!(
        errors(&plan::validate(&unknown)),
        0,
        "unknowns are never rejected"
    );

    let mut wrong = good.clone();
    wrong.set_attrs([("image_type", Value::string(CONTAINER))]);
    assert_eq!(
        errors(&plan::validate(&wrong)),
        1,
        "Container with a vm_image block"
    );
    wrong.set_attrs([("image_type", Value::string("Docker"))]);
    assert_eq!(errors(&plan::validate(&wrong)), 1, "unknown type");
}

#[test]
fn a_changed_image_block_replaces_and_the_type_and_region_are_planned() {
    let prior = vm_state("m-old");
    let mut config = vm_state("m-new");
    config.set_attrs([
        ("image_type", Value::null(Type::String)),
        ("region", Value::null(Type::String)),
    ]);
    let mut resp = ModifyPlanResponse {
        planned: config.clone(),
        requires_replace: Vec::new(),
        planned_private: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    let region = Attr::Known("cn-beijing".into());
    plan::refine(&config, &prior, b"", &region, &mut resp);
    assert_eq!(
        resp.requires_replace,
        vec![AttributePath::attribute("vm_image")]
    );
    assert_eq!(resp.planned.attr("image_type"), Some(&Value::string(VM)));
    assert_eq!(
        resp.planned.attr("region"),
        Some(&Value::string("cn-beijing"))
    );

    let mut same = resp.clone();
    same.requires_replace.clear();
    plan::refine(&config, &resp.planned, b"", &Attr::Unknown, &mut same);
    assert!(
        same.requires_replace.is_empty(),
        "{:?}",
        same.requires_replace
    );
}

/// A container application's state (as an import builds it) with the registry credential's
/// `password_wo` and `password_wo_version` set as given.
fn container_state(password: Option<&str>, version: Option<i64>) -> Value {
    use ehpc_alibaba::actions::{ContainerImageSpec, RegistryCredential};
    let detail = ImageDetail {
        image_type: Some(CONTAINER.into()),
        container_image_spec: Some(ContainerImageSpec {
            registry_url: Some("reg/x:1".into()),
            registry_credential: Some(RegistryCredential {
                user_name: Some("u".into()),
                ..RegistryCredential::default()
            }),
            ..ContainerImageSpec::default()
        }),
        ..ImageDetail::default()
    };
    let mut state = imported_state("cn-hangzhou", "m-gen", "ci-vm-b", &detail);
    let element = |list: &Value| match list.ty() {
        Type::List(t) => (**t).clone(),
        other => other.clone(),
    };
    let only = |list: &Value| list.elements().and_then(<[Value]>::first).cloned();
    let blocks = state.attr("container_image").cloned().expect("block list");
    let mut block = only(&blocks).expect("block");
    let credentials = block
        .attr("registry_credential")
        .cloned()
        .expect("credentials");
    let mut credential = only(&credentials).expect("credential");
    if let Some(password) = password {
        credential.set_attrs([("password_wo", Value::string(password))]);
    }
    if let Some(version) = version {
        let number = Value::number(crate::value::Number::from_i64(version));
        credential.set_attrs([("password_wo_version", number)]);
    }
    let credential_ty = element(&credentials);
    block.set_attrs([(
        "registry_credential",
        Value::list(credential_ty, vec![credential]),
    )]);
    state.set_attrs([(
        "container_image",
        Value::list(element(&blocks), vec![block]),
    )]);
    state
}

#[tokio::test]
async fn a_client_that_cannot_handle_write_only_attributes_is_refused_when_one_is_set() {
    use crate::protocol::{DynamicValue, ProviderServer, ValidateResourceConfigRequest};
    let engine = crate::registry::engine();
    let ty = schema::app_schema().block.implied_type();
    let validate = |password: Option<&'static str>, allowed: bool| {
        let engine = &engine;
        let msgpack =
            crate::value::msgpack::encode(&container_state(password, None), &ty).expect("encodes");
        async move {
            let req = ValidateResourceConfigRequest {
                type_name: "ehpc_app".into(),
                config: Some(DynamicValue {
                    msgpack,
                    json: Vec::new(),
                }),
                write_only_allowed: allowed,
            };
            engine.validate_resource_config(req).await.diagnostics
        }
    };
    assert_eq!(errors(&validate(Some("pw"), true).await), 0);
    assert_eq!(
        errors(&validate(None, false).await),
        0,
        "nothing write-only is set"
    );
    let refused = validate(Some("pw"), false).await;
    assert_eq!(errors(&refused), 1);
    assert!(refused.iter().any(|d| d.detail.contains("1.11")));
}

#[test]
fn after_an_import_the_first_password_version_is_no_replacement() {
    let prior = container_state(None, None);
    let planned = container_state(None, Some(1));
    let plan_with = |private: &[u8]| {
        let mut resp = ModifyPlanResponse {
            planned: planned.clone(),
            requires_replace: Vec::new(),
            planned_private: private.to_vec(),
            diagnostics: Diagnostics::default(),
        };
        plan::refine(&planned, &prior, private, &Attr::Unknown, &mut resp);
        resp.requires_replace
    };
    assert!(
        plan_with(plan::IMPORTED).is_empty(),
        "imported: set without replacing"
    );
    let replaced = vec![AttributePath::attribute("container_image")];
    assert_eq!(plan_with(b""), replaced, "created: a new version replaces");
    let bumped = container_state(None, Some(2));
    let mut resp = ModifyPlanResponse {
        planned: bumped.clone(),
        requires_replace: Vec::new(),
        planned_private: plan::IMPORTED.to_vec(),
        diagnostics: Diagnostics::default(),
    };
    plan::refine(&bumped, &planned, plan::IMPORTED, &Attr::Unknown, &mut resp);
    assert_eq!(resp.requires_replace, replaced, "a later bump replaces");
}

#[test]
fn a_call_that_runs_out_names_what_bounded_it() {
    let late = ehpc_alibaba::Error::DeadlineExceeded {
        attempts: 4,
        last: Box::new(ehpc_alibaba::Error::Transport {
            endpoint: "https://x".into(),
            message: "timed out".into(),
        }),
    };
    let cancel = CancellationToken::new;
    let delete = Bounds::apply(TimeoutKind::Delete, Duration::from_secs(90), cancel());
    let d = delete.failed("RemoveImage", &late);
    assert_eq!(d.summary, "RemoveImage timed out");
    assert!(
        d.detail.contains("delete timeout (1m30s)")
            && d.detail.contains("timeouts { delete = \"30m\" }")
            && !d.detail.contains("A read may take"),
        "{}",
        d.detail
    );
    let create = bounds(&Value::null(Type::Dynamic), TimeoutKind::Create, cancel());
    assert!(create
        .failed("AddImage", &late)
        .detail
        .contains("create timeout (10m)"));
    let import = Bounds::read(cancel());
    let d = import.failed("ListImages", &late);
    assert!(
        d.detail.contains("A read may take 5 minutes"),
        "{}",
        d.detail
    );
}
