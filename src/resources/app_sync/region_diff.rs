// SPDX-License-Identifier: MPL-2.0
//! The difference between the prior and planned `target_region_ids` of `ehpc_app_sync`, as pure
//! functions: the plan warns about removed regions (SynchronizeApp can only add copies), and
//! `work` sends `all` when it is added. Which explicit regions an update sends comes from the
//! copies, not from this difference (a region may be targeted and still lack a copy). A null
//! set means "no regions"; an unknown set (or one holding unknown elements, which the model
//! decodes as unknown) "may add anything".
//! `"all"` is an ordinary element here: adding it is an addition.

use std::collections::BTreeSet;

use crate::value::Attr;

/// What an update adds to the synchronized regions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Added {
    /// Nothing new.
    Nothing,
    /// These regions (sorted) are new.
    Regions(BTreeSet<String>),
    /// Not known before apply (the planned set is unknown).
    Unknown,
}

/// Regions in `planned` but not in `prior`.
pub fn added(prior: &Attr<BTreeSet<String>>, planned: &Attr<BTreeSet<String>>) -> Added {
    let planned = match planned {
        Attr::Unknown => return Added::Unknown,
        Attr::Null => return Added::Nothing,
        Attr::Known(set) => set,
    };
    // A prior set is always known in state; should it not be, calling for every planned
    // region is safe because ImageAlreadyExists answers are handled as "already there".
    let new: BTreeSet<String> = match prior.known() {
        Some(prior) => planned.difference(prior).cloned().collect(),
        None => planned.clone(),
    };
    if new.is_empty() {
        Added::Nothing
    } else {
        Added::Regions(new)
    }
}

/// Regions in `prior` but no longer in `planned` (sorted). Empty while `planned` is unknown:
/// an unknown set may still contain every prior region, and a false warning is worse than a
/// late one (the warning shows again in the apply-time plan, once the set is known).
pub fn removed(
    prior: &Attr<BTreeSet<String>>,
    planned: &Attr<BTreeSet<String>>,
) -> BTreeSet<String> {
    let Some(prior) = prior.known() else {
        return BTreeSet::new();
    };
    match planned {
        Attr::Unknown => BTreeSet::new(),
        Attr::Null => prior.clone(),
        Attr::Known(planned) => prior.difference(planned).cloned().collect(),
    }
}

#[cfg(test)]
mod tests;
