"""Fits a network on the digits with a checkpoint every epoch into the directory given as the
first argument (the same fit each time); prints RESULT lines for test_checkpoint.py."""

import hashlib
import struct
import sys

from apps import session
from datasets import digits

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
    spark = session("local[2]", {"spark.ui.enabled": "false"})
    for key, value in fit(spark, sys.argv[1]).items():
        print(f"RESULT {key} {value}")
    spark.stop()


if __name__ == "__main__":
    main()
