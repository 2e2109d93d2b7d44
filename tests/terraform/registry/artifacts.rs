// SPDX-License-Identifier: MPL-2.0
//! The release artifacts the registry tests serve, made once per test binary: a throwaway RSA
//! key in a temporary GNUPGHOME, then `scripts/release.sh` (what `make release` runs after
//! `make build`) with `GPG_FINGERPRINT` set, over a target directory whose `release/` holds the
//! freshly built (debug) provider, or the release build of the `target/` named by
//! `EHPC_RELEASE_TARGET_DIR`, and a stand-in for one other platform. Also
//! the broken variants the refusal tests serve: the sums signed by another key, and sums that
//! omit this platform's zip, signed by the right key.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::provider_bin;

/// Everything `make release` wrote (file name → bytes) and what the tests need to know of it.
pub(super) struct Artifacts {
    pub version: String,
    pub files: BTreeMap<String, Vec<u8>>,
    /// The signing key's 16-hex-digit ID, as terraform prints it.
    pub key_id: String,
    /// The signing key's ASCII-armored public key, as the Registry publishes it.
    pub public_key: String,
    /// A binary detached signature of the SHA256SUMS made by a different RSA key.
    pub other_key_signature: Vec<u8>,
    /// The SHA256SUMS without this platform's zip, and its signature by the right key.
    pub sums_without_zip: Vec<u8>,
    pub sums_without_zip_signature: Vec<u8>,
}

impl Artifacts {
    /// `terraform-provider-ehpc_<version>`, the prefix of every release file.
    pub(super) fn name(&self) -> String {
        format!("terraform-provider-ehpc_{}", self.version)
    }

    pub(super) fn sums_file(&self) -> String {
        format!("{}_SHA256SUMS", self.name())
    }

    pub(super) fn file(&self, name: &str) -> &[u8] {
        self.files
            .get(name)
            .unwrap_or_else(|| panic!("make release wrote no {name}: {:?}", self.files.keys()))
    }

    /// `(os, arch, zip file name, sha256 hex)` of this machine's platform, which terraform
    /// installs.
    pub(super) fn host(&self) -> (String, String, String, String) {
        let host = host_words();
        self.platforms()
            .into_iter()
            .find(|(os, arch, _, _)| format!("{os}_{arch}") == host)
            .unwrap_or_else(|| panic!("make release packaged no {host} zip"))
    }

    /// `(os, arch, zip file name, sha256 hex)` of every zip listed in the SHA256SUMS.
    pub(super) fn platforms(&self) -> Vec<(String, String, String, String)> {
        let prefix = format!("{}_", self.name());
        String::from_utf8_lossy(self.file(&self.sums_file()))
            .lines()
            .filter_map(|line| {
                let (sum, file) = line.split_once("  ")?;
                let platform = file.strip_prefix(&prefix)?.strip_suffix(".zip")?;
                let (os, arch) = platform.split_once('_')?;
                Some((os.into(), arch.into(), file.into(), sum.into()))
            })
            .collect()
    }
}

/// This machine's platform in the Registry's words, e.g. `linux_amd64`.
pub(super) fn host_words() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{os}_{arch}")
}

/// The shared artifacts, made by the first test that asks.
pub(super) fn artifacts() -> &'static Artifacts {
    static ARTIFACTS: OnceLock<Artifacts> = OnceLock::new();
    ARTIFACTS.get_or_init(make_artifacts)
}

/// A temporary GNUPGHOME; its gpg-agent is stopped when dropped.
pub(super) struct GnuPgHome {
    dir: tempfile::TempDir,
}

impl GnuPgHome {
    pub(super) fn new() -> GnuPgHome {
        let dir = tempfile::tempdir().expect("temp GNUPGHOME");
        GnuPgHome { dir }
    }

    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs gpg with this home, asserting success.
    pub(super) fn gpg(&self, args: &[&str]) -> Vec<u8> {
        let out = Command::new("gpg")
            .args(["--batch", "--no-tty"])
            .args(args)
            .env("GNUPGHOME", self.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run gpg: {e}"));
        assert!(out.status.success(), "gpg {args:?} failed\n{}", dump(&out));
        out.stdout
    }

    /// Generates a passphrase-less signing key (`algo` like rsa2048 or ed25519) and returns its
    /// fingerprint.
    pub(super) fn generate(&self, user: &str, algo: &str) -> String {
        self.generate_with_passphrase(user, algo, "")
    }

    /// [`GnuPgHome::generate`] with the key protected by `passphrase`.
    pub(super) fn generate_with_passphrase(
        &self,
        user: &str,
        algo: &str,
        passphrase: &str,
    ) -> String {
        self.gpg(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-gen-key",
            user,
            algo,
            "sign",
            "never",
        ]);
        let listing =
            String::from_utf8_lossy(&self.gpg(&["--with-colons", "--list-secret-keys", user]))
                .into_owned();
        listing
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_string())
            })
            .unwrap_or_else(|| panic!("no fingerprint for {user} in\n{listing}"))
    }

    /// A binary detached signature of `file` by `fingerprint`.
    pub(super) fn sign(&self, fingerprint: &str, file: &Path) -> Vec<u8> {
        let file = file.to_str().expect("UTF-8 path");
        self.gpg(&[
            "--local-user",
            fingerprint,
            "--output",
            "-",
            "--detach-sign",
            file,
        ])
    }
}

impl Drop for GnuPgHome {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.path())
            .output();
    }
}

pub(super) fn dump(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `scripts/release.sh` with CARGO_TARGET_DIR=`target`, DIST_DIR=`dist` and `env`.
pub(super) fn release_script(target: &Path, dist: &Path, env: &[(&str, &OsStr)]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/release.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .env("CARGO_TARGET_DIR", target)
        .env("DIST_DIR", dist)
        .env_remove("GPG_FINGERPRINT")
        .env_remove("GPG_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run scripts/release.sh")
}

/// The platform packaged besides this machine's, from a stand-in binary: it is never run, only
/// listed, hashed and locked (`terraform providers lock -platform=...`).
pub(super) const OTHER_PLATFORM: (&str, &str) = ("aarch64-apple-darwin", "darwin_arm64");

/// A target directory whose `release/` holds `binary` (a hard link when the file system
/// allows, so that no 100 MB copy is made) and whose [`OTHER_PLATFORM`] release directory holds
/// a stand-in.
pub(super) fn target_with_builds(root: &Path, binary: &Path) -> PathBuf {
    let target = root.join("target");
    std::fs::create_dir_all(target.join("release")).expect("target/release");
    let host = target.join("release/terraform-provider-ehpc");
    if std::fs::hard_link(binary, &host).is_err() {
        std::fs::copy(binary, &host).expect("copy the provider binary");
    }
    let other = target.join(OTHER_PLATFORM.0).join("release");
    std::fs::create_dir_all(&other).expect("cross target dir");
    std::fs::write(other.join("terraform-provider-ehpc"), "stand-in\n").expect("stand-in");
    target
}

fn make_artifacts() -> Artifacts {
    let work = tempfile::tempdir().expect("temp dir");
    let gnupg = GnuPgHome::new();
    let fingerprint = gnupg.generate("ehpc release test <release@example.invalid>", "rsa2048");
    let other = gnupg.generate("someone else <other@example.invalid>", "rsa2048");
    let public_key = String::from_utf8(gnupg.gpg(&["--armor", "--export", &fingerprint]))
        .expect("armored key is text");

    // .ci/run names target/ after `make install`, to repeat the tests on the release build.
    let binary = match std::env::var_os("EHPC_RELEASE_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("release/terraform-provider-ehpc"),
        None => provider_bin().to_path_buf(),
    };
    let target = target_with_builds(work.path(), &binary);
    let dist = work.path().join("dist");
    let out = release_script(
        &target,
        &dist,
        &[
            ("GPG_FINGERPRINT", OsStr::new(&fingerprint)),
            ("GNUPGHOME", gnupg.path().as_os_str()),
        ],
    );
    assert!(
        out.status.success(),
        "scripts/release.sh failed\n{}",
        dump(&out)
    );

    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dist).expect("read dist") {
        let path = entry.expect("dist entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 name");
        files.insert(
            name.to_string(),
            std::fs::read(&path).expect("read artifact"),
        );
    }
    let version = files
        .keys()
        .find_map(|f| {
            f.strip_prefix("terraform-provider-ehpc_")?
                .strip_suffix("_SHA256SUMS")
        })
        .expect("make release wrote terraform-provider-ehpc_<version>_SHA256SUMS")
        .to_string();
    let sums_path = dist.join(format!("terraform-provider-ehpc_{version}_SHA256SUMS"));
    let other_key_signature = gnupg.sign(&other, &sums_path);

    let sums = std::fs::read_to_string(&sums_path).expect("read SHA256SUMS");
    let without: String = sums
        .lines()
        .filter(|l| !l.ends_with(&format!("_{}.zip", host_words())))
        .map(|l| format!("{l}\n"))
        .collect();
    let without_path = work.path().join("SHA256SUMS-without-zip");
    std::fs::write(&without_path, &without).expect("write the cut SHA256SUMS");
    let sums_without_zip_signature = gnupg.sign(&fingerprint, &without_path);

    Artifacts {
        version,
        files,
        key_id: fingerprint[fingerprint.len() - 16..].to_string(),
        public_key,
        other_key_signature,
        sums_without_zip: without.into_bytes(),
        sums_without_zip_signature,
    }
}
