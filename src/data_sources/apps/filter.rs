// SPDX-License-Identifier: MPL-2.0
//! The pure parts of `ehpc_apps`: the checks of its filters at plan time, the ListImages
//! request they make, the filtering the API cannot do (the name pattern, and exact names
//! again in case the service matches loosely), and the sorted entries the state shows.

use std::collections::BTreeMap;

use ehpc_alibaba::actions::{ImageSummary, DEFAULT_IMAGE_TYPE, IMAGE_TYPES};
use ehpc_alibaba::ListImages;
use regex::Regex;

use crate::data_sources::{long_text_value, text_value};
use crate::protocol::{quoted_list, Diagnostics};
use crate::provider::validate::check_region;
use crate::value::{AttributePath, Type, Value};

use super::AppsConfig;

/// The accepted values of `image_category`.
pub const IMAGE_CATEGORIES: &[&str] = &["Public", "Custom"];

/// The filters of one read, from a wholly known configuration.
#[derive(Clone, Debug)]
pub struct Filter {
    /// Sorted, as the set holds them; empty means any name.
    pub names: Vec<String>,
    pub name_regex: Option<Regex>,
    pub image_type: String,
    pub image_category: Option<String>,
}

/// One application as `apps` lists it; texts are printable only (see
/// [`crate::copies::printable`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppEntry {
    pub app_id: String,
    pub image_id: String,
    pub name: Option<String>,
    pub version: Option<String>,
    pub os_tag: Option<String>,
    pub create_time: Option<String>,
    pub description: Option<String>,
}

/// The type of one element of `apps`.
pub fn entry_type() -> Type {
    Type::object(
        [
            "app_id",
            "image_id",
            "name",
            "version",
            "os_tag",
            "create_time",
            "description",
        ]
        .map(|name| (name, Type::String)),
    )
}

/// The problem with `pattern` as a `name_regex`, if any.
pub fn regex_problem(pattern: &str) -> Option<String> {
    Regex::new(pattern)
        .err()
        .map(|e| format!("name_regex {pattern:?} is not a valid regular expression: {e}"))
}

/// Why `value` is not one of `allowed` for attribute `name`, if it is not.
fn one_of_problem(name: &str, value: &str, allowed: &[&str]) -> Option<String> {
    (!allowed.contains(&value)).then(|| {
        format!(
            "{name} must be {} (case matters); got {value:?}.",
            quoted_list(allowed).replace(" and ", " or ")
        )
    })
}

/// Checks the known values of a configuration; unknown ones pass (checked again at read).
pub fn validate(config: &AppsConfig) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(problem) = config.name_regex.known().and_then(|p| regex_problem(p)) {
        let path = AttributePath::attribute("name_regex");
        diags.attribute_error(path, "Invalid name_regex", problem);
    }
    let choices = [
        ("image_type", &config.image_type, &IMAGE_TYPES[..]),
        ("image_category", &config.image_category, IMAGE_CATEGORIES),
    ];
    for (name, attr, allowed) in choices {
        if let Some(problem) = attr.known().and_then(|v| one_of_problem(name, v, allowed)) {
            let summary = format!("Invalid {name}");
            diags.attribute_error(AttributePath::attribute(name), summary, problem);
        }
    }
    check_region(&config.region, &mut diags);
    diags
}

impl Filter {
    /// The filter of a wholly known configuration.
    ///
    /// # Errors
    /// The checks of [`validate`] (the read repeats them: a configuration may reach the read
    /// with values that were unknown when it was validated).
    pub fn from_config(config: &AppsConfig) -> Result<Filter, Diagnostics> {
        let diags = validate(config);
        if diags.has_errors() {
            return Err(diags);
        }
        let name_regex = config.name_regex.known().and_then(|p| Regex::new(p).ok());
        Ok(Filter {
            names: config
                .names
                .known()
                .map(|n| n.iter().cloned().collect())
                .unwrap_or_default(),
            name_regex,
            image_type: config
                .image_type
                .known()
                .cloned()
                .unwrap_or_else(|| DEFAULT_IMAGE_TYPE.to_string()),
            image_category: config.image_category.known().cloned(),
        })
    }

    /// The ListImages request (its pages are walked by the client).
    pub fn request(&self) -> ListImages {
        ListImages {
            image_category: self.image_category.clone(),
            image_type: Some(self.image_type.clone()),
            image_names: self.names.clone(),
            ..ListImages::default()
        }
    }

    /// Whether `entry` passes the filters the API does not apply (the pattern) or may apply
    /// loosely (exact names). Both look at the name as the state shows it.
    pub fn keeps(&self, entry: &AppEntry) -> bool {
        let name = entry.name.as_deref();
        let named =
            self.names.is_empty() || name.is_some_and(|n| self.names.iter().any(|x| x == n));
        let matched = match (&self.name_regex, name) {
            (None, _) => true,
            (Some(re), Some(n)) => re.is_match(n),
            (Some(_), None) => false,
        };
        named && matched
    }
}

/// Printable text, or `None` when the service sent none.
fn text(t: Option<&str>) -> Option<String> {
    text_value(t).as_str().map(str::to_string)
}

impl AppEntry {
    /// The entry of one listed image, printable text only.
    pub fn from_summary(image: &ImageSummary) -> AppEntry {
        AppEntry {
            app_id: text(Some(&image.app_id)).unwrap_or_default(),
            image_id: text(Some(&image.image_id)).unwrap_or_default(),
            name: text(image.name.as_deref()),
            version: text(image.version.as_deref()),
            os_tag: text(image.os_tag.as_deref()),
            create_time: text(image.create_time.as_deref()),
            description: long_text_value(image.description.as_deref())
                .as_str()
                .map(str::to_string),
        }
    }

    /// The object value of one element of `apps`.
    pub fn into_value(self) -> Value {
        let opt = |t: Option<String>| match t {
            Some(t) => Value::string(t),
            None => Value::null(Type::String),
        };
        Value::object(BTreeMap::from([
            ("app_id".to_string(), Value::string(self.app_id)),
            ("image_id".to_string(), Value::string(self.image_id)),
            ("name".to_string(), opt(self.name)),
            ("version".to_string(), opt(self.version)),
            ("os_tag".to_string(), opt(self.os_tag)),
            ("create_time".to_string(), opt(self.create_time)),
            ("description".to_string(), opt(self.description)),
        ]))
    }
}

/// The entries of the listed `images` that pass `filter`, sorted by app id (then image id,
/// so that the order never depends on the service's), with an image listed twice (pages
/// that shifted while they were walked) kept once.
pub fn select(images: &[ImageSummary], filter: &Filter) -> Vec<AppEntry> {
    let mut entries: Vec<AppEntry> = images
        .iter()
        .map(AppEntry::from_summary)
        .filter(|e| filter.keeps(e))
        .collect();
    entries.sort_by(|a, b| (&a.app_id, &a.image_id).cmp(&(&b.app_id, &b.image_id)));
    entries.dedup_by(|a, b| a.app_id == b.app_id && a.image_id == b.image_id);
    entries
}

#[cfg(test)]
mod tests;
