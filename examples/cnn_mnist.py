"""Train a LeNet-5 CNN on the bundled 5,000-image MNIST sample with PySpark and dlmllib.

Run it with ./dev/demo (which builds everything first), or with the wheel installed:
    python examples/cnn_mnist.py [--epochs 8] [--master local[2]]
"""

import argparse
import time
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, expr

import dlmllib
from dlmllib import CNNClassifier

HERE = Path(__file__).resolve().parent
# pixels: array of 784 bytes (0..255, row by row), label: the digit, split: train or test
DATA = HERE.parent / "data" / "mnist_5k.parquet"


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
        # dlmllib's line per epoch, and nothing of Spark's but errors
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dlog4j2.configurationFile={HERE / 'log4j2.properties'}",
        )
        .getOrCreate()
    )

    mnist = spark.read.parquet(str(DATA)).withColumn(
        "features", expr("transform(pixels, p -> p / 255D)")
    )
    # one partition per core: a single Parquet file is read as one partition
    train = mnist.where(col("split") == "train").repartition(spark.sparkContext.defaultParallelism)
    train = train.cache()
    test = mnist.where(col("split") == "test").cache()
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
