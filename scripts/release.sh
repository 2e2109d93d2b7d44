#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# `make release`: packages every release binary as the Terraform Registry expects, in dist/:
#   terraform-provider-ehpc_<version>_<os>_<arch>.zip  holding terraform-provider-ehpc_v<version>
#                                                      (.exe for windows)
#   terraform-provider-ehpc_<version>_manifest.json    protocol 6.0 (also
#                                                      terraform-registry-manifest.json)
#   terraform-provider-ehpc_<version>_SHA256SUMS       every zip and the manifest (also SHA256SUMS)
#   terraform-provider-ehpc_<version>_SHA256SUMS.sig   with GPG_FINGERPRINT set: a binary
#                                                      detached signature, as the Registry reads it
# Binaries: the host build (target/release/) and every cross build (target/<triple>/release/).
# Environment: CARGO_TARGET_DIR, DIST_DIR (default dist/), GPG_FINGERPRINT (the signing key),
# GPG_PASSPHRASE (optional; otherwise gpg-agent must already hold it).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(repo_root)"
version="$(crate_version)"
target="${CARGO_TARGET_DIR:-$root/target}"
dist="${DIST_DIR:-$root/dist}"
name="terraform-provider-ehpc_${version}"
exe="terraform-provider-ehpc_v$version"

die() {
  echo "release: $*" >&2
  exit 1
}

# The signing key must exist and be RSA or DSA: the Terraform Registry rejects other keys, and
# Terraform's signature check cannot read them. Checked before anything is written.
check_signing_key() {
  local colons algo
  command -v gpg >/dev/null 2>&1 || die "GPG_FINGERPRINT is set but gpg is not installed"
  colons="$(gpg --batch --with-colons --list-secret-keys -- "$GPG_FINGERPRINT" 2>/dev/null)" ||
    die "no secret key for GPG_FINGERPRINT=$GPG_FINGERPRINT in ${GNUPGHOME:-~/.gnupg}"
  # Field 4 of the sec (primary) and signing-capable ssb lines is the algorithm:
  # 1, 3 RSA; 17 DSA; 18, 19, 22 ECC.
  while IFS=: read -r kind _ _ algo _ _ _ _ _ _ _ caps _; do
    case "$kind" in sec) ;; ssb) [[ "$caps" == *s* ]] || continue ;; *) continue ;; esac
    case "$algo" in
      1 | 3 | 17) ;;
      *)
        die "GPG_FINGERPRINT=$GPG_FINGERPRINT is not an RSA or DSA key (OpenPGP algorithm" \
          "$algo): the Terraform Registry accepts only RSA or DSA signing keys; create one" \
          "with: gpg --full-generate-key (RSA and RSA, 4096 bits)"
        ;;
    esac
  done <<<"$colons"
}

# `<os>_<arch>` in the Registry's words for a Rust target triple, or nothing when Terraform
# runs on no such platform.
registry_platform() {
  local arch os
  case "$1" in
    x86_64-*) arch=amd64 ;;
    aarch64-*) arch=arm64 ;;
    i686-* | i586-*) arch=386 ;;
    arm-* | armv7-*) arch=arm ;;
    *) return 0 ;;
  esac
  case "$1" in
    *-linux-*) os=linux ;;
    *-apple-darwin) os=darwin ;;
    *-windows-*) os=windows ;;
    *-freebsd) os=freebsd ;;
    *) return 0 ;;
  esac
  echo "${os}_${arch}"
}

# Writes dist/<name>_<platform>.zip holding the binary under the name Terraform runs.
package() {
  local binary="$1" platform="$2" inside="$exe" stage zip_file
  [[ "$platform" == windows_* ]] && inside="$exe.exe"
  stage="$(mktemp -d)"
  install -m 0755 "$binary" "$stage/$inside"
  zip_file="$dist/${name}_${platform}.zip"
  if command -v zip >/dev/null 2>&1; then
    (cd "$stage" && zip -q -X "$zip_file" "$inside")
  else
    (cd "$stage" && python3 -m zipfile -c "$zip_file" "$inside")
  fi
  rm -rf "$stage"
  echo "packaged $platform from $binary"
}

if [ -n "${GPG_FINGERPRINT:-}" ]; then
  check_signing_key
fi

# platform -> binary; a cross build for a triple wins over the host build of the same platform.
declare -A binaries=()
if [ -x "$target/release/terraform-provider-ehpc" ]; then
  binaries["$(platform)"]="$target/release/terraform-provider-ehpc"
fi
for dir in "$target"/*/release; do
  triple="$(basename "$(dirname "$dir")")"
  for binary in "$dir/terraform-provider-ehpc" "$dir/terraform-provider-ehpc.exe"; do
    [ -f "$binary" ] || continue
    platform="$(registry_platform "$triple")"
    if [ -z "$platform" ]; then
      echo "release: skipping $binary: Terraform runs on no $triple platform" >&2
      continue
    fi
    if [ -n "${binaries[$platform]:-}" ]; then
      echo "release: $platform from $binary, not ${binaries[$platform]}" >&2
    fi
    binaries["$platform"]="$binary"
  done
done
[ "${#binaries[@]}" -gt 0 ] ||
  die "no release binary in $target/release or $target/<triple>/release; run 'make build' first"

mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"
# A stale zip or signature from an earlier run must not end up in the new SHA256SUMS.
rm -f "$dist/${name}"_*.zip "$dist/${name}_SHA256SUMS" "$dist/${name}_SHA256SUMS.sig" \
  "$dist/SHA256SUMS"
for platform in $(printf '%s\n' "${!binaries[@]}" | sort); do
  package "${binaries[$platform]}" "$platform"
done

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
) >"$dist/${name}_SHA256SUMS"
cp "$dist/${name}_SHA256SUMS" "$dist/SHA256SUMS"

sums="$dist/${name}_SHA256SUMS"
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  # As HashiCorp's provider scaffolding signs: binary (not armored), detached.
  sign=(gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$sums.sig")
  if [ -n "${GPG_PASSPHRASE:-}" ]; then
    "${sign[@]}" --pinentry-mode loopback --passphrase-fd 0 --detach-sign "$sums" \
      <<<"$GPG_PASSPHRASE"
  else
    "${sign[@]}" --detach-sign "$sums" </dev/null
  fi
  gpg --batch --verify "$sums.sig" "$sums" 2>/dev/null ||
    die "the signature just written does not verify against $sums"
  echo "signed ${name}_SHA256SUMS with $GPG_FINGERPRINT (${name}_SHA256SUMS.sig)"
else
  echo "release: NOT SIGNED: GPG_FINGERPRINT is not set. The Terraform Registry and the" \
    "OpenTofu registry will not accept these artifacts; set GPG_FINGERPRINT to an RSA key" \
    "to sign ${name}_SHA256SUMS." >&2
fi

echo "release artifacts in $dist:"
ls -l "$dist"
