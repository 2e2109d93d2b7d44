// SPDX-License-Identifier: MPL-2.0
//! The apps the emulator holds and the regions each has been synchronized to, optionally
//! persisted in a JSON `--state` file (`{"apps": {"<AppId>": ["<region>", ...]}}`) written
//! atomically (temporary file in the same directory, then rename) after every change.
//! An app named with `--app` exists from the start and initially holds no target region.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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
    apps: BTreeMap<String, BTreeSet<String>>,
}

/// What `save` writes: the `StateFile` layout, borrowing the map instead of copying it.
#[derive(Serialize)]
struct StateFileRef<'a> {
    apps: &'a BTreeMap<String, BTreeSet<String>>,
}

/// App id -> regions holding a synchronized copy.
#[derive(Debug)]
pub struct AppStore {
    apps: BTreeMap<String, BTreeSet<String>>,
    path: Option<PathBuf>,
}

impl AppStore {
    /// Loads `path` if it exists, then adds the configured apps that it does not know yet.
    ///
    /// # Errors
    /// The file exists but cannot be read or parsed.
    pub fn open(path: Option<PathBuf>, apps: &[String]) -> Result<Self, StoreError> {
        let mut state = match &path {
            Some(p) if p.exists() => load(p)?,
            _ => StateFile::default(),
        };
        for app in apps {
            state.apps.entry(app.clone()).or_default();
        }
        Ok(Self {
            apps: state.apps,
            path,
        })
    }

    /// The regions holding `app_id`, or `None` for an unknown app.
    pub fn regions(&self, app_id: &str) -> Option<&BTreeSet<String>> {
        self.apps.get(app_id)
    }

    /// Records `regions` for `app_id` and persists; on a write failure nothing changes.
    /// Costs O(regions) without `--state` (a bench applies thousands of apps through one
    /// emulator, so copying the whole map per call would make it quadratic).
    ///
    /// # Errors
    /// The state file cannot be written.
    pub fn add_regions(&mut self, app_id: &str, regions: &[String]) -> Result<(), StoreError> {
        let before = self.apps.get(app_id).cloned();
        self.apps
            .entry(app_id.to_string())
            .or_default()
            .extend(regions.iter().cloned());
        let Some(path) = &self.path else {
            return Ok(());
        };
        save(path, &self.apps).inspect_err(|_| match before {
            Some(held) => {
                self.apps.insert(app_id.to_string(), held);
            }
            None => {
                self.apps.remove(app_id);
            }
        })
    }

    /// Every app and its regions, for `/_emulator/apps`.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<String>> {
        self.apps
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
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

fn save(path: &Path, apps: &BTreeMap<String, BTreeSet<String>>) -> Result<(), StoreError> {
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
