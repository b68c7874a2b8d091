"""The CNN Estimators from Python: params through py4j, training, metrics, persistence across
languages, Pipelines and model selection."""

import pytest
from datasets import digits
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder, TrainValidationSplit

from dlmllib import CNNClassificationModel, CNNClassifier, CNNRegressionModel, CNNRegressor

# A small conv net for 8×8 digits, and settings that train it well in a few seconds.
SMALL_NET = (
    "conv2d(16, 3, relu, padding=same); maxpool(2); conv2d(32, 3, relu, padding=same); "
    "maxpool(2); dense(64, relu)"
)
TRAINING = dict(inputShape=[1, 8, 8], layers=SMALL_NET, batchSize=32, stepSize=0.003)


@pytest.fixture(scope="module")
def train(spark):
    return digits(spark, "train").cache()


@pytest.fixture(scope="module")
def test(spark):
    return digits(spark, "test").cache()


@pytest.fixture(scope="module")
def model(train):
    return CNNClassifier(maxIter=20, seed=3, **TRAINING).fit(train)


def predictions(model, df):
    return [r.prediction for r in model.transform(df).collect()]


@pytest.mark.compat
@pytest.mark.parametrize("cls", [CNNClassifier, CNNRegressor])
def test_params_reach_the_java_object_and_back(spark, cls):
    est = cls(inputShape=[1, 8, 8], layers="lenet5", maxIter=7, batchSize=16, stepSize=0.01)
    est.setSolver("momentum").setNesterov(True).setSeed(11).setLocalSteps(5)
    est._transfer_params_to_java()
    java = est._java_obj
    assert java.getClass().getName() == f"{cls.__module__}.{cls.__name__}"
    assert list(java.getInputShape()) == [1, 8, 8]
    assert java.getMaxIter() == 7 and java.getBatchSize() == 16
    assert java.getStepSize() == pytest.approx(0.01)
    assert java.getSolver() == "momentum" and java.getNesterov() and java.getSeed() == 11
    assert java.getLocalSteps() == 5 and java.getLayers() == "lenet5"
    # Python's defaults are the JVM's defaults.
    fresh = cls()
    fresh._transfer_params_to_java()
    for p in fresh.params:
        if fresh.hasDefault(p) and fresh._java_obj.hasParam(p.name):
            java_default = fresh._java_obj.getDefault(fresh._java_obj.getParam(p.name)).get()
            py_default = fresh.getOrDefault(p)
            assert java_default == py_default or list(java_default) == py_default, p.name
    assert "localSteps" in est.explainParams()


def test_bad_param_values_fail_when_set(spark):
    with pytest.raises(Exception, match="batchSize"):
        CNNClassifier(batchSize=0)._transfer_params_to_java()
    with pytest.raises(Exception, match="solver"):
        CNNClassifier(solver="lbfgs")._transfer_params_to_java()


@pytest.mark.compat
def test_classifier_learns_digits_and_reports(model, test):
    metrics = model.evaluate(test)
    assert metrics.accuracy >= 0.95
    assert metrics.weightedFMeasure() >= 0.95
    assert 0.95 <= metrics.weightedPrecision <= 1 and 0.95 <= metrics.weightedRecall <= 1
    summary = model.summary
    assert summary.totalIterations == len(summary.objectiveHistory) > 1
    assert summary.objectiveHistory[-1] < summary.objectiveHistory[0]
    assert model.numClasses == 10 and model.numFeatures == 64
    row = model.transform(test).first()
    assert len(row.probability) == 10 and abs(sum(row.probability) - 1) < 1e-6
    assert model.predict(row.features) == row.prediction


def test_validation_column_gives_validation_history(train):
    from pyspark.sql import functions as F

    df = train.withColumn("isVal", F.rand(seed=1) < 0.2)
    cnn = CNNClassifier(maxIter=8, validationIndicatorCol="isVal", **TRAINING)
    summary = cnn.fit(df).summary
    assert len(summary.validationHistory) == summary.totalIterations
    assert summary.validationMetricName == "accuracy"
    assert 0.5 < summary.validationHistory[-1] <= 1


def test_regressor_beats_the_mean(train, test):
    reg = CNNRegressor(maxIter=20, **TRAINING)
    model = reg.fit(train)
    metrics = model.evaluate(test)
    std = test.agg({"label": "stddev_pop"}).first()[0]
    assert metrics.rootMeanSquaredError < 0.5 * std
    assert metrics.r2 > 0.7


@pytest.mark.compat
def test_save_load_in_python(model, test, tmp_path):
    path = str(tmp_path / "cnn")
    model.write().overwrite().save(path)
    loaded = CNNClassificationModel.load(path)
    assert loaded.networkSpec == model.networkSpec
    assert predictions(loaded, test) == predictions(model, test)
    est = CNNClassifier(layers=SMALL_NET, maxIter=3)
    est.save(str(tmp_path / "est"))
    assert CNNClassifier.load(str(tmp_path / "est")).getLayers() == SMALL_NET


@pytest.mark.compat
def test_python_to_scala_and_back(spark, model, test, tmp_path):
    jvm = spark.sparkContext._jvm
    path = str(tmp_path / "py")
    model.save(path)
    scala_model = jvm.dlmllib.classification.CNNClassificationModel.load(path)
    scala_rows = _df(spark, scala_model.transform(test._jdf)).select("prediction").collect()
    assert [r.prediction for r in scala_rows] == predictions(model, test)

    # A model trained and saved by Scala loads in Python.
    shape = spark.sparkContext._gateway.new_array(jvm.int, 3)
    shape[0], shape[1], shape[2] = 1, 8, 8
    java_est = jvm.dlmllib.regression.CNNRegressor().setInputShape(shape)
    java_est.setLayers(SMALL_NET).setMaxIter(2)
    java_model = java_est.fit(test._jdf)
    scala_path = str(tmp_path / "scala")
    java_model.save(scala_path)
    loaded = CNNRegressionModel.load(scala_path)
    expected = _df(spark, java_model.transform(test._jdf)).select("prediction").collect()
    assert [r.prediction for r in expected] == predictions(loaded, test)


@pytest.mark.compat
def test_pipeline_model_across_languages(spark, train, test, tmp_path):
    cnn = CNNClassifier(inputShape=[1, 8, 8], layers=SMALL_NET, maxIter=2)
    fitted = Pipeline(stages=[cnn]).fit(train)
    path = str(tmp_path / "pipeline")
    fitted.save(path)
    loaded = PipelineModel.load(path)
    assert isinstance(loaded.stages[0], CNNClassificationModel)
    assert predictions(loaded, test) == predictions(fitted, test)
    jvm_loaded = spark.sparkContext._jvm.org.apache.spark.ml.PipelineModel.load(path)
    scala_rows = _df(spark, jvm_loaded.transform(test._jdf)).select("prediction").collect()
    assert [r.prediction for r in scala_rows] == predictions(fitted, test)


def test_model_selection(spark, train):
    small = train.limit(600)
    cnn = CNNClassifier(inputShape=[1, 8, 8], layers=SMALL_NET, maxIter=2)
    grid = ParamGridBuilder().addGrid(cnn.stepSize, [0.001, 0.01]).build()
    evaluator = MulticlassClassificationEvaluator(metricName="accuracy")
    cv = CrossValidator(estimator=cnn, estimatorParamMaps=grid, evaluator=evaluator, numFolds=2)
    cv_model = cv.fit(small)
    assert len(cv_model.avgMetrics) == 2 and all(0 <= m <= 1 for m in cv_model.avgMetrics)
    tvs = TrainValidationSplit(estimator=cnn, estimatorParamMaps=grid, evaluator=evaluator)
    assert isinstance(tvs.fit(small).bestModel, CNNClassificationModel)


def test_wrong_vector_length_names_both_numbers(model, spark):
    from pyspark.ml.linalg import Vectors

    bad = spark.createDataFrame([(Vectors.dense([0.0] * 10), 1.0)], ["features", "label"])
    with pytest.raises(Exception, match="64") as err:
        model.transform(bad).collect()
    assert "10" in str(err.value)


def _df(spark, jdf):
    from pyspark.sql import DataFrame

    return DataFrame(jdf, spark)
