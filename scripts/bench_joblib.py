#!/usr/bin/python3
"""joblib.Memory side of cellar's benchmark (scripts/bench runs it; prints one JSON document).

For each size: store (first call of a cached function returning a float64 array), load (second call),
load with mmap_mode='r' (lazy: maps the file, reads nothing), the same followed by a copy into memory,
and numpy references (np.copy allocating, np.copyto into an existing array). Then joblib.hash of the
largest array, which is what joblib.Memory spends when such an array is an argument. Runs are
interleaved like the Java side's so background load hits every subject alike. Times in nanoseconds.
"""
import argparse
import json
import os
import shutil
import sys
import time

import joblib
import numpy as np

ARRAYS = {}


def produce(n_bytes, run):
    # The "computation": returns the prepared array, so the first call measures joblib's store only.
    return ARRAYS[n_bytes]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", required=True, help="comma-separated payload sizes in bytes")
    ap.add_argument("--warmups", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--hash-size", type=int, default=0)
    ap.add_argument("--hash-runs", type=int, default=3)
    args = ap.parse_args()

    location = os.path.join(args.dir, "joblib-bench")
    shutil.rmtree(location, ignore_errors=True)
    mem = joblib.Memory(location, verbose=0)
    mem_mmap = joblib.Memory(location, mmap_mode="r", verbose=0)
    cached = mem.cache(produce)
    cached_mmap = mem_mmap.cache(produce)

    out = {"python": sys.version.split()[0], "joblib": joblib.__version__, "numpy": np.__version__,
           "sizes": []}
    rng = np.random.default_rng(42)
    run_id = 0
    for n_bytes in [int(s) for s in args.sizes.split(",") if s]:
        a = rng.random(n_bytes // 8)
        ARRAYS[n_bytes] = a
        dst = np.empty_like(a)
        dst[:] = 1.0
        t = {"store": [], "load": [], "load_mmap": [], "load_mmap_copy": [], "copy": [], "copyto": []}
        for r in range(args.warmups + args.runs):
            timed = r >= args.warmups
            run_id += 1

            t0 = time.perf_counter_ns()
            x = cached(n_bytes, run_id)
            t_store = time.perf_counter_ns() - t0
            del x

            t0 = time.perf_counter_ns()
            x = cached(n_bytes, run_id)
            t_load = time.perf_counter_ns() - t0
            assert x.shape == a.shape
            del x

            t0 = time.perf_counter_ns()
            x = cached_mmap(n_bytes, run_id)
            t_mmap = time.perf_counter_ns() - t0
            del x

            t0 = time.perf_counter_ns()
            x = np.array(cached_mmap(n_bytes, run_id))
            t_mmap_copy = time.perf_counter_ns() - t0
            del x

            t0 = time.perf_counter_ns()
            x = np.copy(a)
            t_copy = time.perf_counter_ns() - t0
            del x

            t0 = time.perf_counter_ns()
            np.copyto(dst, a)
            t_copyto = time.perf_counter_ns() - t0

            # Untimed: drop this run's entry so the disk holds one array at a time.
            cached.call_and_shelve(n_bytes, run_id).clear()
            if timed:
                t["store"].append(t_store)
                t["load"].append(t_load)
                t["load_mmap"].append(t_mmap)
                t["load_mmap_copy"].append(t_mmap_copy)
                t["copy"].append(t_copy)
                t["copyto"].append(t_copyto)
        del ARRAYS[n_bytes]
        del a, dst
        out["sizes"].append({"bytes": n_bytes, **t})

    if args.hash_size > 0:
        a = rng.random(args.hash_size // 8)
        runs = []
        for r in range(1 + args.hash_runs):
            t0 = time.perf_counter_ns()
            joblib.hash(a)
            if r > 0:
                runs.append(time.perf_counter_ns() - t0)
        out["hash"] = {"bytes": args.hash_size, "runs": runs}
    shutil.rmtree(location, ignore_errors=True)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
