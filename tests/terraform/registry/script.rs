// SPDX-License-Identifier: MPL-2.0
//! `scripts/release.sh` (what `make release` runs) on its own: every built platform packaged
//! with the Registry's os/arch words under one SHA256SUMS, an unsigned release that says the
//! registries will not take it, and a non-RSA signing key refused before anything is written.
//! Stand-in binaries keep these fast: the script only copies and zips them.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

use super::artifacts::{dump, release_script, GnuPgHome};
use super::gpg_available;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Writes an executable stand-in binary at `target/<dir>/<file>`.
fn stand_in(target: &Path, dir: &str, file: &str) {
    let dir = target.join(dir);
    std::fs::create_dir_all(&dir).expect("target dir");
    let path = dir.join(file);
    std::fs::write(&path, format!("stand-in for {file}\n")).expect("stand-in binary");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// A scratch tree for runs of the script: `target/` holds the binaries it packages, `dist/`
/// what it writes; removed when dropped.
struct Scratch {
    _work: tempfile::TempDir,
    target: PathBuf,
    dist: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let work = tempfile::tempdir().expect("temp dir");
        Scratch {
            target: work.path().join("target"),
            dist: work.path().join("dist"),
            _work: work,
        }
    }

    /// A scratch tree with the host's stand-in binary where `cargo build --release` puts it.
    fn with_host_binary() -> Scratch {
        let scratch = Scratch::new();
        stand_in(&scratch.target, "release", "terraform-provider-ehpc");
        scratch
    }

    /// Runs `scripts/release.sh` on this tree with `env` added.
    fn release(&self, env: &[(&str, &OsStr)]) -> Output {
        release_script(&self.target, &self.dist, env)
    }
}

fn listed(dist: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .expect("dist exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_built_platform_is_packaged_with_the_registrys_os_and_arch_words() {
    let scratch = Scratch::new();
    let (target, dist) = (&scratch.target, &scratch.dist);
    let name = format!("terraform-provider-ehpc_{VERSION}");
    for (triple, file) in [
        ("x86_64-unknown-linux-gnu", "terraform-provider-ehpc"),
        ("x86_64-pc-windows-msvc", "terraform-provider-ehpc.exe"),
        ("aarch64-pc-windows-msvc", "terraform-provider-ehpc.exe"),
        ("x86_64-apple-darwin", "terraform-provider-ehpc"),
        ("aarch64-apple-darwin", "terraform-provider-ehpc"),
        ("aarch64-unknown-linux-musl", "terraform-provider-ehpc"),
        ("i686-unknown-linux-gnu", "terraform-provider-ehpc"),
        ("armv7-unknown-linux-gnueabihf", "terraform-provider-ehpc"),
        ("x86_64-unknown-freebsd", "terraform-provider-ehpc"),
        ("wasm32-unknown-unknown", "terraform-provider-ehpc"),
    ] {
        stand_in(target, &format!("{triple}/release"), file);
    }
    // A zip left from an earlier release must not reach the new SHA256SUMS.
    std::fs::create_dir_all(dist).expect("dist");
    std::fs::write(dist.join(format!("{name}_plan9_amd64.zip")), "stale").expect("stale zip");

    let out = scratch.release(&[]);
    assert!(out.status.success(), "{}", dump(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipping") && stderr.contains("wasm32"),
        "{}",
        dump(&out)
    );

    let platforms = [
        "darwin_amd64",
        "darwin_arm64",
        "freebsd_amd64",
        "linux_386",
        "linux_amd64",
        "linux_arm",
        "linux_arm64",
        "windows_amd64",
        "windows_arm64",
    ];
    let zips: Vec<String> = platforms
        .iter()
        .map(|p| format!("{name}_{p}.zip"))
        .collect();
    let files = listed(dist);
    let written: Vec<&String> = files.iter().filter(|f| f.ends_with(".zip")).collect();
    assert_eq!(written, zips.iter().collect::<Vec<_>>(), "{}", dump(&out));

    let sums = std::fs::read_to_string(dist.join(format!("{name}_SHA256SUMS"))).expect("sums");
    let mut expected: Vec<String> = zips.clone();
    expected.push(format!("{name}_manifest.json"));
    let mut in_sums = Vec::new();
    for line in sums.lines() {
        let (sum, file) = line.split_once("  ").expect("`<sha256>  <file>` lines");
        let bytes = std::fs::read(dist.join(file)).expect("listed file exists");
        assert_eq!(sum, format!("{:x}", Sha256::digest(&bytes)), "{file}");
        in_sums.push(file.to_string());
    }
    expected.sort();
    in_sums.sort();
    assert_eq!(in_sums, expected);

    // Zip headers store names uncompressed: Windows binaries end in .exe, the others do not.
    let exe = format!("terraform-provider-ehpc_v{VERSION}.exe");
    for zip in &zips {
        let bytes = std::fs::read(dist.join(zip)).expect("zip");
        let has_exe = bytes.windows(exe.len()).any(|w| w == exe.as_bytes());
        assert_eq!(has_exe, zip.contains("windows"), "{zip} and .exe");
        let plain = format!("terraform-provider-ehpc_v{VERSION}");
        assert!(
            bytes.windows(plain.len()).any(|w| w == plain.as_bytes()),
            "{zip}"
        );
    }
}

#[test]
fn an_unsigned_release_says_the_registries_will_not_accept_it() {
    let scratch = Scratch::with_host_binary();
    let out = scratch.release(&[]);
    assert!(out.status.success(), "{}", dump(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("NOT SIGNED")
            && stderr.contains("GPG_FINGERPRINT is not set")
            && stderr.contains("will not accept"),
        "{}",
        dump(&out)
    );
    assert!(
        !listed(&scratch.dist).iter().any(|f| f.ends_with(".sig")),
        "no signature: {:?}",
        listed(&scratch.dist)
    );
}

#[test]
fn a_signing_key_that_is_not_rsa_is_refused_before_anything_is_written() {
    if !gpg_available() {
        return;
    }
    let (scratch, gnupg) = (Scratch::with_host_binary(), GnuPgHome::new());
    let fingerprint = gnupg.generate("ecc key <ecc@example.invalid>", "ed25519");
    let out = scratch.release(&[
        ("GPG_FINGERPRINT", OsStr::new(&fingerprint)),
        ("GNUPGHOME", gnupg.path().as_os_str()),
    ]);
    assert!(!out.status.success(), "{}", dump(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "GPG_FINGERPRINT={fingerprint} is not an RSA or DSA key"
        )) && stderr.contains("accepts only RSA or DSA signing keys"),
        "{}",
        dump(&out)
    );
    let dist = &scratch.dist;
    assert!(!dist.exists(), "nothing written: {:?}", listed(dist));
}

#[test]
fn a_passphrase_protected_key_signs_with_gpg_passphrase_as_the_release_workflow_does() {
    if !gpg_available() {
        return;
    }
    let (scratch, gnupg) = (Scratch::with_host_binary(), GnuPgHome::new());
    let passphrase = "correct horse battery staple";
    let fingerprint =
        gnupg.generate_with_passphrase("ci key <ci@example.invalid>", "rsa2048", passphrase);
    // gpg-agent caches the passphrase it was given at key generation: forget it first.
    gnupg.gpg(&["--with-colons", "--list-keys"]);
    let _ = std::process::Command::new("gpgconf")
        .args(["--reload", "gpg-agent"])
        .env("GNUPGHOME", gnupg.path())
        .output();
    let env = |passphrase: &'static str| {
        vec![
            ("GPG_FINGERPRINT", OsStr::new(&fingerprint).to_os_string()),
            ("GNUPGHOME", gnupg.path().as_os_str().to_os_string()),
            ("GPG_PASSPHRASE", OsStr::new(passphrase).to_os_string()),
        ]
    };
    let run = |vars: Vec<(&'static str, std::ffi::OsString)>| {
        let refs: Vec<(&str, &OsStr)> = vars.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        scratch.release(&refs)
    };

    let wrong = run(env("not the passphrase"));
    assert!(
        !wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("passphrase"),
        "a wrong passphrase fails\n{}",
        dump(&wrong)
    );

    let out = run(env(passphrase));
    assert!(out.status.success(), "{}", dump(&out));
    let sums = scratch
        .dist
        .join(format!("terraform-provider-ehpc_{VERSION}_SHA256SUMS"));
    let sig = scratch
        .dist
        .join(format!("terraform-provider-ehpc_{VERSION}_SHA256SUMS.sig"));
    let bytes = std::fs::read(&sig).expect("the signature was written");
    // A binary OpenPGP packet, not ASCII armor.
    assert!(!bytes.starts_with(b"-----BEGIN"), "binary signature");
    let sig = sig.to_str().expect("UTF-8");
    gnupg.gpg(&["--verify", sig, sums.to_str().expect("UTF-8")]);
}
