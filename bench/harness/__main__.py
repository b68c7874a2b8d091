"""dlmllib against PyTorch on the CPU (and against Spark's MLP), every network in one run on the
same data with the same number of threads. Run through bench/run, which prepares both
environments; see bench/README.md.

    bench/run                         # every network (the full run)
    bench/run --smoke                 # tiny sizes, LeNet-5 only: checks the harness in ~a minute
    bench/run --networks lstm,gru     # some networks, full sizes
    bench/run --partitions 1          # dlmllib's DataFrames in one partition (default: --threads)
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import data, report
from harness.networks import BY_NAME, NETWORKS
from harness.spark_side import SparkSide

BENCH = Path(__file__).resolve().parents[1]


def torch_side(python, threads, *args):
    """One PyTorch process (a network, or the sgemm measurement): its JSON line."""
    env = dict(os.environ, PYTHONPATH=str(BENCH))
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [python, "-m", "harness.torch_side", *args, "--threads", str(threads)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"the PyTorch side failed: {' '.join(cmd)}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine():
    with open("/proc/cpuinfo") as f:
        cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "?")
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024**2
    load = os.getloadavg()[0]
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB, load average {load:.1f} at start"


def say(*args):
    print(*args, flush=True)


def measure(net, args, spark, sgemm):
    """Both sides of one network (PyTorch first, in its own process, while Spark idles)."""
    epochs = 1 if args.smoke else net.epochs
    options = ["--smoke"] if args.smoke else []
    t = torch_side(args.torch_python, args.threads, net.name, *options)
    split = data.load(net.data, net.train_size, net.test_size, args.smoke)
    train = spark.frame(f"{net.name}-train", split.x_train, split.y_train, net.estimator)
    test = spark.frame(f"{net.name}-test", split.x_test, split.y_test, net.estimator)
    sizes = {"train_rows": len(split.x_train), "test_rows": len(split.x_test), "epochs": epochs}
    sides = [spark.dlmllib(net, train, test, epochs)]
    if net.spark_mlp:
        sides.append(spark.spark_mlp(net, train, test, epochs))
    train.unpersist()
    test.unpersist()
    results = [{**sizes, **r, "flops": t["train_flops"]} for r in [t, *sides]]
    for r in results:
        report.rates(r, t["train_flops"], sgemm)
        say(
            f"  {r['side']:<28} train {r['train_rate']:9,.0f} samples/s, inference "
            f"{r['infer_rate']:9,.0f} rows/s, accuracy {r['accuracy']:.3f}, "
            f"{r['sgemm_pct']:3.0f} % of sgemm (best epoch), peak RSS {r['peak_rss_mb']:,.0f} MB"
        )
    torch_result, d = results[0], results[1]
    return [(net.name, d, torch_result)] + [(net.name, d, r) for r in results[2:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", required=True, help="the Python of bench/.torch-venv")
    parser.add_argument("--threads", type=int, default=2, help="local[N] and torch threads")
    parser.add_argument(
        "--partitions", type=int, help="partitions of dlmllib's DataFrames (default: --threads)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one epoch")
    parser.add_argument("--networks", help="comma-separated: " + ", ".join(BY_NAME))
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    names = args.networks.split(",") if args.networks else None
    if names is None:
        names = ["lenet5"] if args.smoke else [n.name for n in NETWORKS]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown network(s) {unknown}: expected some of {sorted(BY_NAME)}")

    started = time.perf_counter()
    say(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    say(f"machine: {machine()}; Python {platform.python_version()}")
    sgemm = torch_side(args.torch_python, args.threads, "--sgemm", *(["--smoke"] * args.smoke))
    best_sgemm = max(sgemm["torch"], sgemm["numpy"])
    say(
        f"sgemm, {args.threads} threads: {sgemm['torch']:.0f} GFLOP/s (torch), "
        f"{sgemm['numpy']:.0f} (numpy); the % of sgemm below is of {best_sgemm:.0f}"
    )
    pairs = []
    with tempfile.TemporaryDirectory(prefix="dlmllib-bench-") as tmp:
        spark = SparkSide(args.threads, tmp, args.partitions or args.threads)
        say(
            f"dlmllib: local[{args.threads}], {spark.partitions} partitions, BLAS {spark.blas} "
            f"(OPENBLAS_NUM_THREADS={spark.openblas_threads}), Spark {spark.spark.version}"
        )
        try:
            for name in names:
                say(f"{name}:")
                pairs += measure(BY_NAME[name], args, spark, best_sgemm)
        finally:
            spark.stop()
    say("\n" + report.comparison(pairs) + "\n\n" + report.details(pairs, BY_NAME))
    say(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"sgemm": sgemm, "pairs": pairs}, indent=1))


if __name__ == "__main__":
    main()
