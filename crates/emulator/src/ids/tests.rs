// SPDX-License-Identifier: MPL-2.0
use super::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

#[test]
fn shapes() {
    let mut rng = StdRng::seed_from_u64(7);
    let id = request_id(&mut rng);
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, vec![8, 4, 4, 4, 12]);
    assert!(id
        .chars()
        .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
    assert!(sts_access_key_id(&mut rng).starts_with("STS."));
    assert_eq!(secret(&mut rng).len(), 44);
    assert!(security_token(&mut rng).starts_with("CAIS"));
    assert_eq!(metadata_token(&mut rng).len(), 56);
}

#[test]
fn seeded_sources_repeat() {
    let a = request_id(&mut StdRng::seed_from_u64(1));
    let b = request_id(&mut StdRng::seed_from_u64(1));
    assert_eq!(a, b);
}

#[test]
fn image_ids_are_derived_and_ecs_shaped() {
    let id = image_id("ci-vm-rYfypJKwlN9Y");
    assert_eq!(id, image_id("ci-vm-rYfypJKwlN9Y"), "deterministic");
    assert_ne!(id, image_id("ci-vm-other"));
    // Pinned: state files, the demo and fuzz/seeds/make_seeds.py rely on the derivation.
    assert_eq!(image_id("ci-vm-fuzz"), "m-2beb7dl8i6un2r2l9l6u");
    assert_eq!(id.len(), 22);
    assert!(id.starts_with("m-"));
    assert!(id[2..]
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
}
