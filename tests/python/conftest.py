"""One local SparkSession with the dlmllib jar for the whole Python test run."""

import pytest
from pyspark.sql import SparkSession

import dlmllib


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "compat: the subset dev/test also runs on the newest pyspark (fit, transform, save, load, "
        "Pipeline; CNN and RNN)",
    )


@pytest.fixture(scope="session")
def spark():
    session = (
        SparkSession.builder.master("local[2]")
        .appName("dlmllib-tests")
        .config("spark.jars", dlmllib.jar_path())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()
