#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# `make release`: packages the release binary as the Terraform Registry expects, in dist/:
#   terraform-provider-ehpc_<version>_<os>_<arch>.zip   (holding terraform-provider-ehpc_v<version>)
#   terraform-registry-manifest.json                    (protocol 6.0), also as ..._<version>_manifest.json
#   SHA256SUMS                                          (also as ..._<version>_SHA256SUMS)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(repo_root)"
version="$(crate_version)"
platform="$(platform)"
binary="${CARGO_TARGET_DIR:-$root/target}/release/terraform-provider-ehpc"
dist="${DIST_DIR:-$root/dist}"
name="terraform-provider-ehpc_${version}"

[ -x "$binary" ] || {
  echo "release: $binary is missing; run 'make build' first" >&2
  exit 1
}
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$binary" "$stage/terraform-provider-ehpc_v$version"

mkdir -p "$dist"
zip_file="$dist/${name}_${platform}.zip"
rm -f "$zip_file"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -X "$zip_file" "terraform-provider-ehpc_v$version")
else
  (cd "$stage" && python3 -m zipfile -c "$zip_file" "terraform-provider-ehpc_v$version")
fi

printf '{\n  "version": 1,\n  "metadata": {\n    "protocol_versions": ["6.0"]\n  }\n}\n' \
  >"$dist/terraform-registry-manifest.json"
cp "$dist/terraform-registry-manifest.json" "$dist/${name}_manifest.json"

(
  cd "$dist"
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "${name}"_*.zip "${name}_manifest.json"
  else
    shasum -a 256 "${name}"_*.zip "${name}_manifest.json"
  fi
) >"$dist/SHA256SUMS"
cp "$dist/SHA256SUMS" "$dist/${name}_SHA256SUMS"

echo "release artifacts in $dist:"
ls -l "$dist"
