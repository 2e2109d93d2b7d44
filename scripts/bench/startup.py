# SPDX-License-Identifier: MPL-2.0
"""The benchmark's start-up measurements of issue 27 item 2 beyond the handshake ratio: the
handshake's gap split into loading the larger binary (the plugin floor linked with the
provider's code, never run) and the rest, and a plan creating one resource, which makes no
call, against the plugin floor's. Driven by bench.py; rendered by report.py.
"""

from harness import BenchError, Emulator, Terraform, app_ids, log_tail, summary
from restated import _fmt, say


def run_create_plan(bench, res, parallelism):
    """`terraform plan` creating one resource from an empty state, the provider against the
    plugin floor, interleaved with the order alternating, after one untimed pair. The
    provider's plans must make no call."""
    reps = bench.cfg["create_plan_reps"]
    cp = res["create_plan"]
    emu = Emulator(bench.emulator, bench.log("emulator-create-plan"), app_ids(1))
    try:
        for rep in range(reps + 1):
            for kind in (("ehpc", "plugin") if rep % 2 else ("plugin", "ehpc")):
                wd = bench.dirs[kind]
                wd.reset_state()
                log = bench.log("create-plan-%s" % kind)
                secs, code = bench.tf.run(wd, Terraform.plan_args(1, parallelism), log,
                                          emu.endpoint)
                if code != 2:
                    raise BenchError("plan creating 1 (%s) exited %d (2 = changes)\n%s"
                                     % (kind, code, log_tail(log)))
                if rep:
                    cp[kind].append(secs)
        by_action, failed, seen = emu.count()
    finally:
        emu.stop()
    if seen:
        raise BenchError("plans creating 1 resource made calls: %s, %d failed"
                         % (by_action, failed))
    say("create plan of 1: provider %s, floor %s" % (
        _fmt(summary(cp["ehpc"]), "s"), _fmt(summary(cp["plugin"]), "s")))


def rows(res, add):
    """The start-up rows, through report.rows' `add`."""
    hs = res.get("handshake") or {}
    linked = hs.get("linked_tls", [])
    # Loading the larger binary is measured on its own and shown (information); the target is
    # everything the provider does at start-up beyond it (issue 27 item 2).
    for label, pairs, target in (
            ("the plugin floor linked with the provider's code (never run) against the floor's: "
             "what loading the larger binary costs", zip(linked, hs.get("floor_tls", [])), None),
            ("the provider's against the linked floor's: its start-up beyond loading its binary",
             zip(hs.get("tls", []), linked), 1.03)):
        pairs = list(pairs)
        ratio = summary([a / b for a, b in pairs if b])
        add("Handshake, AutoMTLS, %s (%d interleaved pairs)" % (label, len(pairs)),
            _fmt(summary([a for a, _ in pairs]), "ms", 1e3),
            _fmt(summary([b for _, b in pairs]), "ms", 1e3), _fmt(ratio, "×"),
            "≤ %.2f× linked floor" % target if target else "info",
            ratio and ratio[0] if target else None, target,
            "handshake beyond loading the binary: %.2f× the linked floor's > %.2f×"
            % (ratio[0] if ratio else 0, target or 0) if target else "")
    cp = res.get("create_plan") or {}
    pairs = list(zip(cp.get("ehpc", []), cp.get("plugin", [])))
    ratio = summary([p / f for p, f in pairs if f])
    add("`plan` creating 1 resource from an empty state (no call), against the plugin floor's "
        "(%d interleaved pairs)" % len(pairs), _fmt(summary(cp.get("ehpc", [])), "s"),
        _fmt(summary(cp.get("plugin", [])), "s"), _fmt(ratio, "×"), "≤ 1.03× floor",
        ratio and ratio[0], 1.03,
        "create plan of 1: %.2f× the plugin floor's > 1.03×" % (ratio[0] if ratio else 0))
