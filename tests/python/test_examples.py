"""The PySpark example runs as a user runs it: examples/spark_submit.sh (spark-submit with the
wheel's jar) running examples/cnn_mnist.py, here for two epochs."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_spark_submit_runs_the_mnist_example():
    env = dict(os.environ, PYTHON=sys.executable)
    out = subprocess.run(
        [str(ROOT / "examples" / "spark_submit.sh"), "--epochs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    losses = [float(x) for x in re.findall(r"epoch \d+: (\d+\.\d+)", out.stdout)]
    assert len(losses) == 2 and losses[1] < losses[0], out.stdout
    accuracy = float(re.search(r"test accuracy (\d\.\d+)", out.stdout).group(1))
    assert accuracy >= 0.8, out.stdout
