// SPDX-License-Identifier: MPL-2.0
//! Tests of the `ehpc_app_sync` trait methods that need no API: plans, import errors, and the
//! update without added regions. Calls are tested in `apply/tests.rs` and `converge/tests.rs`,
//! reads in `refresh/tests.rs`, waiting in `wait/tests.rs`.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

pub(super) mod fake_cloud;
pub(super) mod models;

use super::*;
use crate::protocol::{Diagnostics, Severity};

use self::models::{known, state};

fn data() -> Arc<ProviderData> {
    Arc::new(ProviderData::planning(known("cn-hangzhou")))
}

fn config(targets: &[&str]) -> AppSyncModel {
    AppSyncModel {
        region: Attr::Null,
        request_id: Attr::Null,
        id: Attr::Null,
        image_id: Attr::Null,
        copies: Attr::Null,
        copies_ready: Attr::Null,
        ..state(targets)
    }
}

async fn modify_plan(prior: Value, planned: Value, config: Value) -> ModifyPlanResponse {
    let mut resp = ModifyPlanResponse {
        planned: planned.clone(),
        requires_replace: vec![],
        planned_private: vec![],
        diagnostics: Diagnostics::default(),
    };
    let req = ModifyPlanRequest {
        config,
        prior,
        planned,
        prior_private: vec![],
        data: data(),
    };
    AppSync::new().modify_plan(req, &mut resp).await;
    resp
}

fn null() -> Value {
    Value::null(schema::app_sync_schema().block.implied_type())
}

#[tokio::test]
async fn create_plan_fills_id_and_region() {
    // The engine's plan of a create: computed attributes with a null config are unknown.
    let engine_plan = AppSyncModel {
        region: Attr::Unknown,
        request_id: Attr::Unknown,
        id: Attr::Unknown,
        image_id: Attr::Unknown,
        copies: Attr::Unknown,
        copies_ready: Attr::Unknown,
        ..config(&["cn-shanghai"])
    };
    let resp = modify_plan(
        null(),
        engine_plan.to_value(),
        config(&["cn-shanghai"]).to_value(),
    )
    .await;
    let want = AppSyncModel {
        request_id: Attr::Unknown,
        image_id: Attr::Unknown,
        copies: Attr::Unknown,
        ..state(&["cn-shanghai"])
    };
    assert_eq!(<AppSyncModel>::from_value(&resp.planned), Ok(want));
    assert_eq!(resp.diagnostics, Diagnostics::default());
}

#[tokio::test]
async fn update_plan_without_additions_keeps_request_id_and_warns_on_removal() {
    let prior = state(&["cn-a", "cn-b"]);
    // The copy left in cn-b is still there: `copies` keeps it.
    let planned = AppSyncModel {
        copies: prior.copies.clone(),
        ..state(&["cn-a"])
    };
    let resp = modify_plan(
        prior.to_value(),
        planned.to_value(),
        config(&["cn-a"]).to_value(),
    )
    .await;
    assert_eq!(<AppSyncModel>::from_value(&resp.planned), Ok(planned));
    let warnings: Vec<_> = resp
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.attribute.clone()))
        .collect();
    assert_eq!(
        warnings,
        [(
            Severity::Warning,
            Some(crate::value::AttributePath::attribute("target_region_ids"))
        )]
    );
}

#[tokio::test]
async fn update_plan_with_additions_makes_request_id_unknown() {
    let resp = modify_plan(
        state(&["cn-a"]).to_value(),
        state(&["cn-a", "cn-b"]).to_value(),
        config(&["cn-a", "cn-b"]).to_value(),
    )
    .await;
    let planned = <AppSyncModel>::from_value(&resp.planned).map(|m| m.request_id);
    assert_eq!(planned, Ok(Attr::Unknown));
}

#[tokio::test]
async fn destroy_plan_warns_and_stays_null() {
    let resp = modify_plan(state(&["cn-a"]).to_value(), null(), null()).await;
    assert!(resp.planned.is_null());
    assert_eq!(
        resp.diagnostics
            .iter()
            .map(|d| d.severity)
            .collect::<Vec<_>>(),
        [Severity::Warning]
    );
}

#[tokio::test]
async fn update_without_additions_makes_no_call() {
    // ProviderData without a client: any call attempt would be an error.
    let planned = state(&["cn-a"]);
    let mut resp = UpdateResponse {
        state: planned.to_value(),
        private: vec![],
        diagnostics: Diagnostics::default(),
    };
    let req = UpdateRequest {
        config: config(&["cn-a"]).to_value(),
        prior: state(&["cn-a", "cn-b"]).to_value(),
        planned: planned.to_value(),
        planned_private: vec![],
        data: data(),
        cancel: CancellationToken::new(),
    };
    AppSync::new().update(req, &mut resp).await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
    assert_eq!(resp.state, planned.to_value());
}

#[tokio::test]
async fn failed_update_keeps_the_prior_state() {
    let prior = state(&["cn-a"]);
    let planned = AppSyncModel {
        request_id: Attr::Unknown,
        ..state(&["cn-a", "cn-b"])
    };
    let mut resp = UpdateResponse {
        state: planned.to_value(),
        private: vec![],
        diagnostics: Diagnostics::default(),
    };
    let req = UpdateRequest {
        config: config(&["cn-a", "cn-b"]).to_value(),
        prior: prior.to_value(),
        planned: planned.to_value(),
        planned_private: vec![],
        data: data(),
        cancel: CancellationToken::new(),
    };
    AppSync::new().update(req, &mut resp).await;
    assert!(resp.diagnostics.has_errors());
    assert_eq!(resp.state, prior.to_value());
}

#[tokio::test]
async fn import_needs_a_valid_id_and_a_configured_provider() {
    for id in ["app 1", "app-1"] {
        let mut resp = ImportResponse {
            state: null(),
            private: vec![],
            diagnostics: Diagnostics::default(),
        };
        let req = ImportRequest {
            id: id.into(),
            data: data(),
            cancel: CancellationToken::new(),
        };
        AppSync::new().import_state(req, &mut resp).await;
        assert!(resp.diagnostics.has_errors(), "{id}");
        assert!(resp.state.is_null(), "{id}");
    }
}

#[tokio::test]
async fn validate_config_accepts_unknown_app_id() {
    let config = AppSyncModel {
        app_id: Attr::Unknown,
        ..config(&["cn-shanghai"])
    };
    let mut resp = ValidateResponse::default();
    AppSync::new()
        .validate_config(
            ValidateRequest {
                config: config.to_value(),
            },
            &mut resp,
        )
        .await;
    assert_eq!(resp.diagnostics, Diagnostics::default());
}

#[tokio::test]
async fn delete_warns_unless_its_destroy_plan_did() {
    let plan = modify_plan(state(&["cn-a"]).to_value(), null(), null()).await;
    for (private, warnings) in [(plan.planned_private.clone(), 0), (vec![], 1)] {
        let mut resp = DeleteResponse::default();
        let req = DeleteRequest {
            prior: state(&["cn-a"]).to_value(),
            private,
            data: data(),
            cancel: CancellationToken::new(),
        };
        AppSync::new().delete(req, &mut resp).await;
        let found: Vec<_> = resp.diagnostics.iter().map(|d| d.severity).collect();
        assert_eq!(found, vec![Severity::Warning; warnings]);
    }
}

#[tokio::test]
async fn delete_hands_its_request_id_to_the_create_of_a_replacement_once() {
    let data = data();
    let req = DeleteRequest {
        prior: state(&["cn-a"]).to_value(),
        private: vec![],
        data: data.clone(),
        cancel: CancellationToken::new(),
    };
    AppSync::new()
        .delete(req, &mut DeleteResponse::default())
        .await;
    assert_eq!(data.take_request_id("cn-hangzhou", "app-2"), None);
    assert_eq!(
        data.take_request_id("cn-hangzhou", "app-1").as_deref(),
        Some("RID-1")
    );
    assert_eq!(data.take_request_id("cn-hangzhou", "app-1"), None, "once");
}
