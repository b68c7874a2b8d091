"""Where a fit's chunks of mini-batches and its rounds run across two executor JVMs."""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_each_replica_trains_on_one_executor_next_to_its_chunks(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(HERE), PYSPARK_PYTHON=sys.executable)
    out = subprocess.run(
        [sys.executable, str(HERE / "placement_app.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    results = dict(line.split(" ", 2)[1:] for line in out.stdout.splitlines() if "RESULT" in line)
    chunks = dict(json.loads(results["chunks"]))  # chunk -> executor holding it
    rounds = json.loads(results["rounds"])  # per round: (replica, executor, locality)
    assert len(chunks) == 4, chunks  # 2 replicas x 2 chunks
    homes = {r: {chunks[c] for c in (2 * r, 2 * r + 1)} for r in (0, 1)}
    assert all(len(h) == 1 for h in homes.values()), homes
    assert homes[0] != homes[1], homes
    assert len(rounds) >= 2, rounds
    for tasks in rounds:
        for replica, executor, locality in tasks:
            assert {executor} == homes[replica] and locality == "PROCESS_LOCAL", rounds
