# SPDX-License-Identifier: MPL-2.0
"""Where the wall time of each plugin start goes, read from Terraform's own trace log: runs
`terraform apply` of N resources (from an empty state) with TF_LOG=trace, for the provider or
the plugin floor, with or without AutoMTLS, and cuts every plugin start into phases by the
timestamps of go-plugin's and Terraform's log lines:

  certificate  "configuring client automatic mTLS" -> "starting plugin": Terraform makes its
               P-521 client certificate; the plugin does not exist yet (absent without TLS)
  start        -> "using plugin": spawn, the plugin's start-up, its handshake line
  connect      -> first "GRPCProvider.v6:" line: dial, TLS handshake, HTTP/2, stdio stream
  calls        -> "GRPCProvider.v6: Close": the RPCs of this start
  stop         -> "plugin process exited": Shutdown, the plugin's exit, Terraform's wait

Terraform's log has millisecond timestamps and tracing slows its own work, so read the
phases that hold no log lines (certificate, start) as measured and the others as indicative.

  python3 scripts/bench/starts.py --bin-dir target/release --kind plugin --reps 5
  python3 scripts/bench/starts.py --bin-dir target/release --kind ehpc --no-tls

The floor (--kind plugin) needs `cargo build --release --example terraform-provider-benchnull`
and is looked for in BIN_DIR/examples. Leaves the logs in the printed scratch directory.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile

from harness import (BenchError, Emulator, Terraform, Workdir, app_ids, log_tail,
                     private_bin_dir)

PHASES = ("certificate", "start", "connect", "calls", "stop")
MTLS_LINE = "provider: configuring client automatic mTLS"
# (phase, the log text that ends it), in the order they occur in one plugin start.
MARKS = (("certificate", "provider: starting plugin:"), ("start", "provider: using plugin:"),
         ("connect", "GRPCProvider.v6: "), ("calls", "GRPCProvider.v6: Close"),
         ("stop", "provider: plugin process exited:"))


def _stamp(line):
    try:
        return datetime.datetime.strptime(line[:24], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
    except ValueError:
        return None


def plugin_starts(log_path):
    """[{phase: seconds}] for every plugin start in a Terraform trace log, in order."""
    starts, current, expected, last = [], None, [], None
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            at = _stamp(line)
            if at is None:
                continue
            begins = MTLS_LINE in line or (MARKS[0][1] in line and expected[:1] != [MARKS[0]])
            if begins:
                if current is not None:
                    raise BenchError("%s: a plugin start began before the last one ended "
                                     "(the phases need one plugin at a time)" % log_path)
                # Without AutoMTLS a start begins at "starting plugin", with no certificate.
                current, last = {}, at
                expected = list(MARKS) if MTLS_LINE in line else list(MARKS[1:])
                continue
            if current is not None and expected[0][1] in line:
                current[expected.pop(0)[0]] = at - last
                last = at
                if not expected:
                    starts.append(current)
                    current = None
    return starts


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="directory of the release binaries")
    parser.add_argument("--kind", choices=("ehpc", "plugin"), default="plugin",
                        help="the provider, or the plugin floor (default)")
    parser.add_argument("--n", type=int, default=1, help="number of resources")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-tls", action="store_true",
                        help="set TF_DISABLE_PLUGIN_TLS=1 (Terraform's switch for AutoMTLS)")
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="ehpc-starts.")
    print("scratch directory: %s" % root, flush=True)
    bin_dir = private_bin_dir(args.bin_dir, root, required=False)
    tf = Terraform(root, bin_dir, 600)
    wd = Workdir(root, args.kind)
    env = dict(Workdir.NO_TLS_ENV if args.no_tls else {}, TF_LOG="trace")
    by_phase = {p: [] for p in PHASES}
    count = 0
    for rep in range(args.reps):
        wd.reset_state()
        trace = os.path.join(root, "trace-%d.log" % rep)
        emu = Emulator(os.path.join(bin_dir, "ehpc-emulator"),
                       os.path.join(root, "emulator-%d.log" % rep), app_ids(args.n)) \
            if args.kind == "ehpc" else None
        try:
            _, code = tf.run(wd, Terraform.apply_args(args.n, 10),
                             os.path.join(root, "apply.log"), emu and emu.endpoint,
                             dict(env, TF_LOG_PATH=trace))
        finally:
            if emu:
                emu.stop()
        if code != 0:
            raise BenchError("apply exited %d\n%s" % (code, log_tail(trace)))
        for start in plugin_starts(trace):
            count += 1
            for phase, secs in start.items():
                by_phase[phase].append(secs * 1e3)
    print("%d plugin starts over %d applies of %d (%s, %s); ms per start:"
          % (count, args.reps, args.n, args.kind, "no AutoMTLS" if args.no_tls else "AutoMTLS"))
    print("%-12s %8s %8s %8s %6s" % ("phase", "median", "min", "max", "count"))
    for phase in PHASES:
        values = by_phase[phase]
        if values:
            print("%-12s %8.1f %8.1f %8.1f %6d" % (phase, statistics.median(values),
                                                   min(values), max(values), len(values)))
        else:
            print("%-12s %8s" % (phase, "—"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as err:
        print("starts: %s" % err, file=sys.stderr)
        sys.exit(1)
