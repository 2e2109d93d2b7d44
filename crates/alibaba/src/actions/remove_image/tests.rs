// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::actions::tests::signed_set;
use crate::signer::{canonical_query, sign_v2, string_to_sign_v2};

#[test]
fn parameters_and_signature_are_pinned() {
    let action = RemoveImage {
        image_id: "m-bp14wakr1rkxtb".into(),
        image_type: Some("VM".into()),
    };
    let p = signed_set(RemoveImage::ACTION, action.to_params());
    // Computed independently (Python hmac/base64/urllib) from the same parameter set.
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=RemoveImage&Format=json&ImageId=m-bp14wakr1rkxtb&ImageType=VM&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "fTImi5WVy06eua4YZSD9BsVrvfY="
    );
    assert_eq!(RemoveImage::from_params(&action.to_params()), Ok(action));
    assert_eq!(
        RemoveImage::from_params(&BTreeMap::new()),
        Err(ParamError::Missing("ImageId"))
    );
    let answer: RemoveImageResponse =
        serde_json::from_str(r#"{"RequestId":"896D","Success":true}"#).expect("answer");
    assert_eq!(answer.success, Some(true));
}
