// SPDX-License-Identifier: MPL-2.0
use super::*;
use crate::actions::tests::signed_set;
use crate::actions::RegistryCredential;
use crate::signer::{canonical_query, sign_v2, string_to_sign_v2};

fn vm() -> AddImage {
    AddImage {
        name: "solver".into(),
        image_type: Some("VM".into()),
        image_version: Some("v1.0".into()),
        description: Some("a solver".into()),
        vm_image_spec: Some(VmImageSpec {
            image_id: Some("m-bp1akkkr1rkxtb".into()),
            ..VmImageSpec::default()
        }),
        container_image_spec: None,
    }
}

fn container() -> AddImage {
    AddImage {
        name: "web".into(),
        image_type: Some("Container".into()),
        container_image_spec: Some(ContainerImageSpec {
            is_acr_enterprise: Some(true),
            is_acr_registry: Some(true),
            registry_credential: Some(RegistryCredential {
                password: Some("pw".into()),
                server: Some("reg.example".into()),
                user_name: Some("u".into()),
            }),
            registry_cri_id: Some("cri-1".into()),
            registry_url: Some("reg.example/ns/web:1".into()),
            ..ContainerImageSpec::default()
        }),
        ..AddImage::default()
    }
}

#[test]
fn vm_parameters_and_signature_are_pinned() {
    let p = signed_set(AddImage::ACTION, vm().to_params());
    // Computed independently (Python hmac/base64/urllib) from the same parameter set.
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=AddImage&Description=a%20solver&Format=json&ImageType=VM&ImageVersion=v1.0&Name=solver&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&VMImageSpec=%7B%22ImageId%22%3A%22m-bp1akkkr1rkxtb%22%7D&Version=2023-07-01"
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "pljZF3lh1QESAddcu+xESSLoXp4="
    );
    assert_eq!(AddImage::from_params(&vm().to_params()), Ok(vm()));
}

#[test]
fn container_parameters_and_signature_are_pinned() {
    let p = signed_set(AddImage::ACTION, container().to_params());
    assert_eq!(
        canonical_query(&p),
        "AccessKeyId=testid&Action=AddImage&ContainerImageSpec=%7B%22IsACREnterprise%22%3Atrue%2C%22IsACRRegistry%22%3Atrue%2C%22RegistryCredential%22%3A%7B%22Password%22%3A%22pw%22%2C%22Server%22%3A%22reg.example%22%2C%22UserName%22%3A%22u%22%7D%2C%22RegistryCriId%22%3A%22cri-1%22%2C%22RegistryUrl%22%3A%22reg.example%2Fns%2Fweb%3A1%22%7D&Format=json&ImageType=Container&Name=web&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-05-01T08%3A00%3A00Z&Version=2023-07-01"
    );
    assert_eq!(
        sign_v2("testsecret", &string_to_sign_v2("POST", &p)),
        "iRVwme8Sx0SeP3O6KdhF7kvpk/U="
    );
    assert_eq!(
        AddImage::from_params(&container().to_params()),
        Ok(container())
    );
}

#[test]
fn the_password_stays_out_of_debug_and_bad_input_is_rejected() {
    assert!(!format!("{:?}", container()).contains("\"pw\""));
    assert_eq!(
        AddImage::from_params(&BTreeMap::new()),
        Err(ParamError::Missing("Name"))
    );
    let mut p = vm().to_params();
    p.insert("VMImageSpec".into(), "[1]".into());
    assert!(matches!(
        AddImage::from_params(&p),
        Err(ParamError::Invalid {
            name: "VMImageSpec",
            ..
        })
    ));
    let answer: AddImageResponse =
        serde_json::from_str(r#"{"RequestId":"r","Success":true,"ImageId":"m-1"}"#)
            .expect("answer");
    assert_eq!(answer.image_id, "m-1");
    assert!(serde_json::from_str::<AddImageResponse>(r#"{"RequestId":"r"}"#).is_err());
}
