# SPDX-License-Identifier: MPL-2.0
"""Where Terraform's own CPU goes, by kind of resource: runs the same `terraform plan` (on an
up-to-date state) or `apply` (from an empty state) of N resources for each kind under
`perf record -g`, keeps the samples of the terraform process, names its functions from the
`.gopclntab` section of Terraform's stripped Go binary (Go >= 1.20; perf cannot), and prints
Terraform's CPU per category and the functions whose inclusive time grows most against the
last kind. A sample counts for the category of its deepest frame that has one.

`split.py` says how much of Terraform's CPU a plugin adds; this says what that CPU is: the
gRPC client, the msgpack codec, the AutoMTLS crypto (the plugin protocol, which any plugin
costs), or richer values to evaluate, store and compare (the resource's shape).

  python3 scripts/bench/tfprofile.py --bin-dir target/release --kinds plugin,tfdata
  python3 scripts/bench/tfprofile.py --bin-dir target/release --kinds ehpc,tfobj,tfdata

Kinds are the benchmark's (see harness.Workdir); the plugin floor needs
`cargo build --release --example terraform-provider-benchnull`. Needs perf. Leaves the perf
data and the logs in the printed scratch directory.
"""

import argparse
import bisect
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
from collections import Counter

from harness import (BenchError, Emulator, Terraform, Workdir, app_ids, log_tail,
                     private_bin_dir)

RATE = 1999  # samples per second
# (category, frame-name prefixes); the deepest frame with a match decides a sample.
CATEGORIES = (
    ("AutoMTLS crypto", ("crypto/", "github.com/hashicorp/go-plugin.generateCert")),
    ("plugin process start and stop", ("os/exec.", "os.StartProcess", "syscall.forkExec",
                                       "github.com/hashicorp/go-plugin.(*Client).Start")),
    ("gRPC client and HTTP/2", ("google.golang.org/grpc", "golang.org/x/net/http2",
                                "google.golang.org/protobuf", "net.",
                                "github.com/hashicorp/go-plugin")),
    ("msgpack and JSON value codec", ("github.com/zclconf/go-cty/cty/msgpack",
                                      "github.com/zclconf/go-cty/cty/json",
                                      "github.com/vmihailenco/msgpack",
                                      "github.com/hashicorp/terraform/internal/plugin6/convert")),
    ("schema type of every call", (
        "github.com/hashicorp/terraform/internal/configs/configschema.(*Block).ImpliedType",
        "github.com/hashicorp/terraform/internal/configs/configschema.(*Block).specType")),
    ("rest of the gRPC provider client", ("github.com/hashicorp/terraform/internal/plugin6.",)),
    ("built-in terraform_data", ("github.com/hashicorp/terraform/internal/builtin",)),
    ("GC marking (background)", ("runtime.gcBgMarkWorker",)),
    ("state: encode, copy, compare", ("github.com/hashicorp/terraform/internal/states",)),
    ("configuration evaluation", (
        "github.com/hashicorp/terraform/internal/terraform.(*BuiltinEvalContext).EvaluateBlock",
        "github.com/hashicorp/hcl")),
)
OTHER = "rest: graph walk, cty values, runtime"


class GoSymbols:
    """Function names by address, from the .gopclntab of a Go >= 1.20 ELF executable."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise BenchError("%s is not a 64-bit ELF executable" % path)
        shoff, = struct.unpack_from("<Q", data, 0x28)
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
        # File offset -> address of the executable segment: perf prints callchain frames of
        # an unresolved binary as file offsets.
        self.offset_to_addr = None
        for i in range(phnum):
            p_type, p_flags, p_offset, p_vaddr = struct.unpack_from("<IIQQ", data,
                                                                     phoff + i * phentsize)
            if p_type == 1 and p_flags & 1:  # PT_LOAD, executable
                self.offset_to_addr = p_vaddr - p_offset
        names_at = struct.unpack_from("<IIQQQQ", data, shoff + shstrndx * shentsize)[4]
        table = None
        for i in range(shnum):
            name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
            if data[names_at + name:data.index(b"\0", names_at + name)] == b".gopclntab":
                table = data[off:off + size]
        if table is None or self.offset_to_addr is None:
            raise BenchError("%s has no .gopclntab section: not a Go executable" % path)
        if struct.unpack_from("<I", table, 0)[0] != 0xFFFFFFF1:
            raise BenchError("%s: .gopclntab is not Go 1.20+'s format" % path)
        nfunc, _, text, names_off, _, _, _, functab = struct.unpack_from("<8Q", table, 8)
        self.starts, self.names = [], []
        for i in range(nfunc):
            entry, func_off = struct.unpack_from("<II", table, functab + 8 * i)
            name_off = struct.unpack_from("<i", table, functab + func_off + 4)[0]
            at = names_off + name_off
            self.starts.append(text + entry)
            self.names.append(table[at:table.index(b"\0", at)].decode("utf-8", "replace"))
        self.end = text + struct.unpack_from("<I", table, functab + 8 * nfunc)[0]

    def name_at_offset(self, offset):
        addr = offset + self.offset_to_addr
        if not self.starts or not self.starts[0] <= addr < self.end:
            return None
        return self.names[bisect.bisect_right(self.starts, addr) - 1]


def terraform_stacks(data, symbols, terraform_path):
    """The call stacks (leaf first) of the terraform process's samples in a perf recording."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym,dso"],
                         capture_output=True, text=True, check=True).stdout
    stacks, frames, named = [], 0, 0
    for block in out.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if not lines or lines[0].split()[:1] != ["terraform"]:
            continue
        stack = []
        for line in lines[1:]:
            parts = line.split()
            if len(parts) < 3:
                continue
            if parts[-1] == "(%s)" % terraform_path:
                frames += 1
                name = symbols.name_at_offset(int(parts[0], 16))
                named += name is not None
                stack.append(name or "?")
            else:
                stack.append("[%s] %s" % (os.path.basename(parts[-1].strip("()")), parts[1]))
        stacks.append(stack)
    if frames and named < 0.95 * frames:
        raise BenchError("only %d of %d frames of %s got a name: perf's addresses are not "
                         "what this script expects" % (named, frames, terraform_path))
    return stacks


def category(stack):
    for frame in stack:
        for name, prefixes in CATEGORIES:
            if frame.startswith(prefixes):
                return name
    return OTHER


def profile(stacks):
    """(ms per category, inclusive ms per function) of one recording."""
    by_category, inclusive = Counter(), Counter()
    for stack in stacks:
        by_category[category(stack)] += 1
        inclusive.update(set(stack))
    ms = 1000.0 / RATE
    return ({k: v * ms for k, v in by_category.items()},
            {k: v * ms for k, v in inclusive.items()})


def record(tf, wd, bin_dir, args, root, rep):
    log = os.path.join(root, "%s-%d.log" % (wd.kind, rep))
    emu = Emulator(os.path.join(bin_dir, "ehpc-emulator"), log + ".emu", app_ids(args.n)) \
        if wd.kind == "ehpc" else None
    try:
        wd.reset_state()
        endpoint = emu and emu.endpoint
        tf_args = tf.prepare(wd, args.command, args.n, args.parallelism, log, endpoint)
        data = os.path.join(root, "%s-%d.perf" % (wd.kind, rep))
        _, code = tf.run(wd, tf_args, log, endpoint, prefix=(
            "perf", "record", "-q", "-g", "-e", "cpu-clock", "-F", str(RATE), "-o", data, "--"))
        if code != 0:
            raise BenchError("terraform %s exited %d\n%s" % (tf_args[0], code, log_tail(log)))
        return data
    finally:
        if emu:
            emu.stop()


def median_of(profiles, key):
    return statistics.median(p.get(key, 0.0) for p in profiles)


def report(results, kinds, top):
    base = kinds[-1]
    print("\nTerraform's CPU (ms, median of %d runs) by category; the differences are "
          "against %s" % (len(results[base]), base))
    labels = ["%s - %s" % (k, base) for k in kinds[:-1]]
    width = max(len(label) for label in labels) + 2
    print("%-38s" % "category" + "".join("%10s" % k for k in kinds)
          + "".join(label.rjust(width) for label in labels))
    names = [c for c, _ in CATEGORIES] + [OTHER]
    totals = {k: 0.0 for k in kinds}
    for name in names:
        med = {k: median_of([c for c, _ in results[k]], name) for k in kinds}
        for k in kinds:
            totals[k] += med[k]
        print("%-38s" % name + "".join("%10.0f" % med[k] for k in kinds)
              + "".join(("%+.0f" % (med[k] - med[base])).rjust(width) for k in kinds[:-1]))
    print("%-38s" % "total" + "".join("%10.0f" % totals[k] for k in kinds)
          + "".join(("%+.0f" % (totals[k] - totals[base])).rjust(width)
                  for k in kinds[:-1]))
    for kind in kinds[:-1]:
        inc = {f: median_of([i for _, i in results[kind]], f)
               for _, i in results[kind] for f in i}
        inc_base = {f: median_of([i for _, i in results[base]], f) for f in inc}
        # The outer frames of the graph walk hold most samples and say nothing.
        inner = [f for f in inc if inc[f] < totals[kind] / 4]
        grown = sorted(inner, key=lambda f: inc_base[f] - inc[f])[:top]
        print("\nInclusive ms, %s vs %s: the %d functions under a quarter of the total that "
              "grow most" % (kind, base, top))
        for f in grown:
            print("%+8.0f %8.0f %8.0f  %s" % (inc[f] - inc_base[f], inc[f], inc_base[f], f[:110]))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="directory of the release build")
    parser.add_argument("--kinds", default="plugin,tfdata",
                        help="comma-separated benchmark kinds; the last is the baseline")
    parser.add_argument("--n", type=int, default=1000, help="number of resources")
    parser.add_argument("--command", choices=("plan", "apply"), default="plan")
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    if len(kinds) < 2 or any(k not in Workdir.KINDS for k in kinds):
        parser.error("--kinds needs two or more of %s" % ", ".join(Workdir.KINDS))
    terraform = shutil.which("terraform")
    if shutil.which("perf") is None or terraform is None:
        parser.error("needs perf and terraform on PATH")
    terraform = os.path.realpath(terraform)
    symbols = GoSymbols(terraform)
    root = tempfile.mkdtemp(prefix="ehpc-tfprofile.")
    print("scratch directory: %s" % root, flush=True)
    bin_dir = private_bin_dir(args.bin_dir, root, required=False)
    tf = Terraform(root, bin_dir, 1800)
    dirs = {k: Workdir(root, k) for k in kinds}
    results = {k: [] for k in kinds}
    for rep in range(args.reps):
        for kind in (kinds if rep % 2 == 0 else kinds[::-1]):
            data = record(tf, dirs[kind], bin_dir, args, root, rep)
            results[kind].append(profile(terraform_stacks(data, symbols, terraform)))
    print("%s of %d, -parallelism=%d, Terraform %s" % (args.command, args.n, args.parallelism,
                                                      terraform))
    report(results, kinds, args.top)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as err:
        print("tfprofile: %s" % err, file=sys.stderr)
        sys.exit(1)
