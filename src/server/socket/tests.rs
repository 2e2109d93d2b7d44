// SPDX-License-Identifier: MPL-2.0
use super::*;
use std::os::unix::fs::MetadataExt;

#[tokio::test]
async fn private_dir_is_0700_and_removed() {
    let base = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let (dir, _listener) =
        SocketDir::bind_in(base.path(), None).unwrap_or_else(|e| panic!("bind: {e}"));
    let parent = dir
        .socket_path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mode = std::fs::metadata(&parent)
        .map(|m| m.mode() & 0o777)
        .unwrap_or(0);
    assert_eq!(mode, 0o700);
    assert!(dir.socket_path().exists());
    dir.remove();
    assert!(!parent.exists());
    dir.remove(); // idempotent
}

#[test]
fn gid_parsing() {
    let cases = [
        ("numeric", "100", Some(100)),
        ("name", "staff", None),
        ("neg", "-1", None),
    ];
    for (name, input, want) in cases {
        assert_eq!(parse_gid(input).ok(), want, "{name}");
    }
}
