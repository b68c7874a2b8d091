"""Training across two executor JVMs (local-cluster), including the loss of one mid-fit."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_app(*args):
    env = dict(os.environ, PYTHONPATH=str(HERE), PYSPARK_PYTHON=sys.executable)
    out = subprocess.run(
        [sys.executable, str(HERE / "cluster_app.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    results = {}
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            _, key, value = line.split(" ", 2)
            results[key] = value
    return results


def test_fit_across_executors_and_reload(tmp_path):
    results = run_app("--save", str(tmp_path / "model"))
    assert float(results["accuracy"]) >= 0.93
    assert results["reloaded_same"] == "True"


def test_losing_an_executor_does_not_kill_the_fit():
    results = run_app("--kill-executor")
    assert results["killed"] != "[]", "no executor was killed: the test proved nothing"
    assert float(results["accuracy"]) >= 0.93
