// SPDX-License-Identifier: MPL-2.0
//! PlanResourceChange: the engine's plan, the resource's refinement, then Terraform's rules.
//!
//! Create: computed attributes not set in config become unknown. Update: Terraform's proposed
//! state already carries prior values for computed attributes, so it is the plan. Destroy: the
//! plan is null, but `modify_plan` still runs so resources can warn at plan time. Afterwards the
//! engine adds replace paths for changed `requires_replace` attributes and checks the result.

use crate::protocol::{
    Block, Diagnostic, Diagnostics, NestingMode, PlanResourceChangeRequest,
    PlanResourceChangeResponse,
};
use crate::value::{AttributePath, Type, Value};

use super::checks::{path_exists, plan_violations};
use super::codec::{decode, encode_into, provider_bug};
use super::schema::ResourceEntry;
use super::write_only;
use super::{Engine, ModifyPlanRequest, ModifyPlanResponse, Provider};

const INVALID_PLAN: &str = "Provider produced an invalid plan";

impl<P: Provider> Engine<P> {
    pub(super) async fn plan(&self, req: PlanResourceChangeRequest) -> PlanResourceChangeResponse {
        self.try_plan(req)
            .await
            .unwrap_or_else(|d| PlanResourceChangeResponse {
                diagnostics: d.into(),
                ..Default::default()
            })
    }

    async fn try_plan(
        &self,
        req: PlanResourceChangeRequest,
    ) -> Result<PlanResourceChangeResponse, Diagnostic> {
        let entry = self.schemas.resource(&req.type_name)?;
        let ty = &entry.ty;
        let prior = decode(req.prior_state.as_ref(), ty, "prior state")?;
        let proposed = decode(req.proposed_new_state.as_ref(), ty, "proposed new state")?;
        let config = decode(req.config.as_ref(), ty, "configuration")?;
        let data = self.data()?;

        let destroy = proposed.is_null();
        let engine_plan = if destroy {
            Value::null(ty.clone())
        } else if prior.is_null() {
            mark_computed_unknown(&entry.schema.block, proposed)
        } else {
            proposed
        };

        // Resources plan without write-only values, as they will be answered.
        let engine_plan = write_only::strip(&entry.schema.block, engine_plan);
        let mut resp = ModifyPlanResponse {
            planned: engine_plan.clone(),
            requires_replace: Vec::new(),
            // Private data survives the plan unless the resource changes it.
            planned_private: req.prior_private.clone(),
            diagnostics: Diagnostics::default(),
        };
        let call = ModifyPlanRequest {
            config: config.clone(),
            prior: prior.clone(),
            planned: engine_plan,
            prior_private: req.prior_private,
            data,
        };
        entry.resource.modify_plan(call, &mut resp).await;

        let mut diagnostics = resp.diagnostics;
        let mut requires_replace = Vec::new();
        let block = &entry.schema.block;
        resp.planned = write_only::strip(block, resp.planned);
        if !diagnostics.has_errors() {
            let config = write_only::strip(block, config);
            check_plan(entry, &prior, &config, &resp.planned, &mut diagnostics);
            requires_replace = replace_paths(
                entry,
                &prior,
                &resp.planned,
                resp.requires_replace,
                &mut diagnostics,
            );
        }
        // A destroy is planned as null whatever the resource did (a violation was reported).
        let planned = if destroy {
            Value::null(ty.clone())
        } else {
            resp.planned
        };
        let planned_state = encode_into(&planned, ty, "planned state", &mut diagnostics);
        Ok(PlanResourceChangeResponse {
            planned_state,
            requires_replace,
            planned_private: resp.planned_private,
            diagnostics,
        })
    }
}

/// The create plan: every computed attribute that is null (so not set in config) becomes
/// unknown, recursively inside nested blocks that exist in the configuration.
pub(super) fn mark_computed_unknown(block: &Block, mut v: Value) -> Value {
    if v.fields().is_none() {
        return v; // null or unknown: nothing inside to plan
    }
    for attr in block.attributes.iter().filter(|a| a.computed) {
        if v.attr(&attr.name).is_some_and(Value::is_null) {
            let ty = attr.ty.clone().unwrap_or(Type::Dynamic);
            v.set_attr(&attr.name, Value::unknown(ty));
        }
    }
    for nb in &block.block_types {
        let Some(current) = v.attr(&nb.type_name).cloned() else {
            continue;
        };
        let elem_ty = nb.block.implied_type();
        let mark = |e: &Value| mark_computed_unknown(&nb.block, e.clone());
        let marked = match nb.nesting {
            NestingMode::Single | NestingMode::Group => mark_computed_unknown(&nb.block, current),
            NestingMode::List => match current.elements() {
                Some(items) => Value::list(elem_ty, items.iter().map(mark).collect()),
                None => current,
            },
            NestingMode::Set => match current.elements() {
                Some(items) => Value::set(elem_ty, items.iter().map(mark).collect()),
                None => current,
            },
            NestingMode::Map => match current.fields() {
                Some(entries) => {
                    let entries = entries.iter().map(|(k, e)| (k.clone(), mark(e))).collect();
                    Value::map(elem_ty, entries)
                }
                None => current,
            },
        };
        v.set_attr(&nb.type_name, marked);
    }
    v
}

/// Reports every AssertPlanValid violation as a provider bug naming the attribute.
fn check_plan<D>(
    entry: &ResourceEntry<D>,
    prior: &Value,
    config: &Value,
    planned: &Value,
    diagnostics: &mut Diagnostics,
) {
    for v in plan_violations(&entry.schema.block, prior, config, planned) {
        let detail = format!(
            "The plan for {} at {} is invalid: {}.",
            entry.type_name, v.path, v.message
        );
        diagnostics.push(provider_bug(INVALID_PLAN, detail).at(v.path));
    }
}

/// The final replace paths: the resource's own (which must exist in the schema) plus every
/// top-level `requires_replace` attribute whose planned value differs from the prior one or
/// cannot be compared because of unknowns; sorted and de-duplicated. Empty unless this is an
/// update (Terraform ignores replacement for creates and destroys).
fn replace_paths<D>(
    entry: &ResourceEntry<D>,
    prior: &Value,
    planned: &Value,
    from_resource: Vec<AttributePath>,
    diagnostics: &mut Diagnostics,
) -> Vec<AttributePath> {
    let mut paths = Vec::new();
    for path in from_resource {
        if path_exists(&entry.ty, &path) {
            paths.push(path);
        } else {
            let detail = format!(
                "The plan for {} requires replacement at {path}, which is not in the schema.",
                entry.type_name
            );
            diagnostics.push(provider_bug(INVALID_PLAN, detail));
        }
    }
    if prior.is_null() || planned.is_null() {
        return Vec::new();
    }
    for attr in entry
        .schema
        .block
        .attributes
        .iter()
        .filter(|a| a.requires_replace)
    {
        let (Some(before), Some(after)) = (prior.attr(&attr.name), planned.attr(&attr.name)) else {
            continue;
        };
        let comparable = before.is_wholly_known() && after.is_wholly_known();
        if !comparable || before != after {
            paths.push(AttributePath::attribute(&attr.name));
        }
    }
    paths.sort();
    paths.dedup();
    paths
}
