"""Draw a fit's training curves (loss per epoch, validation loss and accuracy) to a PNG.

Needs matplotlib, an optional extra (``pip install "dlmllib[plot]"``). With the wheel installed:
    python examples/training_curves.py [--epochs 15] [--out training_curves.png]
"""

import argparse
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, expr, rand

import dlmllib
from dlmllib import CNNClassifier

HERE = Path(__file__).resolve().parent
# pixels: array of 64 values 0..16 (8x8, row by row), label: the digit, split: train or test
DATA = HERE.parent / "data" / "digits_8x8.parquet"


def plot(summary, path):
    """Writes the summary's per-epoch curves to the PNG file ``path``."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    epochs = range(1, len(summary.objectiveHistory) + 1)
    fig, (loss, metric) = plt.subplots(1, 2, figsize=(9, 3.5))
    loss.plot(epochs, summary.objectiveHistory, label="training")
    loss.plot(epochs, summary.validationLossHistory, label="validation")
    loss.set(xlabel="epoch", ylabel="loss", title="loss")
    loss.legend()
    metric.plot(epochs, summary.validationHistory, color="C1")
    metric.set(xlabel="epoch", ylabel=summary.validationMetricName, title="validation")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def train(spark, epochs):
    """Fits a small CNN on the 8x8 digits, holding a fifth of the training rows out for
    validation; returns the model."""
    digits = spark.read.parquet(str(DATA)).withColumn(
        "features", expr("transform(pixels, p -> p / 16D)")
    )
    train = digits.where(col("split") == "train").withColumn("validation", rand(seed=7) < 0.2)
    cnn = CNNClassifier(
        inputShape=[1, 8, 8],
        layers="conv2d(16, 3, relu, padding=same); maxpool(2); dense(64, relu)",
        maxIter=epochs,
        batchSize=32,
        validationIndicatorCol="validation",
    )
    return cnn.fit(train.repartition(spark.sparkContext.defaultParallelism))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--out", default="training_curves.png")
    args = parser.parse_args()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("dlmllib training curves")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    summary = train(spark, args.epochs).summary
    plot(summary, args.out)
    print(
        f"{len(summary.objectiveHistory)} epochs, final validation "
        f"{summary.validationMetricName} {summary.validationHistory[-1]:.4f}: wrote {args.out}"
    )
    spark.stop()


if __name__ == "__main__":
    main()
