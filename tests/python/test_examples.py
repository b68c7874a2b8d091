"""The Python examples run as a user runs them, on the bundled data."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_curves_draws_the_summary_histories(spark, tmp_path):
    curves = load("training_curves")
    summary = curves.train(spark, epochs=4).summary
    assert len(summary.objectiveHistory) == 4
    assert len(summary.validationLossHistory) == 4
    assert summary.objectiveHistory[-1] < summary.objectiveHistory[0]
    assert summary.validationHistory[-1] > 0.6  # 10 classes: chance is 0.1
    history = summary.historyDF.collect()
    assert [r.epoch for r in history] == [1, 2, 3, 4]
    assert [r.loss for r in history] == summary.objectiveHistory
    assert [r.validationAccuracy for r in history] == summary.validationHistory
    png = tmp_path / "curves.png"
    curves.plot(summary, png)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_the_demo_prints_only_dlmllibs_lines():
    """examples/cnn_mnist.py (what ./dev/demo runs) trains, and its stderr holds dlmllib's
    progress lines only: no Spark warnings (dev/demo drops the JVM's one incubator line)."""
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "cnn_mnist.py"), "--epochs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert run.returncode == 0, run.stderr
    accuracy = float(re.search(r"test accuracy (\S+),", run.stdout).group(1))
    assert accuracy > 0.5  # one epoch of LeNet-5 on 3,750 digits; chance is 0.1
    noise = [
        line
        for line in run.stderr.splitlines()
        if not line.startswith(("CNNClassifier", "dlmllib uses BLAS", "WARNING: Using incubator"))
    ]
    assert noise == []


def test_spark_submit_runs_the_mnist_example():
    """examples/spark_submit.sh: the same program through spark-submit with the wheel's jar."""
    run = subprocess.run(
        [str(EXAMPLES / "spark_submit.sh"), "--epochs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHON": sys.executable, "OPENBLAS_NUM_THREADS": "1"},
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert len(re.findall(r"epoch \d+: \d+\.\d+", run.stdout)) == 1, run.stdout
    accuracy = float(re.search(r"test accuracy (\S+),", run.stdout).group(1))
    assert accuracy > 0.5, run.stdout  # one epoch, as in the demo's test
