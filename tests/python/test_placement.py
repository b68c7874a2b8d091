"""Where a fit's chunks of mini-batches and its rounds run across two executor JVMs."""

import json

from apps import run_app


def test_each_replica_trains_on_one_executor_next_to_its_chunks(tmp_path):
    results = run_app("placement_app.py", str(tmp_path))
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
