"""A driver process killed after a checkpoint: the rerun resumes and ends exactly as an
uninterrupted fit."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import checkpoint_app
from apps import HERE, env, run_app


def checkpoints(directory: Path) -> list[int]:
    if not directory.exists():
        return []
    names = (re.fullmatch(r"checkpoint-(\d+)", p.name) for p in directory.iterdir())
    return [int(m.group(1)) for m in names if m]


def test_killed_driver_resumes_to_the_uninterrupted_result(spark, tmp_path):
    # The same fit in this test's session (same data and partitions), never interrupted.
    uninterrupted = checkpoint_app.fit(spark, str(tmp_path / "once"))
    assert uninterrupted["resumedFromEpoch"] == "0"

    directory = tmp_path / "killed"
    # Its own session (process group): the kill takes the driver's JVM down with it.
    driver = subprocess.Popen(
        [sys.executable, str(HERE / "checkpoint_app.py"), str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not checkpoints(directory) and driver.poll() is None:
            assert time.monotonic() < deadline, "no checkpoint written"
            time.sleep(0.05)
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait()
    killed_at = max(checkpoints(directory))
    assert 1 <= killed_at < int(uninterrupted["epochs"]), "the fit ended before the kill"

    resumed = run_app("checkpoint_app.py", str(directory), timeout=600)
    assert int(resumed["resumedFromEpoch"]) >= killed_at
    assert resumed["epochs"] == uninterrupted["epochs"]
    assert resumed["weights"] == uninterrupted["weights"]
    assert resumed["stopReason"] == "maxIter"
