// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::actions::tests::signed_set;
use crate::signer::{canonical_query, sign_v2, string_to_sign_v2};

#[test]
fn parameters_and_signature_are_pinned() {
    let action = ListImages {
        image_type: Some("VM".into()),
        image_names: vec!["solver".into(), "mesh".into()],
        page_number: Some(2),
        page_size: Some(50),
        ..ListImages::default()
    };
    let p = signed_set(ListImages::ACTION, action.to_params());
    // Computed independently (Python hmac/base64/urllib) from the same parameter set.
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=ListImages&Format=json&ImageNames=%5B%22solver%22%2C%22mesh%22%5D&ImageType=VM&PageNumber=2&PageSize=50&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "gC8bkTylE2VLt4W86d7xX8lRveE="
    );
    assert_eq!(ListImages::from_params(&action.to_params()), Ok(action));
}

#[test]
fn unset_filters_send_nothing() {
    assert!(ListImages::default().to_params().is_empty());
}

#[test]
fn bad_parameters_are_rejected_by_name() {
    let cases = [
        ("PageNumber", "0"),
        ("PageNumber", "x"),
        ("PageSize", "-1"),
        ("ImageIds", "m-1"),
        ("ImageNames", "{}"),
    ];
    for (name, value) in cases {
        let p = BTreeMap::from([(name.to_string(), value.to_string())]);
        assert!(
            matches!(ListImages::from_params(&p), Err(ParamError::Invalid { name: n, .. }) if n == name),
            "{name}={value}"
        );
    }
}

#[test]
fn decodes_a_full_sdk_shaped_page_and_a_minimal_one() {
    let full = r#"{
        "RequestId": "r-1", "Success": true, "TotalCount": 41, "PageNumber": 2, "PageSize": 20,
        "Images": [{
            "AppId": "ci-vm-kHLPzEWun6zz", "ImageId": "m-bp181x855551ww5yq", "ImageType": "VM",
            "Name": "solver", "Version": "v2", "OsTag": "CentOS 7.9", "CreateTime": "2024-05-01T08:00:00Z",
            "UpdateTime": "2024-05-02T08:00:00Z", "Description": "a solver", "DocumentId": 7,
            "Weight": 3, "SomethingNew": {"ignored": true}
        }]
    }"#;
    let page: ListImagesResponse = serde_json::from_str(full).expect("full page");
    assert_eq!(page.total_count, Some(41));
    let image = &page.images[0];
    assert_eq!(
        (
            image.app_id.as_str(),
            image.image_id.as_str(),
            image.image_type.as_str()
        ),
        ("ci-vm-kHLPzEWun6zz", "m-bp181x855551ww5yq", "VM")
    );
    assert_eq!(
        (image.document_id, image.weight, image.os_tag.as_deref()),
        (Some(7), Some(3), Some("CentOS 7.9"))
    );

    let minimal: ListImagesResponse =
        serde_json::from_str(r#"{"RequestId": "r-2"}"#).expect("minimal page");
    assert_eq!(minimal.images, Vec::new());
    assert_eq!(minimal.total_count, None);

    for not_success in [r#"{"Images": []}"#, r#"{"RequestId": "r", "Images": {}}"#] {
        assert!(
            serde_json::from_str::<ListImagesResponse>(not_success).is_err(),
            "{not_success}"
        );
    }
}
