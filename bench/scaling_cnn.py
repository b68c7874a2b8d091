"""Epoch throughput of the Keras-example CNN on 1 and on 2 executors, with the accuracy each
reached (issue 13, item 3).

    .venv/bin/python bench/scaling_cnn.py [--epochs 4] [--repeat 2] [--executors 1,2]

Each run is its own `local-cluster[N,1,1024]` (N executor JVMs of one core) in a child process,
on the same data in the same 2 partitions, so that the model is the same and only the parallelism
differs. Prints a table of seconds and samples/s per epoch (epochs after the first, which warms
up the JIT), test accuracy and where a round's time goes (see README.md).
"""

import argparse
import statistics
import sys
from pathlib import Path

from spark_cluster import DATA, emit, load_average, run_child, session

KERAS = "conv2d(32, 3, relu); conv2d(64, 3, relu); maxpool(2); dense(128, relu)"


def child(executors, args):
    from pyspark.sql.functions import col, explode, expr, lit, sequence

    from dlmllib import CNNClassifier

    spark = session(executors, args.memory)
    mnist = spark.read.parquet(str(DATA)).withColumn(
        "features", expr("transform(pixels, p -> p / 255D)")
    )
    train = (
        mnist.where(col("split") == "train")
        .withColumn("copy", explode(sequence(lit(1), lit(args.repeat))))
        .repartition(2)
        .cache()
    )
    test = mnist.where(col("split") == "test").cache()
    rows = train.count()
    test.count()
    cnn = CNNClassifier(
        inputShape=[1, 28, 28], layers=KERAS, maxIter=args.epochs, batchSize=64, seed=7
    )
    model = cnn.fit(train)
    s = model.summary
    emit(
        "RESULT",
        {
            "rows": rows,
            "seconds": list(s.secondsPerEpoch),
            "samples_per_s": list(s.samplesPerSecond),
            "accuracy": model.evaluate(test).accuracy,
        },
    )
    spark.stop()


def measure(executors, args):
    events = run_child(Path(__file__), executors, *sys.argv[1:])
    result = next(v for tag, v in events if tag == "RESULT")
    rounds = [v for tag, v in events if tag == "ROUND" and v[0] > 1]  # after the first epoch
    result["round_ms"] = statistics.mean(r[2] for r in rounds)
    result["compute_ms"] = statistics.mean(r[3] for r in rounds)
    result["rounds_per_epoch"] = len(rounds) / (args.epochs - 1)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2, help="copies of the 3,750 train rows")
    parser.add_argument("--executors", default="1,2")
    parser.add_argument("--memory", type=int, default=1024, help="MB per executor")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args)
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch is the warm-up")
    print(f"load average before: {load_average()}")
    runs = {n: measure(n, args) for n in map(int, args.executors.split(","))}
    print(f"load average after: {load_average()}")
    rows = next(iter(runs.values()))["rows"]
    print(f"\n{KERAS} + dense(10); {rows} rows in 2 partitions, batch 64, {args.epochs} epochs")
    print(
        "| executors | s/epoch | samples/s | best samples/s | test accuracy "
        "| rounds/epoch | round ms | slowest partition ms | round - slowest ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n, r in runs.items():
        later = r["samples_per_s"][1:]
        print(
            f"| {n} | {statistics.mean(r['seconds'][1:]):.2f} | {statistics.mean(later):,.0f} "
            f"| {max(later):,.0f} | {r['accuracy']:.4f} | {r['rounds_per_epoch']:.0f} "
            f"| {r['round_ms']:.0f} | {r['compute_ms']:.0f} "
            f"| {r['round_ms'] - r['compute_ms']:.0f} |"
        )
    if 1 in runs and 2 in runs:
        mean = {n: statistics.mean(runs[n]["samples_per_s"][1:]) for n in (1, 2)}
        print(f"\nratio 2 / 1 executors (mean samples/s after epoch 1): {mean[2] / mean[1]:.2f}")
        # On 1 executor a round runs the two tasks in turn; on 2, one task plus what the round
        # adds (broadcast, the driver fetching and merging two sums): the ratio with a core per
        # executor, whatever other processes took from the 2-executor run.
        overhead = runs[2]["round_ms"] - runs[2]["compute_ms"]
        expected = runs[1]["round_ms"] / (runs[1]["compute_ms"] + overhead)
        print(
            f"ratio expected from the 1-executor tasks and the 2-executor overhead: {expected:.2f}"
        )
        gap = 100 * (runs[2]["accuracy"] - runs[1]["accuracy"])
        print(f"accuracy 2 - 1 executors: {gap:+.2f} points")


if __name__ == "__main__":
    main()
