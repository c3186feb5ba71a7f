#!/usr/bin/python3
"""Fresh-process side of cellar's benchmark (scripts/bench runs it; prints one JSON document).

A notebook rerun is a new kernel process, so every timed run here starts one: the cellar kernel over
the real Jupyter protocol (jupyter_client, Debian's python3-jupyter-client), with the JVM options of
the kernel spec it is given (scripts/bench writes it from kernel/kernel.json.template); and, for
comparison, a new /usr/bin/python3 process for each joblib.Memory store or load. Subjects run
interleaved (kernel run, python run, kernel run, ...) so background load and the page cache's state
hit both alike. Times in nanoseconds.

Per size of a float64 array:
  miss     new kernel: `%%cached big --params=n --version=mR` computing sqrt(i); the status line's
           store time, and the cell's wall time (execute request to idle)
  joblib_store  new python: the first call of a cached function returning a ready array (store only)
  hit      new kernel: the same cell (version m0, stored by the first miss): the status line's restore
           time and the cell's wall time
  warm     in that same kernel: `big = null`, then the cell again (a restore in a warm JVM)
  current  in that same kernel: the cell once more, its variable untouched (already current)
  joblib_load   new python: the second call (a load)
Small: a cell with 7 small outputs, uncached and as a hit, each in a new kernel.

Free memory: before every kernel or python process of the large-array runs, this waits until the
guest's free page reporting has been idle for 3 s (see settle()), so that each process starts with the
memory freed by the previous one already given back to the host, and pays the same first touch.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import jupyter_client

JOBLIB_CHILD = r"""
import sys, time
t_import = time.perf_counter_ns()
import joblib, numpy as np
t_import = time.perf_counter_ns() - t_import
loc, n, version, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ready = {}
def big(n, version):
    return ready["a"]
mem = joblib.Memory(loc, verbose=0)
cached = mem.cache(big)
if mode == "store":
    ready["a"] = np.sqrt(np.arange(n, dtype=np.float64))
t0 = time.perf_counter_ns()
x = cached(n, version)
t = time.perf_counter_ns() - t0
assert x.shape == (n,) and x[n - 1] == np.sqrt(n - 1), "wrong value"
print(t, t_import)
"""

REPORTED_KIB = "/sys/module/page_reporting/parameters/reported_kib"


def settle(quiet_s=3, limit_s=30):
    """Waits until free page reporting has been idle for quiet_s seconds (at most limit_s); returns the wait.

    In this VM (virtio-balloon free page reporting, page_reporting_order 9) every free 2 MB block goes
    back to the host about 2 s after it is freed, and the next first touch of it is a host fault
    (0.1-1.5 GB/s here, depending on the host). A process started right after another one exits gets
    the just-freed, still-backed pages and touches memory 10-50x faster: a fresh python3 started in
    50 ms gets them, a JVM whose start takes a second does not. Waiting makes both start alike.
    None when the guest has no free page reporting (nothing to wait for).
    """
    if not os.path.exists(REPORTED_KIB):
        return None
    t0 = time.monotonic()
    last, quiet_since = None, t0
    while time.monotonic() - t0 < limit_s:
        with open(REPORTED_KIB) as f:
            now = f.read().strip()
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            break
        time.sleep(0.5)
    return time.monotonic() - t0


STATUS_RESTORED = re.compile(r"HIT big \[\w+\] (?:restored .* in ([0-9.]+) (ms|s|µs)|already current)")
STATUS_STORED = re.compile(r"computed in ([0-9.]+) (ms|s|µs), stored .* in ([0-9.]+) (ms|s|µs)")
UNIT = {"s": 1e9, "ms": 1e6, "µs": 1e3}


class Kernel:
    def __init__(self, name):
        t0 = time.perf_counter_ns()
        self.km, self.kc = jupyter_client.manager.start_new_kernel(kernel_name=name, startup_timeout=180)
        self.start_ns = time.perf_counter_ns() - t0
        self.pid = self.km.provisioner.pid if hasattr(self.km, "provisioner") and self.km.provisioner else None

    def execute(self, code, timeout=600):
        t0 = time.perf_counter_ns()
        msg_id = self.kc.execute(code)
        texts, errors = [], []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind == "stream":
                texts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                texts.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                errors.append(content["ename"] + ": " + content["evalue"])
        wall = time.perf_counter_ns() - t0
        if errors:
            raise RuntimeError("cell failed: %s\n%s" % (code, errors))
        return "".join(texts), wall

    def rss_kb(self):
        pid = self.pid
        if pid is None:
            return None
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def joblib_child(loc, n, version, mode):
    # A file, not `python -c`: joblib keys a function by its source, which it cannot read from -c.
    script = os.path.join(os.path.dirname(loc), "joblib_child.py")
    if not os.path.exists(script):
        os.makedirs(os.path.dirname(loc), exist_ok=True)
        with open(script, "w") as f:
            f.write(JOBLIB_CHILD)
    p = subprocess.run([sys.executable, script, loc, str(n), version, mode], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("joblib child failed: " + p.stderr)
    return int(p.stdout.split()[0])


def big_cell(version):
    return ("%%cached big --params=n --version=" + version + "\n"
            "double[] big = new double[n]; for (int i = 0; i < n; i++) big[i] = Math.sqrt(i);")


def check_big(k, n):
    out, _ = k.execute("System.out.println(big.length + \" \" + (big[n - 1] == Math.sqrt(n - 1)));")
    if out.strip() != "%d true" % n:
        raise RuntimeError("wrong restored value: " + out)


def parse_time(m, group):
    return float(m.group(group)) * UNIT[m.group(group + 1)]


SMALL_BODY = """int count = 42;
long total = 123456789L;
double mean = 3.25;
String label = "small outputs";
int[] bins = {1, 2, 3, 4, 5, 6, 7, 8};
double[] weights = {0.5, 0.25, 0.125};
java.util.List<String> names = java.util.List.of("a", "b", "c");"""


def small(kernel, runs, warmups):
    """7 small outputs: the cell uncached and as a hit (stored once, untimed), each in a new kernel."""
    t = {"plain_cell": [], "hit_cell": [], "hit_restore": [], "start": [], "load": [os.getloadavg()[0]]}
    k = Kernel(kernel)
    k.execute("%%cached small7\n" + SMALL_BODY)
    k.close()
    for r in range(warmups + runs):
        k = Kernel(kernel)
        _, plain = k.execute(SMALL_BODY)
        start = k.start_ns
        k.close()
        k = Kernel(kernel)
        out, hit = k.execute("%%cached small7\n" + SMALL_BODY)
        k.close()
        m = re.search(r"HIT small7 \[\w+\] restored .* in ([0-9.]+) (ms|s|µs)", out)
        if not m:
            raise RuntimeError("expected a hit: " + out)
        if r >= warmups:
            t["plain_cell"].append(plain)
            t["hit_cell"].append(hit)
            t["hit_restore"].append(parse_time(m, 1))
            t["start"].append(start)
    t["load"].append(os.getloadavg()[0])
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True, help="kernel spec name (JUPYTER_PATH set by the caller)")
    ap.add_argument("--sizes", required=True, help="comma-separated array sizes in bytes")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmups", type=int, default=1)
    ap.add_argument("--joblib-dir", required=True)
    args = ap.parse_args()

    out = {"sizes": []}
    waits = []
    for n_bytes in [int(s) for s in args.sizes.split(",") if s]:
        n = n_bytes // 8
        t = {k: [] for k in ("miss_store", "miss_compute", "miss_cell", "joblib_store", "hit_restore", "hit_cell",
                             "warm_restore", "warm_cell", "current_cell", "joblib_load", "rss_after_hit_kb")}
        loc = os.path.join(args.joblib_dir, "fresh-%d" % n_bytes)
        statuses = {}
        for r in range(args.warmups + args.runs):
            timed = r >= args.warmups
            waits.append(settle())
            k = Kernel(args.kernel)
            k.execute("int n = %d;" % n)
            status, wall = k.execute(big_cell("m%d" % r))
            k.close()
            m = STATUS_STORED.search(status)
            if not m:
                raise RuntimeError("expected a miss: " + status)
            statuses["miss"] = status.strip()
            waits.append(settle())
            js = joblib_child(loc, n, "m%d" % r, "store")
            if timed:
                t["miss_compute"].append(parse_time(m, 1))
                t["miss_store"].append(parse_time(m, 3))
                t["miss_cell"].append(wall)
                t["joblib_store"].append(js)
        for r in range(args.warmups + args.runs):
            timed = r >= args.warmups
            waits.append(settle())
            k = Kernel(args.kernel)
            k.execute("int n = %d;" % n)
            status, wall = k.execute(big_cell("m0"))
            m = STATUS_RESTORED.search(status)
            if not m or m.group(1) is None:
                raise RuntimeError("expected a restore: " + status)
            statuses["hit"] = status.strip()
            hit_restore = parse_time(m, 1)
            rss = k.rss_kb()
            check_big(k, n)
            warm = warm_wall = None
            for _ in range(2):
                k.execute("big = null;")
                status, warm_wall = k.execute(big_cell("m0"))
                m = STATUS_RESTORED.search(status)
                if not m or m.group(1) is None:
                    raise RuntimeError("expected a restore: " + status)
                warm = parse_time(m, 1)
            statuses["warm"] = status.strip()
            status, current = k.execute(big_cell("m0"))
            statuses["current"] = status.strip()
            check_big(k, n)
            k.close()
            waits.append(settle())
            jl = joblib_child(loc, n, "m0", "load")
            if timed:
                t["hit_restore"].append(hit_restore)
                t["hit_cell"].append(wall)
                t["warm_restore"].append(warm)
                t["warm_cell"].append(warm_wall)
                t["current_cell"].append(current)
                t["joblib_load"].append(jl)
                if rss is not None:
                    t["rss_after_hit_kb"].append(rss)
        subprocess.run(["rm", "-rf", loc], check=True)
        out["sizes"].append({"bytes": n_bytes, "statuses": statuses, **t})
    out["settle_s"] = [w for w in waits if w is not None]
    out["small"] = small(args.kernel, args.runs, args.warmups)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
