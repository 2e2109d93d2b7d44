// SPDX-License-Identifier: MPL-2.0
//! The copies of an application as `ehpc_app_sync` and the `ehpc_app` data source show them
//! (`copies`, keyed by region): what an answer of GetImage becomes in state, and which
//! regions hold a copy. Status words are documented nowhere, so a word the client's table
//! does not know is kept verbatim and never counts as failed.

use std::collections::{BTreeMap, BTreeSet};

use ehpc_alibaba::actions::ImageDetail;
use ehpc_alibaba::region::is_region_id;
use ehpc_alibaba::{sanitize, CopyStatus};

use crate::value::{Attr, AttributePath, DecodeError, FromValue, IntoValue, Type, Value};

/// The status recorded for a region that SynchronizeApp accepted or said already holds the
/// application while GetImage does not list it: the region stays in state (a refresh does not
/// drop it), so no configuration can make the plan flip forever between "add" and "already
/// exists".
pub const NOT_REPORTED: &str = "NotReported";

/// The status a refresh records for a copy that GetImage listed before and no longer lists
/// (deleted behind Terraform's back): the region keeps its key, so the plan can show and
/// explain the repair instead of a region silently vanishing from state.
pub const MISSING: &str = "Missing";

/// Characters kept at most of a status word or image id from the service.
const MAX_TEXT: usize = 128;

/// One region's copy: its own image id (empty when not reported) and status, verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyModel {
    pub image_id: String,
    pub status: String,
}

/// The copies by region.
pub type Copies = BTreeMap<String, CopyModel>;

impl CopyModel {
    /// The copy of a region SynchronizeApp reported as present but GetImage did not list.
    pub fn not_reported() -> Self {
        CopyModel {
            image_id: String::new(),
            status: NOT_REPORTED.to_string(),
        }
    }

    /// The class of this copy's status ([`NOT_REPORTED`] is unknown to the table, on purpose).
    pub fn class(&self) -> CopyStatus {
        CopyStatus::classify(&self.status)
    }
}

/// The type of one copy: `object({image_id = string, status = string})`.
pub fn copy_type() -> Type {
    Type::object([("image_id", Type::String), ("status", Type::String)])
}

impl FromValue for CopyModel {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        let field = |name: &str| -> Result<String, DecodeError> {
            let attr: Attr<String> = match v.attr(name) {
                Some(x) => Attr::from_value(x, &path.attr(name))?,
                None => Attr::Null,
            };
            Ok(attr.known().cloned().unwrap_or_default())
        };
        Ok(CopyModel {
            image_id: field("image_id")?,
            status: field("status")?,
        })
    }
}

impl IntoValue for CopyModel {
    fn value_type() -> Type {
        copy_type()
    }
    fn into_value(self) -> Value {
        Value::object(BTreeMap::from([
            ("image_id".to_string(), Value::string(self.image_id)),
            ("status".to_string(), Value::string(self.status)),
        ]))
    }
}

/// Text from the service as it may stand in state (and so on a terminal): through the
/// client's one sanitiser, bounded.
pub(crate) fn plain(text: Option<&str>) -> String {
    printable(text.unwrap_or_default(), MAX_TEXT)
}

/// `text` through the client's one sanitiser (control characters replaced, escape sequences
/// would reach the user's terminal through `terraform show`), at most `max` characters.
/// Shared by every value read from the service; longer free text (descriptions) passes a
/// larger bound.
pub(crate) fn printable(text: &str, max: usize) -> String {
    sanitize(text, &[], max)
}

/// The copies an answer of GetImage lists. Entries whose region is not a region id are
/// skipped: they cannot be a target region, and a key must not carry arbitrary text.
pub fn copies_of(image: &ImageDetail) -> Copies {
    image
        .additional_regions_info
        .iter()
        .filter(|c| is_region_id(&c.region_id))
        .map(|c| {
            let copy = CopyModel {
                image_id: plain(c.image_id.as_deref()),
                status: plain(c.status.as_deref()),
            };
            (c.region_id.clone(), copy)
        })
        .collect()
}

/// `read` with the regions `prior` recorded as not reported carried over where `read` still
/// does not list them.
pub fn keep_not_reported(mut read: Copies, prior: &Copies) -> Copies {
    for (region, copy) in prior {
        if copy.status == NOT_REPORTED {
            read.entry(region.clone()).or_insert_with(|| copy.clone());
        }
    }
    read
}

/// What a refresh records: `read` (the copies GetImage lists now), plus the regions `prior`
/// knew that `read` does not list: [`NOT_REPORTED`] and [`MISSING`] entries stay as they are,
/// any other copy becomes [`MISSING`] (keeping its last image id, for the record).
pub fn with_vanished(mut read: Copies, prior: &Copies) -> Copies {
    for (region, copy) in prior {
        read.entry(region.clone())
            .or_insert_with(|| match copy.status.as_str() {
                NOT_REPORTED | MISSING => copy.clone(),
                _ => CopyModel {
                    image_id: copy.image_id.clone(),
                    status: MISSING.to_string(),
                },
            });
    }
    read
}

/// Whether this entry is one the provider wrote itself ([`NOT_REPORTED`], [`MISSING`]) rather
/// than a status word GetImage reported.
pub fn is_provider_status(copy: &CopyModel) -> bool {
    copy.status == NOT_REPORTED || copy.status == MISSING
}

/// Whether `region` holds a copy that is not failed nor missing (ready, pending, unknown or
/// not reported).
pub fn holds_copy(copies: &Copies, region: &str) -> bool {
    copies
        .get(region)
        .is_some_and(|c| c.class() != CopyStatus::Failed && c.status != MISSING)
}

/// The regions holding a ready or pending copy: what an import sets `target_region_ids` to.
pub fn live_regions(copies: &Copies) -> BTreeSet<String> {
    copies
        .iter()
        .filter(|(_, c)| c.class().is_live())
        .map(|(r, _)| r.clone())
        .collect()
}

#[cfg(test)]
mod tests;
