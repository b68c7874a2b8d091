"""Simulated scale (issue 13, item 5): the cost of one training round (broadcast of the weights
and Adam state, `treeAggregate` of the weighted sums) against executors N and weights W, fitted to
a model that predicts 16 and 64 workers and the model size at which averaging stops paying.

    .venv/bin/python bench/round_cost.py [--executors 1,2,4] [--weights 1e4,1e5,1e6,4e6]

For each N a child process starts `local-cluster[N,1,1024]` and fits, for each W, a network
`dense(h)` + output on 256 features with one mini-batch per partition and one local step per
round (the trivial compute), reading the trainer's DEBUG line per round. See README.md.
"""

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
from round_model import report
from spark_cluster import emit, load_average, run_child, session

FEATURES = 256
CLASSES = 2


def hidden_units(weights):
    """Units h of `dense(h)` on FEATURES inputs, plus a 2-class output, closest to `weights`."""
    return max(1, round((weights - CLASSES) / (FEATURES + 1 + CLASSES)))


def num_weights(h):
    return FEATURES * h + h + h * CLASSES + CLASSES


def child(executors, args):
    from dlmllib import CNNClassifier

    spark = session(executors, args.memory)
    rng = np.random.default_rng(1)
    n = 16 * executors  # one mini-batch (of about 16 rows) per partition
    rows = [(rng.standard_normal(FEATURES).tolist(), float(i % CLASSES)) for i in range(n)]
    data = spark.createDataFrame(rows, ["features", "label"]).repartition(executors).cache()
    data.count()
    sizes = [float(w) for w in args.weights.split(",")]
    for i, w in enumerate([sizes[0]] + sizes):  # the first fit warms the JIT up, not reported
        h = hidden_units(w)
        emit("FIT", {"weights": num_weights(h), "warmup": i == 0})
        CNNClassifier(
            inputShape=[1, 1, FEATURES],
            layers=f"dense({h})",
            maxIter=args.rounds,
            batchSize=64,
            localSteps=1,
            seed=1,
        ).fit(data)
    spark.stop()


def measure(executors, args):
    """{W: (round ms, slowest-partition ms, median round ms)} over the rounds after the first two:
    the fastest round (the one least disturbed by other processes) and the median."""
    events = run_child(Path(__file__), executors, *sys.argv[1:])
    fits, current = {}, None
    for tag, value in events:
        if tag == "FIT":
            current = None if value["warmup"] else fits.setdefault(value["weights"], [])
        elif tag == "ROUND" and current is not None and value[0] > 2:
            current.append(value)
    fastest = {w: min(rs, key=lambda r: r[2]) for w, rs in fits.items()}
    return {
        w: (fastest[w][2], fastest[w][3], statistics.median(r[2] for r in rs))
        for w, rs in fits.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executors", default="1,2,4")
    parser.add_argument("--weights", default="1e4,1e5,1e6,4e6")
    parser.add_argument("--rounds", type=int, default=15, help="rounds per fit (2 warm up)")
    parser.add_argument("--memory", type=int, default=1024, help="MB per executor")
    parser.add_argument(
        "--steps",
        default="LeNet-5=8.6@61706,Keras CNN=90@1199882",
        help="name=ms@weights: a network's training step of 64 images and its weights",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args)
    print(f"load average before: {load_average()}")
    runs = {n: measure(n, args) for n in map(int, args.executors.split(","))}
    print(f"load average after: {load_average()}")
    print("\nround cost: the fastest of rounds 3.. (ms) and its slowest task's time (reading the")
    print("broadcast, one step on about 16 rows, the weighted sums); Adam: 12·W bytes broadcast,")
    print("24·W bytes summed per partition; the median round beside\n")
    print("| N | W | round ms | slowest partition ms | round - slowest ms | median round ms |")
    print("|---|---|---|---|---|---|")
    points = []
    for n, by_w in runs.items():
        for w, (t, c, median) in sorted(by_w.items()):
            print(f"| {n} | {w:,} | {t:.0f} | {c:.0f} | {t - c:.0f} | {median:.0f} |")
            points.append((n, w, t))
    steps = {}
    for item in args.steps.split(","):
        name, _, spec = item.partition("=")
        ms, _, weights = spec.partition("@")
        steps[name] = (float(ms), int(weights))
    report(points, steps)


if __name__ == "__main__":
    main()
