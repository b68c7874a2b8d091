"""The apps of this folder (`*_app.py`) run as programs of their own, as a user runs a Spark job,
and report what they found in `RESULT key value` lines: their session, and how a test runs one
and reads its results."""

import os
import subprocess
import sys
from pathlib import Path

from pyspark.sql import SparkSession

import dlmllib

HERE = Path(__file__).resolve().parent


def session(master="local[2]", config=None, executors=0):
    """An app's SparkSession with the dlmllib jar and only errors logged. With `executors`, it
    starts once that many one-core executors have registered: the first jobs would otherwise run,
    and cache everything, on the one that came up first."""
    builder = SparkSession.builder.master(master).config("spark.jars", dlmllib.jar_path())
    if executors:
        builder = (
            builder.config("spark.cores.max", str(executors))
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "300s")
        )
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def env(base=None):
    """`base` (default this process's environment) with this folder importable and the executors
    on this Python."""
    return dict(
        os.environ if base is None else base, PYTHONPATH=str(HERE), PYSPARK_PYTHON=sys.executable
    )


def results(run):
    """The RESULT lines of a finished `subprocess.run` as {key: value}; fails, showing its output,
    when it failed."""
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    return dict(
        line.split(" ", 2)[1:] for line in run.stdout.splitlines() if line.startswith("RESULT ")
    )


def run(cmd, environment=None, timeout=900):
    """Runs `cmd` (with `env()` unless given) and returns its results."""
    return results(
        subprocess.run(
            cmd, capture_output=True, text=True, env=environment or env(), timeout=timeout
        )
    )


def run_app(name, *args, **options):
    """Runs the app `name` of this folder with `args` (options as for `run`)."""
    return run([sys.executable, str(HERE / name), *args], **options)
