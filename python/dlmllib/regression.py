"""dlmllib's regressors for PySpark; mirrors the Scala package ``dlmllib.regression``.

The examples run as doctests (``tests/python/test_doctests.py``) with ``spark``, a SparkSession
that has the dlmllib jar.
"""

from pyspark.ml.regression import _JavaRegressionModel, _JavaRegressor
from pyspark.ml.util import JavaMLReadable, JavaMLWritable
from pyspark.ml.wrapper import JavaWrapper
from pyspark.sql import DataFrame

from dlmllib._connect import remote
from dlmllib._metrics import RegressionMetrics
from dlmllib.cnn import _CNNParams, _CNNSetters
from dlmllib.ml import NetworkTrainingSummary, _NetworkModel
from dlmllib.param import _keyword_params
from dlmllib.rnn import _RNNModelSetters, _RNNParams, _RNNSetters

__all__ = [
    "CNNRegressor",
    "CNNRegressionModel",
    "RNNRegressor",
    "RNNRegressionModel",
    "NetworkRegressionSummary",
    "NetworkRegressionTrainingSummary",
]


class NetworkRegressionSummary(JavaWrapper):
    """Regression metrics of a model on a dataset (``model.evaluate(df)``), as Spark's
    ``RegressionMetrics``.

    >>> rows = [([x / 8] * 4, x / 8) for x in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<double>, label double")
    >>> model = CNNRegressor(inputShape=[1, 2, 2], layers="dense(4)", maxIter=2).fit(df)
    >>> metrics = model.evaluate(df)
    >>> abs(metrics.rootMeanSquaredError ** 2 - metrics.meanSquaredError) < 1e-9
    True
    """

    @property
    def rootMeanSquaredError(self) -> float:
        return self._call_java("rootMeanSquaredError")

    @property
    def meanSquaredError(self) -> float:
        return self._call_java("meanSquaredError")

    @property
    def meanAbsoluteError(self) -> float:
        return self._call_java("meanAbsoluteError")

    @property
    def r2(self) -> float:
        return self._call_java("r2")

    @property
    def explainedVariance(self) -> float:
        return self._call_java("explainedVariance")


class NetworkRegressionTrainingSummary(NetworkRegressionSummary, NetworkTrainingSummary):
    """``model.summary``: the regression metrics on the training data, computed on first use, and
    the per-epoch histories.

    >>> rows = [([[x / 4], [x / 4]], x / 4) for x in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<array<double>>, label double")
    >>> model = RNNRegressor(hiddenSize=4, maxIter=2).fit(df)
    >>> model.summary.totalIterations, model.summary.validationHistory
    (2, [])
    >>> model.summary.rootMeanSquaredError ** 2 - model.summary.meanSquaredError < 1e-9
    True
    """


class _NetworkRegressionModel(_JavaRegressionModel, _NetworkModel):
    _summary_class = NetworkRegressionTrainingSummary

    def evaluate(self, dataset: DataFrame) -> NetworkRegressionSummary:
        """Regression metrics of this model on ``dataset`` (which needs labelCol)."""
        if not isinstance(dataset, DataFrame):
            raise TypeError(f"dataset must be a DataFrame but got {type(dataset)}")
        if remote():
            predictions = self.transform(dataset)
            return RegressionMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        if remote():
            predictions = self.transform(dataset)
            return RegressionMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        return NetworkRegressionSummary(self._call_java("evaluate", dataset))


@_keyword_params("dlmllib.regression.CNNRegressor")
class CNNRegressor(
    _JavaRegressor["CNNRegressionModel"],
    _CNNParams,
    _CNNSetters,
    JavaMLWritable,
    JavaMLReadable["CNNRegressor"],
):
    """A convolutional network that predicts one numeric label, trained with mean squared error.
    Inputs and layers as for :py:class:`dlmllib.classification.CNNClassifier`; the output layer
    is one linear unit.

    >>> rows = [([x / 8] * 4, x / 8) for x in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<double>, label double")
    >>> cnn = CNNRegressor(inputShape=[1, 2, 2], layers="dense(8, relu)", maxIter=60)
    >>> model = cnn.setStepSize(0.01).setBatchSize(2).fit(df)
    >>> model.networkSpec
    'dense(8, relu); dense(1)'
    >>> model.evaluate(df).rootMeanSquaredError < 0.2  # predicting the mean: 0.29
    True
    """

    def _create_model(self, java_model) -> "CNNRegressionModel":
        return CNNRegressionModel(java_model)


class CNNRegressionModel(
    _NetworkRegressionModel,
    _CNNParams,
    JavaMLWritable,
    JavaMLReadable["CNNRegressionModel"],
):
    """A trained :py:class:`CNNRegressor`; ``summary`` has the training history, ``evaluate``
    the regression metrics.

    >>> import tempfile
    >>> rows = [([x / 8] * 4, x / 8) for x in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<double>, label double")
    >>> model = CNNRegressor(inputShape=[1, 2, 2], layers="dense(4)", maxIter=2).fit(df)
    >>> path = tempfile.mkdtemp() + "/cnn"
    >>> model.write().overwrite().save(path)
    >>> loaded = CNNRegressionModel.load(path)
    >>> loaded.transform(df).collect() == model.transform(df).collect()
    True
    """


@_keyword_params("dlmllib.regression.RNNRegressor")
class RNNRegressor(
    _JavaRegressor["RNNRegressionModel"],
    _RNNParams,
    _RNNSetters,
    JavaMLWritable,
    JavaMLReadable["RNNRegressor"],
):
    """A recurrent network that predicts one numeric label (e.g. the next value of a series
    from a window), trained with mean squared error. Inputs and params as for
    :py:class:`dlmllib.classification.RNNClassifier`.

    >>> rows = [([x / 8, x / 8, x / 8], x / 8) for x in range(8)]  # one feature per step
    >>> df = spark.createDataFrame(rows, "features array<double>, label double")
    >>> rnn = RNNRegressor(cellType="rnn", hiddenSize=8, maxIter=60, stepSize=0.01, batchSize=2)
    >>> model = rnn.fit(df)
    >>> model.networkSpec
    'rnn(8); dense(1)'
    >>> model.evaluate(df).r2 > 0.9
    True
    """

    def _create_model(self, java_model) -> "RNNRegressionModel":
        return RNNRegressionModel(java_model)


class RNNRegressionModel(
    _NetworkRegressionModel,
    _RNNModelSetters,
    JavaMLWritable,
    JavaMLReadable["RNNRegressionModel"],
):
    """A trained :py:class:`RNNRegressor`; ``summary`` has the training history, ``evaluate``
    the regression metrics. Sequences longer than any seen in training are read in full.

    >>> rows = [([x / 8, x / 8], x / 8) for x in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<double>, label double")
    >>> model = RNNRegressor(hiddenSize=4, maxIter=2).fit(df)
    >>> longer = spark.createDataFrame([([0.5] * 5,)], "features array<double>")
    >>> model.setBatchSize(1).transform(longer).count()
    1
    """
