// SPDX-License-Identifier: MPL-2.0
//! The engine's boundary with the wire form: DynamicValue in and out, and the diagnostics
//! that report a bad value from Terraform or a bad answer from the provider.
//!
//! Nothing here panics on input: every failure becomes an error [`Diagnostic`] carrying the
//! [`crate::value::AttributePath`] of the problem. No value is ever copied into a message.

use crate::protocol::{Diagnostic, DynamicValue};
use crate::value::{AttributePath, DecodeError, DecodeErrorKind, Type, Value};

/// Decodes `dv` (the request field `what`, e.g. "prior state") as `ty`.
///
/// NOTE(protocol): an absent DynamicValue, or one with neither msgpack nor JSON bytes (proto3's
/// default message), means null.
pub(super) fn decode(
    dv: Option<&DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostic> {
    match dv {
        None => Ok(Value::null(ty.clone())),
        Some(dv) if dv.msgpack.is_empty() && dv.json.is_empty() => Ok(Value::null(ty.clone())),
        Some(dv) => dv.decode(ty).map_err(|e| invalid_value(what, &e)),
    }
}

/// Encodes `v` as `ty` in msgpack. A failure means the provider built a value of the wrong
/// type, so it is reported as a provider bug.
pub(super) fn encode(v: &Value, ty: &Type, what: &str) -> Result<DynamicValue, Diagnostic> {
    DynamicValue::encode(v, ty).map_err(|e| {
        provider_bug(
            format!("Provider produced an invalid {what}"),
            format!("The {what} could not be encoded: {}.", e.kind),
        )
        .at(e.path)
    })
}

/// Encodes `v` for a response field, pushing the failure (if any) to `diagnostics`.
pub(super) fn encode_into(
    v: &Value,
    ty: &Type,
    what: &str,
    diagnostics: &mut crate::protocol::Diagnostics,
) -> Option<DynamicValue> {
    match encode(v, ty, what) {
        Ok(dv) => Some(dv),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// "Invalid <what> value": Terraform sent something that does not fit the schema.
pub(super) fn invalid_value(what: &str, e: &DecodeError) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {what} value"),
        format!(
            "The {what} sent by Terraform does not match the schema: {}. This usually means \
             Terraform and the provider disagree about the schema; re-run `terraform init`.",
            describe(&e.kind)
        ),
    )
    .at(e.path.clone())
}

/// The problem without the offending input: a rejected number is echoed by its error kind, and
/// the value may be sensitive.
fn describe(kind: &DecodeErrorKind) -> String {
    match kind {
        DecodeErrorKind::InvalidNumber(_) => "invalid number".to_string(),
        other => other.to_string(),
    }
}

/// An error diagnostic for a broken rule that only a provider bug can cause.
pub(super) fn provider_bug(summary: impl Into<String>, detail: impl AsRef<str>) -> Diagnostic {
    Diagnostic::error(
        summary,
        format!(
            "{} This is a bug in the provider, which should be reported in the provider's own \
             issue tracker.",
            detail.as_ref()
        ),
    )
}

/// Checks a state the provider returned: it must conform to `ty` and be wholly known.
/// `what` names the RPC result, e.g. "state after apply".
pub(super) fn check_state(v: &Value, ty: &Type, type_name: &str, what: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Err(e) = v.conforms(ty) {
        out.push(
            provider_bug(
                format!("Provider produced an invalid {what}"),
                format!(
                    "The {what} of {type_name} does not match its schema: {}.",
                    e.kind
                ),
            )
            .at(e.path),
        );
    } else if !v.is_wholly_known() {
        out.push(
            provider_bug(
                format!("Provider produced an invalid {what}"),
                format!("The {what} of {type_name} still contains unknown values."),
            )
            .at(first_unknown(v, AttributePath::root())),
        );
    }
    out
}

/// The path of the first unknown value inside `v` (the root when `v` itself is unknown).
pub(super) fn first_unknown(v: &Value, path: AttributePath) -> AttributePath {
    if v.is_unknown() {
        return path;
    }
    let fields = v.fields().into_iter().flatten();
    let is_map = matches!(v.ty(), Type::Map(_));
    for (name, child) in fields {
        if !child.is_wholly_known() {
            let step = if is_map {
                path.key(name)
            } else {
                path.attr(name)
            };
            return first_unknown(child, step);
        }
    }
    // NOTE(protocol): set elements cannot be addressed, so a set stops the walk at the set.
    if !matches!(v.ty(), Type::Set(_)) {
        for (i, child) in v.elements().unwrap_or(&[]).iter().enumerate() {
            if !child.is_wholly_known() {
                return first_unknown(child, path.index(i as i64));
            }
        }
    }
    path
}
