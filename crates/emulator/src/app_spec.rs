// SPDX-License-Identifier: MPL-2.0
//! [`AppSpec`]: one app the emulator holds from the start, as `--app` or the `apps` list of
//! `--config` give it. Syntax: `APP_ID[=IMAGE_ID][,name=NAME][,version=VERSION][,type=TYPE]`,
//! e.g. `ci-vm-abc`, `ci-vm-abc=m-solver01`, `ci-vm-abc,name=solver,version=v2` or
//! `ci-ctr-abc,type=Container` (a container application; `VM` by default). In `--config` an
//! entry is that same string or an object `{"app_id", "image_id", "name", "version",
//! "image_type"}` (only `app_id` required). Without an ImageId, one is derived from the AppId
//! ([`crate::ids::image_id`]) so that a plain `--app APP_ID` gets the same one on every run.

use std::fmt;
use std::str::FromStr;

use ehpc_alibaba::actions::IMAGE_TYPES;
use serde::Deserialize;

/// An app that exists from the start, with its image identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "SpecForm")]
pub struct AppSpec {
    pub app_id: String,
    /// `m-…`; derived from the AppId when `None`.
    pub image_id: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    /// `VM` (when `None`) or `Container`.
    pub image_type: Option<String>,
}

/// The two shapes an entry of the `apps` list may take in `--config`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SpecForm {
    Text(SpecText),
    Object(SpecObject),
}

/// The string form, parsed with [`AppSpec::from_str`] while deserializing.
#[derive(Deserialize)]
#[serde(try_from = "String")]
struct SpecText(AppSpec);

impl TryFrom<String> for SpecText {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        text.parse().map(SpecText)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecObject {
    app_id: String,
    #[serde(default)]
    image_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    image_type: Option<String>,
}

impl From<SpecForm> for AppSpec {
    fn from(form: SpecForm) -> Self {
        match form {
            SpecForm::Text(SpecText(spec)) => spec,
            SpecForm::Object(o) => AppSpec {
                app_id: o.app_id,
                image_id: o.image_id,
                name: o.name,
                version: o.version,
                image_type: o.image_type,
            },
        }
    }
}

impl AppSpec {
    /// An app with only an AppId (ImageId derived, no name or version).
    pub fn new(app_id: &str) -> Self {
        Self {
            app_id: app_id.to_string(),
            ..Self::default()
        }
    }

    /// Checks what parsing cannot see in the object form: non-empty ids, an `m-` ImageId.
    ///
    /// # Errors
    /// A description of the first problem.
    pub fn validate(&self) -> Result<(), String> {
        if self.app_id.is_empty() || self.app_id.contains([',', '=']) {
            return Err(format!(
                "app id {:?} must be non-empty, without , or =",
                self.app_id
            ));
        }
        if let Some(id) = &self.image_id {
            if !id.starts_with("m-") || id.len() < 3 || id.contains(',') {
                return Err(format!(
                    "image id {id:?} of app {} must look like m-…",
                    self.app_id
                ));
            }
        }
        if let Some(t) = self
            .image_type
            .as_deref()
            .filter(|t| !IMAGE_TYPES.contains(t))
        {
            return Err(format!(
                "app {}: type {t:?} must be VM or Container",
                self.app_id
            ));
        }
        let empty = |v: &Option<String>| v.as_deref().is_some_and(str::is_empty);
        if empty(&self.name) || empty(&self.version) {
            return Err(format!(
                "app {}: name and version must not be empty",
                self.app_id
            ));
        }
        Ok(())
    }
}

impl FromStr for AppSpec {
    type Err = String;

    /// `APP_ID[=IMAGE_ID][,name=NAME][,version=VERSION][,type=TYPE]`.
    fn from_str(text: &str) -> Result<Self, String> {
        let mut parts = text.split(',');
        let head = parts.next().unwrap_or_default();
        let mut spec = match head.split_once('=') {
            Some((app, image)) => AppSpec {
                image_id: Some(image.to_string()),
                ..AppSpec::new(app)
            },
            None => AppSpec::new(head),
        };
        for part in parts {
            match part.split_once('=') {
                Some(("name", v)) => spec.name = Some(v.to_string()),
                Some(("version", v)) => spec.version = Some(v.to_string()),
                Some(("type", v)) => spec.image_type = Some(v.to_string()),
                _ => {
                    return Err(format!(
                        "{text:?}: expected \
                         APP_ID[=IMAGE_ID][,name=NAME][,version=VERSION][,type=TYPE]"
                    ))
                }
            }
        }
        spec.validate()?;
        Ok(spec)
    }
}

impl fmt::Display for AppSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.app_id)?;
        if let Some(image) = &self.image_id {
            write!(f, "={image}")?;
        }
        if let Some(name) = &self.name {
            write!(f, ",name={name}")?;
        }
        if let Some(version) = &self.version {
            write!(f, ",version={version}")?;
        }
        if let Some(image_type) = &self.image_type {
            write!(f, ",type={image_type}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
