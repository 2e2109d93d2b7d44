// SPDX-License-Identifier: MPL-2.0
//! What the test server serves, built from the release artifacts: the provider registry
//! protocol (service discovery, `versions`, `download/{os}/{arch}`) for `<host>/ehpc/ehpc`, the
//! provider network mirror protocol (`index.json`, `<version>.json`) under `/mirror/`, and the
//! release files under `/files/`. A [`Variant`] breaks one thing for the refusal tests.

use serde_json::json;

use super::artifacts::Artifacts;
use super::server::Routes;

pub(super) const NAMESPACE: &str = "ehpc";
pub(super) const TYPE: &str = "ehpc";

/// What the registry serves.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Variant {
    /// The artifacts exactly as `make release` wrote them.
    Signed,
    /// SHA256SUMS.sig made by a key other than the one the registry lists.
    OtherKeySignature,
    /// A zip with one byte changed, still announced with its original shasum.
    TamperedZip,
    /// A SHA256SUMS (correctly signed) that does not list the zip.
    SumsWithoutZip,
}

/// Every route for a server at `base` serving `a` broken as `variant` says.
pub(super) fn routes(base: &str, a: &Artifacts, variant: Variant) -> Routes {
    let mut routes = Routes::new();
    let sums = a.sums_file();
    let sig = format!("{sums}.sig");
    for (name, bytes) in &a.files {
        routes.insert(format!("/files/{name}"), bytes.clone());
    }
    match variant {
        Variant::Signed => {}
        Variant::OtherKeySignature => {
            routes.insert(format!("/files/{sig}"), a.other_key_signature.clone());
        }
        Variant::TamperedZip => {
            for (_, _, zip, _) in a.platforms() {
                let mut bytes = a.file(&zip).to_vec();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0xff;
                routes.insert(format!("/files/{zip}"), bytes);
            }
        }
        Variant::SumsWithoutZip => {
            routes.insert(format!("/files/{sums}"), a.sums_without_zip.clone());
            routes.insert(
                format!("/files/{sig}"),
                a.sums_without_zip_signature.clone(),
            );
        }
    }

    let discovery = json!({ "providers.v1": "/v1/providers/" });
    routes.insert("/.well-known/terraform.json".into(), bytes(&discovery));
    let provider = format!("/v1/providers/{NAMESPACE}/{TYPE}");
    let platforms: Vec<_> = a
        .platforms()
        .into_iter()
        .map(|(os, arch, _, _)| json!({ "os": os, "arch": arch }))
        .collect();
    let versions = json!({ "versions": [{
        "version": a.version, "protocols": ["6.0"], "platforms": platforms,
    }]});
    routes.insert(format!("{provider}/versions"), bytes(&versions));
    for (os, arch, zip, shasum) in a.platforms() {
        let download = json!({
            "protocols": ["6.0"],
            "os": os,
            "arch": arch,
            "filename": zip,
            "download_url": format!("{base}/files/{zip}"),
            "shasums_url": format!("{base}/files/{sums}"),
            "shasums_signature_url": format!("{base}/files/{sig}"),
            "shasum": shasum,
            "signing_keys": { "gpg_public_keys": [{
                "key_id": a.key_id,
                "ascii_armor": a.public_key,
                "trust_signature": "",
                "source": "ehpc release test",
                "source_url": null,
            }]},
        });
        let path = format!("{provider}/{}/download/{os}/{arch}", a.version);
        routes.insert(path, bytes(&download));
    }
    mirror_routes(&mut routes, base, a);
    routes
}

/// The network mirror protocol for every hostname the tests use the mirror for.
fn mirror_routes(routes: &mut Routes, base: &str, a: &Artifacts) {
    let prefix = format!("/mirror/{MIRRORED_HOST}/{NAMESPACE}/{TYPE}");
    let index = json!({ "versions": { a.version.clone(): {} } });
    routes.insert(format!("{prefix}/index.json"), bytes(&index));
    let archives: serde_json::Map<_, _> = a
        .platforms()
        .into_iter()
        .map(|(os, arch, zip, shasum)| {
            let archive = json!({
                "url": format!("{base}/files/{zip}"),
                "hashes": [format!("zh:{shasum}")],
            });
            (format!("{os}_{arch}"), archive)
        })
        .collect();
    let version = json!({ "archives": archives });
    routes.insert(format!("{prefix}/{}.json", a.version), bytes(&version));
}

/// The hostname the network mirror serves the provider for: the public registry's, so that
/// the test shows a mirror standing in for it with no other network access.
pub(super) const MIRRORED_HOST: &str = "registry.terraform.io";

fn bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("JSON")
}
