// SPDX-License-Identifier: MPL-2.0
//! The result of a data source read. Terraform only insists on a wholly known object of the
//! schema's type ("Provider produced invalid object"); this provider also insists that every
//! configured value comes back unchanged, so a data source can never rewrite what the user
//! wrote, and that every computed attribute was set by the read.

use crate::engine::codec::first_unknown;
use crate::protocol::{Attribute, Block, NestingMode};
use crate::value::{AttributePath, Value};

use super::{violation, Violation};

/// Checks `result` against the wholly known `config` of a data source whose schema is `block`.
pub(in crate::engine) fn read_violations(
    block: &Block,
    config: &Value,
    result: &Value,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let root = AttributePath::root();
    if let Err(e) = result.conforms(&block.implied_type()) {
        let message = format!("the result does not match the schema: {}", e.kind);
        out.push(Violation {
            path: e.path,
            message,
        });
        return out;
    }
    if result.is_null() {
        violation(&mut out, &root, "the read returned no object");
        return out;
    }
    check_block(block, config, result, &root, &mut out);
    out
}

fn check_block(
    block: &Block,
    config: &Value,
    result: &Value,
    path: &AttributePath,
    out: &mut Vec<Violation>,
) {
    if result.is_unknown() {
        return violation(out, path, "is unknown after the read");
    }
    match (config.is_null(), result.is_null()) {
        (true, true) => return,
        (true, false) => {
            return violation(
                out,
                path,
                "is not in the configuration, but the read set it",
            )
        }
        (false, true) => return violation(out, path, "is in the configuration, but read as null"),
        (false, false) => {}
    }
    for attr in &block.attributes {
        let name = &attr.name;
        // Both exist: `result` conforms and `config` was decoded against the same type.
        if let (Some(c), Some(r)) = (config.attr(name), result.attr(name)) {
            check_attr(attr, c, r, &path.attr(name), out);
        }
    }
    for nb in &block.block_types {
        let name = &nb.type_name;
        let (Some(c), Some(r)) = (config.attr(name), result.attr(name)) else {
            continue;
        };
        let path = path.attr(name);
        let collection = !matches!(nb.nesting, NestingMode::Single | NestingMode::Group);
        if r.is_unknown() || (collection && c.is_null() != r.is_null()) {
            check_block(&nb.block, c, r, &path, out);
            continue;
        }
        match nb.nesting {
            NestingMode::Single | NestingMode::Group => check_block(&nb.block, c, r, &path, out),
            NestingMode::List => {
                let (ce, re) = (c.elements().unwrap_or(&[]), r.elements().unwrap_or(&[]));
                if ce.len() != re.len() {
                    count_changed(out, &path, ce.len(), re.len());
                    continue;
                }
                for (i, (c, r)) in ce.iter().zip(re).enumerate() {
                    check_block(&nb.block, c, r, &path.index(i as i64), out);
                }
            }
            NestingMode::Map => {
                let empty = Default::default();
                let (cf, rf) = (c.fields().unwrap_or(&empty), r.fields().unwrap_or(&empty));
                for key in cf.keys().chain(rf.keys().filter(|k| !cf.contains_key(*k))) {
                    let null = || Value::null(nb.block.implied_type());
                    let c = cf.get(key).cloned().unwrap_or_else(null);
                    let r = rf.get(key).cloned().unwrap_or_else(null);
                    check_block(&nb.block, &c, &r, &path.key(key), out);
                }
            }
            // NOTE(protocol): set elements cannot be addressed or correlated with the
            // configuration, so a set of blocks is checked as a whole.
            NestingMode::Set => {
                let (ce, re) = (c.elements().unwrap_or(&[]), r.elements().unwrap_or(&[]));
                if !r.is_wholly_known() {
                    violation(out, &path, "contains unknown values after the read");
                } else if ce.len() != re.len() {
                    count_changed(out, &path, ce.len(), re.len());
                } else if !has_computed(&nb.block) && c != r {
                    violation(out, &path, "the read changed the configured blocks");
                }
            }
        }
    }
}

fn check_attr(
    attr: &Attribute,
    config: &Value,
    result: &Value,
    path: &AttributePath,
    out: &mut Vec<Violation>,
) {
    if result.is_unknown() {
        let message = if attr.computed && config.is_null() {
            "is computed, but the read did not set it (a read sets null when there is no value)"
        } else {
            "is unknown after the read"
        };
        return violation(out, path, message);
    }
    if !config.is_null() {
        if result != config {
            violation(out, path, "the read changed the configured value");
        }
        return;
    }
    if !attr.computed {
        if !result.is_null() {
            violation(
                out,
                path,
                "is not set in the configuration and not computed, but the read set it",
            );
        }
        return;
    }
    if !result.is_wholly_known() {
        let at = first_unknown(result, path.clone());
        violation(out, &at, "is unknown after the read");
    }
}

fn count_changed(out: &mut Vec<Violation>, path: &AttributePath, config: usize, result: usize) {
    let message = format!("the configuration has {config} blocks, but the read returned {result}");
    violation(out, path, &message);
}

/// Whether any attribute in `block` or its nested blocks is computed.
fn has_computed(block: &Block) -> bool {
    block.attributes.iter().any(|a| a.computed)
        || block.block_types.iter().any(|nb| has_computed(&nb.block))
}

#[cfg(test)]
mod tests;
