#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The benchmark (`make bench`): builds the release binaries and the plugin floor
# (scripts/bench/null_provider.rs), then measures in one run the provider's handshake, its
# apply/plan overhead against the plugin floor (every target) and Terraform's built-in
# terraform_data (info), plans with refresh and their calls, a plan against an emulator with
# latency, an apply waiting for copies, its behaviour against a throttled emulator, its peak
# RSS and its binary size, six concurrent applies on one throttled account, and the provider
# processes' own CPU per call, and writes BENCHMARKS.md. `--smoke` (what CI runs) uses tiny
# sizes and a temporary file.
# Targets (issue 27): handshake and a plan creating one resource ≤ 1.03× the floor's (the
# handshake also against a floor linked with the provider's code); apply of 100 ≤ 1.15× and
# of 1000 ≤ 1.10× the floor; provider CPU per call (less the floor's) ≤ 0.1 ms; apply of 100
# waiting 2 s for copies at -parallelism=100 ≤ 1.10× (2 s + the same apply with
# wait_for_copies = false), the default parallelism's waves as info; throttled at 20 rps,
# 200 resources: wall ≤ 1.10× (admitted calls ÷ 20 rps), calls per resource reported; plan
# of 200 with refresh at 50 ms, -parallelism=10 ≤ 1.20× (the floor's zero-latency plan +
# 200 × 50 ms ÷ 10); 6 concurrent applies of 40 at 20 rps with 5 % 503: all succeed, wall
# ≤ 1.10× (admitted ÷ 20 rps), throttled ≤ 5 %.
# Exits non-zero when a run fails, never because a performance target is missed.
#
# Usage: scripts/bench.sh [--smoke] [--out FILE] [--keep] [--no-build]
#                         [--sizes 1:9,100:7,1000:3] [--throttle-reps N]
#                         [--only handshake,create-plan,overhead,latency,latency-floor,copies,
#                                 large-account,throttle,many]   (one measurement alone)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(repo_root)"
cargo="${CARGO:-cargo}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target_dir/release"

smoke=""
out=""
keep=""
build=1
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke="--smoke" ;;
    --out)
      [ $# -ge 2 ] || { echo "bench: --out needs a file" >&2; exit 2; }
      out="$2"
      shift
      ;;
    --keep) keep="--keep" ;;
    --sizes | --throttle-reps | --only)
      [ $# -ge 2 ] || { echo "bench: $1 needs a value" >&2; exit 2; }
      extra+=("$1" "$2")
      shift
      ;;
    --no-build) build="" ;;
    -h | --help)
      sed -n '3,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "bench: unknown argument '$1' (try --help)" >&2
      exit 2
      ;;
  esac
  shift
done

for tool in terraform python3; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "bench: $tool is not on PATH (needed: terraform >= 1.5, python3 >= 3.8)" >&2
    exit 1
  }
done
if [ "$(uname -s)" != "Linux" ]; then
  echo "bench: Linux only (the RSS sampler reads /proc)" >&2
  exit 1
fi

if [ -z "$out" ]; then
  if [ -n "$smoke" ]; then
    out="$(mktemp "${TMPDIR:-/tmp}/ehpc-bench-smoke.XXXXXX.md")"
  else
    out="$root/BENCHMARKS.md"
  fi
fi

if [ -n "$build" ]; then
  heading "Building the release binaries and the plugin floor"
  (cd "$root" && nice -n 10 "$cargo" build --release --bins --example terraform-provider-benchnull \
    --example terraform-provider-benchnull-linked)
fi
for bin in terraform-provider-ehpc ehpc-emulator examples/terraform-provider-benchnull \
  examples/terraform-provider-benchnull-linked; do
  [ -x "$bin_dir/$bin" ] || { echo "bench: $bin_dir/$bin is missing" >&2; exit 1; }
done

heading "Measuring${smoke:+ (smoke)}; report: $out"
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$root/scripts/bench/bench.py" --bin-dir "$bin_dir" --repo "$root" \
  --out "$out" $smoke $keep "${extra[@]}"
