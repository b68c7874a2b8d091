"""Shared by scaling_cnn.py and round_cost.py: a PySpark session on `local-cluster[N,1,MB]`
(N executor JVMs of one core each, started from the pip pyspark with dlmllib's jar), and a parent
side that runs one such session per child process and reads back its results and the trainer's
per-round DEBUG lines."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "mnist_5k.parquet"
# DistributedTrainer's DEBUG line per round: the round's wall time and its slowest partition's
# time inside the task (reading the broadcast, the local steps and the weighted sums).
ROUND = re.compile(
    r"epoch (\d+) round (\d+): (\d+) ms, of which the slowest partition computed (\d+) ms"
)


def session(executors, memory_mb):
    """A SparkSession on `executors` one-core executor JVMs, with dlmllib's round log at DEBUG."""
    from pyspark.sql import SparkSession

    import dlmllib

    spark = (
        SparkSession.builder.master(f"local-cluster[{executors},1,{memory_mb}]")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.driver.memory", "2g")
        # measure only once every executor has registered
        .config("spark.cores.max", str(executors))
        .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "300s")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    jvm = spark.sparkContext._jvm
    log4j = jvm.org.apache.logging.log4j
    log4j.core.config.Configurator.setLevel("dlmllib.distributed", log4j.Level.DEBUG)
    return spark


def emit(tag, value):
    """One line the parent parses; flushed so that it precedes the JVM's lines that follow it."""
    print(f"{tag} {json.dumps(value)}", flush=True)


def run_child(script, *args, timeout=3600):
    """Runs `script --child ...` and returns its output as a list of (tag, value) events, where
    a round is ("ROUND", (epoch, round, ms, compute_ms)), in the order they were written."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, str(script), "--child", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        timeout=timeout,
    )
    if out.returncode != 0:
        sys.exit(
            f"{Path(script).name} --child {' '.join(map(str, args))} failed:\n{out.stdout[-6000:]}"
        )
    events = []
    for line in out.stdout.splitlines():
        m = ROUND.search(line)
        if m:
            events.append(("ROUND", tuple(int(g) for g in m.groups())))
        elif line[:1].isupper() and " " in line:
            tag, _, rest = line.partition(" ")
            if tag in ("FIT", "RESULT"):
                events.append((tag, json.loads(rest)))
    return events


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
