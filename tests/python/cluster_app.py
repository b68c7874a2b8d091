"""Trains a CNN on local-cluster[2,1,1024] (two executor JVMs), or on the master given with
--master (a standalone cluster); with --kill-executor, kills one executor JVM in the middle of the
fit. Prints RESULT lines for test_cluster.py and test_standalone.py."""

import os
import signal
import subprocess
import sys
import threading
import time

from apps import session
from datasets import digits

from dlmllib import CNNClassificationModel, CNNClassifier


def executor_pids():
    out = subprocess.run(
        ["pgrep", "-f", "CoarseGrainedExecutorBackend"], capture_output=True, text=True
    )
    return sorted(int(p) for p in out.stdout.split())


def kill_one_executor_when_training(sc, killed):
    while not killed:
        if sc.statusTracker().getActiveStageIds():
            time.sleep(2.0)  # well inside the training rounds
            pids = executor_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
            return
        time.sleep(0.2)


def option(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def main():
    kill = "--kill-executor" in sys.argv
    save_to = option("--save")
    spark = session(
        option("--master") or "local-cluster[2,1,1024]",
        {"spark.executorEnv.OPENBLAS_NUM_THREADS": "1", "spark.task.maxFailures": "8"},
        executors=2,
    )
    sc = spark.sparkContext
    train = digits(spark, "train").repartition(2).cache()
    test = digits(spark, "test")
    train.count()
    killed = []
    if kill:
        threading.Thread(
            target=kill_one_executor_when_training, args=(sc, killed), daemon=True
        ).start()
    cnn = CNNClassifier(
        inputShape=[1, 8, 8],
        layers="conv2d(16, 3, relu, padding=same); maxpool(2); conv2d(32, 3, relu, "
        "padding=same); maxpool(2); dense(64, relu)",
        maxIter=20,
        batchSize=32,
        stepSize=0.003,
        localSteps=8,
    )
    model = cnn.fit(train)
    print("RESULT killed", killed)
    # the driver's block manager is in the status too
    print("RESULT executors", sc._jsc.sc().getExecutorMemoryStatus().size() - 1)
    print("RESULT accuracy", model.evaluate(test).accuracy)
    if save_to:
        model.write().overwrite().save(save_to)
        loaded = CNNClassificationModel.load(save_to)
        same = [r.prediction for r in loaded.transform(test).collect()] == [
            r.prediction for r in model.transform(test).collect()
        ]
        print("RESULT reloaded_same", same)
    spark.stop()


if __name__ == "__main__":
    main()
