# SPDX-License-Identifier: MPL-2.0
"""The benchmark driver run by scripts/bench.sh (after it has built the release binaries and
the plugin floor): handshake timing, apply/plan overhead against terraform_data and the plugin
floor (every target is a ratio to the floor), with and without Terraform's AutoMTLS
(interleaved), up-to-date plans with and without refresh and their calls, a plan against an
emulator with latency, an apply waiting for copies, the throttling case, provider peak RSS and
binary size; then writes the Markdown report. A failed run is recorded and the rest
still run; the exit status is 1 if anything failed, never because a performance target was
missed.
"""

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
import traceback

import handshake
import report
import restated
import startup
from harness import (LINKED_FLOOR_BIN, NULL_PROVIDER_BIN, BenchError, Emulator, RssSampler,
                     Terraform, Workdir, app_ids, log_tail, private_bin_dir, stripped_size)

# sizes: (resources, target ratio to the plugin floor, repetitions); plans: up-to-date plans
# of each form (-refresh=false, then with refresh) after each of the largest applies (a plan
# is cheap next to its apply, and single plans swing by ±30 %). latency_plan: (resources,
# --latency-ms, -parallelism, untimed apply then this many timed plans, target × ideal).
# copies: (resources, --copy-seconds, repetitions of the waiting/not-waiting pair, target).
# many: (concurrent applies, resources each, --throttle-rps, --fail-rate).
# large_account: (resources created, apps in the account, --latency-ms, repetitions).
FULL = {"handshake_runs": 60, "create_plan_reps": 15,
        "sizes": [(1, 1.05, 9), (100, 1.15, 11), (1000, 1.10, 3)],
        "plans": 3, "plan_target": 1.05, "refresh_plan_target": 1.25,
        "latency_plan": (200, 50, 10, 5, 1.2), "copies": (100, 2, 5, 1.1),
        "throttle": (200, 20, 20, 3), "many": (6, 40, 20, 0.05),
        "large_account": (10, 1000, 50, 3), "timeout": 900}
SMOKE = {"handshake_runs": 5, "create_plan_reps": 1, "sizes": [(1, 1.05, 1), (3, 1.15, 1)],
         "plans": 1, "plan_target": 1.05, "refresh_plan_target": 1.25,
         "latency_plan": (5, 50, 10, 1, 1.2), "copies": (3, 1, 1, 1.1),
         "throttle": (5, 20, 20, 1), "many": (6, 3, 20, 0.05),
         "large_account": (2, 100, 50, 1), "timeout": 300}
# The pages of one ListImages pass over N apps (the provider sends no PageSize; the service's
# default, and the emulator's, is 20).
LIST_PAGE = 20
PARALLELISM = 10  # Terraform's default, passed explicitly to both sides.
# The measurements, in the order they run (`--only` picks some).
STEPS = ("handshake", "create-plan", "overhead", "latency", "latency-floor", "copies",
         "large-account", "throttle", "many")


def say(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class Bench:
    def __init__(self, args, cfg):
        self.args, self.cfg = args, cfg
        self.root = tempfile.mkdtemp(prefix="ehpc-bench.")
        # Private copies: colleagues may rebuild target/release while the bench runs.
        bin_dir = private_bin_dir(args.bin_dir, self.root)
        self.provider = os.path.join(bin_dir, "terraform-provider-ehpc")
        self.floor = os.path.join(bin_dir, NULL_PROVIDER_BIN)
        self.linked_floor = os.path.join(bin_dir, LINKED_FLOOR_BIN)
        self.emulator = os.path.join(bin_dir, "ehpc-emulator")
        self.tf = Terraform(self.root, bin_dir, cfg["timeout"])
        self.dirs = {kind: Workdir(self.root, kind) for kind in Workdir.KINDS}
        self.errors = []

    def log(self, name):
        return os.path.join(self.root, name + ".log")

    def fail(self, what, err):
        text = "%s: %s" % (what, err)
        self.errors.append(text)
        say("ERROR " + text)

    def apply(self, kind, n, tag, plans=0, sampler=None, extra_env=None):
        """One fresh-state apply, then `plans` pairs of up-to-date plans (-refresh=false, then
        with refresh) of a measured kind (Workdir.MEASURED). Returns (apply seconds,
        [(plan -refresh=false seconds, plan seconds, calls of that plan or None)])."""
        wd = self.dirs[Workdir.NO_TLS.get(kind, kind)]
        env = dict(Workdir.NO_TLS_ENV if kind in Workdir.NO_TLS else {}, **(extra_env or {}))
        log = self.log(tag if tag.startswith(kind) else "%s-%s" % (kind, tag))
        wd.reset_state()
        emu = Emulator(self.emulator, self.log("emulator-%s" % tag), app_ids(n)) \
            if wd.kind == "ehpc" else None
        try:
            endpoint = emu.endpoint if emu else None
            with sampler if sampler is not None else contextlib.nullcontext():
                secs, code = self.tf.run(wd, Terraform.apply_args(n, PARALLELISM), log,
                                         endpoint, env)
            if code != 0:
                raise BenchError("apply of %d exited %d\n%s" % (n, code, log_tail(log)))
            seen = 0
            self.last_apply_calls = 0
            if emu:
                by_action, failed, seen = emu.count()
                self.last_apply_calls = seen
                ok = by_action.get("SynchronizeApp", 0)
                if ok != n or failed:
                    raise BenchError("apply of %d: the emulator saw %s, %d failed (expected %d "
                                     "SynchronizeApp, none failed)" % (n, by_action, failed, n))
            plans_out = []
            for _ in range(plans):
                pair = []
                for refresh in (False, True):
                    # The sampler counts the provider processes of a plan with refresh (it
                    # runs for every kind, to keep the load equal).
                    counter = RssSampler(self.provider) if refresh else None
                    with counter if counter is not None else contextlib.nullcontext():
                        plan, code = self.tf.run(wd, Terraform.plan_args(n, PARALLELISM, refresh),
                                                 log, endpoint, env)
                    if code != 0:
                        raise BenchError("plan%s of %d on an up-to-date state exited %d (2 = "
                                         "changes)\n%s" % ("" if refresh else " -refresh=false",
                                                           n, code, log_tail(log)))
                    pair.append(plan)
                    if emu:
                        by_action, failed, now = emu.count(seen)
                        if refresh:
                            calls = {"by_action": by_action, "failed": failed,
                                     "processes": len(counter.peaks)}
                        elif by_action:
                            raise BenchError("plan -refresh=false of %d called the emulator: %s"
                                             % (n, by_action))
                        seen = now
                plans_out.append((pair[0], pair[1], calls if emu else None))
            return secs, plans_out
        finally:
            if emu:
                emu.stop()

    def warm_up(self, kind):
        """An untimed apply of 1. For a plugin kind it runs with TF_LOG=debug and checks,
        from the plugin's own "plugin started" line, that the kind really ran with AutoMTLS
        on or off as intended: a switch Terraform ignored would make the comparison void."""
        if kind in ("tfdata", "tfobj"):
            self.apply(kind, 1, "warmup")
            return
        self.apply(kind, 1, "warmup", extra_env={"TF_LOG": "debug"})
        want = "tls=false" if kind in Workdir.NO_TLS else "tls=true"
        with open(self.log("%s-warmup" % kind), encoding="utf-8", errors="replace") as f:
            started = [line for line in f if "plugin started:" in line and " tls=" in line]
        if not started or not all(want in line for line in started):
            raise BenchError("warm-up of %s: expected every plugin start to log %s, got:\n%s"
                             % (kind, want, "".join(started[:4]) or "no start line"))

    def run_handshake(self, res):
        say("handshake: %d runs" % self.cfg["handshake_runs"])
        try:
            cert = handshake.client_cert_pem(self.root)
            res["handshake"] = handshake.measure(self.provider, self.cfg["handshake_runs"], cert,
                                                 floor=self.floor, linked=self.linked_floor)
        except (handshake.HandshakeError, OSError, ValueError) as err:
            self.fail("handshake", err)

    def run_overhead(self, res):
        sizes = self.cfg["sizes"]
        largest = sizes[-1][0]
        kinds = Workdir.MEASURED
        say("warm-up: one untimed apply of 1 for each of %s" % ", ".join(kinds))
        for kind in kinds:
            self.warm_up(kind)
        ratios = ("ratios", "ratios_obj", "floor_ratios", "ratios_to_floor", "notls_ratios",
                  "floor_notls_ratios", "notls_ratios_to_floor")
        res["apply"] = {n: {k: [] for k in kinds + ratios} for n, _, _ in sizes}
        res["plan"] = {k: [] for k in kinds + ratios}
        res["refresh_plan"] = dict({k: [] for k in kinds + ratios}, calls=[])
        res["rss"] = {"n": largest, "peaks_mib": [], "processes": []}
        for rep in range(max(reps for _, _, reps in sizes)):
            for index, (n, _, reps) in enumerate(sizes):
                if rep >= reps:
                    continue
                # Rotate the order each repetition, so no side always runs first.
                shift = (rep + index) % len(kinds)
                order = kinds[shift:] + kinds[:shift]
                got = {}
                for kind in order:
                    tag = "%s-apply%d-rep%d" % (kind, n, rep)
                    exe = self.floor if kind.startswith("plugin") else self.provider
                    sampler = RssSampler(exe) if n == largest else None
                    try:
                        plans = self.cfg["plans"] if n == largest else 0
                        got[kind] = self.apply(kind, n, tag, plans=plans, sampler=sampler)
                    except (BenchError, OSError) as err:
                        self.fail(tag, err)
                        continue
                    if kind == "ehpc" and sampler is not None:
                        res["rss"]["peaks_mib"].append(sampler.peak_mib() or 0.0)
                        res["rss"]["processes"].append(len(sampler.peaks))
                    if kind in ("ehpc", "plugin") and sampler is not None:
                        res["cpu"][kind].append((sampler.cpu_seconds(), self.last_apply_calls))
                    say("rep %d: %-12s apply %4d: %6.2f s%s" % (
                        rep, kind, n, got[kind][0],
                        "".join(", plan -refresh=false %.2f s, plan %.2f s" % p[:2]
                                for p in got[kind][1])))
                    for plan in got[kind][1]:
                        if plan[2] is not None:
                            res["refresh_plan"]["calls"].append(plan[2])
                            say("  plan of %d with refresh: calls %s, %d failed, %d provider "
                                "processes" % (n, plan[2]["by_action"], plan[2]["failed"],
                                               plan[2]["processes"]))
                if len(got) != len(kinds):
                    continue
                # Plan i of each kind pairs with plan i of the others, like the applies.
                pairs = [(res["apply"][n], {k: got[k][0] for k in kinds})]
                pairs += [(res["plan"], {k: got[k][1][i][0] for k in kinds})
                          for i in range(len(got["ehpc"][1]))]
                pairs += [(res["refresh_plan"], {k: got[k][1][i][1] for k in kinds})
                          for i in range(len(got["ehpc"][1]))]
                for cell, secs in pairs:
                    for kind in kinds:
                        cell[kind].append(secs[kind])
                    cell["ratios"].append(secs["ehpc"] / secs["tfdata"])
                    cell["ratios_obj"].append(secs["ehpc"] / secs["tfobj"])
                    cell["floor_ratios"].append(secs["plugin"] / secs["tfdata"])
                    cell["ratios_to_floor"].append(secs["ehpc"] / secs["plugin"])
                    cell["notls_ratios"].append(secs["ehpc-notls"] / secs["tfdata"])
                    cell["floor_notls_ratios"].append(secs["plugin-notls"] / secs["tfdata"])
                    cell["notls_ratios_to_floor"].append(secs["ehpc-notls"]
                                                         / secs["plugin-notls"])

    def run_latency_plan(self, res):
        """Up-to-date plans with refresh of N resources against an emulator adding
        --latency-ms to every answer, at -parallelism=P, against the ideal N × latency / P;
        the state comes from one untimed apply against the same emulator."""
        n, latency, par, reps, _ = self.cfg["latency_plan"]
        lp = res["latency_plan"]
        wd = self.dirs["ehpc"]
        wd.reset_state()
        log = self.log("latency-plan")
        emu = Emulator(self.emulator, self.log("emulator-latency-plan"), app_ids(n),
                       latency_ms=latency)
        try:
            say("latency plan: untimed apply of %d at %d ms" % (n, latency))
            _, code = self.tf.run(wd, Terraform.apply_args(n, par), log, emu.endpoint)
            if code != 0:
                raise BenchError("apply of %d at %d ms exited %d\n%s"
                                 % (n, latency, code, log_tail(log)))
            _, _, seen = emu.count()
            for rep in range(reps):
                counter = RssSampler(self.provider)
                with counter:
                    secs, code = self.tf.run(wd, Terraform.plan_args(n, par), log, emu.endpoint)
                if code != 0:
                    raise BenchError("plan of %d at %d ms exited %d (2 = changes)\n%s"
                                     % (n, latency, code, log_tail(log)))
                by_action, failed, seen = emu.count(seen)
                lp["seconds"].append(secs)
                lp["calls"].append({"by_action": by_action, "failed": failed,
                                    "processes": len(counter.peaks)})
                say("latency plan rep %d: %.2f s (ideal %.2f s), calls %s, %d failed, %d "
                    "provider processes" % (rep, secs, n * latency / 1000.0 / par, by_action,
                                            failed, len(counter.peaks)))
        finally:
            emu.stop()

    def run_throttle(self, res):
        n, rps, par, reps = self.cfg["throttle"]
        th = res["throttle"] = {"n": n, "rps": rps, "parallelism": par, "runs": []}
        wd = self.dirs["ehpc"]
        for rep in range(reps):
            tag = "throttle-rep%d" % rep
            wd.reset_state()
            try:
                emu = Emulator(self.emulator, self.log("emulator-" + tag), app_ids(n),
                               throttle_rps=rps)
            except BenchError as err:
                self.fail(tag, err)
                continue
            try:
                secs, code = self.tf.run(wd, Terraform.apply_args(n, par), self.log(tag),
                                         emu.endpoint)
                calls = emu.calls()
            except (BenchError, OSError) as err:
                self.fail(tag, err)
                continue
            finally:
                emu.stop()
            throttled = sum(1 for c in calls if c.get("code") == "Throttling.User")
            th["runs"].append({"seconds": secs, "rc": code, "calls": len(calls),
                               "throttled": throttled})
            say("throttle rep %d: exit %d, %.2f s, %d calls, %d throttled"
                % (rep, code, secs, len(calls), throttled))
            if code != 0:
                say("throttled apply failed (a missed target, not a bench error):\n"
                    + log_tail(self.log(tag), 12))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True, help="directory of the release binaries")
    parser.add_argument("--repo", required=True, help="repository root (for machine info)")
    parser.add_argument("--out", required=True, help="Markdown report to write")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--sizes", help="override the apply sizes and repetitions, e.g. "
                        "1:5,100:3 (the last size also gets the plan and RSS figures)")
    parser.add_argument("--throttle-reps", type=int, help="override the throttling repetitions")
    parser.add_argument("--only", help="run only these measurements, comma-separated, of: "
                        + ", ".join(STEPS) + " (the report says 'not run' for the others)")
    args = parser.parse_args()
    cfg = dict(SMOKE if args.smoke else FULL)
    only = STEPS if not args.only else args.only.split(",")
    unknown = [name for name in only if name not in STEPS]
    if unknown:
        parser.error("--only: unknown measurement(s) %s (known: %s)"
                     % (", ".join(unknown), ", ".join(STEPS)))
    if args.sizes:
        cfg["sizes"] = [(int(n), FULL["plan_target"], int(reps))
                        for n, reps in (item.split(":") for item in args.sizes.split(","))]
    if args.throttle_reps is not None:
        cfg["throttle"] = cfg["throttle"][:3] + (args.throttle_reps,)
    started = time.monotonic()
    bench = Bench(args, cfg)
    say("scratch directory (logs): %s" % bench.root)
    res = {"smoke": args.smoke, "parallelism": PARALLELISM,
           "apply_targets": [(n, limit) for n, limit, _ in cfg["sizes"]],
           "plan_target": (cfg["sizes"][-1][0], cfg["plan_target"]),
           "refresh_plan_target": (cfg["sizes"][-1][0], cfg["refresh_plan_target"]),
           "list_page": LIST_PAGE, "refresh_plan": {},
           "latency_plan": dict(zip(("n", "latency_ms", "parallelism", "reps", "target"),
                                    cfg["latency_plan"]), seconds=[], calls=[],
                                floor_seconds=[]),
           "copies": dict(zip(("n", "copy_seconds", "reps", "target"), cfg["copies"]),
                          wait=[], nowait=[], ratios=[], polls=[], default_wait=[]),
           "many": dict(zip(("runs_at_once", "n", "rps", "fail_rate"), cfg["many"]), runs=[]),
           "large_account": dict(zip(("n", "apps", "latency_ms", "reps"), cfg["large_account"]),
                                 seconds=[], floor=[]),
           "cpu": {"n": cfg["sizes"][-1][0], "ehpc": [], "plugin": []},
           "plans_per_apply": cfg["plans"],
           "machine": report.machine_info(args.repo),
           "handshake": {}, "create_plan": {"ehpc": [], "plugin": []},
           "apply": {}, "plan": {}, "throttle": {"n": cfg["throttle"][0],
           "rps": cfg["throttle"][1], "parallelism": cfg["throttle"][2], "runs": []},
           "rss": {"n": cfg["sizes"][-1][0], "peaks_mib": [], "processes": []}}
    steps = {"handshake": bench.run_handshake,
             "create-plan": lambda res: startup.run_create_plan(bench, res, PARALLELISM),
             "overhead": bench.run_overhead,
             "latency": bench.run_latency_plan,
             "latency-floor": lambda res: restated.run_latency_floor(bench, res),
             "copies": lambda res: restated.run_copies(bench, res, PARALLELISM),
             "large-account": lambda res: restated.run_large_account(bench, res),
             "throttle": bench.run_throttle, "many": lambda res: restated.run_many(bench, res)}
    assert list(steps) == list(STEPS)
    for name, step in steps.items():
        if name not in only:
            continue
        try:
            step(res)
        except Exception as err:  # noqa: BLE001 - record, keep going, fail at the end
            bench.fail(name, "%s\n%s"
                       % (err, traceback.format_exc()))
    try:
        res["size"] = dict(zip(("built", "stripped"), stripped_size(bench.provider, bench.root)))
    except OSError as err:
        bench.fail("binary size", err)
        res["size"] = {"built": 0, "stripped": None}
    res["machine"]["load_end"] = "%.2f %.2f %.2f" % os.getloadavg()
    res["errors"] = bench.errors
    res["duration"] = time.monotonic() - started
    text, misses = report.render(res)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    say("report written to %s (%d missed target(s), %d error(s))"
        % (args.out, len(misses), len(bench.errors)))
    if not args.keep and not bench.errors:
        shutil.rmtree(bench.root, ignore_errors=True)
    elif bench.errors:
        say("logs kept in %s" % bench.root)
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
