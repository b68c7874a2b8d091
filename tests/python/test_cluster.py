"""Training across two executor JVMs (local-cluster), including the loss of one mid-fit."""

from apps import run_app


def test_fit_across_executors_and_reload(tmp_path):
    results = run_app("cluster_app.py", "--save", str(tmp_path / "model"))
    assert float(results["accuracy"]) >= 0.93
    assert results["reloaded_same"] == "True"


def test_losing_an_executor_does_not_kill_the_fit():
    results = run_app("cluster_app.py", "--kill-executor")
    assert results["killed"] != "[]", "no executor was killed: the test proved nothing"
    assert float(results["accuracy"]) >= 0.93
