#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# `make install`: copies the release binary into a local filesystem-mirror layout
#   $PREFIX/terraform.local/ehpc/ehpc/<version>/<os>_<arch>/terraform-provider-ehpc_v<version>
# (PREFIX defaults to ~/.terraform.d/plugins, which Terraform and OpenTofu search without any
# CLI config) and prints the required_providers block and CLI config that use it offline.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(repo_root)"
version="$(crate_version)"
platform="$(platform)"
prefix="${PREFIX:-$HOME/.terraform.d/plugins}"
binary="${CARGO_TARGET_DIR:-$root/target}/release/terraform-provider-ehpc"

[ -x "$binary" ] || {
  echo "install: $binary is missing; run 'make build' first" >&2
  exit 1
}
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
dest="$prefix/terraform.local/ehpc/ehpc/$version/$platform"
mkdir -p "$dest"
install -m 0755 "$binary" "$dest/terraform-provider-ehpc_v$version"
echo "installed $dest/terraform-provider-ehpc_v$version"

cat <<TF

Use it from a configuration with:

  terraform {
    required_providers {
      ehpc = {
        source  = "terraform.local/ehpc/ehpc"
        version = "$version"
      }
    }
  }

TF
if [ "$prefix" = "$HOME/.terraform.d/plugins" ]; then
  echo "~/.terraform.d/plugins is searched by default: 'terraform init' (or 'tofu init') needs no CLI config."
  echo "To make it explicit, or for another mirror directory, use this CLI config:"
else
  echo "Point Terraform (TF_CLI_CONFIG_FILE or ~/.terraformrc) or OpenTofu (~/.tofurc) at the mirror:"
fi
cat <<CLI

  provider_installation {
    filesystem_mirror {
      path    = "$prefix"
      include = ["terraform.local/*/*"]
    }
    direct {
      exclude = ["terraform.local/*/*"]
    }
  }

After reinstalling the same version, delete .terraform.lock.hcl and run 'terraform init' again:
the lock file pins the old binary's checksum.
CLI
