// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::actions::tests::signed_set;
use crate::signer::{canonical_query, sign_v2, string_to_sign_v2};

#[test]
fn parameters_and_signature_are_pinned() {
    let action = GetImage {
        image_id: "m-bp181x855551ww5yq".into(),
        additional_region_ids: vec!["cn-shanghai".into(), "ap-southeast-1".into()],
        ..GetImage::default()
    };
    let p = signed_set(GetImage::ACTION, action.to_params());
    // Computed independently (Python hmac/base64/urllib) from the same parameter set.
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=GetImage&AdditionalRegionIds=%5B%22cn-shanghai%22%2C%22ap-southeast-1%22%5D&Format=json&ImageId=m-bp181x855551ww5yq&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "Vsk/YwLtRdYibpeqlBgBSfgnHf4="
    );
    assert_eq!(GetImage::from_params(&action.to_params()), Ok(action));
    assert_eq!(
        GetImage::from_params(&BTreeMap::new()),
        Err(ParamError::Missing("ImageId"))
    );
}

#[test]
fn decodes_a_full_sdk_shaped_answer_and_a_minimal_one() {
    let full = r#"{
        "RequestId": "r-1", "Success": true, "TotalCount": 1,
        "Image": {
            "AppId": "ci-vm-kHLPzEWun6zz", "ImageType": "VM", "Name": "solver", "Version": "v2",
            "Description": "a solver", "Size": "40 GiB", "CreateTime": "2024-05-01T08:00:00Z",
            "Status": "Available",
            "VMImageSpec": {"ImageId": "m-src", "Architecture": "x86_64", "OsTag": "CentOS 7.9", "Platform": "CentOS"},
            "ContainerImageSpec": {"Architecture": "x86_64", "IsACREnterprise": true, "IsACRRegistry": false,
                "OsTag": "Ubuntu", "Platform": "Linux",
                "RegistryCredential": {"Password": "registry-pass", "Server": "reg", "UserName": "u"},
                "RegistryCriId": "cri-1", "RegistryUrl": "registry/x:latest"},
            "DocumentInfo": {"Document": "doc", "DocumentId": "d-1", "EncodingMode": "Base64"},
            "AdditionalRegionsInfo": [
                {"ImageId": "m-sh", "RegionId": "cn-shanghai", "Status": "Creating"},
                {"RegionId": "ap-southeast-1"}
            ],
            "Unexpected": [1, 2]
        }
    }"#;
    let got: GetImageResponse = serde_json::from_str(full).expect("full answer");
    let image = &got.image;
    assert_eq!(image.app_id.as_deref(), Some("ci-vm-kHLPzEWun6zz"));
    assert_eq!(
        image
            .vm_image_spec
            .as_ref()
            .and_then(|s| s.image_id.as_deref()),
        Some("m-src")
    );
    let container = image.container_image_spec.as_ref().expect("container spec");
    assert_eq!(
        (container.is_acr_enterprise, container.is_acr_registry),
        (Some(true), Some(false))
    );
    assert!(
        !format!("{container:?}").contains("registry-pass"),
        "Debug hides the registry password"
    );
    assert_eq!(
        image
            .document_info
            .as_ref()
            .and_then(|d| d.encoding_mode.as_deref()),
        Some("Base64")
    );
    assert_eq!(
        image.additional_regions_info,
        vec![
            RegionCopy {
                image_id: Some("m-sh".into()),
                region_id: "cn-shanghai".into(),
                status: Some("Creating".into()),
            },
            RegionCopy {
                image_id: None,
                region_id: "ap-southeast-1".into(),
                status: None,
            },
        ]
    );
    // Serializing gives back the SDK's names, so the emulator answers in the same shape.
    let again = serde_json::to_value(&got).expect("serializes");
    assert_eq!(again["Image"]["VMImageSpec"]["ImageId"], "m-src");
    assert_eq!(again["Image"]["ContainerImageSpec"]["IsACRRegistry"], false);

    let minimal: GetImageResponse =
        serde_json::from_str(r#"{"RequestId": "r-2", "Image": {}}"#).expect("minimal");
    assert!(minimal.image.additional_regions_info.is_empty());

    let no_image = serde_json::from_str::<GetImageResponse>(r#"{"RequestId": "r-3"}"#);
    assert!(
        no_image.is_err(),
        "an answer without Image is not a success"
    );
}
