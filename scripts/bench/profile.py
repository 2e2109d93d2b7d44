# SPDX-License-Identifier: MPL-2.0
"""Profiles the provider where the benchmark shows a cost: `perf record` over a whole
`terraform plan` (or apply) of N ehpc_app_sync resources against a fresh emulator, then
prints the CPU split per process (terraform vs provider) and the provider's hottest
symbols. Use a build with symbols, e.g.

  CARGO_TARGET_DIR=/tmp/prof CARGO_PROFILE_RELEASE_STRIP=false \\
  CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --bins
  python3 scripts/bench/profile.py --bin-dir /tmp/prof/release --n 1000 --command plan

Needs perf. Leaves perf.data and the logs in the printed scratch directory.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from harness import Emulator, Terraform, Workdir, app_ids


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="directory of a build with symbols")
    parser.add_argument("--n", type=int, default=1000, help="number of resources")
    parser.add_argument("--command", choices=("plan", "apply"), default="plan")
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--top", type=int, default=40, help="symbols to print")
    args = parser.parse_args()
    if shutil.which("perf") is None:
        print("profile: perf is not installed", file=sys.stderr)
        return 1
    root = tempfile.mkdtemp(prefix="ehpc-profile.")
    print("scratch directory: %s" % root, flush=True)
    tf = Terraform(root, os.path.abspath(args.bin_dir), 1800)
    wd = Workdir(root, "ehpc")
    emu = Emulator(os.path.join(args.bin_dir, "ehpc-emulator"), os.path.join(root, "emu.log"),
                   app_ids(args.n))
    log = os.path.join(root, "terraform.log")
    perf_data = os.path.join(root, "perf.data")
    try:
        # For a plan, an up-to-date state first (not profiled).
        tf_args = tf.prepare(wd, args.command, args.n, args.parallelism, log, emu.endpoint)
        # perf follows every child, so the provider processes Terraform starts are included.
        perf = ("perf", "record", "-F", "499", "-g", "-o", perf_data, "--")
        secs, code = tf.run(wd, tf_args, log, emu.endpoint, prefix=perf)
        print("terraform %s of %d under perf: %.2f s, exit %d" % (args.command, args.n, secs,
                                                                   code))
    finally:
        emu.stop()
    report = ["perf", "report", "-i", perf_data, "--stdio", "--no-children"]
    print("\n== CPU samples per process ==")
    _show(report + ["--sort", "comm", "-g", "none"], 15)
    print("\n== provider: hottest symbols (self time) ==")
    _show(report + ["--comm", "terraform-provi", "--sort", "dso,sym", "-g", "none"], args.top)
    return 0


def _show(argv, limit):
    out = subprocess.run(argv, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.strip() and not l.startswith("#")]
    print("\n".join(lines[:limit]))


if __name__ == "__main__":
    sys.exit(main())
