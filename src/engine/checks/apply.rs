// SPDX-License-Identifier: MPL-2.0
//! AssertObjectCompatible: after apply, every value known in the plan must be unchanged;
//! values planned unknown may become anything that conforms (and keeps its refinements).

use crate::value::{AttributePath, Type, Value};

use super::{violation, Violation};

/// Checks a new state against the plan: every value known in `planned` must be equal in
/// `actual`; unknown ones may become anything conforming (within their refinements).
pub(in crate::engine) fn apply_violations(planned: &Value, actual: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    compatible(planned, actual, &AttributePath::root(), &mut out);
    out
}

fn compatible(planned: &Value, actual: &Value, path: &AttributePath, out: &mut Vec<Violation>) {
    if planned.is_unknown() {
        let not_null = planned.refinements().and_then(|r| r.nullable) == Some(false);
        if not_null && actual.is_null() {
            violation(
                out,
                path,
                "was planned as not null, but is null after apply",
            );
        }
        return;
    }
    if actual.is_unknown() {
        return violation(
            out,
            path,
            "was known in the plan, but is unknown after apply",
        );
    }
    match (planned.is_null(), actual.is_null()) {
        (true, true) => return,
        (true, false) => return violation(out, path, "was planned as null, but has a value"),
        (false, true) => return violation(out, path, "was planned to have a value, but is null"),
        (false, false) => {}
    }
    match planned.ty() {
        Type::Object(_) | Type::Map(_) => {
            let is_map = matches!(planned.ty(), Type::Map(_));
            let (Some(pf), Some(af)) = (planned.fields(), actual.fields()) else {
                return violation(out, path, "has a different type than planned");
            };
            for (key, pv) in pf {
                let p = if is_map {
                    path.key(key)
                } else {
                    path.attr(key)
                };
                match af.get(key) {
                    Some(av) => compatible(pv, av, &p, out),
                    None => violation(out, &p, "was planned, but is missing after apply"),
                }
            }
            for key in af.keys().filter(|k| !pf.contains_key(*k)) {
                let p = if is_map {
                    path.key(key)
                } else {
                    path.attr(key)
                };
                violation(out, &p, "was not planned, but appeared after apply");
            }
        }
        Type::List(_) | Type::Tuple(_) => {
            let (Some(pe), Some(ae)) = (planned.elements(), actual.elements()) else {
                return violation(out, path, "has a different type than planned");
            };
            if pe.len() != ae.len() {
                let msg = format!(
                    "was planned with {} elements, but has {}",
                    pe.len(),
                    ae.len()
                );
                return violation(out, path, &msg);
            }
            for (i, (pv, av)) in pe.iter().zip(ae).enumerate() {
                compatible(pv, av, &path.index(i as i64), out);
            }
        }
        Type::Set(_) => set_compatible(planned, actual, path, out),
        _ => {
            if planned != actual {
                violation(
                    out,
                    path,
                    "was planned as one value, but is another after apply",
                );
            }
        }
    }
}

/// Sets: a wholly known plan must be met exactly; with unknowns, elements may coalesce (the
/// set may shrink, never grow) and every element must match some element on the other side.
fn set_compatible(planned: &Value, actual: &Value, path: &AttributePath, out: &mut Vec<Violation>) {
    if planned.is_wholly_known() {
        if planned != actual {
            violation(out, path, "set elements differ from the plan");
        }
        return;
    }
    let pe = planned.elements().unwrap_or(&[]);
    let ae = actual.elements().unwrap_or(&[]);
    if ae.len() > pe.len() {
        return violation(out, path, "set has more elements than planned");
    }
    let fits = |p: &Value, a: &Value| {
        let mut scratch = Vec::new();
        compatible(p, a, path, &mut scratch);
        scratch.is_empty()
    };
    let all_actual_planned = ae.iter().all(|a| pe.iter().any(|p| fits(p, a)));
    let all_planned_present = pe.iter().all(|p| ae.iter().any(|a| fits(p, a)));
    if !all_actual_planned || !all_planned_present {
        violation(
            out,
            path,
            "set elements do not correspond to the planned elements",
        );
    }
}

#[cfg(test)]
mod tests;
