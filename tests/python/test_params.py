"""One source of truth across languages: every Estimator's and Model's params agree between
Python and the JVM (names, docs, defaults, in both directions), and each has the setters Spark
gives its kind. Data-driven: a param added on either side is checked with no change here."""

import pytest
from pyspark.ml.common import _java2py
from pyspark.ml.linalg import Vectors
from pyspark.ml.wrapper import JavaModel

from dlmllib import (
    CNNClassificationModel,
    CNNClassifier,
    CNNRegressionModel,
    CNNRegressor,
    RNNClassificationModel,
    RNNClassifier,
    RNNRegressionModel,
    RNNRegressor,
)

ESTIMATORS = [CNNClassifier, CNNRegressor, RNNClassifier, RNNRegressor]
MODELS = [CNNClassificationModel, CNNRegressionModel, RNNClassificationModel, RNNRegressionModel]

# PySpark ends the docs of Spark's shared params (featuresCol, seed, tol, ...) with a period
# that Scala's lack; docs are compared without it. Beyond that, two params that dlmllib takes
# unchanged from Spark are worded differently by PySpark ("max number of iterations" against
# "maximum ...", a comma in thresholds): only these may differ, and the test fails if one of them
# stops differing.
SPARK_WORDED = {"maxIter", "thresholds"}

# The setters Spark gives Models (columns, thresholds); dlmllib adds batchSize (for transform)
# and, for RNN Models, inputShape (the shape of flat Vectors to transform).
MODEL_SETTERS = {"featuresCol", "predictionCol", "batchSize"}
CLASSIFIER_MODEL_SETTERS = {"probabilityCol", "rawPredictionCol", "thresholds"}


def _rows(cls):
    if cls.__name__.startswith("CNN"):
        return [(Vectors.dense([i % 2, 1.0, 0.0, 1.0]), float(i % 2)) for i in range(4)]
    return [(Vectors.dense([i % 2, 1.0]), float(i % 2)) for i in range(4)]


@pytest.fixture(scope="module")
def fresh_java_models(spark):
    """A JVM Model of each class that never saw Python params (fit's transfer sets the Python
    defaults on the JVM estimator and so on its model): built from a fitted model's network."""
    jvm = spark.sparkContext._jvm
    models = {}
    for est_cls in ESTIMATORS:
        est = est_cls(inputShape=[1, 2, 2] if est_cls.__name__.startswith("CNN") else [2, 1])
        if est_cls.__name__.startswith("CNN"):
            est.setLayers("dense(2)")
        else:
            est.setHiddenSize(2)
        df = spark.createDataFrame(_rows(est_cls), ["features", "label"]).coalesce(1)
        fitted = est.setMaxIter(1).fit(df)
        j = fitted._java_obj
        name = j.getClass().getName()
        java_cls = getattr(getattr(jvm.dlmllib, name.split(".")[1]), name.split(".")[2])
        extra = [j.numClasses()] if "Classification" in name else []
        models[type(fitted)] = java_cls("fresh", j.network(), j.weights(), *extra)
    return models


def _pairs(spark, fresh_java_models):
    for cls in ESTIMATORS:
        py = cls()
        yield cls, py, py._java_obj
    for cls in MODELS:
        yield cls, cls(), fresh_java_models[cls]


def _java_params(java_obj) -> dict:
    return {p.name(): p for p in java_obj.params()}


def test_names_docs_and_defaults_agree(spark, fresh_java_models):
    sc = spark.sparkContext
    differing_spark_docs = set()
    for cls, py, java in _pairs(spark, fresh_java_models):
        java_params = _java_params(java)
        py_params = {p.name: p for p in py.params}
        assert set(py_params) == set(java_params), cls.__name__
        for name, jp in java_params.items():
            p = py_params[name]
            same_doc = p.doc.removesuffix(".") == jp.doc().removesuffix(".")
            if name in SPARK_WORDED:
                differing_spark_docs |= set() if same_doc else {name}
            else:
                assert same_doc, f"{cls.__name__}.{name}: {p.doc!r} != {jp.doc()!r}"
            assert py.hasDefault(p) == java.hasDefault(jp), f"{cls.__name__}.{name}"
            if py.hasDefault(p):
                java_default = _java2py(sc, java.getDefault(jp).get())
                assert py.getOrDefault(p) == java_default, f"{cls.__name__}.{name}"
    assert differing_spark_docs == SPARK_WORDED, "exempt only docs that really differ"


def _setters(names, params) -> set:
    return {n[3].lower() + n[4:] for n in names if n.startswith("set") and len(n) > 3} & params


def test_setters_are_where_spark_puts_them(spark, fresh_java_models):
    for cls, py, java in _pairs(spark, fresh_java_models):
        params = {p.name for p in py.params}
        java_setters = _setters({m.getName() for m in java.getClass().getMethods()}, params)
        py_setters = _setters(set(dir(cls)), params)
        assert py_setters == java_setters, cls.__name__
        if issubclass(cls, JavaModel):
            expected = set(MODEL_SETTERS)
            if "Classification" in cls.__name__:
                expected |= CLASSIFIER_MODEL_SETTERS
            if cls.__name__.startswith("RNN"):
                expected |= {"inputShape"}
            assert py_setters == expected, cls.__name__
        else:
            assert py_setters == params, cls.__name__


def test_keywords_are_the_params_with_their_defaults():
    import inspect

    for cls in ESTIMATORS:
        signature = inspect.signature(cls.setParams)
        keywords = {k: v for k, v in signature.parameters.items() if k != "self"}
        probe = cls()
        assert set(keywords) == {p.name for p in probe.params}
        for p in probe.params:
            default = probe.getOrDefault(p) if probe.hasDefault(p) else None
            assert keywords[p.name].default == default, f"{cls.__name__}.{p.name}"
        with pytest.raises(TypeError, match="maxIters"):
            cls(maxIters=3)
        assert inspect.signature(cls.__init__).parameters.keys() == signature.parameters.keys()
