#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Builds and runs every cargo-fuzz target in fuzz/, one after the other; exits non-zero if any
# target crashes (the input is kept under fuzz/artifacts/<target>/).
#
#   scripts/fuzz.sh                 # smoke run: 20 s per target (what CI runs)
#   scripts/fuzz.sh 300             # 300 s per target
#   scripts/fuzz.sh -runs=1000000   # a fixed number of executions per target
#   scripts/fuzz.sh 60 value_json   # only the named targets
#
# Installs cargo-fuzz when missing. Uses the nightly toolchain when rustup has one, else the
# stable one with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly-only rustc flags); set
# FUZZ_TOOLCHAIN=stable or =nightly to choose, FUZZ_SANITIZER=address for ASan. Builds into
# fuzz/target with CARGO_BUILD_JOBS (default 2); FUZZ_DEV=1 builds unoptimized (CI smoke).
# See fuzz/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

budget="${1:-20}"
if [[ $# -gt 0 ]]; then shift; fi
case "$budget" in
  -runs=[0-9]*) limit="$budget" ;;
  *[!0-9]* | '') echo "usage: $0 [SECONDS_PER_TARGET | -runs=N] [TARGET...]" >&2; exit 2 ;;
  *) limit="-max_total_time=$budget" ;;
esac

export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

toolchain="${FUZZ_TOOLCHAIN:-}"
if [[ -z "$toolchain" ]]; then
  toolchain=stable
  if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    toolchain=nightly
  fi
fi
case "$toolchain" in
  nightly) fuzz=(cargo +nightly fuzz) ;;
  # NOTE: with a sanitizer cargo-fuzz passes -Zsanitizer=..., which stable rustc accepts only
  # when told it is bootstrapping the compiler (the default `none` needs no -Z flag).
  stable) fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz) ;;
  *) echo "fuzz: FUZZ_TOOLCHAIN must be nightly or stable, not '$toolchain'" >&2; exit 2 ;;
esac

# No sanitizer by default: the crate has no unsafe code, so AddressSanitizer would only halve
# the speed; panics (the bugs we look for), timeouts and memory blow-ups are caught without it.
echo "fuzz: ${fuzz[*]} (${limit} per target)"
host="$(rustc -vV | sed -n 's/^host: //p')"
flags=(--sanitizer "${FUZZ_SANITIZER:-none}" --target-dir fuzz/target --target "$host")
# FUZZ_DEV=1 builds unoptimized (about half the cold build time, slower runs): enough for the
# short CI smoke, whose point is that every target builds and survives its seeds.
profile_dir=release
if [[ "${FUZZ_DEV:-}" == 1 ]]; then
  flags+=(--dev)
  profile_dir=debug
fi

if [[ $# -gt 0 ]]; then
  targets=("$@")
  for target in "${targets[@]}"; do
    "${fuzz[@]}" build "${flags[@]}" "$target"
  done
else
  mapfile -t targets < <(cargo fuzz list)
  "${fuzz[@]}" build "${flags[@]}"
fi

failed=()
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  log="fuzz/artifacts/$target.log"
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  echo "fuzz: running $target (log: $log)"
  started=$SECONDS
  # New inputs go to the gitignored corpus; the committed seeds are read-only extra input.
  # The binaries run directly: `cargo fuzz run` would rebuild first, and in a tree being
  # edited that means every target could fuzz a different snapshot of the code.
  if "fuzz/target/$host/$profile_dir/$target" "-artifact_prefix=fuzz/artifacts/$target/" "$limit" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "fuzz/seeds/$target" \
    >"$log" 2>&1; then
    grep -E '^Done [0-9]+ runs|stat::number_of_executed_units' "$log" | tail -2
    echo "fuzz: $target ok in $((SECONDS - started)) s"
  else
    tail -n 60 "$log"
    echo "fuzz: $target FAILED after $((SECONDS - started)) s; crashing input under fuzz/artifacts/$target/" >&2
    failed+=("$target")
  fi
done

echo "fuzz: $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: crashed: ${failed[*]}" >&2
  exit 1
fi
