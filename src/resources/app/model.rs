// SPDX-License-Identifier: MPL-2.0
//! The arguments of `ehpc_app` decoded from a configuration ([`AppArgs`], the only place the
//! registry password is read), the `AddImage` call they make, and the state an import builds
//! from what the service reports.

use std::collections::BTreeMap;

use ehpc_alibaba::actions::{ContainerImageSpec, ImageDetail, RegistryCredential, VmImageSpec};
use ehpc_alibaba::AddImage;

use crate::data_sources::text_attr;
use crate::value::{Attr, DecodeError, Type, Value};

use super::schema::app_schema;

/// `VM`, the service's default image type.
pub const VM: &str = "VM";
/// The image type of container applications.
pub const CONTAINER: &str = "Container";

/// The known arguments of a configuration (at apply time every one is known).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppArgs {
    pub name: String,
    pub image_type: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub vm_image_id: Option<String>,
    pub container: Option<ContainerImageSpec>,
}

impl AppArgs {
    /// Decodes a wholly known configuration.
    ///
    /// # Errors
    /// A value that is not an object of the resource's type.
    pub fn from_config(config: &Value) -> Result<Self, DecodeError> {
        let container = first(config, "container_image")
            .map(container_spec)
            .transpose()?;
        let vm_image_id = match first(config, "vm_image") {
            Some(block) => block.get::<String>("image_id")?.known().cloned(),
            None => None,
        };
        let image_type = config
            .get::<String>("image_type")?
            .known()
            .cloned()
            .unwrap_or_else(|| default_type(container.is_some()).to_string());
        Ok(Self {
            name: config
                .get::<String>("name")?
                .known()
                .cloned()
                .unwrap_or_default(),
            image_type,
            version: config.get::<String>("version")?.known().cloned(),
            description: config.get::<String>("description")?.known().cloned(),
            vm_image_id,
            container,
        })
    }

    /// The AddImage call registering these arguments.
    pub fn add_image(&self) -> AddImage {
        AddImage {
            name: self.name.clone(),
            image_type: Some(self.image_type.clone()),
            image_version: self.version.clone(),
            description: self.description.clone(),
            vm_image_spec: self.vm_image_id.as_ref().map(|id| VmImageSpec {
                image_id: Some(id.clone()),
                ..VmImageSpec::default()
            }),
            container_image_spec: self.container.clone(),
        }
    }
}

/// The computed attributes of `ehpc_app` that a plan or an apply writes: each `Some` value
/// replaces the attribute, `None` leaves it as Terraform sent it (configured values, and
/// what a read does not report).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppComputed {
    pub image_type: Option<Attr<String>>,
    pub region: Option<Attr<String>>,
    /// The ImageId, which is also the resource's `id`.
    pub image_id: Option<String>,
    pub app_id: Option<Attr<String>>,
    pub status: Option<Attr<String>>,
    pub create_time: Option<Attr<String>>,
}

impl AppComputed {
    /// What a registration records before anything is read back: the image and its type,
    /// nothing reported yet.
    pub fn registered(image_id: &str, image_type: &str) -> Self {
        AppComputed {
            image_type: Some(Attr::Known(image_type.to_string())),
            image_id: Some(image_id.to_string()),
            app_id: Some(Attr::Null),
            status: Some(Attr::Null),
            create_time: Some(Attr::Null),
            ..AppComputed::default()
        }
    }

    /// What a GetImage answer says: the status always, the AppId and creation time when
    /// reported (text from the service, printable and bounded).
    pub fn read(detail: &ImageDetail) -> Self {
        let app_id = detail.app_id.as_deref().filter(|a| !a.is_empty());
        AppComputed {
            app_id: app_id.map(|a| text_attr(Some(a))),
            status: Some(text_attr(detail.status.as_deref())),
            create_time: detail.create_time.as_deref().map(|t| text_attr(Some(t))),
            ..AppComputed::default()
        }
    }

    /// These values, with `later`'s wherever it has one.
    pub fn then(self, later: AppComputed) -> Self {
        AppComputed {
            image_type: later.image_type.or(self.image_type),
            region: later.region.or(self.region),
            image_id: later.image_id.or(self.image_id),
            app_id: later.app_id.or(self.app_id),
            status: later.status.or(self.status),
            create_time: later.create_time.or(self.create_time),
        }
    }

    /// Writes the values this holds into `object`, a known object of the resource type.
    pub fn write(self, object: &mut Value) {
        let image_id = || self.image_id.clone().map(Attr::Known);
        let fields = [
            ("image_type", self.image_type),
            ("region", self.region),
            ("id", image_id()),
            ("image_id", image_id()),
            ("app_id", self.app_id),
            ("status", self.status),
            ("create_time", self.create_time),
        ];
        object.set_attrs(
            fields
                .into_iter()
                .filter_map(|(name, v)| Some((name, v?.into_value()))),
        );
    }
}

/// The image type planned when the configuration sets none.
pub fn default_type(has_container_block: bool) -> &'static str {
    if has_container_block {
        CONTAINER
    } else {
        VM
    }
}

/// The single element of a `max_items = 1` list block, if present.
pub fn first<'a>(v: &'a Value, block: &str) -> Option<&'a Value> {
    v.attr(block)
        .and_then(Value::elements)
        .and_then(<[Value]>::first)
}

/// How many elements a list block has; `None` while unknown.
pub fn count(v: &Value, block: &str) -> Option<usize> {
    let list = v.attr(block)?;
    if list.is_null() {
        return Some(0);
    }
    list.elements().map(<[Value]>::len)
}

fn container_spec(block: &Value) -> Result<ContainerImageSpec, DecodeError> {
    let text = |name: &str| -> Result<Option<String>, DecodeError> {
        Ok(block.get::<String>(name)?.known().cloned())
    };
    let credential = match first(block, "registry_credential") {
        Some(c) => Some(RegistryCredential {
            password: c.get::<String>("password_wo")?.known().cloned(),
            server: c.get::<String>("server")?.known().cloned(),
            user_name: c.get::<String>("user_name")?.known().cloned(),
        }),
        None => None,
    };
    Ok(ContainerImageSpec {
        is_acr_enterprise: block.get::<bool>("is_acr_enterprise")?.known().copied(),
        is_acr_registry: block.get::<bool>("is_acr_registry")?.known().copied(),
        registry_credential: credential,
        registry_cri_id: text("registry_cri_id")?,
        registry_url: text("registry_url")?,
        ..ContainerImageSpec::default()
    })
}

fn text(value: Option<&str>) -> Value {
    value.map_or_else(|| Value::null(Type::String), Value::string)
}

fn boolean(value: Option<bool>) -> Value {
    value.map_or_else(|| Value::null(Type::Bool), Value::bool)
}

/// The element type of the nested block `path` (block names, outermost first).
fn block_type(path: &[&str]) -> Type {
    let mut block = app_schema().block;
    for name in path {
        let Some(nb) = block
            .block_types
            .into_iter()
            .find(|nb| nb.type_name == *name)
        else {
            return Type::Dynamic;
        };
        block = nb.block;
    }
    block.implied_type()
}

/// The state of an imported application: its arguments as the service reports them (the
/// registry password, which it never returns, stays null), `region`, and the computed
/// attributes of `image_id` and `app_id`.
pub fn imported_state(region: &str, image_id: &str, app_id: &str, detail: &ImageDetail) -> Value {
    let kind = detail.image_type.clone().unwrap_or_else(|| VM.to_string());
    let vm_ty = block_type(&["vm_image"]);
    let container_ty = block_type(&["container_image"]);
    let credential_ty = block_type(&["container_image", "registry_credential"]);
    let vm_items = match (&detail.vm_image_spec, kind == VM) {
        (Some(spec), true) => {
            let fields = BTreeMap::from([("image_id".into(), text(spec.image_id.as_deref()))]);
            vec![Value::object(fields)]
        }
        _ => Vec::new(),
    };
    let container_items = match (&detail.container_image_spec, kind == CONTAINER) {
        (Some(spec), true) => {
            let credentials = spec
                .registry_credential
                .iter()
                .map(|c| {
                    Value::object(BTreeMap::from([
                        ("server".into(), text(c.server.as_deref())),
                        ("user_name".into(), text(c.user_name.as_deref())),
                        ("password_wo".into(), Value::null(Type::String)),
                        ("password_wo_version".into(), Value::null(Type::Number)),
                    ]))
                })
                .collect();
            vec![Value::object(BTreeMap::from([
                ("registry_url".into(), text(spec.registry_url.as_deref())),
                ("is_acr_registry".into(), boolean(spec.is_acr_registry)),
                ("is_acr_enterprise".into(), boolean(spec.is_acr_enterprise)),
                (
                    "registry_cri_id".into(),
                    text(spec.registry_cri_id.as_deref()),
                ),
                (
                    "registry_credential".into(),
                    Value::list(credential_ty, credentials),
                ),
            ]))]
        }
        _ => Vec::new(),
    };
    let timeouts_ty = block_type(&["timeouts"]);
    Value::object(BTreeMap::from([
        (
            "name".into(),
            text(detail.name.as_deref().or(Some(image_id))),
        ),
        ("image_type".into(), Value::string(kind)),
        ("version".into(), text(detail.version.as_deref())),
        ("description".into(), text(detail.description.as_deref())),
        ("region".into(), Value::string(region)),
        ("id".into(), Value::string(image_id)),
        ("app_id".into(), Value::string(app_id)),
        ("image_id".into(), Value::string(image_id)),
        ("status".into(), text(detail.status.as_deref())),
        ("create_time".into(), text(detail.create_time.as_deref())),
        ("vm_image".into(), Value::list(vm_ty, vm_items)),
        (
            "container_image".into(),
            Value::list(container_ty, container_items),
        ),
        ("timeouts".into(), Value::null(timeouts_ty)),
    ]))
}

/// The attribute `name` of `v` as known text.
pub fn known_text(v: &Value, name: &str) -> Option<String> {
    v.get::<String>(name)
        .ok()
        .and_then(|a: Attr<String>| a.known().cloned())
}

#[cfg(test)]
mod tests;
