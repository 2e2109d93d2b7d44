# SPDX-License-Identifier: MPL-2.0
"""Building blocks of the benchmark (scripts/bench.sh): the emulator process, timed Terraform
runs in prepared working directories, the provider peak-RSS sampler, and summary statistics.
Standard library only; Linux only (/proc). Every failure is raised as BenchError with the
tail of the relevant log, so the driver can record it, keep going and exit non-zero at the end.
"""

import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import threading
import time
import urllib.request

# Credentials known only to the emulator of one bench run; never a real account.
KEY_ID = "LTAI5tBenchAccessKey"
SECRET = "bench-secret-%d" % os.getpid()
# The provider's calls go to this region's endpoint; every resource copies its app here.
HOME_REGION = "cn-hangzhou"
TARGET_REGION = "cn-shanghai"
# The plugin floor's address and executable (a Cargo example, see scripts/bench/null_provider.rs).
NULL_PROVIDER = "terraform.local/bench/benchnull"
NULL_PROVIDER_BIN = "terraform-provider-benchnull"
# The plugin floor linked with the provider's code, never run
# (scripts/bench/null_provider_linked.rs): what loading the provider's larger binary costs.
LINKED_FLOOR_BIN = "terraform-provider-benchnull-linked"


class BenchError(Exception):
    """A run that did not do what the benchmark needs (not a missed target)."""


def log_tail(path, lines=25):
    """The last lines of a log file, for error messages."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def summary(values):
    """(median, min, max) of a non-empty list, or None."""
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def private_bin_dir(src_dir, root, required=True):
    """Copies the release binaries (the provider, the emulator, the plugin floor and the linked
    floor from src_dir/examples) into root/bin, so a rebuild of src_dir during a run changes
    nothing; returns root/bin. A missing one is an error when `required`, else skipped."""
    bin_dir = os.path.join(root, "bin")
    os.mkdir(bin_dir)
    for name in ("terraform-provider-ehpc", "ehpc-emulator",
                 os.path.join("examples", NULL_PROVIDER_BIN),
                 os.path.join("examples", LINKED_FLOOR_BIN)):
        path = os.path.join(src_dir, name)
        if os.path.exists(path):
            shutil.copy2(path, bin_dir)
        elif required:
            raise BenchError("%s is missing: run `cargo build --release --bins --example %s "
                             "--example %s`" % (path, NULL_PROVIDER_BIN, LINKED_FLOOR_BIN))
    return bin_dir


def app_ids(n):
    """One distinct app per resource: the emulator answers ImageAlreadyExists when a region
    already holds an app, so N resources syncing to one region need N apps."""
    return ["bench-app-%d" % i for i in range(n)]


class Emulator:
    """A fresh `ehpc-emulator` process (one per measured provider run, so every run starts
    from apps that hold no region)."""

    def __init__(self, binary, log_path, apps, throttle_rps=None, latency_ms=0, copy_seconds=0,
                 extra_args=()):
        # The apps go in a --config file: a thousand --app flags would be a 20 kB argv.
        config = os.path.splitext(log_path)[0] + ".json"
        with open(config, "w", encoding="utf-8") as f:
            json.dump({"apps": list(apps)}, f)
        args = [binary, "--listen", "127.0.0.1:0", "--credential", "%s:%s" % (KEY_ID, SECRET),
                "--region", HOME_REGION, "--region", TARGET_REGION,
                "--latency-ms", str(latency_ms), "--copy-seconds", str(copy_seconds),
                "--config", config]
        if throttle_rps is not None:
            args += ["--throttle-rps", str(throttle_rps)]
        args += list(extra_args)
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._log)
        line = self._read_line(30.0)
        if not line.startswith("listening on http://"):
            self.stop()
            raise BenchError("emulator did not report its address (got %r)\n%s"
                             % (line, log_tail(log_path)))
        self.endpoint = line[len("listening on "):].strip()

    def _read_line(self, timeout):
        fd = self.proc.stdout.fileno()
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", "replace").strip()

    def calls(self):
        """GET /_emulator/calls: every call with its status and error code."""
        with urllib.request.urlopen(self.endpoint + "/_emulator/calls", timeout=30) as resp:
            return json.load(resp)

    def count(self, since=0):
        """(calls by action, calls that failed) among the calls logged after the first `since`
        ones, and the new length of the log."""
        calls = self.calls()
        by_action, failed = {}, 0
        for call in calls[since:]:
            action = call.get("action") or "?"
            by_action[action] = by_action.get(action, 0) + 1
            failed += call.get("status") != 200
        return by_action, failed, len(calls)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self._log.close()


class Workdir:
    """A Terraform working directory holding one configuration shape, `count = var.n`
    resources carrying one app id and one target region each:
    - "ehpc": `ehpc_app_sync` (the provider under test);
    - "tfdata": the built-in `terraform_data` with the app id as its `input` string, the
      cheapest like-for-like resource Terraform has (no plugin process): the floor;
    - "tfobj": `terraform_data` whose `input` mirrors both attributes as an object. Terraform
      stores dynamic values with their type, twice (input and output), so this one is
      heavier than the provider's resource; shown for information only;
    - "plugin": `benchnull_app_sync` from `terraform-provider-benchnull`
      (scripts/bench/null_provider.rs): this project's plugin stack serving the provider's
      schema with no work behind it, the floor of any resource served through a plugin."""

    HEADER = {"ehpc": """terraform {
  required_providers {
    ehpc = { source = "terraform.local/ehpc/ehpc" }
  }
}

# Configured from ALIBABA_CLOUD_* environment variables.
provider "ehpc" {}
""", "tfdata": "", "tfobj": "", "plugin": """terraform {
  required_providers {
    benchnull = { source = "%s" }
  }
}

provider "benchnull" {}
""" % NULL_PROVIDER}

    BODY = {"ehpc": """
resource "ehpc_app_sync" "bench" {
  count             = var.n
  app_id            = "bench-app-${count.index}"
  target_region_ids = ["%s"]
  wait_for_copies   = var.wait
}
""" % TARGET_REGION, "tfdata": """
resource "terraform_data" "bench" {
  count = var.n
  input = "bench-app-${count.index}"
}
""", "tfobj": """
resource "terraform_data" "bench" {
  count = var.n
  input = {
    app_id            = "bench-app-${count.index}"
    target_region_ids = ["%s"]
  }
}
""" % TARGET_REGION, "plugin": """
resource "benchnull_app_sync" "bench" {
  count             = var.n
  app_id            = "bench-app-${count.index}"
  target_region_ids = ["%s"]
  wait_for_copies   = var.wait
}
""" % TARGET_REGION}

    KINDS = ("ehpc", "tfdata", "tfobj", "plugin")

    # Measured kinds that run in another kind's directory with Terraform's AutoMTLS switched
    # off (`TF_DISABLE_PLUGIN_TLS`, Terraform's own switch): information on how much of a
    # plugin's cost is the AutoMTLS setup of every plugin start, most of it Terraform's.
    NO_TLS = {"ehpc-notls": "ehpc", "plugin-notls": "plugin"}
    NO_TLS_ENV = {"TF_DISABLE_PLUGIN_TLS": "1"}
    MEASURED = KINDS + tuple(NO_TLS)

    def __init__(self, root, kind):
        self.kind = kind
        self.path = os.path.join(root, kind)
        os.makedirs(self.path, exist_ok=True)
        with open(os.path.join(self.path, "main.tf"), "w", encoding="utf-8") as f:
            f.write(self.HEADER[kind] + '\nvariable "n" { type = number }\n'
                    'variable "wait" {\n  type    = bool\n  default = null\n}\n'
                    + self.BODY[kind])

    def reset_state(self):
        for name in ("terraform.tfstate", "terraform.tfstate.backup",
                     ".terraform.tfstate.lock.info"):
            try:
                os.remove(os.path.join(self.path, name))
            except FileNotFoundError:
                pass


def wait_exactly(proc, timeout):
    """(exit code, time.perf_counter() at the exit) of `proc`, or (None, None) after killing its
    process group when it outlives `timeout` seconds. A blocking wait: `Popen.wait(timeout=)`
    polls with sleeps that grow to 50 ms, which rounded every timed run up by as much."""
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.daemon = True
    timer.start()
    try:
        code = proc.wait()
        exited = time.perf_counter()
    finally:
        timer.cancel()
    return (None, None) if timed_out.is_set() else (code, exited)


class Terraform:
    """Runs terraform with a dev_overrides CLI configuration pointing at the release build
    (the provider and, when it is there too, the plugin floor)."""

    def __init__(self, root, bin_dir, timeout):
        self.timeout = timeout
        self.cli_config = os.path.join(root, "cli.tfrc")
        with open(self.cli_config, "w", encoding="utf-8") as f:
            f.write('provider_installation {\n  dev_overrides {\n'
                    '    "terraform.local/ehpc/ehpc" = "%s"\n'
                    '    "%s" = "%s"\n  }\n  direct {}\n}\n'
                    % (bin_dir, NULL_PROVIDER, bin_dir))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TF_", "ALIBABA_CLOUD_", "ALICLOUD_"))}
        env.update(TF_CLI_CONFIG_FILE=self.cli_config, TF_IN_AUTOMATION="1",
                   CHECKPOINT_DISABLE="1", ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID,
                   ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET, ALIBABA_CLOUD_REGION=HOME_REGION,
                   # The rate budget the provider processes of one account share lives in the
                   # user's cache: the bench's own, so no earlier run (or user) paces it.
                   XDG_CACHE_HOME=os.path.join(root, "cache"))
        self.env = env

    def run(self, workdir, args, log_path, endpoint=None, extra_env=None, prefix=()):
        """Runs `terraform ARGS` in the workdir, under the `prefix` command if any (a
        profiler); returns (seconds, exit code)."""
        env = dict(self.env)
        # Unused by terraform_data, but set for both so the environments match.
        env["ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT"] = endpoint or "http://127.0.0.1:9"
        env.update(extra_env or {})
        with open(log_path, "ab") as log:
            log.write(("\n$ terraform %s\n" % " ".join(args)).encode())
            log.flush()
            start = time.perf_counter()
            proc = subprocess.Popen(list(prefix) + ["terraform"] + args, cwd=workdir.path,
                                    env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)
            code, elapsed = wait_exactly(proc, self.timeout)
            if code is None:
                raise BenchError("terraform %s timed out after %d s\n%s"
                                 % (args[0], self.timeout, log_tail(log_path)))
            elapsed -= start
        return elapsed, code

    def prepare(self, workdir, command, n, parallelism, log_path, endpoint):
        """The arguments of `command` ("apply" from the current state, or "plan" on an
        up-to-date state: this runs an untimed apply first, as the benchmark does)."""
        if command == "apply":
            return Terraform.apply_args(n, parallelism)
        _, code = self.run(workdir, Terraform.apply_args(n, parallelism), log_path, endpoint)
        if code != 0:
            raise BenchError("setup apply failed\n" + log_tail(log_path))
        return Terraform.plan_args(n, parallelism)

    @staticmethod
    def apply_args(n, parallelism, wait=None):
        """`wait` sets `wait_for_copies` (None: left null, the provider's default, waiting)."""
        return ["apply", "-auto-approve", "-input=false", "-no-color",
                "-parallelism=%d" % parallelism, "-var", "n=%d" % n] + (
                    [] if wait is None else ["-var", "wait=%s" % str(wait).lower()])

    @staticmethod
    def plan_args(n, parallelism, refresh=True):
        return ["plan", "-detailed-exitcode", "-input=false", "-no-color",
                "-parallelism=%d" % parallelism, "-var", "n=%d" % n] + (
                    [] if refresh else ["-refresh=false"])


# How many scans a new pid that does not run the sampled executable yet is looked at again.
RECHECK_SCANS = 10


class RssSampler:
    """Samples the peak RSS (VmHWM) of every live process running the given executable,
    every `interval` seconds, on a thread. VmHWM is the kernel's own high-water mark, so a
    sample loses nothing except growth in a process's last interval before it exits.
    Only pids that appeared since the previous scan are inspected, to stay cheap."""

    def __init__(self, executable, interval=0.01):
        self.executable = os.path.realpath(executable)
        self.interval = interval
        self.peaks = {}  # pid -> max VmHWM seen, in KiB
        self.cpu_ticks = {}  # pid -> the process's own user + system CPU, in clock ticks
        self._stop = threading.Event()
        self._known = set(self._pids())
        self._tracked = set()
        # New pids that were not the executable yet: a child seen between its fork and its
        # exec still runs its parent's binary. Looked at again for a few scans.
        self._recheck = {}
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _pids():
        return {int(p) for p in os.listdir("/proc") if p.isdigit()}

    def _is_target(self, pid):
        try:
            return os.path.realpath("/proc/%d/exe" % pid) == self.executable
        except OSError:
            return False

    def _hwm_kib(self, pid):
        try:
            with open("/proc/%d/status" % pid, encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return None

    def _scan(self):
        pids = self._pids()
        for pid in (pids - self._known) | (set(self._recheck) & pids):
            if self._is_target(pid):
                self._tracked.add(pid)
                self._recheck.pop(pid, None)
            else:
                left = self._recheck.get(pid, RECHECK_SCANS) - 1
                if left > 0:
                    self._recheck[pid] = left
                else:
                    self._recheck.pop(pid, None)
        self._recheck = {pid: left for pid, left in self._recheck.items() if pid in pids}
        self._known = pids
        for pid in list(self._tracked):
            hwm = self._hwm_kib(pid)
            if hwm is None:
                self._tracked.discard(pid)
            else:
                self.peaks[pid] = max(hwm, self.peaks.get(pid, 0))
                ticks = self._cpu_ticks(pid)
                if ticks is not None:
                    self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))

    @staticmethod
    def _cpu_ticks(pid):
        """utime + stime of /proc/PID/stat (fields 14 and 15), or None once it is gone."""
        try:
            with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            return None

    def cpu_seconds(self):
        """The sampled processes' own CPU (their last sample: at most one interval short
        each, so a lower bound)."""
        return sum(self.cpu_ticks.values()) / float(os.sysconf("SC_CLK_TCK"))

    def _loop(self):
        while not self._stop.is_set():
            self._scan()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False

    def peak_mib(self):
        return max(self.peaks.values()) / 1024.0 if self.peaks else None


def stripped_size(binary, scratch_dir):
    """(size as built, size after `strip`) in bytes; the second is None without strip."""
    built = os.path.getsize(binary)
    strip = shutil.which("strip")
    if strip is None:
        return built, None
    copy = os.path.join(scratch_dir, "provider-stripped")
    shutil.copyfile(binary, copy)
    subprocess.run([strip, copy], check=True)
    return built, os.path.getsize(copy)
