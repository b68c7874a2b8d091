"""A fit on 60,000 28×28 images within Spark's default driver memory (1 GB) in local[2]."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_sixty_thousand_images_fit_in_the_default_driver_memory():
    env = {k: v for k, v in os.environ.items() if k != "PYSPARK_SUBMIT_ARGS"}
    env.update(PYTHONPATH=str(HERE), PYSPARK_PYTHON=sys.executable)
    out = subprocess.run(
        [sys.executable, str(HERE / "memory_app.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    results = dict(line.split(" ", 2)[1:] for line in out.stdout.splitlines() if "RESULT" in line)
    assert int(results["heap_mb"]) <= 1024, results  # the default spark.driver.memory, 1g
    assert int(results["rows"]) == 60000 and int(results["epochs"]) == 1, results
    assert float(results["accuracy"]) >= 0.93, results
