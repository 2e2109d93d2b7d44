# SPDX-License-Identifier: MPL-2.0
"""BENCHMARKS.md: machine information, the results table (median [min-max], ratios against
the plugin floor, each target and whether it is met, the ratios against terraform_data as
information), the call counts of the plans with refresh, the terraform_data and AutoMTLS
tables (info), how the figures were measured, and the findings (missed targets, plus the
hand-written profile notes in scripts/bench/FINDINGS.md).
Takes the result dictionary built by bench.py; does no measuring itself.
"""

import datetime
import os
import platform
import subprocess

import restated
import startup
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


def calls_verdict(calls, n, page):
    """(text, ok) of the calls of plans with refresh of n resources: at most one ListImages
    pass per provider process plus one GetImage per resource, nothing else, nothing failed;
    `ok` is False when any plan broke the rule. A pass lists both image types: ceil(n / page)
    pages of VM images (every bench app is one) and the one page of an empty Container
    listing."""
    if not calls:
        return "n/a", None
    pages = max(1, -(-n // page)) + 1
    bad = 0
    for c in calls:
        by = c["by_action"]
        other = sum(v for k, v in by.items() if k not in ("ListImages", "GetImage"))
        if (by.get("ListImages", 0) > c["processes"] * pages or by.get("GetImage", 0) > n
                or other or c["failed"]):
            bad += 1

    def span(values):
        lo, hi = min(values), max(values)
        return "%d" % lo if lo == hi else "%d–%d" % (lo, hi)

    lists = [c["by_action"].get("ListImages", 0) for c in calls]
    others = [sum(v for k, v in c["by_action"].items() if k not in ("ListImages", "GetImage"))
              for c in calls]
    text = ("ListImages %s (%s pass(es) of %d page(s)), GetImage %s, other %s, failed %s, "
            "over %s provider process(es); %d of %d plans broke the rule"
            % (span(lists), span([-(-v // pages) for v in lists]), pages,
               span([c["by_action"].get("GetImage", 0) for c in calls]), span(others),
               span([c["failed"] for c in calls]), span([c["processes"] for c in calls]),
               bad, len(calls)))
    return text, bad == 0


def rows(res):
    """Table rows: (measurement, ehpc, plugin floor, ratio, terraform_data (info), ratio to
    it (info), target, verdict) and the list of missed targets as sentences."""
    out, misses = [], []

    def add(name, ehpc, floor, ratio, target, value, limit, miss_text, info=("—", "—")):
        verdict = _verdict(value, limit)
        out.append((name, ehpc, floor, ratio) + tuple(info) + (target, verdict))
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

    def against_floor(label, cell, limit, what):
        ratio = summary(cell.get("ratios_to_floor", []))
        add(label, _fmt(summary(cell.get("ehpc", [])), "s"),
            _fmt(summary(cell.get("plugin", [])), "s"), _fmt(ratio, "×"),
            "≤ %.2f× floor" % limit, ratio and ratio[0], limit,
            "%s: %.2f× the plugin floor > %.2f×" % (what, ratio[0] if ratio else 0, limit),
            (_fmt(summary(cell.get("tfdata", [])), "s"),
             _fmt(summary(cell.get("ratios", [])), "×")))

    for n, limit in res["apply_targets"]:
        runs = res["apply"].get(n, {})
        against_floor("`apply` of %d (-parallelism=%d, %d reps)"
                      % (n, par, len(runs.get("ratios_to_floor", []))), runs, limit,
                      "apply of %d" % n)
    plan_n, plan_limit = res["plan_target"]
    plan = res["plan"]
    against_floor("`plan -refresh=false` of %d, up to date (%d runs, %d after each apply of %d)"
                  % (plan_n, len(plan.get("ratios_to_floor", [])), res["plans_per_apply"],
                     plan_n), plan, plan_limit, "plan -refresh=false of %d" % plan_n)
    rp_n, rp_limit = res["refresh_plan_target"]
    rp = res.get("refresh_plan") or {}
    against_floor("`plan` of %d with refresh, up to date, zero latency (%d runs; the floor "
                  "makes no call)" % (rp_n, len(rp.get("ratios_to_floor", []))), rp, rp_limit,
                  "plan of %d with refresh" % rp_n)
    text, ok = calls_verdict(rp.get("calls", []), rp_n, res["list_page"])
    add("Calls of each `plan` of %d with refresh (from `/_emulator/calls`)" % rp_n, text, "—",
        "—", "≤ 1 ListImages pass per provider process + 1 GetImage per resource",
        None if ok is None else (0 if ok else 1), 0,
        "plan of %d with refresh broke the call rule: %s" % (rp_n, text))

    lp = res["latency_plan"]
    label = "%d resources, %d ms per answer, -parallelism=%d" % (lp["n"], lp["latency_ms"],
                                                               lp["parallelism"])
    text, ok = calls_verdict(lp["calls"], lp["n"], res["list_page"])
    add("Calls of each `plan`, %s" % label, text, "—", "—",
        "≤ 1 ListImages pass per provider process + 1 GetImage per resource",
        None if ok is None else (0 if ok else 1), 0,
        "plan with refresh, %s, broke the call rule: %s" % (label, text))

    restated.rows(res, add)
    startup.rows(res, add)

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


def _cells(res):
    cells = [("`apply` of %d" % n, res["apply"].get(n, {})) for n, _ in res["apply_targets"]]
    cells.append(("`plan -refresh=false` of %d, up to date" % res["plan_target"][0],
                  res["plan"]))
    cells.append(("`plan` of %d with refresh, up to date" % res["refresh_plan_target"][0],
                  res.get("refresh_plan") or {}))
    return cells


def floor_rows(res):
    """The terraform_data table (info): per command, terraform_data's time, the plugin
    floor's ratio to it (Terraform's cost of any plugin on this stack), the provider's ratio
    to it and to terraform_data carrying the same data as an object."""
    return [(label, _fmt(summary(cell.get("tfdata", [])), "s"),
             _fmt(summary(cell.get("floor_ratios", [])), "×"),
             _fmt(summary(cell.get("ratios", [])), "×"),
             _fmt(summary(cell.get("tfobj", [])), "s"),
             _fmt(summary(cell.get("ratios_obj", [])), "×"))
            for label, cell in _cells(res)]


def no_tls_rows(res):
    """The AutoMTLS table (info): per command, the provider's time with Terraform's AutoMTLS
    switched off, its ratio to the floor without AutoMTLS, and both ratios to
    terraform_data."""
    return [(label, _fmt(summary(cell.get("ehpc-notls", [])), "s"),
             _fmt(summary(cell.get("notls_ratios_to_floor", [])), "×"),
             _fmt(summary(cell.get("notls_ratios", [])), "×"),
             _fmt(summary(cell.get("floor_notls_ratios", [])), "×"))
            for label, cell in _cells(res)]


def render(res):
    m = res["machine"]
    table, misses = rows(res)
    lines = ["# Benchmarks", "",
             "Written by `scripts/bench.sh`%s on %s; do not edit by hand (profile notes live in "
             "`scripts/bench/FINDINGS.md` and are copied into Findings)."
             % (" --smoke (tiny sizes: targets are not meaningful)" if res["smoke"] else "",
                m["date"]), "",
             "Ratios are what count: absolute times on a shared 2-core machine are noise. "
             "Every provider target is a ratio to the project's own plugin floor, "
             "`terraform-provider-benchnull` (`scripts/bench/null_provider.rs`: this project's "
             "plugin stack serving `ehpc_app_sync`'s schema with no work behind it, no "
             "credentials, no HTTP call, no read), measured interleaved in the same run; "
             "`terraform_data` (built into Terraform, no plugin process) is shown for "
             "information.", "",
             "## Results", "",
             "| Measurement | terraform-provider-ehpc: median [min–max] | Plugin floor: median "
             "[min–max] | Ratio to floor: median [min–max] | terraform_data (info) | Ratio to "
             "terraform_data (info) | Target | Result |",
             "|---|---|---|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in table]
    lines += ["", "### Against terraform_data (info)", "",
              "The same interleaved runs against Terraform's built-in `terraform_data`: the "
              "floor's ratio to it is the cost of serving a resource from a plugin process at "
              "all (Terraform's side of the protocol and this stack's) before any provider "
              "work. The last columns give `terraform_data` carrying the provider's data as an "
              "object `input`, which Terraform stores with its type, twice.", "",
              "| Command | terraform_data: median [min–max] | Floor ÷ terraform_data | "
              "terraform-provider-ehpc ÷ terraform_data | terraform_data, object input | "
              "terraform-provider-ehpc ÷ it |", "|---|---|---|---|---|---|"]
    lines += ["| %s |" % " | ".join(row) for row in floor_rows(res)]
    lines += ["", "### Without AutoMTLS (info)", "",
              "The provider and the plugin floor also ran in every rotation with "
              "`TF_DISABLE_PLUGIN_TLS=1`, Terraform's own switch that turns AutoMTLS off "
              "(each warm-up checks from the plugin's log that it took effect). Terraform then "
              "makes no P-521 certificate for each plugin start and there is no TLS handshake: "
              "the difference from the tables above is what AutoMTLS costs, most of it on "
              "Terraform's side. This is not a recommended setting: AutoMTLS is what lets "
              "Terraform and the plugin authenticate each other (see SECURITY.md).", "",
              "| Command | terraform-provider-ehpc, no AutoMTLS: median [min–max] | "
              "Its ratio to the floor without AutoMTLS | Its ratio to terraform_data | "
              "Plugin floor, no AutoMTLS ÷ terraform_data |",
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
        "sends SIGTERM. The no-TLS row and the `/bin/echo` spawn floor use the same code. "
        "The provider, the plugin floor and the floor linked with the provider's code "
        "(`scripts/bench/null_provider_linked.rs`: the floor's `main`, plus a `black_box`ed "
        "pointer to the function building the real provider, so the binary carries the "
        "provider's code and relocations without running any of it) run interleaved. The "
        "provider's handshake against the floor's is information: it splits into loading the "
        "larger binary, measured on its own (linked floor against floor), and the rest, the "
        "provider against the linked floor, whose target is ≤ 1.03× (issue 27 item 2).",
        "- Create plan: `terraform plan` of one resource from an empty state, the provider "
        "(against an emulator, which must see no call) and the plugin floor interleaved, the "
        "order alternating, after one untimed pair.",
        "- Overhead: the same configuration shape on every side, `count = N` resources: "
        "`ehpc_app_sync` with one app id and one target region each (provider configured by "
        "`ALIBABA_CLOUD_*` variables, a fresh `ehpc-emulator` at zero latency per repetition, "
        "one app per resource), the plugin floor's `benchnull_app_sync` with the same "
        "arguments, and the built-in `terraform_data` with the app id as its `input` string "
        "(info; also with both values in an object `input`). "
        "Every `terraform apply -auto-approve` starts from an empty state; each provider "
        "apply is checked to have made exactly N successful SynchronizeApp calls and no "
        "failed call (it also reads: ListImages, GetImage, and GetImage polls until the "
        "copies are ready, at once here). Right after each of the largest applies, %d pair(s) "
        "of up-to-date plans run on its state (exit 0 required of `plan -detailed-exitcode`): "
        "`-refresh=false` (no call: checked) and with refresh (the provider reads every "
        "resource; the floor returns its state as it is). Plan i of each side pairs with plan "
        "i of the others. The calls of each provider plan with refresh are counted by action "
        "from `GET /_emulator/calls`; a sampler of `/proc` counts the provider processes of "
        "that plan (it runs during every kind's plans with refresh, to keep the load equal). "
        "The rule: at most one ListImages pass (⌈N / %d⌉ pages of VM images, the page size the "
        "provider leaves at its default, and the one page of the empty Container listing) per "
        "provider process, at most one GetImage per resource, no "
        "other call, none failed. The two kinds without AutoMTLS run in the same rotation. The "
        "order of the six kinds rotates with every repetition, and the ratio is the median of "
        "the per-repetition ratios, so machine drift cancels. Untimed warm-up applies run "
        "first." % (res["plans_per_apply"], res["list_page"]),
        "- Memory: a sampler thread reads `VmHWM` from `/proc/PID/status` of every process "
        "running the provider binary every 10 ms during the largest applies (it runs during "
        "the terraform_data applies too, to keep the load equal); the figure is the largest "
        "peak of any one provider process. Size: the provider binary after `strip`.",
    ] + restated.how_measured(res)
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
