"""Training on a real Spark standalone cluster (a master and two workers on loopback, started
with Spark's own spark-class), from a PySpark program and from spark-submit."""

import os
import sys
from pathlib import Path

import pytest
from apps import HERE, run
from standalone import cluster_env, standalone_cluster

import dlmllib

APP = HERE / "cluster_app.py"


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    with standalone_cluster(tmp_path_factory.mktemp("standalone")) as url:
        yield url


def on_cluster(cmd, tmp_path):
    return run(cmd, environment=dict(cluster_env(tmp_path), PYTHONPATH=str(HERE)))


def test_a_pyspark_program_trains_and_saves_on_the_cluster(master, tmp_path):
    out = on_cluster(
        [sys.executable, str(APP), "--master", master, "--save", str(tmp_path / "m")], tmp_path
    )
    assert out["executors"] == "2"
    assert float(out["accuracy"]) >= 0.93
    assert out["reloaded_same"] == "True"


def test_spark_submit_trains_and_saves_on_the_cluster(master, tmp_path):
    submit = Path(sys.executable).parent / "spark-submit"
    cmd = [str(submit), "--master", master, "--jars", dlmllib.jar_path(), str(APP)]
    out = on_cluster([*cmd, "--master", master, "--save", str(tmp_path / "m")], tmp_path)
    assert out["executors"] == "2"
    assert float(out["accuracy"]) >= 0.93
    assert out["reloaded_same"] == "True"
    assert os.path.isdir(tmp_path / "m" / "data")
