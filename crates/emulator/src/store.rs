// SPDX-License-Identifier: MPL-2.0
//! The apps the emulator holds, each with its image and per-region copies (`image`),
//! optionally persisted in a JSON `--state` file written atomically (temporary file in the
//! same directory, then rename) after every change: `{"apps": {"<AppId>": {"image_id",
//! "name", "version", "created", "copies_started", "copies": {"<region>": {"image_id",
//! "started", "ready_at", "fails", "status"}}}}}`. The first format, `{"apps": {"<AppId>":
//! ["<region>", ...]}}`, still loads: its regions become ready copies. An app named with
//! `--app` exists from the start and initially holds no copy.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::app_spec::AppSpec;
use crate::image::{whole_seconds, AppRecord};

/// A failure to load or save the `--state` file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read state file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state file {path} is not valid emulator state: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write state file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Default, Deserialize)]
struct StateFile {
    #[serde(default)]
    apps: BTreeMap<String, StoredApp>,
}

/// An app in the state file: a bare list of regions (the first format, each region read as a
/// ready copy) or the full record.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StoredApp {
    Regions(BTreeSet<String>),
    Record(AppRecord),
}

/// What `save` writes: the `StateFile` layout, borrowing the map instead of copying it.
#[derive(Serialize)]
struct StateFileRef<'a> {
    apps: &'a BTreeMap<String, AppRecord>,
}

/// App id -> its image and copies.
#[derive(Debug)]
pub(crate) struct AppStore {
    apps: BTreeMap<String, AppRecord>,
    path: Option<PathBuf>,
    /// The apps `open` created (not loaded), which `redate_fresh` may re-date.
    fresh: BTreeSet<String>,
}

impl AppStore {
    /// Loads `path` if it exists, then adds the configured apps that it does not know yet,
    /// created at `now`. An app the file knows keeps its recorded image id, name and version.
    ///
    /// # Errors
    /// The file exists but cannot be read or parsed.
    pub(crate) fn open(
        path: Option<PathBuf>,
        specs: &[AppSpec],
        now: OffsetDateTime,
    ) -> Result<Self, StoreError> {
        let state = match &path {
            Some(p) if p.exists() => load(p)?,
            _ => StateFile::default(),
        };
        let spec_of = |app_id: &str| {
            specs
                .iter()
                .find(|s| s.app_id == app_id)
                .cloned()
                .unwrap_or_else(|| AppSpec::new(app_id))
        };
        let mut apps = BTreeMap::new();
        for (app_id, stored) in state.apps {
            let record = match stored {
                StoredApp::Record(record) => record,
                StoredApp::Regions(regions) => {
                    let mut record = AppRecord::new(&spec_of(&app_id), now);
                    for region in regions {
                        record.start_copy(&region, now, Duration::ZERO, false);
                    }
                    record
                }
            };
            apps.insert(app_id, record);
        }
        let mut fresh = BTreeSet::new();
        for spec in specs {
            if !apps.contains_key(&spec.app_id) {
                apps.insert(spec.app_id.clone(), AppRecord::new(spec, now));
                fresh.insert(spec.app_id.clone());
            }
        }
        Ok(Self { apps, path, fresh })
    }

    /// Dates the apps `open` created at `now` instead, as long as none has changed: the
    /// store opens before a test injects its clock, whose "now" must not precede creation.
    pub(crate) fn redate_fresh(&mut self, now: OffsetDateTime) {
        for app_id in std::mem::take(&mut self.fresh) {
            if let Some(record) = self.apps.get_mut(&app_id) {
                record.created = whole_seconds(now);
            }
        }
    }

    /// The app `app_id`, or `None` for an unknown app.
    pub(crate) fn get(&self, app_id: &str) -> Option<&AppRecord> {
        self.apps.get(app_id)
    }

    /// Every app, in AppId order (the order ListImages pages through).
    pub(crate) fn apps(&self) -> impl Iterator<Item = (&String, &AppRecord)> {
        self.apps.iter()
    }

    /// The app whose source image is `image_id`. A linear scan: GetImage is rare next to
    /// SynchronizeApp, and an index would have to follow every change.
    pub(crate) fn by_image_id(&self, image_id: &str) -> Option<(&String, &AppRecord)> {
        self.apps.iter().find(|(_, r)| r.image_id == image_id)
    }

    /// Applies `change` to the app `app_id` and persists; `Ok(None)` for an unknown app. On a
    /// write failure nothing changes. Costs O(regions of that app) without `--state` (a bench
    /// applies thousands of apps through one emulator, so copying the whole map per call
    /// would make it quadratic).
    ///
    /// # Errors
    /// The state file cannot be written.
    pub(crate) fn update<T>(
        &mut self,
        app_id: &str,
        change: impl FnOnce(&mut AppRecord) -> T,
    ) -> Result<Option<T>, StoreError> {
        let Some(record) = self.apps.get_mut(app_id) else {
            return Ok(None);
        };
        self.fresh.remove(app_id);
        let Some(path) = &self.path else {
            return Ok(Some(change(record)));
        };
        let before = record.clone();
        let out = change(record);
        match save(path, &self.apps) {
            Ok(()) => Ok(Some(out)),
            Err(e) => {
                self.apps.insert(app_id.to_string(), before);
                Err(e)
            }
        }
    }

    /// Adds the app `app_id` (AddImage) and persists; on a write failure nothing changes.
    ///
    /// # Errors
    /// The state file cannot be written.
    pub(crate) fn insert(&mut self, app_id: &str, record: AppRecord) -> Result<(), StoreError> {
        let before = self.apps.insert(app_id.to_string(), record);
        self.persist_or_undo(app_id, before)
    }

    /// Removes the app `app_id` (RemoveImage) and persists; on a write failure nothing
    /// changes. `Ok(false)` for an unknown app.
    ///
    /// # Errors
    /// The state file cannot be written.
    pub(crate) fn remove(&mut self, app_id: &str) -> Result<bool, StoreError> {
        let Some(before) = self.apps.remove(app_id) else {
            return Ok(false);
        };
        self.fresh.remove(app_id);
        self.persist_or_undo(app_id, Some(before)).map(|()| true)
    }

    /// Writes the state file after a change of `app_id`, whose earlier record was `before`;
    /// on failure puts `before` back.
    fn persist_or_undo(
        &mut self,
        app_id: &str,
        before: Option<AppRecord>,
    ) -> Result<(), StoreError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        save(path, &self.apps).inspect_err(|_| match before {
            Some(record) => {
                self.apps.insert(app_id.to_string(), record);
            }
            None => {
                self.apps.remove(app_id);
            }
        })
    }

    /// Every app and the regions holding a copy of it (whatever the copy's status), for
    /// `/_emulator/apps`.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, Vec<String>> {
        self.apps
            .iter()
            .map(|(k, v)| (k.clone(), v.copies.keys().cloned().collect()))
            .collect()
    }
}

fn load(path: &Path) -> Result<StateFile, StoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| StoreError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

fn save(path: &Path, apps: &BTreeMap<String, AppRecord>) -> Result<(), StoreError> {
    let write_err = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    let body = serde_json::to_vec_pretty(&StateFileRef { apps })
        .map_err(|e| write_err(std::io::Error::other(e)))?;
    // Same directory, so the rename is atomic: a crash leaves the old or the new file whole.
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let mut file = std::fs::File::create(&tmp).map_err(write_err)?;
    file.write_all(&body).map_err(write_err)?;
    file.sync_all().map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(write_err)
}

#[cfg(test)]
mod tests;
