// SPDX-License-Identifier: MPL-2.0
//! [`AppSyncModel`]: `ehpc_app_sync` as typed fields, converted from and to [`Value`]s of the
//! schema's implied type; [`Computed`]: the attributes a plan or an apply writes. Both name
//! the attributes here and nowhere else. A set holding unknown elements decodes as wholly
//! unknown: the plan logic only needs to know that it may add regions (validation reads the
//! known elements with [`known_targets`]), and a plan never rewrites configured values.

use std::collections::{BTreeMap, BTreeSet};

use crate::copies::Copies;

use super::timeouts::TimeoutKind;
use crate::value::{
    Attr, AttributePath, DecodeError, DecodeErrorKind, FromValue, IntoValue, Type, Value,
};

/// One `ehpc_app_sync` object (config, plan or state). `C` is the type of `copies`: the
/// copies of a state ([`Copies`], the default), or those of a plan, whose entries may be
/// unknown ([`super::work::PlannedCopies`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppSyncModel<C = Copies> {
    pub app_id: Attr<String>,
    pub target_region_ids: Attr<BTreeSet<String>>,
    pub region: Attr<String>,
    /// Null means true.
    pub wait_for_copies: Attr<bool>,
    pub request_id: Attr<String>,
    pub id: Attr<String>,
    pub image_id: Attr<String>,
    pub copies: Attr<C>,
    pub copies_ready: Attr<bool>,
    pub timeouts: Attr<TimeoutsModel>,
}

/// The computed attributes of `ehpc_app_sync`: what a plan decides and an apply records. A
/// plan writes only these into the engine's planned value, so configured values reach
/// Terraform exactly as it sent them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed<C> {
    pub id: Attr<String>,
    pub region: Attr<String>,
    pub request_id: Attr<String>,
    pub image_id: Attr<String>,
    pub copies: Attr<C>,
    pub copies_ready: Attr<bool>,
}

impl<C: IntoValue> Computed<C> {
    /// The attributes by name.
    fn fields(self) -> [(&'static str, Value); 6] {
        [
            ("id", self.id.into_value()),
            ("region", self.region.into_value()),
            ("request_id", self.request_id.into_value()),
            ("image_id", self.image_id.into_value()),
            ("copies", self.copies.into_value()),
            ("copies_ready", self.copies_ready.into_value()),
        ]
    }

    /// Writes these attributes into `object`, a known object of the resource type.
    pub fn write(self, object: &mut Value) {
        object.set_attrs(self.fields());
    }
}

/// The `timeouts` block: Go-style durations, null meaning the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeoutsModel {
    pub create: Attr<String>,
    pub update: Attr<String>,
}

impl TimeoutsModel {
    /// The attribute that holds the timeout of `kind`; `None` when the block has none (a
    /// delete makes no call, so it has no timeout).
    pub fn of(&self, kind: TimeoutKind) -> Option<&Attr<String>> {
        match kind {
            TimeoutKind::Create => Some(&self.create),
            TimeoutKind::Update => Some(&self.update),
            TimeoutKind::Delete => None,
        }
    }
}

fn string_set_type() -> Type {
    Type::Set(Box::new(Type::String))
}

fn timeouts_type() -> Type {
    Type::object([("create", Type::String), ("update", Type::String)])
}

/// The known elements of `target_region_ids` in `object` (a configuration, which may hold
/// unknown elements), skipping unknown ones; empty when the set is null or unknown.
pub fn known_targets(object: &Value) -> Vec<String> {
    object
        .attr("target_region_ids")
        .and_then(Value::elements)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn decode_set(object: &Value, name: &str) -> Result<Attr<BTreeSet<String>>, DecodeError> {
    let path = AttributePath::attribute(name);
    let Some(v) = object.attr(name) else {
        return Err(DecodeError::new(
            path,
            DecodeErrorKind::MissingAttribute(name.to_string()),
        ));
    };
    if v.is_null() {
        return Ok(Attr::Null);
    }
    if !v.is_wholly_known() {
        return Ok(Attr::Unknown);
    }
    let items = v.elements().ok_or_else(|| {
        DecodeError::new(
            path.clone(),
            DecodeErrorKind::TypeMismatch {
                expected: "set of string".into(),
                found: format!("{:?}", v.ty()),
            },
        )
    })?;
    let mut set = BTreeSet::new();
    for item in items {
        let s = item.as_str().ok_or_else(|| {
            DecodeError::new(
                path.clone(),
                DecodeErrorKind::TypeMismatch {
                    expected: "string".into(),
                    found: format!("{:?}", item.ty()),
                },
            )
        })?;
        set.insert(s.to_string());
    }
    Ok(Attr::Known(set))
}

impl<C: FromValue + IntoValue + Clone> AppSyncModel<C> {
    /// Decodes a known object of the resource type (config, plan or state).
    ///
    /// # Errors
    /// A value that is not an object of the resource type.
    pub fn from_value(v: &Value) -> Result<Self, DecodeError> {
        let timeouts = match v.attr("timeouts") {
            None => {
                return Err(DecodeError::new(
                    AttributePath::attribute("timeouts"),
                    DecodeErrorKind::MissingAttribute("timeouts".into()),
                ))
            }
            Some(t) if t.is_null() => Attr::Null,
            Some(t) if t.is_unknown() => Attr::Unknown,
            Some(t) => Attr::Known(TimeoutsModel {
                create: t.get("create")?,
                update: t.get("update")?,
            }),
        };
        Ok(Self {
            app_id: v.get("app_id")?,
            target_region_ids: decode_set(v, "target_region_ids")?,
            region: v.get("region")?,
            wait_for_copies: v.get("wait_for_copies")?,
            request_id: v.get("request_id")?,
            id: v.get("id")?,
            image_id: v.get("image_id")?,
            copies: v.get("copies")?,
            copies_ready: v.get("copies_ready")?,
            timeouts,
        })
    }

    /// The object value of the resource type.
    pub fn to_value(&self) -> Value {
        let targets = match &self.target_region_ids {
            Attr::Null => Value::null(string_set_type()),
            Attr::Unknown => Value::unknown(string_set_type()),
            Attr::Known(set) => Value::set(Type::String, set.iter().map(Value::string).collect()),
        };
        let timeouts = match &self.timeouts {
            Attr::Null => Value::null(timeouts_type()),
            Attr::Unknown => Value::unknown(timeouts_type()),
            Attr::Known(t) => Value::object(BTreeMap::from([
                ("create".to_string(), t.create.clone().into_value()),
                ("update".to_string(), t.update.clone().into_value()),
            ])),
        };
        let configured = [
            ("app_id", self.app_id.clone().into_value()),
            ("target_region_ids", targets),
            ("wait_for_copies", self.wait_for_copies.clone().into_value()),
            ("timeouts", timeouts),
        ];
        let fields = configured.into_iter().chain(self.computed().fields());
        Value::object(fields.map(|(name, v)| (name.to_string(), v)).collect())
    }

    /// The computed attributes.
    pub fn computed(&self) -> Computed<C> {
        Computed {
            id: self.id.clone(),
            region: self.region.clone(),
            request_id: self.request_id.clone(),
            image_id: self.image_id.clone(),
            copies: self.copies.clone(),
            copies_ready: self.copies_ready.clone(),
        }
    }
}

impl<C> AppSyncModel<C> {
    /// Whether applies wait for copies (`wait_for_copies`, true unless set to false).
    pub fn waits(&self) -> bool {
        self.wait_for_copies.known() != Some(&false)
    }

    /// The target regions, sorted; empty when null (unknown only happens before apply).
    pub fn targets(&self) -> Vec<String> {
        self.target_region_ids
            .known()
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
