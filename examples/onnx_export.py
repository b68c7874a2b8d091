"""Train a CNN on the 8x8 digits with Spark, export it to ONNX, and serve it with onnxruntime
(no Spark, no JVM).

With the wheel and its onnx extra installed (pip install 'dlmllib[onnx]' onnxruntime):
    python examples/onnx_export.py [--out digits.onnx] [--epochs 10]
"""

import argparse
from pathlib import Path

import numpy as np
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, expr

import dlmllib
import dlmllib.onnx
from dlmllib import CNNClassifier

# pixels: array of 64 values 0..16 (row by row), label: the digit, split: train or test
DATA = Path(__file__).resolve().parent.parent / "data" / "digits_8x8.parquet"


def train(spark, epochs: int):
    """A small CNN fitted on the training digits; returns it and the test digits."""
    digits = spark.read.parquet(str(DATA))
    digits = digits.withColumn("features", expr("transform(pixels, p -> p / 16D)"))
    cnn = CNNClassifier(
        inputShape=[1, 8, 8],
        layers="conv2d(16, 3, relu, padding=same); maxpool(2); dense(64, relu)",
        maxIter=epochs,
        batchSize=32,
        stepSize=0.003,
    )
    return cnn.fit(digits.where(col("split") == "train")), digits.where(col("split") == "test")


def serve(path: str, pixels) -> np.ndarray:
    """Class probabilities of 8x8 images (values 0..16) from the ONNX file alone."""
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = (np.asarray(pixels, np.float32) / 16).reshape(-1, 1, 8, 8)  # [N, C, H, W]
    (probability,) = session.run(["probability"], {"features": x})
    return probability


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="digits.onnx")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    spark = (
        SparkSession.builder.config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    model, test = train(spark, args.epochs)
    dlmllib.onnx.export(model, args.out)  # or dlmllib.onnx.export("path/of/saved/model", …)
    rows = model.transform(test).select("pixels", "probability").collect()
    spark.stop()

    probability = serve(args.out, [r.pixels for r in rows])
    spark_probability = np.array([r.probability.toArray() for r in rows])
    print(
        f"{args.out}: onnxruntime predicts like Spark on "
        f"{np.mean(probability.argmax(1) == spark_probability.argmax(1)):.1%} of "
        f"{len(rows)} test digits; largest probability difference "
        f"{np.abs(probability - spark_probability).max():.1e}"
    )


if __name__ == "__main__":
    main()
