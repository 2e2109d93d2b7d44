// SPDX-License-Identifier: MPL-2.0
//! Tests of the `ehpc_app` calls against a fake of the cloud seam: a lost AddImage answer is
//! adopted, never registered twice; RemoveImage's codes read as the resource needs them.

use std::sync::Mutex;

use ehpc_alibaba::{AddImage, AddImageResponse, ApiError, Error, RemoveImageResponse};

use super::*;

/// The error the service answers with `code`.
fn api_err(status: u16, code: &str) -> Error {
    let body = serde_json::json!({ "Code": code, "RequestId": "RID" }).to_string();
    ApiError::from_response(status, &Default::default(), body.as_bytes()).into()
}

/// Calls without a deadline, whose failures read as a read's.
fn unbounded() -> Bounds {
    Bounds {
        opts: CallOptions::default(),
        timeout: None,
    }
}

/// Images listed in one region; AddImage registers `registers` then answers `add_answer`.
struct FakeCloud {
    images: Mutex<Vec<ImageSummary>>,
    registers: Option<ImageSummary>,
    add_answer: fn() -> Result<AddImageResponse, Error>,
    remove_answer: Option<fn() -> Error>,
    removed: Mutex<Vec<String>>,
}

impl FakeCloud {
    fn new(add_answer: fn() -> Result<AddImageResponse, Error>) -> Self {
        Self {
            images: Mutex::new(Vec::new()),
            registers: None,
            add_answer,
            remove_answer: None,
            removed: Mutex::new(Vec::new()),
        }
    }

    fn images(&self) -> Vec<ImageSummary> {
        self.images.lock().map(|i| i.clone()).unwrap_or_default()
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
        Ok(self.images().into_iter().find(|i| i.app_id == app_id))
    }

    async fn list_images(
        &self,
        _region: &str,
        filter: &ListImages,
        _opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error> {
        Ok(self
            .images()
            .into_iter()
            .filter(|i| filter.image_ids.is_empty() || filter.image_ids.contains(&i.image_id))
            .filter(|i| {
                filter.image_names.is_empty()
                    || i.name
                        .as_ref()
                        .is_some_and(|n| filter.image_names.contains(n))
            })
            .collect())
    }

    async fn get_image(
        &self,
        _region: &str,
        _action: &GetImage,
        _opts: &CallOptions,
    ) -> Result<ImageDetail, Error> {
        Err(api_err(404, "ImageNotFound"))
    }
}

#[async_trait::async_trait]
impl AppsApi for FakeCloud {
    async fn add_image(
        &self,
        _region: &str,
        _action: &AddImage,
        _opts: &CallOptions,
    ) -> Result<AddImageResponse, Error> {
        if let (Some(image), Ok(mut images)) = (&self.registers, self.images.lock()) {
            images.push(image.clone());
        }
        (self.add_answer)()
    }

    async fn remove_image(
        &self,
        _region: &str,
        action: &RemoveImage,
        _opts: &CallOptions,
    ) -> Result<RemoveImageResponse, Error> {
        if let Ok(mut removed) = self.removed.lock() {
            removed.push(action.image_id.clone());
        }
        match self.remove_answer {
            Some(error) => Err(error()),
            None => Ok(RemoveImageResponse::default()),
        }
    }
}

fn container_args() -> AppArgs {
    AppArgs {
        name: "solver".into(),
        image_type: super::super::model::CONTAINER.into(),
        ..AppArgs::default()
    }
}

fn listed(image_id: &str, name: &str) -> ImageSummary {
    ImageSummary {
        app_id: format!("ci-{image_id}"),
        image_id: image_id.into(),
        image_type: "Container".into(),
        name: Some(name.into()),
        ..ImageSummary::default()
    }
}

#[tokio::test]
async fn a_registration_whose_answer_was_lost_is_adopted() {
    let mut cloud = FakeCloud::new(|| Err(api_err(503, "ServiceUnavailable")));
    cloud.registers = Some(listed("m-new", "solver"));
    if let Ok(mut images) = cloud.images.lock() {
        images.push(listed("m-old", "solver"));
    }
    let got = register(&cloud, "cn-x", &container_args(), &unbounded()).await;
    let registered = got.unwrap_or_else(|d| panic!("adopted: {d:?}"));
    assert_eq!(
        registered.image_id, "m-new",
        "the image that was not there before"
    );
    assert!(registered.warnings.is_empty());
}

#[tokio::test]
async fn image_already_exists_without_a_new_image_says_how_to_import() {
    let cloud = FakeCloud::new(|| Err(api_err(400, "ImageAlreadyExists")));
    let got = register(&cloud, "cn-x", &container_args(), &unbounded()).await;
    let err = got.err().map(|d| (d.summary, d.detail));
    let (summary, detail) = err.unwrap_or_default();
    assert_eq!(summary, "Application already registered");
    assert!(detail.contains("terraform import"), "{detail}");
    let other = FakeCloud::new(|| Err(api_err(406, "DbError")));
    let got = register(&other, "cn-x", &container_args(), &unbounded()).await;
    assert_eq!(
        got.err().map(|d| d.summary).as_deref(),
        Some("AddImage failed: DbError")
    );
}

#[tokio::test]
async fn remove_reads_the_codes_of_remove_image() {
    let opts = unbounded();
    let mut cloud = FakeCloud::new(|| Ok(AddImageResponse::default()));
    assert!(remove(&cloud, "cn-x", "m-1", "VM", &opts).await.is_ok());
    cloud.remove_answer = Some(|| api_err(404, "ImageNotFound"));
    assert!(
        remove(&cloud, "cn-x", "m-1", "VM", &opts).await.is_ok(),
        "gone counts as removed"
    );
    cloud.remove_answer = Some(|| api_err(403, "ImageInUse"));
    let in_use = remove(&cloud, "cn-x", "m-1", "VM", &opts).await.err();
    assert_eq!(
        in_use.map(|d| d.summary).as_deref(),
        Some("Application still in use")
    );
    cloud.remove_answer = Some(|| api_err(406, "DbError"));
    let failed = remove(&cloud, "cn-x", "m-1", "VM", &opts).await.err();
    assert_eq!(
        failed.map(|d| d.summary).as_deref(),
        Some("RemoveImage failed: DbError")
    );
    let removed = cloud.removed.lock().map(|r| r.len()).unwrap_or_default();
    assert_eq!(removed, 4);
}

#[tokio::test]
async fn detail_of_an_image_gone_is_none() {
    let cloud = FakeCloud::new(|| Ok(AddImageResponse::default()));
    let got = detail(&cloud, "cn-x", "m-1", "VM", &CallOptions::default()).await;
    assert!(matches!(got, Ok(None)), "{got:?}");
}
