"""The RNN Estimators from Python: params, sequences of varying length, persistence across
languages and Pipelines."""

import pytest
from datasets import basic_motions
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.common import _java2py

from dlmllib import RNNClassificationModel, RNNClassifier, RNNRegressionModel, RNNRegressor


@pytest.fixture(scope="module")
def train(spark):
    return basic_motions(spark, "train").repartition(2).cache()


@pytest.fixture(scope="module")
def test(spark):
    return basic_motions(spark, "test").cache()


@pytest.fixture(scope="module")
def model(train):
    rnn = RNNClassifier(
        hiddenSize=64,
        maxIter=40,
        batchSize=8,
        stepSize=0.005,
        learningRateSchedule="cosine",
        patience=40,
        seed=1,
    )
    return rnn.fit(train)


def predictions(model, df):
    return [r.prediction for r in model.transform(df).collect()]


@pytest.mark.parametrize("cls", [RNNClassifier, RNNRegressor])
def test_params_reach_the_java_object(spark, cls):
    est = cls(cellType="gru", hiddenSize=8, numLayers=2, bidirectional=True, dropout=0.25)
    est.setInputShape([10, 3]).setVocabSize(0).setEmbeddingDim(4)
    est._transfer_params_to_java()
    java = est._java_obj
    assert java.getClass().getName() == f"{cls.__module__}.{cls.__name__}"
    assert java.getCellType() == "gru" and java.getHiddenSize() == 8 and java.getNumLayers() == 2
    assert java.getBidirectional() and java.getDropout() == pytest.approx(0.25)
    assert list(java.getInputShape()) == [10, 3] and java.getEmbeddingDim() == 4
    fresh = cls()
    fresh._transfer_params_to_java()
    for p in fresh.params:
        if fresh.hasDefault(p) and fresh._java_obj.hasParam(p.name):
            java_default = fresh._java_obj.getDefault(fresh._java_obj.getParam(p.name)).get()
            assert _java2py(spark.sparkContext, java_default) == fresh.getOrDefault(p), p.name
    assert fresh.getClipNorm() == 5.0


@pytest.mark.compat
def test_classifier_learns_basic_motions(model, test):
    assert model.evaluate(test).accuracy >= 0.9
    assert model.summary.objectiveHistory[-1] < model.summary.objectiveHistory[0]


@pytest.mark.compat
def test_sequences_of_different_lengths(spark, model):
    steps = [[0.01 * i] * 6 for i in range(100)]
    df = spark.createDataFrame(
        [(steps[:30], 0.0), (steps, 1.0), (steps + steps, 1.0)],
        "features array<array<double>>, label double",
    )
    alone = [predictions(model, df.limit(1)), predictions(model, df)]
    assert alone[0][0] == alone[1][0]
    assert len(alone[1]) == 3


@pytest.mark.compat
def test_save_load_across_languages_and_in_pipelines(spark, model, train, test, tmp_path):
    path = str(tmp_path / "rnn")
    model.save(path)
    loaded = RNNClassificationModel.load(path)
    assert predictions(loaded, test) == predictions(model, test)
    jvm_model = spark.sparkContext._jvm.dlmllib.classification.RNNClassificationModel.load(path)
    from pyspark.sql import DataFrame

    jvm_rows = DataFrame(jvm_model.transform(test._jdf), spark).select("prediction").collect()
    assert [r.prediction for r in jvm_rows] == predictions(model, test)

    reg = RNNRegressor(cellType="lstm", hiddenSize=8, maxIter=2)
    fitted = Pipeline(stages=[reg]).fit(train)
    fitted.write().overwrite().save(str(tmp_path / "pipe"))
    again = PipelineModel.load(str(tmp_path / "pipe"))
    assert isinstance(again.stages[0], RNNRegressionModel)
    assert predictions(again, test) == predictions(fitted, test)
