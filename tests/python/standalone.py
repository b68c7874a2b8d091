"""A Spark standalone cluster on loopback, as a user starts a small one: a master and workers
launched with the `spark-class` of the installed pyspark, stopped by their process ids."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pyspark

SPARK_CLASS = Path(pyspark.__file__).parent / "bin" / "spark-class"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(log: Path, text: str, process, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"{log.name} exited early:\n{log.read_text(errors='replace')}")
        time.sleep(0.5)
    raise TimeoutError(f"no '{text}' in {log} after {timeout} s")


def cluster_env(work: Path):
    return dict(
        os.environ,
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_WORKER_DIR=str(work),
        PYSPARK_PYTHON=sys.executable,
        OPENBLAS_NUM_THREADS="1",
    )


@contextmanager
def standalone_cluster(work: Path, workers=2, cores=1, memory="1g"):
    """Yields the master URL of a running cluster of `workers` workers; stops it on exit."""
    work.mkdir(parents=True, exist_ok=True)
    env = cluster_env(work)
    processes = []

    def start(name, *args):
        log = work / f"{name}.log"
        cmd = [str(SPARK_CLASS), *args]
        process = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        processes.append(process)
        return process, log

    try:
        port = free_port()
        master, log = start(
            "master",
            "org.apache.spark.deploy.master.Master",
            *("--host", "127.0.0.1", "--port", str(port), "--webui-port", str(free_port())),
        )
        wait_for(log, "I have been elected leader", master)
        url = f"spark://127.0.0.1:{port}"
        for i in range(workers):
            worker, log = start(
                f"worker-{i}",
                "org.apache.spark.deploy.worker.Worker",
                *("--host", "127.0.0.1", "--cores", str(cores), "--memory", memory),
                *("--webui-port", str(free_port()), url),
            )
            wait_for(log, "Successfully registered with master", worker)
        yield url
    finally:
        for process in reversed(processes):  # spark-class execs the JVM: this pid is the JVM's
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
