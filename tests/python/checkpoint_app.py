"""Fits a network on the digits with a checkpoint every epoch into the directory given as the
first argument (the same fit each time); prints RESULT lines for test_checkpoint.py."""

import hashlib
import struct
import sys

from datasets import digits
from pyspark.sql import SparkSession

import dlmllib
from dlmllib import CNNClassifier

MAX_ITER = 6


def fit(spark, checkpoint_dir: str) -> dict:
    """The fit, its weights' SHA-256 and its summary."""
    cnn = CNNClassifier(
        inputShape=[1, 8, 8],
        layers="dense(32, relu)",
        maxIter=MAX_ITER,
        batchSize=16,
        stepSize=0.003,
        learningRateSchedule="cosine",
        seed=3,
        checkpointDir=checkpoint_dir,
        checkpointInterval=1,
    )
    model = cnn.fit(digits(spark, "train"))
    weights = list(model._call_java("weights"))
    s = model.summary
    return {
        "weights": hashlib.sha256(struct.pack(f"<{len(weights)}f", *weights)).hexdigest(),
        "epochs": str(s.totalIterations),
        "resumedFromEpoch": str(s.resumedFromEpoch),
        "stopReason": s.stopReason,
    }


def main():
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for key, value in fit(spark, sys.argv[1]).items():
        print(f"RESULT {key} {value}")
    spark.stop()


if __name__ == "__main__":
    main()
