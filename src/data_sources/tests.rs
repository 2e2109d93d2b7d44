// SPDX-License-Identifier: MPL-2.0
//! The shared parts of the data sources, and the helpers their tests share: a fake API and
//! configuration objects built from a schema.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use ehpc_alibaba::actions::{ImageDetail, ImageSummary};
use ehpc_alibaba::{ApiError, CallOptions, Error, GetImage, ListImages};

use tokio_util::sync::CancellationToken;

use super::*;
use crate::protocol::Schema;

/// The answers of a fake API, and the calls it received.
#[derive(Default)]
pub(crate) struct FakeApi {
    pub images: Vec<ImageSummary>,
    /// GetImage answers by image id; an image id missing here answers ImageNotFound.
    pub details: HashMap<String, ImageDetail>,
    /// When set, every ListImages (and so find_app) fails with it.
    pub list_error: Option<Error>,
    /// "ListImages <region> <filter>" and "GetImage <region> <action>", in order.
    pub calls: Mutex<Vec<String>>,
}

pub(crate) fn api_err(status: u16, code: &str) -> Error {
    Error::Api(Box::new(ApiError {
        status,
        code: code.to_string(),
        message: format!("{code} message"),
        request_id: "req-1".to_string(),
        host_id: String::new(),
        recommend: String::new(),
        access_denied_detail: String::new(),
        retry_after: None,
        action: String::new(),
        credential: None,
    }))
}

#[async_trait::async_trait]
impl ImagesApi for FakeApi {
    async fn find_app(
        &self,
        region: &str,
        app_id: &str,
        opts: &CallOptions,
    ) -> Result<Option<ImageSummary>, Error> {
        let all = self
            .list_images(region, &ListImages::default(), opts)
            .await?;
        Ok(all.into_iter().find(|i| i.app_id == app_id))
    }

    async fn list_images(
        &self,
        region: &str,
        filter: &ListImages,
        _opts: &CallOptions,
    ) -> Result<Vec<ImageSummary>, Error> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("ListImages {region} {filter:?}"));
        if let Some(err) = &self.list_error {
            return Err(err.clone());
        }
        Ok(self.images.clone())
    }

    async fn get_image(
        &self,
        region: &str,
        action: &GetImage,
        _opts: &CallOptions,
    ) -> Result<ImageDetail, Error> {
        self.calls
            .lock()
            .unwrap()
            .push(format!("GetImage {region} {action:?}"));
        self.details
            .get(&action.image_id)
            .cloned()
            .ok_or_else(|| api_err(404, "ImageNotFound"))
    }
}

/// A configuration object of `schema`: the given attributes, every other one null.
pub(crate) fn config_of(schema: &Schema, attrs: &[(&str, Value)]) -> Value {
    let given: BTreeMap<&str, &Value> = attrs.iter().map(|(n, v)| (*n, v)).collect();
    let fields = schema
        .block
        .attributes
        .iter()
        .map(|a| {
            let ty = a.ty.clone().expect("typed attribute");
            let v = given
                .get(a.name.as_str())
                .map(|v| (*v).clone())
                .unwrap_or_else(|| Value::null(ty));
            (a.name.clone(), v)
        })
        .collect();
    Value::object(fields)
}

/// What the engine hands a read as its pre-filled state: `config` with every computed
/// attribute it leaves null set to unknown.
pub(crate) fn read_input(schema: &Schema, config: &Value) -> Value {
    let mut state = config.clone();
    for a in schema.block.attributes.iter().filter(|a| a.computed) {
        if config.attr(&a.name).is_some_and(Value::is_null) {
            state.set_attr(&a.name, Value::unknown(a.ty.clone().unwrap()));
        }
    }
    state
}

/// What the engine checks of a read's result: the schema's type, wholly known, and every
/// configured value unchanged.
pub(crate) fn assert_valid_result(schema: &Schema, config: &Value, result: &Value) {
    result
        .conforms(&schema.block.implied_type())
        .expect("result of the schema's type");
    assert!(result.is_wholly_known(), "wholly known: {result:?}");
    for a in &schema.block.attributes {
        let c = config.attr(&a.name).unwrap();
        if !c.is_null() {
            assert_eq!(result.attr(&a.name), Some(c), "{} echoed", a.name);
        }
    }
}

#[test]
fn the_data_source_region_wins_then_the_provider_region() {
    let known = |r: &str| Attr::Known(r.to_string());
    assert_eq!(
        region_to_read(&known("cn-beijing"), &known("cn-hangzhou")).unwrap(),
        "cn-beijing"
    );
    assert_eq!(
        region_to_read(&Attr::Null, &known("cn-hangzhou")).unwrap(),
        "cn-hangzhou"
    );
    let err = region_to_read(&Attr::Null, &Attr::Unknown).unwrap_err();
    assert_eq!(err.attribute, Some(AttributePath::attribute("region")));
}

#[test]
fn api_errors_name_the_action_and_the_code() {
    let d = api_error("ListImages", &api_err(403, "Forbidden.RAM"));
    assert_eq!(d.summary, "ListImages failed: Forbidden.RAM");
    assert!(d.detail.contains("Forbidden.RAM message"), "{}", d.detail);
    let no_code = api_error("GetImage", &api_err(502, ""));
    assert_eq!(no_code.summary, "GetImage failed: HTTP 502");
    let late = Error::DeadlineExceeded {
        attempts: 3,
        last: Box::new(api_err(503, "ServiceUnavailable")),
    };
    let d = api_error("ListImages", &late);
    assert_eq!(d.summary, "ListImages timed out");
    assert!(d.detail.contains("5 minutes"), "{}", d.detail);
}

#[test]
fn texts_from_the_service_go_through_the_one_sanitiser() {
    assert_eq!(
        text_value(Some("GRO\u{1b}[2JMACS\n")).as_str(),
        Some("GRO\u{FFFD}[2JMACS\n")
    );
    assert!(text_value(None).is_null());
    let long = "x".repeat(10_000);
    let cut = |n: usize| format!("{}{}", "x".repeat(n), ehpc_alibaba::CUT_MARKER);
    assert_eq!(text_value(Some(&long)).as_str(), Some(cut(256).as_str()));
    assert_eq!(
        long_text_value(Some(&long)).as_str(),
        Some(cut(4096).as_str())
    );
}

#[tokio::test(start_paused = true)]
async fn reads_get_a_five_minute_deadline_and_the_cancel_token() {
    let cancel = CancellationToken::new();
    let opts = read_options(cancel.clone());
    let left = opts.deadline.unwrap() - tokio::time::Instant::now();
    assert_eq!(left, READ_TIMEOUT);
    cancel.cancel();
    assert!(opts.cancel.is_cancelled());
}
