// SPDX-License-Identifier: MPL-2.0
//! AssertPlanValid: a planned state may differ from the configuration only where the schema
//! lets the provider choose (computed attributes not set in config), or by keeping the prior
//! value. Also [`path_exists`] for requires_replace paths.

use crate::protocol::{Attribute, Block, NestingMode};
use crate::value::{AttributePath, PathStep, Type, Value};

use super::{violation, Violation};

/// Checks a planned state against the configuration and prior state of a resource whose
/// schema is `block`. Prior, config and planned may each be null (create / destroy).
pub(in crate::engine) fn plan_violations(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &Value,
) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Err(e) = planned.conforms(&block.implied_type()) {
        let message = format!("the planned state does not match the schema: {}", e.kind);
        out.push(Violation {
            path: e.path,
            message,
        });
        return out;
    }
    check_block(
        block,
        prior,
        config,
        planned,
        &AttributePath::root(),
        &mut out,
    );
    out
}

/// Attribute `name` of `parent`: null when the parent is null, unknown when it is unknown.
fn child(parent: &Value, name: &str, obj_ty: &Type) -> Value {
    if let Some(v) = parent.attr(name) {
        return v.clone();
    }
    let ty = match obj_ty {
        Type::Object(attrs) => attrs.get(name).cloned().unwrap_or(Type::Dynamic),
        _ => Type::Dynamic,
    };
    if parent.is_unknown() {
        Value::unknown(ty)
    } else {
        Value::null(ty)
    }
}

/// Equality ignoring refinements of a top-level unknown (Terraform compares unrefined values).
fn same(a: &Value, b: &Value) -> bool {
    if a.is_unknown() && b.is_unknown() {
        a.ty() == b.ty()
    } else {
        a == b
    }
}

fn check_block(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &AttributePath,
    out: &mut Vec<Violation>,
) {
    if planned.is_null() && !config.is_null() {
        return violation(
            out,
            path,
            "planned for absence but the configuration wants it to exist",
        );
    }
    if config.is_null() && !planned.is_null() {
        return violation(
            out,
            path,
            "planned to exist but the configuration wants it absent",
        );
    }
    if planned.is_null() {
        return;
    }
    if planned.is_unknown() {
        return violation(out, path, "the planned object itself is unknown");
    }
    let obj_ty = block.implied_type();
    for attr in &block.attributes {
        let name = &attr.name;
        let (pr, co, pl) = (
            child(prior, name, &obj_ty),
            child(config, name, &obj_ty),
            child(planned, name, &obj_ty),
        );
        check_attr(attr, &pr, &co, &pl, &path.attr(name), out);
    }
    for nb in &block.block_types {
        let name = &nb.type_name;
        let path = path.attr(name);
        let prior_v = child(prior, name, &obj_ty);
        let config_v = child(config, name, &obj_ty);
        let planned_v = child(planned, name, &obj_ty);
        if nb.nesting != NestingMode::Single && planned_v.is_null() {
            violation(
                out,
                &path,
                "a collection of nested blocks must be empty, not null",
            );
            continue;
        }
        if same(&planned_v, &config_v) {
            continue;
        }
        if config_v.is_unknown() {
            violation(
                out,
                &path,
                "planned a value for a dynamic block whose for_each is unknown",
            );
            continue;
        }
        if planned_v.is_unknown() {
            violation(
                out,
                &path,
                "planned an unknown value for a configured block",
            );
            continue;
        }
        let elem_null = || Value::null(nb.block.implied_type());
        match nb.nesting {
            NestingMode::Single | NestingMode::Group => {
                check_block(&nb.block, &prior_v, &config_v, &planned_v, &path, out);
            }
            NestingMode::List => {
                let planned_e = planned_v.elements().unwrap_or(&[]);
                let config_e = config_v.elements().unwrap_or(&[]);
                if planned_e.len() != config_e.len() {
                    let msg = format!(
                        "block count in plan ({}) disagrees with count in config ({})",
                        planned_e.len(),
                        config_e.len()
                    );
                    violation(out, &path, &msg);
                    continue;
                }
                let prior_e = prior_v.elements().unwrap_or(&[]);
                for (i, (pl, co)) in planned_e.iter().zip(config_e).enumerate() {
                    let pr = prior_e.get(i).cloned().unwrap_or_else(elem_null);
                    check_block(&nb.block, &pr, co, pl, &path.index(i as i64), out);
                }
            }
            NestingMode::Map => {
                let empty = Default::default();
                let planned_f = planned_v.fields().unwrap_or(&empty);
                let config_f = config_v.fields().unwrap_or(&empty);
                for (key, pl) in planned_f {
                    let Some(co) = config_f.get(key) else {
                        violation(
                            out,
                            &path.key(key),
                            "block key from the plan is not in config",
                        );
                        continue;
                    };
                    let pr = prior_v.fields().and_then(|f| f.get(key)).cloned();
                    let pr = pr.unwrap_or_else(elem_null);
                    check_block(&nb.block, &pr, co, pl, &path.key(key), out);
                }
                for key in config_f.keys().filter(|k| !planned_f.contains_key(*k)) {
                    violation(
                        out,
                        &path.key(key),
                        "block key from config is not in the plan",
                    );
                }
            }
            // NOTE(protocol): set elements have no identity to correlate them with config, so
            // Terraform (and we) only reject elements that are unknown as a whole.
            NestingMode::Set => {
                if planned_v
                    .elements()
                    .unwrap_or(&[])
                    .iter()
                    .any(Value::is_unknown)
                {
                    violation(
                        out,
                        &path,
                        "an element of a nested block set is itself unknown",
                    );
                }
            }
        }
    }
}

fn check_attr(
    attr: &Attribute,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &AttributePath,
    out: &mut Vec<Violation>,
) {
    if same(planned, config) {
        return;
    }
    // Keeping the prior value signals "equivalent to the configured value, no change".
    if !prior.is_null() && !config.is_null() && same(planned, prior) {
        return;
    }
    if attr.computed && (!attr.optional || config.is_null()) {
        return;
    }
    if config.is_null() {
        return violation(
            out,
            path,
            "planned a value for a non-computed attribute not set in config",
        );
    }
    if prior.is_null() {
        violation(
            out,
            path,
            "planned value does not match the configuration value",
        );
    } else {
        violation(
            out,
            path,
            "planned value matches neither the configuration nor the prior value",
        );
    }
}

/// Whether `path` addresses an attribute, block, list index or map key that `ty` can hold.
/// NOTE(protocol): set elements cannot be addressed, so no path may step into a set.
pub(in crate::engine) fn path_exists(ty: &Type, path: &AttributePath) -> bool {
    let mut ty = ty;
    for step in &path.steps {
        ty = match (step, ty) {
            (_, Type::Dynamic) => return true,
            (PathStep::Attribute(name), Type::Object(attrs)) => match attrs.get(name) {
                Some(t) => t,
                None => return false,
            },
            (PathStep::ElementKeyInt(_), Type::List(elem)) => elem,
            (PathStep::ElementKeyInt(i), Type::Tuple(elems)) => {
                match usize::try_from(*i).ok().and_then(|i| elems.get(i)) {
                    Some(t) => t,
                    None => return false,
                }
            }
            (PathStep::ElementKeyString(_), Type::Map(elem)) => elem,
            _ => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests;
