"""dlmllib from a Spark Connect client: the same Python classes as in a classic session, against a
real Connect server (conftest.py) whose executor gets the jar through --jars. Tiny data, one or
two epochs: these tests check that every call reaches the server and comes back right."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyspark
import pytest
from datasets import basic_motions, digits
from pyspark import SparkContext
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.linalg import Vectors
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder, TrainValidationSplit
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from dlmllib import (
    CNNClassificationModel,
    CNNClassifier,
    CNNRegressor,
    RNNClassificationModel,
    RNNClassifier,
    RNNRegressionModel,
    RNNRegressor,
)

HERE = Path(__file__).resolve().parent
NET = "conv2d(4, 3, relu); maxpool(2); dense(16, relu)"


def predictions(model, df):
    return [r.prediction for r in model.transform(df).collect()]


@pytest.fixture(scope="module")
def train(spark):
    return digits(spark, "train", limit=200)


@pytest.fixture(scope="module")
def test(spark):
    return digits(spark, "test", limit=100)


@pytest.fixture(scope="module")
def cnn(train):
    est = CNNClassifier(inputShape=[1, 8, 8], layers=NET, maxIter=2, batchSize=16, seed=5)
    # Every 5th row validates: the summary then has a validation metric per epoch.
    data = train.withColumn("isVal", F.monotonically_increasing_id() % 5 == 0)
    return est.setValidationIndicatorCol("isVal").fit(data)


def test_the_client_has_no_jvm(spark):
    assert type(spark).__module__.startswith("pyspark.sql.connect")
    assert SparkContext._jvm is None and SparkContext._active_spark_context is None


def test_cnn_classifier_fit_transform_params(cnn, test):
    out = cnn.transform(test)
    assert set(out.columns) == {"features", "label", "rawPrediction", "probability", "prediction"}
    row = out.first()
    assert len(row.probability) == 10 and abs(sum(row.probability) - 1) < 1e-6
    assert row.prediction == max(range(10), key=lambda k: row.rawPrediction[k])
    assert cnn.numClasses == 10 and cnn.numFeatures == 64
    assert cnn.networkSpec == NET + "; dense(10)" and cnn.numWeights > 0
    assert cnn.getMaxIter() == 2 and cnn.getBatchSize() == 16 and cnn.getSeed() == 5
    assert "localSteps" in cnn.explainParams()
    renamed = cnn.copy({cnn.predictionCol: "digit"})
    assert [r.digit for r in renamed.transform(test).collect()] == predictions(cnn, test)
    assert cnn.getPredictionCol() == "prediction"


def test_cnn_summary_and_evaluate(cnn, test):
    assert cnn.hasSummary
    s = cnn.summary
    assert s.totalIterations == len(s.objectiveHistory) == 2
    assert len(s.validationHistory) == len(s.validationLossHistory) == 2
    assert s.validationMetricName == "accuracy" and all(0 <= a <= 1 for a in s.validationHistory)
    assert len(s.secondsPerEpoch) == len(s.samplesPerSecond) == 2
    assert s.stopReason == "maxIter" and s.bestEpoch == 2 and s.resumedFromEpoch == 0
    # Spark's metrics on the training data, through the allow-list's ClassificationSummary
    assert 0 < s.accuracy <= 1 and 0 < s.weightedRecall <= 1
    assert [r.loss for r in s.historyDF.collect()] == s.objectiveHistory
    metrics = cnn.evaluate(test)
    rows = cnn.transform(test).collect()
    assert metrics.accuracy == pytest.approx(sum(r.prediction == r.label for r in rows) / len(rows))
    assert 0 <= metrics.weightedFMeasure() <= 1 and 0 <= metrics.weightedPrecision <= 1
    assert len(metrics.recallByLabel) == len(metrics.labels) == 10


def test_rnn_classifier_and_cnn_regressor(spark, train, test):
    motions = basic_motions(spark, "train")
    rnn = RNNClassifier(cellType="gru", hiddenSize=8, maxIter=1, batchSize=8).fit(motions)
    out = rnn.transform(motions)
    assert {"rawPrediction", "probability", "prediction"} <= set(out.columns)
    assert out.count() == motions.count() and rnn.numClasses == 4
    assert rnn.summary.totalIterations == 1 and rnn.networkSpec.startswith("gru(8")
    reg = CNNRegressor(inputShape=[1, 8, 8], layers=NET, maxIter=1).fit(train)
    assert reg.transform(test).columns[-1] == "prediction"
    metrics = reg.evaluate(test)
    rows = reg.transform(test).collect()
    mse = sum((r.prediction - r.label) ** 2 for r in rows) / len(rows)
    assert metrics.meanSquaredError == pytest.approx(mse) and metrics.rootMeanSquaredError > 0


def test_save_load_alone_and_in_pipelines(spark, cnn, train, test, tmp_path):
    cnn.write().overwrite().save(str(tmp_path / "model"))
    loaded = CNNClassificationModel.load(str(tmp_path / "model"))
    assert predictions(loaded, test) == predictions(cnn, test)
    assert loaded.networkSpec == cnn.networkSpec and not loaded.hasSummary
    est = RNNRegressor(cellType="lstm", hiddenSize=8, maxIter=3)
    est.save(str(tmp_path / "est"))
    assert RNNRegressor.load(str(tmp_path / "est")).getHiddenSize() == 8
    motions = basic_motions(spark, "test")
    fitted = Pipeline(stages=[est.setMaxIter(1)]).fit(motions)
    fitted.write().overwrite().save(str(tmp_path / "pipe"))
    again = PipelineModel.load(str(tmp_path / "pipe"))
    assert isinstance(again.stages[0], RNNRegressionModel)
    assert predictions(again, motions) == predictions(fitted, motions)


def _classic(tmp_path):
    """Runs classic_app.py (a classic session) over tmp_path; returns its report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK_CONNECT")}
    env.update(PYTHONPATH=os.pathsep.join([str(HERE.parent / "python"), str(HERE)]))
    env.pop("SPARK_REMOTE", None)
    out = subprocess.run(
        [sys.executable, str(HERE / "classic_app.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    return json.loads((tmp_path / "classic.json").read_text())


def test_models_interchange_with_classic_sessions(cnn, train, test, tmp_path):
    cnn.save(str(tmp_path / "connect_model"))
    Pipeline(stages=[CNNClassifier(inputShape=[1, 8, 8], layers=NET, maxIter=1)]).fit(train).save(
        str(tmp_path / "connect_pipeline")
    )
    connect_pipeline = PipelineModel.load(str(tmp_path / "connect_pipeline"))
    classic = _classic(tmp_path)
    assert classic["connect_model"] == predictions(cnn, test)
    assert classic["connect_pipeline"] == predictions(connect_pipeline, test)
    model = CNNClassificationModel.load(str(tmp_path / "classic_model"))
    assert predictions(model, test) == classic["classic_model"]
    pipeline = _load_pipeline_model(str(tmp_path / "classic_pipeline"))
    assert isinstance(pipeline.stages[0], CNNClassificationModel)
    assert predictions(pipeline, test) == classic["classic_pipeline"]

    # A bad input fails on the client with the message a classic session gives.
    bad = test.sparkSession.createDataFrame(
        [(Vectors.dense([0.0] * 10), 1.0)], ["features", "label"]
    )
    expected = re.search(
        r"(?:IllegalArgumentException|InputError): ([^\n]+)", classic["error"]
    ).group(1)
    with pytest.raises(Exception) as err:
        model.transform(bad).collect()
    assert expected in str(err.value) and "64" in expected and "10" in expected


def _load_pipeline_model(path):
    """PipelineModel.load, except where PySpark 4.0's Connect client cannot read a PipelineModel
    written by a classic session (README: Spark Connect): there the workaround of the README."""
    from pyspark.ml.pipeline import PipelineSharedReadWrite
    from pyspark.ml.util import DefaultParamsReader

    try:
        return PipelineModel.load(path)
    except AttributeError as e:  # pyspark 4.0's pipeline.py:291 asks JavaMLReader, needing a JVM
        assert "Cannot load _jvm" in str(e)
        assert pyspark.__version__.startswith("4.0."), "only PySpark 4.0 should need this"
    spark = SparkSession.getActiveSession()
    metadata = DefaultParamsReader.loadMetadata(path, spark)
    uid, stages = PipelineSharedReadWrite.load(metadata, spark, path)
    return PipelineModel(stages=stages)._resetUid(uid)


def test_model_selection(train):
    small = train.limit(100)
    cnn = CNNClassifier(inputShape=[1, 8, 8], layers=NET, maxIter=1)
    grid = ParamGridBuilder().addGrid(cnn.stepSize, [0.001, 0.01]).build()
    evaluator = MulticlassClassificationEvaluator(metricName="accuracy")
    cv = CrossValidator(estimator=cnn, estimatorParamMaps=grid, evaluator=evaluator, numFolds=2)
    cv_model = cv.fit(small)
    assert len(cv_model.avgMetrics) == 2 and all(0 <= m <= 1 for m in cv_model.avgMetrics)
    assert isinstance(cv_model.bestModel, CNNClassificationModel)
    tvs = TrainValidationSplit(estimator=cnn, estimatorParamMaps=grid, evaluator=evaluator)
    assert isinstance(tvs.fit(small).bestModel, CNNClassificationModel)


@pytest.mark.skipif(pyspark.__version__.startswith("4.0."), reason="Spark 4.0 never offloads")
def test_offloaded_models_come_back_with_their_summary(server, tmp_path):
    """Spark 4.1+ keeps a cached model on the server's local disk (MLWriter.saveToLocal), drops it
    from memory when the session's ML cache is full, and reloads it (MLReader.loadFromLocal) on the
    next use; the client then has the server restore its summary (saveSummary/loadSummary). The
    cache is Guava's, in 4 segments that each evict on their own: with 1.6 MB, a segment holds one
    of these ~300 KB models (67k weights) but not two, so loading copies of it evicts the first."""
    key = "spark.connect.session.connectML.mlCache.memoryControl.maxInMemorySize"
    session = SparkSession.builder.remote(server).config(key, str(1600 << 10)).create()
    # PySpark's ML client talks to the active session; a new one does not become it by itself.
    from pyspark.sql.connect.session import SparkSession as Connect

    previous, Connect._active_session.session = Connect.getActiveSession(), session
    try:
        rows = [([0.1 * ((k * j) % 7) for j in range(10)], float(k % 2)) for k in range(20)]
        data = session.createDataFrame(rows, "features array<double>, label double")
        model = RNNClassifier(hiddenSize=128, maxIter=2).fit(data)
        expected = predictions(model, data)
        model.save(str(tmp_path / "rnn"))
        for _ in range(30):  # each copy lands in one of the 4 segments at random
            if not model._call_java("hasSummary"):
                break
            RNNClassificationModel.load(str(tmp_path / "rnn"))
        # The server's copy came back from its disk, without the summary.
        assert model._call_java("hasSummary") is False
        assert predictions(model, data) == expected
        assert model.summary.totalIterations == 2 and len(model.summary.objectiveHistory) == 2
        assert model.summary.validationMetricName == "accuracy"
    finally:
        Connect._active_session.session = previous
        session.stop()
