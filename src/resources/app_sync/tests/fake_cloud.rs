// SPDX-License-Identifier: MPL-2.0
//! A fake EhpcInstant for the apply, wait and refresh tests: one application whose copies
//! follow scripted status words (one word per GetImage after the copy started; the last
//! word repeats), with every call counted.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ehpc_alibaba::actions::{ImageDetail, ImageSummary, RegionCopy};
use ehpc_alibaba::{
    ApiError, CallOptions, Error, GetImage, ListImages, SynchronizeApp, SynchronizeAppResponse,
};

use crate::provider::cloud::{ImagesApi, SyncApi};

pub(crate) const APP: &str = "app-1";
pub(crate) const IMAGE: &str = "m-app1";

/// One copy: its status script and how many GetImage answers reported it.
#[derive(Clone, Debug)]
struct Copy {
    script: Vec<&'static str>,
    seen: usize,
}

#[derive(Default)]
pub(crate) struct State {
    /// `false`: ListImages does not list the app (`find_app` answers `None`).
    pub listed: bool,
    /// `false`: GetImage answers ImageNotFound.
    pub exists: bool,
    copies: BTreeMap<String, Copy>,
    /// The script a copy started by SynchronizeApp follows.
    pub new_copy: Vec<&'static str>,
    /// Regions GetImage never lists.
    pub hidden: Vec<String>,
    pub sync_calls: Vec<Vec<String>>,
    pub get_calls: usize,
    pub find_calls: usize,
    /// A container application (ImageType `Container`) instead of a VM one.
    pub container: bool,
}

impl State {
    /// The app's `ImageType`, as ListImages lists it and GetImage must be sent it.
    pub(crate) fn image_type(&self) -> &'static str {
        if self.container {
            "Container"
        } else {
            "VM"
        }
    }
}

pub(crate) struct FakeCloud(Mutex<State>);

impl FakeCloud {
    /// A listed, existing app without copies; new copies go Creating, then Available.
    pub(crate) fn new() -> FakeCloud {
        FakeCloud(Mutex::new(State {
            listed: true,
            exists: true,
            new_copy: vec!["Creating", "Available"],
            ..State::default()
        }))
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy in `region` following `script`.
    pub(crate) fn with_copy(self, region: &str, script: &[&'static str]) -> FakeCloud {
        let copy = Copy {
            script: script.to_vec(),
            seen: 0,
        };
        self.state().copies.insert(region.to_string(), copy);
        self
    }
}

fn image_not_found() -> Error {
    Error::from(ApiError {
        status: 404,
        code: "ImageNotFound".into(),
        message: "no such image".into(),
        request_id: "RID-404".into(),
        host_id: String::new(),
        recommend: String::new(),
        access_denied_detail: String::new(),
        retry_after: None,
        action: String::new(),
        credential: None,
    })
}

#[async_trait::async_trait]
impl SyncApi for FakeCloud {
    async fn synchronize_app(
        &self,
        _region: &str,
        action: &SynchronizeApp,
        _opts: &CallOptions,
    ) -> Result<SynchronizeAppResponse, Error> {
        let mut state = self.state();
        state.sync_calls.push(action.target_region_ids.clone());
        let script = state.new_copy.clone();
        for region in &action.target_region_ids {
            let copy = Copy {
                script: script.clone(),
                seen: 0,
            };
            state.copies.insert(region.clone(), copy);
        }
        Ok(SynchronizeAppResponse {
            request_id: format!("RID-SYNC-{}", state.sync_calls.len()),
        })
    }
}

#[async_trait::async_trait]
impl ImagesApi for FakeCloud {
    async fn find_app(
        &self,
        _region: &str,
        app_id: &str,
        _opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error> {
        let mut state = self.state();
        state.find_calls += 1;
        let image_type = state.image_type();
        Ok((state.listed && app_id == APP).then(|| ImageSummary {
            app_id: APP.into(),
            image_id: IMAGE.into(),
            image_type: image_type.into(),
            ..ImageSummary::default()
        }))
    }

    async fn list_images(
        &self,
        region: &str,
        _filter: &ListImages,
        opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error> {
        Ok(self
            .find_app(region, APP, opts)
            .await?
            .into_iter()
            .collect())
    }

    async fn get_image(
        &self,
        _region: &str,
        action: &GetImage,
        _opts: &CallOptions,
    ) -> Result<ImageDetail, Error> {
        let mut state = self.state();
        state.get_calls += 1;
        // The service defaults ImageType to VM: a container image asked without it is not found.
        let asked = action.image_type.as_deref().unwrap_or("VM");
        if !state.exists || action.image_id != IMAGE || asked != state.image_type() {
            return Err(image_not_found());
        }
        let hidden = state.hidden.clone();
        let mut info = Vec::new();
        for (region, copy) in state.copies.iter_mut().filter(|(r, _)| !hidden.contains(r)) {
            let word = copy.script[copy.seen.min(copy.script.len() - 1)];
            copy.seen += 1;
            info.push(RegionCopy {
                image_id: Some(format!("m-{region}")),
                region_id: region.clone(),
                status: Some(word.to_string()),
            });
        }
        Ok(ImageDetail {
            app_id: Some(APP.into()),
            additional_regions_info: info,
            ..ImageDetail::default()
        })
    }
}
