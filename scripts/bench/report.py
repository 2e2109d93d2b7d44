# SPDX-License-Identifier: MPL-2.0
"""BENCHMARKS.md: machine information, the results table (median [min-max], ratios against
terraform_data, each target and whether it is met), the plugin-floor and AutoMTLS tables
(info), how the figures were measured, and the findings (missed targets, plus the
hand-written profile notes in scripts/bench/FINDINGS.md).
Takes the result dictionary built by bench.py; does no measuring itself.
"""

import datetime
import os
import platform
import subprocess

from harness import summary

FINDINGS_NOTES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FINDINGS.md")


def _cmd(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        return out.stdout.strip().splitlines()[0] if out.stdout.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _read_first(path, prefix):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line
    except OSError:
        pass
    return "unknown"


def machine_info(repo_root):
    """What the figures depend on, gathered at the start of the run."""
    os_name = _read_first("/etc/os-release", "PRETTY_NAME=").split("=", 1)[-1].strip().strip('"')
    mem_kib = _read_first("/proc/meminfo", "MemTotal:").split()[0]
    commit = _cmd(["git", "-C", repo_root, "rev-parse", "--short", "HEAD"])
    dirty = _cmd(["git", "-C", repo_root, "status", "--porcelain", "--untracked-files=no"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": _read_first("/proc/cpuinfo", "model name"),
        "memory": "%.1f GiB" % (int(mem_kib) / 1048576.0) if mem_kib.isdigit() else "unknown",
        "os": "%s (kernel %s, %s)" % (os_name if os_name else "unknown", platform.release(),
                                      platform.machine()),
        "terraform": _cmd(["terraform", "version"]),
        "rustc": _cmd(["rustc", "--version"]),
        "commit": commit + (" (+ uncommitted changes)" if dirty not in ("", "unknown") else ""),
        "load_start": "%.2f %.2f %.2f" % os.getloadavg(),
    }


def _fmt(stats, unit, scale=1.0, digits=2):
    if stats is None:
        return "n/a"
    med, lo, hi = (v * scale for v in stats)
    return "%.*f %s [%.*f–%.*f]" % (digits, med, unit, digits, lo, digits, hi)


def _verdict(value, limit):
    if value is None:
        return "n/a"
    return "pass" if value <= limit else "**MISS**"


def rows(res):
    """Table rows: (measurement, ehpc, terraform_data, ratio, target, verdict) and the list
    of missed targets as sentences."""
    out, misses = [], []

    def add(name, ehpc, tfdata, ratio, target, value, limit, miss_text, info=("—", "—")):
        verdict = _verdict(value, limit)
        out.append((name, ehpc, tfdata, ratio) + tuple(info) + (target, verdict))
        if verdict == "**MISS**":
            misses.append(miss_text)

    hs = res.get("handshake") or {}
    tls = summary(hs.get("tls", []))
    add("Handshake, AutoMTLS (%d runs)" % len(hs.get("tls", [])), _fmt(tls, "ms", 1e3), "—",
        "—", "≤ 10 ms", tls and tls[0] * 1e3, 10.0,
        "handshake median %.1f ms > 10 ms" % (tls[0] * 1e3 if tls else 0))
    for key, label in (("plaintext", "Handshake, no TLS (info)"),
                       ("spawn_floor", "Spawn floor: /bin/echo (info)")):
        stats = summary(hs.get(key, []))
        out.append((label, _fmt(stats, "ms", 1e3), "—", "—", "—", "—", "—", "info"))

    par = res["parallelism"]
    for n, limit in res["apply_targets"]:
        runs = res["apply"].get(n, {})
        ratio = summary(runs.get("ratios", []))
        add("`apply` of %d (-parallelism=%d, %d reps)" % (n, par, len(runs.get("ratios", []))),
            _fmt(summary(runs.get("ehpc", [])), "s"), _fmt(summary(runs.get("tfdata", [])), "s"),
            _fmt(ratio, "×"), "≤ %.2f×" % limit, ratio and ratio[0], limit,
            "apply of %d: %.2f× terraform_data > %.2f×" % (n, ratio[0] if ratio else 0, limit),
            (_fmt(summary(runs.get("tfobj", [])), "s"),
             _fmt(summary(runs.get("ratios_obj", [])), "×")))
    plan_n, plan_limit = res["plan_target"]
    plan = res["plan"]
    ratio = summary(plan.get("ratios", []))
    add("`plan` of %d, up to date (%d runs, %d after each apply of %d)"
        % (plan_n, len(plan.get("ratios", [])), res["plans_per_apply"], plan_n),
        _fmt(summary(plan.get("ehpc", [])), "s"), _fmt(summary(plan.get("tfdata", [])), "s"),
        _fmt(ratio, "×"), "≤ %.2f×" % plan_limit, ratio and ratio[0], plan_limit,
        "plan of %d: %.2f× terraform_data > %.2f×" % (plan_n, ratio[0] if ratio else 0,
                                                       plan_limit),
        (_fmt(summary(plan.get("tfobj", [])), "s"),
         _fmt(summary(plan.get("ratios_obj", [])), "×")))

    th = res["throttle"]
    runs = th["runs"]
    label = "throttled %d rps, %d resources, -parallelism=%d" % (th["rps"], th["n"],
                                                                  th["parallelism"])
    errors = sum(1 for r in runs if r["rc"] != 0)
    add("Errors, %s (%d reps)" % (label, len(runs)), "%d failed applies" % errors, "—", "—",
        "0", errors if runs else None, 0, "%d throttled applies failed" % errors)
    wall = summary([r["seconds"] for r in runs])
    ideal = th["n"] / float(th["rps"])
    wall_ratio = summary([r["seconds"] / ideal for r in runs])
    add("Wall time vs ideal %.2f s, %s" % (ideal, label), _fmt(wall, "s"), "—",
        _fmt(wall_ratio, "× ideal"), "≤ 1.25× ideal", wall_ratio and wall_ratio[0], 1.25,
        "throttled apply took %.2f× the ideal %.1f s" % (wall_ratio[0] if wall_ratio else 0,
                                                         ideal))
    share = summary([100.0 * r["throttled"] / r["calls"] for r in runs if r["calls"]])
    calls = summary([r["calls"] for r in runs])
    add("Throttled answers, %s" % label, _fmt(share, "%", digits=1)
        + (" of %d calls (median)" % calls[0] if calls else ""), "—", "—", "≤ 10 %",
        share and share[0], 10.0,
        "%.1f %% of calls were throttled" % (share[0] if share else 0))

    rss = res["rss"]
    peak = max(rss["peaks_mib"]) if rss["peaks_mib"] else None
    add("Provider peak RSS (VmHWM) during `apply` of %d" % rss["n"],
        _fmt(summary(rss["peaks_mib"]), "MiB", digits=1)
        + (" over %s processes/apply" % "/".join(str(c) for c in rss["processes"])), "—", "—",
        "≤ 30 MB (max)", peak and peak * 1.048576, 30.0,
        "provider peak RSS %.1f MiB > 30 MB" % (peak or 0))
    size = res["size"]
    stripped = size.get("stripped")
    add("Stripped release binary", "%.2f MiB (%.2f MiB as built)" % (
        (stripped or 0) / 1048576.0, size["built"] / 1048576.0) if stripped else
        "%.2f MiB as built (strip missing)" % (size["built"] / 1048576.0), "—", "—",
        "≤ 15 MB", stripped and stripped / 1e6, 15.0,
        "stripped binary %.1f MB > 15 MB" % ((stripped or 0) / 1e6))
    return out, misses


def floor_rows(res):
    """The plugin-floor table (info): per command, the floor's time, its ratio to
    terraform_data (Terraform's cost of any plugin on this stack) and the provider's ratio to
    the floor (the provider's own work: credentials, signing, the HTTP call, the emulator)."""
    cells = [("`apply` of %d" % n, res["apply"].get(n, {})) for n, _ in res["apply_targets"]]
    cells.append(("`plan` of %d, up to date" % res["plan_target"][0], res["plan"]))
    return [(label, _fmt(summary(cell.get("plugin", [])), "s"),
             _fmt(summary(cell.get("floor_ratios", [])), "×"),
             _fmt(summary(cell.get("ratios_to_floor", [])), "×"))
            for label, cell in cells]


def no_tls_rows(res):
    """The AutoMTLS table (info): per command, the provider's time and ratio to terraform_data
    with Terraform's AutoMTLS switched off, the target, and the plugin floor's ratio then."""
    cells = [("`apply` of %d" % n, limit, res["apply"].get(n, {}))
             for n, limit in res["apply_targets"]]
    cells.append(("`plan` of %d, up to date" % res["plan_target"][0], res["plan_target"][1],
                  res["plan"]))
    return [(label, "≤ %.2f×" % limit, _fmt(summary(cell.get("ehpc-notls", [])), "s"),
             _fmt(summary(cell.get("notls_ratios", [])), "×"),
             _fmt(summary(cell.get("floor_notls_ratios", [])), "×"))
            for label, limit, cell in cells]


def render(res):
    m = res["machine"]
    table, misses = rows(res)
    lines = ["# Benchmarks", "",
             "Written by `scripts/bench.sh`%s on %s; do not edit by hand (profile notes live in "
             "`scripts/bench/FINDINGS.md` and are copied into Findings)."
             % (" --smoke (tiny sizes: targets are not meaningful)" if res["smoke"] else "",
                m["date"]), "",
             "Ratios are what count: absolute times on a shared 2-core machine are noise.", "",
             "## Results", "",
             "| Measurement | terraform-provider-ehpc: median [min–max] | terraform_data "
             "(floor): median [min–max] | Ratio to floor: median [min–max] | terraform_data, "
             "object input (info) | Ratio to it (info) | Target | Result |",
             "|---|---|---|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in table]
    lines += ["", "### The plugin floor (info)", "",
              "`terraform-provider-benchnull` (`scripts/bench/null_provider.rs`) serves "
              "`ehpc_app_sync`'s schema through this project's plugin stack and does nothing "
              "else: no credentials, no HTTP call. It ran interleaved with the runs above. Its "
              "ratio to `terraform_data` is the cost of serving a resource from a plugin "
              "process at all (Terraform's side of the protocol and this stack's) before any "
              "provider work; the provider's ratio to it is the cost of that work (credentials, "
              "signing, the HTTP call, and the emulator on the same two cores).", "",
              "| Command | Plugin floor: median [min–max] | Floor ÷ terraform_data | "
              "terraform-provider-ehpc ÷ floor |", "|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in floor_rows(res)]
    lines += ["", "### Without AutoMTLS (info)", "",
              "The provider and the plugin floor also ran in every rotation with "
              "`TF_DISABLE_PLUGIN_TLS=1`, Terraform's own switch that turns AutoMTLS off "
              "(each warm-up checks from the plugin's log that it took effect). Terraform then "
              "makes no P-521 certificate for each plugin start and there is no TLS handshake: "
              "the difference from the tables above is what AutoMTLS costs, most of it on "
              "Terraform's side. This is not a recommended setting: AutoMTLS is what lets "
              "Terraform and the plugin authenticate each other (see SECURITY.md).", "",
              "| Command | Target | terraform-provider-ehpc, no AutoMTLS: median [min–max] | "
              "Its ratio to terraform_data | Plugin floor, no AutoMTLS ÷ terraform_data |",
              "|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in no_tls_rows(res)]
    lines += ["", "## Machine", "",
              "| | |", "|---|---|"]
    for key, label in (("date", "Date"), ("nproc", "nproc"), ("cpu", "CPU"),
                       ("memory", "Memory"), ("os", "OS"), ("terraform", "Terraform"),
                       ("rustc", "rustc"), ("commit", "Commit"),
                       ("load_start", "Load average at start"),
                       ("load_end", "Load average at end")):
        lines.append("| %s | %s |" % (label, m.get(key, "unknown")))
    lines.append("| Bench duration | %.0f s |" % res["duration"])
    lines += ["", "## How measured", ""] + [
        "- Built with `cargo build --release --bins` (the crate's release profile); the "
        "binaries under `target/release` are what Terraform runs, through a `dev_overrides` "
        "CLI configuration (`TF_CLI_CONFIG_FILE`), with `TF_IN_AUTOMATION=1`, "
        "`CHECKPOINT_DISABLE=1`, `-input=false -no-color`, no `TF_LOG`.",
        "- Handshake: `scripts/bench/handshake.py` spawns the binary with "
        "`TF_PLUGIN_MAGIC_COOKIE`, `PLUGIN_PROTOCOL_VERSIONS=5,6` and a P-521 self-signed "
        "`PLUGIN_CLIENT_CERT` made once (like Terraform's AutoMTLS certificate), and times "
        "spawn → first stdout line (checked to be a valid `1|6|unix|…|grpc|CERT` line), then "
        "sends SIGTERM. The no-TLS row and the `/bin/echo` spawn floor use the same code.",
        "- Overhead: the same configuration shape on both sides, `count = N` resources: "
        "`ehpc_app_sync` with one app id and one target region each (provider configured by "
        "`ALIBABA_CLOUD_*` variables, a fresh `ehpc-emulator` at zero latency per repetition, "
        "one `--app` per resource) against the built-in `terraform_data` (no plugin process) "
        "with the app id as its `input` string, its cheapest like-for-like form; the info "
        "column gives `terraform_data` with both values in an object `input`. "
        "Every `terraform apply -auto-approve` starts from an empty state; each provider "
        "apply is checked to have made exactly N successful SynchronizeApp calls. `plan "
        "-detailed-exitcode` runs %d time(s) right after each of the largest applies, on its "
        "up-to-date state (exit 0 required); plan i of each side pairs with plan i of the "
        "others. The plugin floor (`benchnull_app_sync`, same shape) and the two kinds "
        "without AutoMTLS run in the same rotation. The order of the six kinds rotates with "
        "every repetition, and the ratio "
        "is the median of the per-repetition ratios, so machine drift cancels. Untimed "
        "warm-up applies run first." % res["plans_per_apply"],
        "- Throttling: the emulator with `--throttle-rps %d`, %d resources, `-parallelism=%d`; "
        "wall time of the whole `terraform apply` against the ideal N/rps; the share of "
        "answers with code `Throttling.User` among all calls in `GET /_emulator/calls`."
        % (res["throttle"]["rps"], res["throttle"]["n"], res["throttle"]["parallelism"]),
        "- Memory: a sampler thread reads `VmHWM` from `/proc/PID/status` of every process "
        "running the provider binary every 10 ms during the largest applies (it runs during "
        "the terraform_data applies too, to keep the load equal); the figure is the largest "
        "peak of any one provider process. Size: the provider binary after `strip`.",
    ]
    lines += ["", "## Findings", ""]
    if misses:
        lines += ["Missed targets in this run:", ""] + ["- %s" % t for t in misses]
    else:
        lines.append("Every target was met in this run.")
    if os.path.exists(FINDINGS_NOTES):
        with open(FINDINGS_NOTES, encoding="utf-8") as f:
            notes = f.read().strip()
        if notes:
            lines += ["", notes]
    if res["errors"]:
        lines += ["", "## Errors", "", "These runs failed; their figures are missing above:", ""]
        lines += ["- %s" % e.splitlines()[0] for e in res["errors"]]
    return "\n".join(lines) + "\n", misses
