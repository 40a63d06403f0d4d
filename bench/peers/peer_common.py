"""Shared by the Python peers: arguments, timing (warm-up, then the median of R runs), JSON output."""
import json
import os
import statistics
import sys
import time

import numpy as np


def parse_args():
    args = dict(runs="5", workloads="W1,W2,W3,W4,W5", slice="0")
    argv = sys.argv[1:]
    for i in range(0, len(argv), 2):
        args[argv[i].lstrip("-")] = argv[i + 1]
    if "data" not in args:
        sys.exit("--data DIR is required (a directory written by bench/data/generate.mjs)")
    with open(os.path.join(args["data"], "meta.json")) as f:
        args["meta"] = json.load(f)
    args["runs"] = int(args["runs"])
    args["workloads"] = args["workloads"].split(",")
    return args


def load_columns(data, rows=0):
    """The .npy columns written by the generator; `rows` > 0 keeps only the first `rows` rows."""
    names = ["subtotal", "discount", "discount_valid", "tax_rate", "tax_rate_valid", "taxable",
             "email", "user_id", "amount", "at"]
    cols = {n: np.load(os.path.join(data, "npy", n + ".npy")) for n in names}
    if rows > 0:
        cols = {n: c[:rows] for n, c in cols.items()}
    return cols


def timed(compute, runs):
    result = compute()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = compute()
        times.append((time.perf_counter() - t0) * 1000.0)
    return result, (statistics.median(times) if times else float("nan")), times


def report(engine, workload, rows, median, times, checksum):
    print(json.dumps(dict(engine=engine, threads=1, workload=workload, rows=rows, median_ms=None if median != median else round(median, 3),
                          runs_ms=[round(t, 3) for t in times], checksum=checksum)), flush=True)
