// SPDX-License-Identifier: MPL-2.0
use super::*;

#[test]
fn the_image_type_is_read_back_only_when_the_client_lists_it() {
    assert_eq!(image_type(&recording("VM")), Some("VM"));
    assert_eq!(image_type(&recording("Container")), Some("Container"));
    let ignored: &[&[u8]] = &[
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
