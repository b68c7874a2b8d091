"""A real Spark Connect server with the dlmllib jar, started once for the session and stopped at
its end, and a Connect client session: this Python process has no JVM of its own."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

import dlmllib

# The data sets of the classic tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Connect server exited:\n{log.read_text()[-4000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(
        f"the Connect server did not listen in {timeout} s:\n{log.read_text()[-4000:]}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Spark's Connect server (what sbin/start-connect-server.sh runs) with the wheel's jar, on a
    local-cluster master: its executor is another JVM, so the jar must reach it through --jars."""
    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    bin_dir = Path(sys.executable).parent
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        PYSPARK_PYTHON=sys.executable,
        SPARK_LOCAL_IP="127.0.0.1",
    )
    command = [
        str(bin_dir / "spark-submit"),
        "--master",
        "local-cluster[1,2,1024]",
        "--class",
        SERVER_CLASS,
        "--jars",
        dlmllib.jar_path(),
        "--conf",
        f"spark.connect.grpc.binding.port={port}",
        "--conf",
        "spark.connect.grpc.binding.address=127.0.0.1",
        "--conf",
        "spark.driver.host=127.0.0.1",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=2",
        "--conf",
        "spark.executorEnv.OPENBLAS_NUM_THREADS=1",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for(port, proc, log)
        yield f"sc://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def spark(server):
    session = SparkSession.builder.remote(server).getOrCreate()
    yield session
    session.stop()
