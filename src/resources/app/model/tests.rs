// SPDX-License-Identifier: MPL-2.0
use ehpc_alibaba::actions::{ContainerImageSpec, RegistryCredential, VmImageSpec};

use super::*;

fn ty() -> Type {
    app_schema().block.implied_type()
}

#[test]
fn an_imported_vm_or_container_app_conforms_to_the_schema() {
    let vm = ImageDetail {
        image_type: Some(VM.into()),
        name: Some("solver".into()),
        version: Some("v2".into()),
        vm_image_spec: Some(VmImageSpec {
            image_id: Some("m-src".into()),
            ..VmImageSpec::default()
        }),
        ..ImageDetail::default()
    };
    let state = imported_state("cn-hangzhou", "m-src", "ci-vm-a", &vm);
    assert_eq!(state.conforms(&ty()), Ok(()));
    assert!(state.is_wholly_known());
    assert_eq!(
        first(&state, "vm_image").and_then(|b| known_text(b, "image_id")),
        Some("m-src".into())
    );
    assert_eq!(count(&state, "container_image"), Some(0));

    let container = ImageDetail {
        image_type: Some(CONTAINER.into()),
        container_image_spec: Some(ContainerImageSpec {
            registry_url: Some("reg/x:1".into()),
            registry_credential: Some(RegistryCredential {
                password: Some("never-shown".into()),
                user_name: Some("u".into()),
                server: None,
            }),
            ..ContainerImageSpec::default()
        }),
        ..ImageDetail::default()
    };
    let state = imported_state("cn-hangzhou", "m-gen", "ci-vm-b", &container);
    assert_eq!(state.conforms(&ty()), Ok(()));
    let credential = first(&state, "container_image").and_then(|c| first(c, "registry_credential"));
    assert!(credential
        .and_then(|c| c.attr("password_wo"))
        .is_some_and(Value::is_null));
    // Without a name from the service, the ImageId names it (name is required).
    assert_eq!(known_text(&state, "name"), Some("m-gen".into()));
}

#[test]
fn the_configuration_becomes_one_add_image_call_with_the_password() {
    let detail = ImageDetail {
        image_type: Some(CONTAINER.into()),
        name: Some("web".into()),
        container_image_spec: Some(ContainerImageSpec {
            registry_url: Some("reg/x:1".into()),
            is_acr_registry: Some(true),
            registry_credential: Some(RegistryCredential {
                user_name: Some("u".into()),
                ..RegistryCredential::default()
            }),
            ..ContainerImageSpec::default()
        }),
        ..ImageDetail::default()
    };
    // An imported state has the shape of a configuration; put a password where Terraform
    // would send one.
    let mut config = imported_state("cn-hangzhou", "m-gen", "ci-vm-b", &detail);
    config.set_attrs([("image_type", Value::null(Type::String))]);
    let container_ty = block_type(&["container_image"]);
    let credential_ty = block_type(&["container_image", "registry_credential"]);
    let mut block = first(&config, "container_image")
        .cloned()
        .unwrap_or_else(|| Value::null(container_ty.clone()));
    let mut credential = first(&block, "registry_credential")
        .cloned()
        .unwrap_or_else(|| Value::null(credential_ty.clone()));
    credential.set_attrs([("password_wo", Value::string("pw"))]);
    block.set_attrs([(
        "registry_credential",
        Value::list(credential_ty, vec![credential]),
    )]);
    config.set_attrs([("container_image", Value::list(container_ty, vec![block]))]);

    let args = AppArgs::from_config(&config).expect("decodes");
    assert_eq!(args.image_type, CONTAINER, "inferred from the block");
    let call = args.add_image();
    assert_eq!(call.name, "web");
    let spec = call.container_image_spec.expect("container spec");
    assert_eq!(spec.is_acr_registry, Some(true));
    let sent = spec.registry_credential.and_then(|c| c.password);
    assert_eq!(sent.as_deref(), Some("pw"));
    assert!(call.vm_image_spec.is_none());
}
