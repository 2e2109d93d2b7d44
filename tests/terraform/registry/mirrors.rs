// SPDX-License-Identifier: MPL-2.0
//! The release installed through mirrors, as enterprises do: the provider network mirror
//! protocol (what Artifactory- and Nexus-style mirrors speak) standing in for the public
//! registry's hostname, and `terraform providers mirror` into a directory that a
//! `filesystem_mirror` then installs from with the server gone.

use super::artifacts::{artifacts, host_words};
use super::routes::{routes, Variant, MIRRORED_HOST, NAMESPACE, TYPE};
use super::server::HttpsServer;
use super::{registry_source, tf_for, tools_available};

#[test]
fn a_network_mirror_installs_the_release() {
    if !tools_available() {
        return;
    }
    let a = artifacts();
    let server = HttpsServer::start(|base| routes(base, a, Variant::Signed));
    let source = format!("{MIRRORED_HOST}/{NAMESPACE}/{TYPE}");
    let cli = format!(
        "provider_installation {{\n  network_mirror {{\n    url = \"{}/mirror/\"\n  }}\n}}\n",
        server.base
    );
    let tf = tf_for(&server, &cli, &source, "http://127.0.0.1:9");

    // Terraform names providers of its default registry without the hostname.
    tf.tf(&["init", "-input=false"])
        .success()
        .assert_contains(&format!(
            "Installed {NAMESPACE}/{TYPE} v{} (verified checksum)",
            a.version
        ));
    // A mirror's hashes are not signed: the lock file gets the h1: of this platform only.
    let lock = tf.read(".terraform.lock.hcl");
    assert!(
        lock.contains(&format!("provider \"{source}\"")) && lock.contains("\"h1:"),
        "{lock}"
    );
    let index = format!("/mirror/{source}/index.json");
    assert!(
        server.requests().contains(&index),
        "terraform asked the mirror for {index}: {:?}",
        server.requests()
    );
    tf.validate()
        .success()
        .assert_contains("The configuration is valid");
}

#[test]
fn providers_mirror_then_an_offline_filesystem_mirror_installs_the_release() {
    if !tools_available() {
        return;
    }
    let a = artifacts();
    let mirror = tempfile::tempdir().expect("mirror directory");
    let mirror_dir = mirror.path().display().to_string();
    let server = HttpsServer::start(|base| routes(base, a, Variant::Signed));
    let source = registry_source(&server);
    let online = tf_for(
        &server,
        "provider_installation {\n  direct {}\n}\n",
        &source,
        "http://127.0.0.1:9",
    );
    online.tf(&["init", "-input=false"]).success();
    online
        .tf(&["providers", "mirror", &mirror_dir])
        .success()
        .assert_contains(&format!("- Mirroring {source}..."));
    let zip = format!("{}_{}.zip", a.name(), host_words());
    let mirrored = mirror.path().join(&source).join(&zip);
    assert!(mirrored.is_file(), "{} was written", mirrored.display());
    let lock = online.read(".terraform.lock.hcl");
    let ca_file = server.ca_file().to_path_buf();
    drop(server);

    // No server any more, and no installation method but the directory.
    let cli = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{mirror_dir}\"\n  }}\n}}\n"
    );
    let mut offline = crate::support::TfDir::new();
    offline.cli_config(&cli);
    offline.env("SSL_CERT_FILE", &ca_file.display().to_string());
    offline.main_tf(&online.read("main.tf"));
    // The lock file from the signed install: init must find the mirrored zip matching it.
    offline.write(".terraform.lock.hcl", &lock);
    offline
        .tf(&["init", "-input=false"])
        .success()
        .assert_contains(&format!("Installed {source} v{}", a.version));
    assert_eq!(
        offline.read(".terraform.lock.hcl"),
        lock,
        "the offline install matches the hashes of the signed release"
    );
    offline.validate().success();
}
