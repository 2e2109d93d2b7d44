# SPDX-License-Identifier: MPL-2.0
"""Where the overhead against terraform_data goes: runs the same `terraform apply` (from an
empty state) or `plan` (on an up-to-date state) of N resources with `ehpc_app_sync` and with
`terraform_data`, alternating, each under a system-wide `perf record -e cpu-clock`, and splits
the CPU time by process: terraform, the provider processes, the emulator, the rest.

It answers one question per target: could *any* provider meet it? The zero-cost estimate is
the wall-time ratio left if the provider's own CPU time were zero (provider wall minus provider
CPU, over the terraform_data wall; the provider's CPU is on Terraform's critical path because
Terraform waits for every answer). When the estimate is above the target, the rest of the gap
is Terraform's own cost of running a plugin (process starts, AutoMTLS, gRPC, msgpack), which
no provider can remove. perf adds its own cost to every run, unevenly; read ratios.

  python3 scripts/bench/split.py --bin-dir target/release --n 1000 --command plan

Needs perf. Leaves the perf data and logs in the printed scratch directory.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

from harness import BenchError, Emulator, Terraform, Workdir, app_ids, log_tail

PROVIDER_COMM = "terraform-provi"  # the kernel keeps 15 characters of the name


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="directory of the release build")
    parser.add_argument("--n", type=int, default=1000, help="number of resources")
    parser.add_argument("--command", choices=("plan", "apply"), default="plan")
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("perf") is None:
        print("split: perf is not installed", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="ehpc-split.")
    print("scratch directory: %s" % root, flush=True)
    bin_dir = os.path.abspath(args.bin_dir)
    tf = Terraform(root, bin_dir, 1800)
    rows = defaultdict(list)
    for rep in range(args.reps):
        for kind in (("ehpc", "tfdata") if rep % 2 == 0 else ("tfdata", "ehpc")):
            rows[kind].append(measure(tf, Workdir(root, kind), bin_dir, args, root, rep))
    report(rows, args)
    return 0


def measure(tf, wd, bin_dir, args, root, rep):
    """One profiled run: wall seconds and CPU seconds per process class."""
    log = os.path.join(root, "%s-%d.log" % (wd.kind, rep))
    emu = Emulator(os.path.join(bin_dir, "ehpc-emulator"), log + ".emu", app_ids(args.n))
    try:
        wd.reset_state()
        tf_args = tf.prepare(wd, args.command, args.n, args.parallelism, log, emu.endpoint)
        data = os.path.join(root, "%s-%d.perf" % (wd.kind, rep))
        with Recorder(data):
            secs, code = tf.run(wd, tf_args, log, emu.endpoint)
        if code != 0:
            raise BenchError("terraform %s failed\n%s" % (tf_args[0], log_tail(log)))
        return secs, cpu_by_class(data, emu.proc.pid)
    finally:
        emu.stop()


class Recorder:
    """`perf record -a` started with its events disabled and enabled over its control pipe;
    perf's "ack" says the recording is on before terraform starts. If perf dies, the pipes
    break and this raises instead of waiting."""

    def __init__(self, data):
        ctl_r, self.ctl = os.pipe()
        self.ack, ack_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["perf", "record", "-a", "-q", "-e", "cpu-clock", "-F", "1999", "-D", "-1",
                 "--control", "fd:%d,%d" % (ctl_r, ack_w), "-o", data],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(ctl_r, ack_w))
        finally:
            os.close(ctl_r)
            os.close(ack_w)

    def __enter__(self):
        with os.fdopen(self.ack, encoding="ascii") as ack:
            try:
                os.write(self.ctl, b"enable\n")
                answer = ack.readline().strip()
            except BrokenPipeError:
                answer = ""
        if answer != "ack":
            self.__exit__()
            raise BenchError("perf record did not start (exit status %s); it needs the right "
                             "to profile the whole system, see /proc/sys/kernel/"
                             "perf_event_paranoid" % self.proc.returncode)
        return self

    def __exit__(self, *exc):
        # SIGINT before closing the control pipe: perf ends a recording cleanly on SIGINT.
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        os.close(self.ctl)
        return False


def cpu_by_class(data, emulator_pid):
    """CPU seconds per class from a system-wide cpu-clock recording (period = nanoseconds)."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "comm,pid,tid,period"],
                         capture_output=True, text=True, check=True).stdout
    per_pid = defaultdict(int)
    comms = defaultdict(set)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or "/" not in parts[-2]:
            continue
        pid = int(parts[-2].split("/")[0])
        per_pid[pid] += int(parts[-1])
        comms[pid].add(" ".join(parts[:-2]))
    split = defaultdict(float)
    for pid, ns in per_pid.items():
        names = comms[pid]
        if pid == 0:
            continue  # idle
        if pid == emulator_pid:
            cls = "emulator"
        elif PROVIDER_COMM in names:
            cls = "provider"
        elif "terraform" in names:
            cls = "terraform"
        else:
            cls = "other"
        split[cls] += ns / 1e9
    return split


def report(rows, args):
    classes = ("terraform", "provider", "emulator", "other")
    print("\n%s of %d, -parallelism=%d, %d reps (medians; CPU seconds by process)"
          % (args.command, args.n, args.parallelism, args.reps))
    print("%-8s %8s " % ("", "wall") + " ".join("%10s" % c for c in classes))
    med = {}
    for kind in ("tfdata", "ehpc"):
        walls = [w for w, _ in rows[kind]]
        cpu = {c: statistics.median(s[c] for _, s in rows[kind]) for c in classes}
        med[kind] = (statistics.median(walls), cpu)
        print("%-8s %8.3f " % (kind, med[kind][0]) + " ".join("%10.3f" % cpu[c] for c in classes))
    (_, ce), (_, ct) = med["ehpc"], med["tfdata"]
    for rep, (e, t) in enumerate(zip(rows["ehpc"], rows["tfdata"])):
        print("  rep %d: ehpc %.3f s (provider CPU %.3f s), terraform_data %.3f s"
              % (rep, e[0], e[1]["provider"], t[0]))
    ratios = [e[0] / t[0] for e, t in zip(rows["ehpc"], rows["tfdata"])]
    estimates = [(e[0] - e[1]["provider"]) / t[0]
                 for e, t in zip(rows["ehpc"], rows["tfdata"])]
    print("ratio ehpc/terraform_data: %.2fx (median of per-rep ratios)" % statistics.median(ratios))
    print("terraform's own extra CPU with a plugin: %.3f s; provider CPU: %.3f s; emulator: %.3f s"
          % (ce["terraform"] - ct["terraform"], ce["provider"], ce["emulator"]))
    print("estimate with a zero-cost provider: %.2fx (median of per-rep estimates)"
          % statistics.median(estimates))


if __name__ == "__main__":
    sys.exit(main())
