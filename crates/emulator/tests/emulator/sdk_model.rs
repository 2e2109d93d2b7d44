// SPDX-License-Identifier: MPL-2.0
//! The answers of ListImages and GetImage checked against a table of the SDK 4.1.0 models:
//! every field present, with the model's JSON type.

use ehpc_alibaba::ListImages;
use serde_json::Value;

use crate::common::is_request_id;
use crate::images::{apps, Emu};

/// A JSON type of the SDK model.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Str,
    Bool,
    Int,
}

/// `ListImagesResponseBody` of alibabacloud-ehpcinstant20230701 4.1.0: (JSON path, type);
/// `[]` marks an array whose every element must have the rest of the path.
use Kind::{Bool, Int, Str};

const LIST_IMAGES_MODEL: &[(&str, Kind)] = &[
    ("RequestId", Str),
    ("Success", Bool),
    ("TotalCount", Int),
    ("PageNumber", Int),
    ("PageSize", Int),
    ("Images[].AppId", Str),
    ("Images[].ImageId", Str),
    ("Images[].ImageType", Str),
    ("Images[].Name", Str),
    ("Images[].Version", Str),
    ("Images[].OsTag", Str),
    ("Images[].CreateTime", Str),
    ("Images[].UpdateTime", Str),
    ("Images[].Description", Str),
    ("Images[].DocumentId", Int),
    ("Images[].Weight", Int),
];

/// `GetImageResponseBody` of the same SDK (ContainerImageSpec is for container images).
const GET_IMAGE_MODEL: &[(&str, Kind)] = &[
    ("RequestId", Str),
    ("Success", Bool),
    ("TotalCount", Int),
    ("Image.AppId", Str),
    ("Image.ImageType", Str),
    ("Image.Name", Str),
    ("Image.Version", Str),
    ("Image.Description", Str),
    ("Image.Size", Str),
    ("Image.CreateTime", Str),
    ("Image.Status", Str),
    ("Image.VMImageSpec.ImageId", Str),
    ("Image.VMImageSpec.Architecture", Str),
    ("Image.VMImageSpec.OsTag", Str),
    ("Image.VMImageSpec.Platform", Str),
    ("Image.DocumentInfo.Document", Str),
    ("Image.DocumentInfo.DocumentId", Str),
    ("Image.DocumentInfo.EncodingMode", Str),
    ("Image.AdditionalRegionsInfo[].ImageId", Str),
    ("Image.AdditionalRegionsInfo[].RegionId", Str),
    ("Image.AdditionalRegionsInfo[].Status", Str),
];

/// Asserts that `value` has `path` with the JSON type `kind`; an array on the path must be
/// non-empty, so that its elements are really checked.
fn check_path(value: &Value, path: &str, kind: Kind, whole: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let (name, array) = match head.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (head, false),
    };
    let field = value
        .get(name)
        .unwrap_or_else(|| panic!("{whole}: no {name} in {value}"));
    match (array, rest) {
        (true, Some(rest)) => {
            let items = field
                .as_array()
                .unwrap_or_else(|| panic!("{whole}: not an array"));
            assert!(!items.is_empty(), "{whole}: empty array");
            for item in items {
                check_path(item, rest, kind, whole);
            }
        }
        (false, Some(rest)) => check_path(field, rest, kind, whole),
        (_, None) => {
            let ok = match kind {
                Str => field.is_string(),
                Bool => field.is_boolean(),
                Int => field.is_i64() || field.is_u64(),
            };
            assert!(ok, "{whole}: {field} is not {kind:?}");
        }
    }
}

#[tokio::test]
async fn answers_carry_every_field_of_the_sdk_models() {
    let emu = Emu::new(apps(3));
    let listed = emu.call(&ListImages::default()).await;
    assert_eq!(listed.status, 200, "{}", listed.json);
    for (path, kind) in LIST_IMAGES_MODEL {
        check_path(&listed.json, path, *kind, path);
    }
    let image = emu.image_id_of("ci-vm-app01").await;
    assert_eq!(
        emu.sync("ci-vm-app01", &["cn-beijing", "cn-shanghai"])
            .await
            .status,
        200
    );
    let got = emu.get_image(&image, &[]).await;
    assert_eq!(got.status, 200, "{}", got.json);
    for (path, kind) in GET_IMAGE_MODEL {
        check_path(&got.json, path, *kind, path);
    }
    assert!(is_request_id(
        got.json["RequestId"].as_str().unwrap_or_default()
    ));
}
