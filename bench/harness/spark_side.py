"""The dlmllib side (and Spark's MultilayerPerceptronClassifier): one Spark session on
local[threads] for the whole run, in the project's .venv.

Each DataFrame is prepared as a user would before training (written to Parquet, read back,
repartitioned to one partition per thread as docs/guide.md advises, or to `--partitions`, cached
and counted) and is not timed. What is timed is what a user waits for: `fit` from its call to its
return (reading the column, checking and stacking it, training, building the model) and
`transform` with the predictions collected to the driver.
"""

import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.ml.classification import MultilayerPerceptronClassifier
from pyspark.ml.functions import array_to_vector
from pyspark.sql import SparkSession

import dlmllib
from dlmllib import CNNClassifier, RNNClassifier

WARMUP_ROWS = 512


def _lists(values, size):
    """`values` (a pyarrow array) cut into lists of `size`."""
    offsets = np.arange(len(values) // size + 1, dtype=np.int32) * size
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _column(x, nested):
    """Rows of x as list<double> (images, flattened CHW) or, `nested`, list<list<double>> (one
    inner list per step of sequences [n, steps, features])."""
    values = pa.array(x.reshape(-1).astype(np.float64))
    if nested:
        steps, features = x.shape[1:]
        return _lists(_lists(values, features), steps)
    return _lists(values, x[0].size)


class SparkSide:
    def __init__(self, threads, tmpdir, partitions):
        self.threads, self.tmpdir, self.partitions = threads, tmpdir, partitions
        self.spark = (
            SparkSession.builder.master(f"local[{threads}]")
            .config("spark.jars", dlmllib.jar_path())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("WARN")
        jvm = self.spark._jvm
        self.blas = jvm.dlmllib.nn.Blas.blas().getClass().getName()
        self.openblas_threads = jvm.java.lang.System.getenv("OPENBLAS_NUM_THREADS")
        self.pid = jvm.java.lang.ProcessHandle.current().pid()

    def stop(self):
        self.spark.stop()

    def frame(self, name, x, y, estimator):
        """A cached DataFrame of features (array<double>, array<array<double>> for "rnn", a
        Vector for "dense") and label."""
        path = f"{self.tmpdir}/{name}.parquet"
        features = _column(x, nested=estimator == "rnn")
        pq.write_table(
            pa.table({"features": features, "label": pa.array(y.astype(np.float64))}), path
        )
        df = self.spark.read.parquet(path).repartition(self.partitions)
        if estimator == "dense":
            df = df.withColumn("features", array_to_vector("features"))
        df = df.cache()
        df.count()
        return df

    def _reset_peak(self):
        """Starts the JVM's VmHWM afresh (Linux clear_refs 5); False where that is refused."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def _peak_rss_mb(self):
        with open(f"/proc/{self.pid}/status") as f:
            return next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")) / 1024

    def _measure(self, estimator, train, test, extras):
        """Warm-up fit and transform on a few rows, then the timed fit and transform; `extras`
        reads figures of the fitted model (after the timing)."""
        warm = estimator.copy({estimator.maxIter: 1}).fit(train.limit(WARMUP_ROWS))
        warm.transform(test.limit(WARMUP_ROWS)).select("prediction").collect()
        reset = self._reset_peak()
        start = time.perf_counter()
        model = estimator.fit(train)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        rows = model.transform(test).select("label", "prediction").collect()
        infer_seconds = time.perf_counter() - start
        return {
            "train_seconds": fit_seconds,
            "infer_seconds": infer_seconds,
            "accuracy": float(np.mean([r.label == r.prediction for r in rows])),
            "peak_rss_mb": self._peak_rss_mb(),
            "peak_rss_since": "fit" if reset else "JVM start",
            **extras(model),
        }

    def dlmllib(self, net, train, test, epochs):
        """The network's dlmllib Estimator, seed 1, `epochs` epochs."""
        cls = RNNClassifier if net.estimator == "rnn" else CNNClassifier
        est = cls(maxIter=epochs, batchSize=net.batch, seed=1, **net.params)
        result = self._measure(
            est, train, test, lambda m: {"epoch_seconds": list(m.summary.secondsPerEpoch)}
        )
        return {"side": f"dlmllib {dlmllib.__version__}", **result}

    def spark_mlp(self, net, train, test, epochs):
        """Spark's MLP with its default solver (l-bfgs), `epochs` iterations (tol 0: no early
        stop). An l-bfgs iteration is one pass over the data, more when its line search needs."""
        est = MultilayerPerceptronClassifier(layers=net.spark_mlp, maxIter=epochs, tol=0.0, seed=1)
        result = self._measure(
            est, train, test, lambda m: {"iterations": m.summary().totalIterations}
        )
        return {"side": f"Spark {self.spark.version} MLP (l-bfgs)", **result}
