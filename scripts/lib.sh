# SPDX-License-Identifier: MPL-2.0
# Shared helpers for the scripts in this directory (sourced, not run).

# The repository root (the directory holding Cargo.toml).
repo_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}

# The crate version from Cargo.toml's [workspace.package] section.
crate_version() {
  # The version is the workspace's ([workspace.package]), which every crate inherits.
  awk -F'"' '/^\[workspace\.package\]/ { p = 1; next } /^\[/ { p = 0 } p && /^version *=/ { print $2; exit }' \
    "$(repo_root)/Cargo.toml"
}

# Terraform's platform name for this machine, e.g. linux_amd64 or darwin_arm64.
platform() {
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    i?86) arch=386 ;;
    armv*) arch=arm ;;
    *) arch="$(uname -m)" ;;
  esac
  echo "${os}_${arch}"
}

# A short heading between steps.
heading() {
  if [ -t 1 ]; then
    printf '\n\033[1m==> %s\033[0m\n' "$*"
  else
    printf '\n==> %s\n' "$*"
  fi
}

# GET a URL and print the body (curl if present, else python3).
http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -sSf "$1"
  else
    python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"
  fi
}

# DELETE a URL (python3: curl is optional).
http_delete() {
  python3 -c 'import urllib.request, sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="DELETE"))' "$1"
}

# Pretty-prints JSON on stdin with jq if present, else python3.
pretty_json() {
  if command -v jq >/dev/null 2>&1; then
    jq .
  else
    python3 -m json.tool
  fi
}
