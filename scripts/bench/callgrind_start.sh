#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Instructions one plugin process executes from exec to its handshake line and a SIGTERM exit,
# under valgrind's callgrind (load-independent, unlike wall time), with the environment
# Terraform gives a plugin (magic cookie, protocol versions, an AutoMTLS client certificate).
# Usage: scripts/bench/callgrind_start.sh BINARY [OUT_DIR]   (prints "instructions: N")
# `callgrind_annotate OUT_DIR/callgrind.out` then shows where they go, by symbol.
set -euo pipefail
bin="$1"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
command -v valgrind >/dev/null || { echo "callgrind_start: valgrind is not installed" >&2; exit 1; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cert="$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import handshake; print(handshake.client_cert_pem(sys.argv[2]))' "$here" "$out")"
export TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
export PLUGIN_PROTOCOL_VERSIONS=5,6 PLUGIN_CLIENT_CERT="$cert"
unset TF_LOG TF_LOG_PROVIDER
fifo="$out/stdout"
rm -f "$fifo"
mkfifo "$fifo"
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" "$bin" >"$fifo" 2>"$out/valgrind.log" &
pid=$!
# The handshake line is the first line the plugin writes; then it is asked to stop.
head -n 1 "$fifo" >"$out/handshake.txt"
kill -TERM "$pid"
wait "$pid" || true
grep -q '|6|unix|' "$out/handshake.txt" || { echo "callgrind_start: no handshake line" >&2; exit 1; }
echo "instructions: $(sed -n 's/^summary: //p' "$out/callgrind.out")"
