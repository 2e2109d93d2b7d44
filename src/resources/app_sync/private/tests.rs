// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn the_image_type_is_read_back_only_when_the_client_lists_it() {
    assert_eq!(image_type(&recording("Container")), Some("Container"));
    // Older records of the default type are still read back.
    assert_eq!(image_type(b"image-type=VM"), Some("VM"));
    let ignored: &[&[u8]] = &[
        &recording("VM"),
        b"",
        DESTROY_WARNED,
        b"image-type=",
        b"image-type=VM\n",
        b"image-type=V M",
        b"image-type=Other",
        b"image-type=vm",
        b"image-type=\xff",
        b"image-type=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        b"IMAGE-TYPE=VM",
    ];
    for private in ignored {
        assert_eq!(image_type(private), None, "{private:?}");
    }
}

#[test]
fn the_default_type_is_recorded_as_nothing() {
    assert!(recording("VM").is_empty());
    assert_eq!(recording("Container"), b"image-type=Container");
}
