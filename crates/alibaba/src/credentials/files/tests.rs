// SPDX-License-Identifier: MPL-2.0
use super::*;

fn file(mode: u32, owner: u32) -> Read {
    Read {
        text: String::new(),
        mode,
        owner,
    }
}

#[test]
fn private_files_only_run_programs() {
    let why = "profile \"ext\" runs its process_command";
    assert!(check_private("/h/c.json", &file(0o600, 7), 7, why).is_ok());
    assert!(check_private("/h/c.json", &file(0o644, 7), 7, why).is_ok());
    let cases = [
        (
            file(0o666, 7),
            "writable by others (mode 0666)",
            "chmod go-w /h/c.json",
        ),
        (
            file(0o620, 7),
            "writable by its group (mode 0620)",
            "chmod go-w /h/c.json",
        ),
        (
            file(0o600, 0),
            "owned by uid 0, not by the user running Terraform (uid 7)",
            "chown 7",
        ),
    ];
    for (f, want, fix) in cases {
        let err = check_private("/h/c.json", &f, 7, why)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(want) && err.contains(fix) && err.contains(why),
            "{err}"
        );
    }
}

#[tokio::test]
async fn only_regular_files_of_bounded_size_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let big = dir.path().join("big");
    std::fs::write(&big, vec![b'x'; MAX_FILE_BYTES as usize + 1]).unwrap();
    let exact = dir.path().join("exact");
    std::fs::write(&exact, vec![b'x'; MAX_FILE_BYTES as usize]).unwrap();
    for (path, want) in [
        (fifo.as_path(), "not a regular file"),
        (dir.path(), "not a regular file"),
        (Path::new("/dev/zero"), "not a regular file"),
        (big.as_path(), "larger than 1024 KiB"),
    ] {
        let err = read_bounded(path).await.err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains(want)),
            "{path:?}: {err:?}"
        );
    }
    let read = read_bounded(&exact).await.unwrap();
    assert_eq!(read.text.len(), MAX_FILE_BYTES as usize);
    assert_eq!(read.owner, current_user());
}
