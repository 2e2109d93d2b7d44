// SPDX-License-Identifier: MPL-2.0
//! Write-only attributes (tfplugin6.8, Terraform ≥ 1.11): their values come with the
//! configuration and must be null in every object the provider returns (plan, apply result,
//! refresh, import), so they never reach a plan or state file. The engine nulls them in each
//! answer itself, so no resource can leak one by forgetting.

use crate::protocol::{Block, NestingMode};
use crate::value::{Type, Value};

/// `v` with every write-only attribute of `block` (nested blocks included) set to null.
pub(super) fn strip(block: &Block, mut v: Value) -> Value {
    if v.fields().is_none() || !has_write_only(block) {
        return v; // null, unknown, or nothing to strip
    }
    for attr in block.attributes.iter().filter(|a| a.write_only) {
        if v.attr(&attr.name).is_some() {
            let ty = attr.ty.clone().unwrap_or(Type::Dynamic);
            v.set_attr(&attr.name, Value::null(ty));
        }
    }
    for nb in block
        .block_types
        .iter()
        .filter(|nb| has_write_only(&nb.block))
    {
        let Some(current) = v.attr(&nb.type_name).cloned() else {
            continue;
        };
        let elem_ty = nb.block.implied_type();
        let each = |e: &Value| strip(&nb.block, e.clone());
        let stripped = match nb.nesting {
            NestingMode::Single | NestingMode::Group => strip(&nb.block, current),
            NestingMode::List => match current.elements() {
                Some(items) => Value::list(elem_ty, items.iter().map(each).collect()),
                None => current,
            },
            NestingMode::Set => match current.elements() {
                Some(items) => Value::set(elem_ty, items.iter().map(each).collect()),
                None => current,
            },
            NestingMode::Map => match current.fields() {
                Some(entries) => {
                    let entries = entries.iter().map(|(k, e)| (k.clone(), each(e))).collect();
                    Value::map(elem_ty, entries)
                }
                None => current,
            },
        };
        v.set_attr(&nb.type_name, stripped);
    }
    v
}

/// Whether `block` or a block nested in it has a write-only attribute.
pub(super) fn has_write_only(block: &Block) -> bool {
    block.attributes.iter().any(|a| a.write_only)
        || block.block_types.iter().any(|nb| has_write_only(&nb.block))
}

#[cfg(test)]
mod tests;
