#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Fails when a production source line is longer than 100 characters. rustfmt keeps code within
# its max_width but gives up, silently, on a statement holding a string literal it cannot fit,
# and never rewraps comments; this catches both. Production means the tracked `.rs` files under
# src/ and crates/*/src except unit tests (`tests.rs`, anything under a `tests/` directory,
# `test_values.rs`); generated code lives in target/ and is not looked at. Wrap a long literal
# with a `\` continuation (the next line's leading spaces are skipped).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

mapfile -t files < <(git ls-files -- 'src/*.rs' 'crates/*/src/*.rs' |
  grep -Ev '(^|/)tests(/|\.rs$)|(^|/)test_values\.rs$')
long="$(awk 'length($0) > 100 { printf "%s:%d: %d characters\n", FILENAME, FNR, length($0) }' \
  "${files[@]}")"
if [ -n "$long" ]; then
  printf '%s\n' "$long" >&2
  echo "check_line_length: $(printf '%s\n' "$long" | wc -l) production line(s) over 100 characters" >&2
  exit 1
fi
echo "check_line_length: ${#files[@]} files, every line within 100 characters"
