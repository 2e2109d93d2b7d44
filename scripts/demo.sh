#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# The demo (`make demo`): builds the provider and the emulator, starts the emulator on a free
# loopback port, points Terraform at the fresh build (dev_overrides, no registry access) and
# walks examples/quickstart through create, an update that adds a region, and destroy,
# showing what the emulator received at each step. Works offline; leaves nothing running.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(repo_root)"
cargo="${CARGO:-cargo}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin_dir="$target_dir/release"

app_id="${DEMO_APP_ID:-ci-vm-demoQuickstart}"
key_id="LTAI5tDemoAccessKey"
# Known only to this emulator run; never a real credential.
secret="demo-secret-$RANDOM$RANDOM"

command -v terraform >/dev/null 2>&1 || {
  echo "demo: terraform is not on PATH (install Terraform >= 1.5 or OpenTofu)" >&2
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/ehpc-demo.XXXXXX")"
emu_pid=""
cleanup() {
  local status=$?
  if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
    kill -TERM "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/emulator.log" ]; then
    echo "--- emulator log ---" >&2
    tail -n 40 "$work/emulator.log" >&2 || true
  fi
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    echo "demo: FAILED (exit $status)" >&2
  fi
}
trap cleanup EXIT

heading "Building the provider and the emulator (cargo build --release --bins)"
(cd "$root" && "$cargo" build --release --bins)

heading "Starting the emulator on a free loopback port"
mkfifo "$work/emulator.out"
"$bin_dir/ehpc-emulator" --listen 127.0.0.1:0 \
  --credential "$key_id:$secret" --app "$app_id" --copy-seconds 3 \
  --region cn-hangzhou --region cn-shanghai --region cn-beijing --region ap-southeast-1 \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
# Kept open for the emulator's lifetime, so it never writes into a closed pipe.
exec 3<"$work/emulator.out"
line=""
# Bounded wait for the single readiness line (printed once the emulator listens).
read -r -t 60 line <&3 || true
case "$line" in
  "listening on http://"*) endpoint="${line#listening on }" ;;
  *)
    echo "demo: the emulator did not report its address (got: '$line')" >&2
    exit 1
    ;;
esac
echo "emulator: $endpoint  (app $app_id, regions cn-hangzhou cn-shanghai cn-beijing ap-southeast-1; copies take 3 s)"

heading "Pointing Terraform at the fresh build (dev_overrides, no registry)"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "terraform.local/ehpc/ehpc" = "$bin_dir"
  }
  direct {}
}
EOF
cat "$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_VAR_endpoint="$endpoint" TF_VAR_app_id="$app_id"
export TF_VAR_access_key="$key_id" TF_VAR_secret_key="$secret"
mkdir "$work/quickstart"
cp "$root"/examples/quickstart/*.tf "$work/quickstart/"
cd "$work/quickstart"
tf() {
  local cmd="$1"
  shift
  terraform "$cmd" -input=false "$@"
}

# Prints the SynchronizeApp calls the emulator recorded, and checks how many there are.
sync_calls() {
  http_get "$endpoint/_emulator/calls" | python3 -c '
import json, sys
calls = [c for c in json.load(sys.stdin) if c.get("action") == "SynchronizeApp"]
print(json.dumps(calls, indent=2))
expected = int(sys.argv[1])
if len(calls) != expected:
    sys.exit(f"demo: expected {expected} SynchronizeApp call(s), the emulator saw {len(calls)}")
' "$1"
}

heading "1. terraform plan: create, syncing $app_id to cn-shanghai"
tf plan -out=create.tfplan

heading "2. terraform apply: one SynchronizeApp call, then a wait while the copy is Creating"
started=$SECONDS
if ! TF_LOG_PROVIDER=INFO tf apply create.tfplan 2>"$work/apply.log"; then
  cat "$work/apply.log" >&2
  exit 1
fi
echo "the provider's progress lines (TF_LOG_PROVIDER=INFO):"
grep -m 3 'waiting for copies' "$work/apply.log" | sed 's/^.*\] //' || true
echo "the apply took $((SECONDS - started)) s: it returned once the copy was Available"

heading "3. The state records the call's RequestId and the copies, each with its own image id"
terraform state show ehpc_app_sync.quickstart
echo "request_id output: $(terraform output -raw request_id)"
terraform output copies

heading "4. What the emulator recorded (GET /_emulator/calls)"
sync_calls 1

heading "5. Update: add ap-southeast-1 (the plan shows request_id as known after apply)"
regions='target_region_ids=["cn-shanghai","ap-southeast-1"]'
tf plan -var "$regions" -out=update.tfplan
tf apply update.tfplan

heading "6. Only the added region was sent (the second call)"
sync_calls 2 | python3 -c '
import json, sys
calls = json.load(sys.stdin)
print(json.dumps(calls[-1], indent=2))
if calls[-1].get("target_region_ids") != ["ap-southeast-1"]:
    sys.exit("demo: the update should have sent only ap-southeast-1")
'
echo "regions holding each app (GET /_emulator/apps):"
http_get "$endpoint/_emulator/apps" | pretty_json

heading "7. A second plan is empty (terraform plan -detailed-exitcode exits 0)"
tf plan -var "$regions" -detailed-exitcode

heading "8. Drift: the copy in ap-southeast-1 is deleted behind Terraform's back"
http_delete "$endpoint/_emulator/apps/$app_id/copies/ap-southeast-1"
echo "the refresh records it Missing: the plan warns and synchronizes that one region again"
status=0
tf plan -var "$regions" -detailed-exitcode -out=repair.tfplan || status=$?
if [[ $status -ne 2 ]]; then
  echo "demo: the plan after the deletion should show a change (exit 2), got $status" >&2
  exit 1
fi
tf apply repair.tfplan
sync_calls 3 | python3 -c '
import json, sys
calls = json.load(sys.stdin)
print(json.dumps(calls[-1], indent=2))
if calls[-1].get("target_region_ids") != ["ap-southeast-1"]:
    sys.exit("demo: the repair should have sent only ap-southeast-1")
'
tf plan -var "$regions" -detailed-exitcode
echo "repaired with exactly one call for ap-southeast-1; the next plan is empty"

heading "9. Destroy: no API call (nothing can un-synchronize), a warning instead"
tf destroy -auto-approve -var "$regions"
sync_calls 3 >/dev/null
echo "the emulator still saw exactly 3 SynchronizeApp calls; the copies stay in their regions"

heading "10. Stopping the emulator"
kill -TERM "$emu_pid"
wait "$emu_pid" || true
emu_pid=""
echo "demo: OK"
