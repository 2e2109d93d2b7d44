// SPDX-License-Identifier: MPL-2.0
//! What the emulator knows of each app's image: the source image (`m-…` ImageId, name,
//! version, creation time) and one copy per region that SynchronizeApp started. A copy's
//! status is computed from the clock whenever it is read (no background task): `Creating`
//! until its ready time (`--copy-seconds` after the SynchronizeApp that started it), then
//! `Available`, or `CreateFailed` for a region named by `--fail-copies-to`. The admin route
//! may pin any status word instead. These words are ECS image statuses: the EhpcInstant
//! documentation names none (see docs §1.1).

use std::collections::{BTreeMap, BTreeSet};

use ehpc_alibaba::actions::ContainerImageSpec;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::app_spec::AppSpec;
use crate::ids;

/// A copy still being made.
pub(crate) const CREATING: &str = "Creating";
/// A usable copy.
pub(crate) const AVAILABLE: &str = "Available";
/// A copy whose creation failed (`--fail-copies-to`).
pub(crate) const CREATE_FAILED: &str = "CreateFailed";
/// ECS's other failed status; like `CreateFailed`, it lets SynchronizeApp start a new copy.
pub(crate) const UNAVAILABLE: &str = "UnAvailable";

/// An app's image and its copies, as kept in the `--state` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AppRecord {
    /// The source image id (`VMImageSpec.ImageId`, what GetImage takes).
    pub image_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `Container` for a container application; `None` is a VM one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    #[serde(with = "seconds")]
    pub created: OffsetDateTime,
    /// Copies started so far (deleted ones included), so that a new copy's image id never
    /// repeats an earlier one's.
    #[serde(default)]
    pub copies_started: u64,
    /// Region -> its copy.
    #[serde(default)]
    pub copies: BTreeMap<String, ImageCopy>,
    /// Set for an app registered by AddImage (its type, description, container spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Box<Registration>>,
}

/// What AddImage recorded beyond what every app has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Registration {
    /// `VM` or `Container`.
    pub image_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The container spec as sent, its registry password removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_image_spec: Option<ContainerImageSpec>,
    /// Set by the admin knob: RemoveImage answers `ImageInUse`.
    #[serde(default)]
    pub in_use: bool,
    /// Whether AddImage received a non-empty registry password (which is not kept).
    #[serde(default)]
    pub password_received: bool,
}

/// The copy of an image in one region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ImageCopy {
    /// The copy's own image id in that region.
    pub image_id: String,
    /// When the SynchronizeApp that started it was applied.
    #[serde(with = "seconds")]
    pub started: OffsetDateTime,
    /// When it stops being `Creating`.
    #[serde(with = "seconds")]
    pub ready_at: OffsetDateTime,
    /// Decided when the copy starts (`--fail-copies-to`): it ends `CreateFailed`.
    #[serde(default)]
    pub fails: bool,
    /// A status pinned by `PUT /_emulator/apps/{app}/copies/{region}`, shown verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl ImageCopy {
    /// The status reported at `now`.
    pub(crate) fn status(&self, now: OffsetDateTime) -> &str {
        match &self.status {
            Some(pinned) => pinned,
            None if now < self.ready_at => CREATING,
            None if self.fails => CREATE_FAILED,
            None => AVAILABLE,
        }
    }

    /// Whether the copy is pending or ready (or holds a status word the emulator does not
    /// know, treated like pending): SynchronizeApp to its region answers `ImageAlreadyExists`.
    pub(crate) fn is_live(&self, now: OffsetDateTime) -> bool {
        !matches!(self.status(now), CREATE_FAILED | UNAVAILABLE)
    }
}

impl AppRecord {
    /// A new app from its configuration, created at `now`, with no copy yet.
    pub(crate) fn new(spec: &AppSpec, now: OffsetDateTime) -> Self {
        Self {
            image_id: spec
                .image_id
                .clone()
                .unwrap_or_else(|| ids::image_id(&spec.app_id)),
            name: spec.name.clone(),
            version: spec.version.clone(),
            image_type: spec.image_type.clone().filter(|t| t != "VM"),
            created: whole_seconds(now),
            copies_started: 0,
            copies: BTreeMap::new(),
            registration: None,
        }
    }

    /// A new app registered by AddImage with `image_id`, at `now`, with no copy yet.
    pub(crate) fn registered(image_id: &str, now: OffsetDateTime) -> Self {
        Self {
            image_id: image_id.to_string(),
            name: None,
            version: None,
            image_type: None,
            created: whole_seconds(now),
            copies_started: 0,
            copies: BTreeMap::new(),
            registration: None,
        }
    }

    /// The app's `ImageType`, `VM` or `Container`: what AddImage recorded, else what `--app`
    /// said (`type=Container`), else `VM`.
    pub(crate) fn image_type(&self) -> &str {
        match &self.registration {
            Some(registered) => registered.image_type.as_str(),
            None => self.image_type.as_deref().unwrap_or("VM"),
        }
    }

    /// The regions whose copy is pending or ready at `now`.
    pub(crate) fn live_regions(&self, now: OffsetDateTime) -> BTreeSet<String> {
        self.copies
            .iter()
            .filter(|(_, copy)| copy.is_live(now))
            .map(|(region, _)| region.clone())
            .collect()
    }

    /// Starts a copy in `region` at `now`, replacing a failed one, with a fresh image id.
    pub(crate) fn start_copy(
        &mut self,
        region: &str,
        now: OffsetDateTime,
        copy_time: time::Duration,
        fails: bool,
    ) {
        self.copies_started += 1;
        let seed = format!("{}/{region}/{}", self.image_id, self.copies_started);
        let started = whole_seconds(now);
        // From the exact time of the call, not the second it is recorded at: a copy is never
        // ready before `copy_time` has passed, which tests of waiting rely on (a state file
        // keeps whole seconds, so after a restart it may be ready up to a second early).
        // Saturates: a huge copy time means "never ready", not a panic.
        let ready_at = now.checked_add(copy_time).unwrap_or(FOREVER);
        let copy = ImageCopy {
            image_id: ids::image_id(&seed),
            started,
            ready_at,
            fails,
            status: None,
        };
        self.copies.insert(region.to_string(), copy);
    }
}

/// The last second `YYYY-MM-DDTHH:MM:SSZ` can write.
const FOREVER: OffsetDateTime = time::macros::datetime!(9999-12-31 23:59:59 UTC);

/// Times are kept to the second, as the state file and the API answers write them, so that a
/// restart changes no status.
pub(crate) fn whole_seconds(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(0).unwrap_or(at)
}

/// `YYYY-MM-DDTHH:MM:SSZ` in the state file, as in API answers.
mod seconds {
    use ehpc_alibaba::timestamp;
    use serde::{Deserialize as _, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub(super) fn serialize<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp::format(*at))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a UTC timestamp: {text:?}")))
    }
}

#[cfg(test)]
mod tests;
