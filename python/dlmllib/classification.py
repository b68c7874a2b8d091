"""dlmllib's classifiers for PySpark; mirrors the Scala package ``dlmllib.classification``.

The examples run as doctests (``tests/python/test_doctests.py``) with ``spark``, a SparkSession
that has the dlmllib jar.
"""

from pyspark.ml.classification import (
    _ClassificationSummary,
    _JavaProbabilisticClassificationModel,
    _JavaProbabilisticClassifier,
)
from pyspark.ml.linalg import Vector
from pyspark.ml.util import JavaMLReadable, JavaMLWritable
from pyspark.sql import DataFrame

from dlmllib._connect import remote
from dlmllib._metrics import ClassificationMetrics
from dlmllib.cnn import _CNNParams, _CNNSetters
from dlmllib.ml import NetworkTrainingSummary, _NetworkModel
from dlmllib.param import _keyword_params
from dlmllib.rnn import _RNNModelSetters, _RNNParams, _RNNSetters

__all__ = [
    "CNNClassifier",
    "CNNClassificationModel",
    "RNNClassifier",
    "RNNClassificationModel",
    "NetworkClassificationSummary",
    "NetworkClassificationTrainingSummary",
]


class NetworkClassificationSummary(_ClassificationSummary):
    """Spark's classification metrics of a model on a dataset (``model.evaluate(df)``):
    ``accuracy``, ``weightedPrecision``, ``weightedRecall``, ``weightedFMeasure()``, per-label
    metrics, as for LogisticRegression.

    >>> rows = [([[float(i % 2)], [1.0]], float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<array<double>>, label double")
    >>> metrics = RNNClassifier(hiddenSize=4, maxIter=2).fit(df).evaluate(df)
    >>> metrics.accuracy == metrics.weightedRecall, len(metrics.precisionByLabel)
    (True, 2)
    """


class NetworkClassificationTrainingSummary(NetworkClassificationSummary, NetworkTrainingSummary):
    """``model.summary``: Spark's classification metrics on the training data, computed on first
    use, and the per-epoch histories.

    >>> from pyspark.ml.linalg import Vectors
    >>> rows = [(Vectors.dense([i % 2, 1 - i % 2, 0.0, 1.0]), float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, ["features", "label"])
    >>> model = CNNClassifier(inputShape=[1, 2, 2], layers="dense(8, relu)", maxIter=3).fit(df)
    >>> summary = model.summary
    >>> summary.totalIterations, len(summary.objectiveHistory)
    (3, 3)
    >>> 0.0 <= summary.accuracy <= 1.0, summary.labels
    (True, [0.0, 1.0])
    """


class _NetworkClassificationModel(_JavaProbabilisticClassificationModel[Vector], _NetworkModel):
    _summary_class = NetworkClassificationTrainingSummary

    def evaluate(self, dataset: DataFrame) -> NetworkClassificationSummary:
        """Spark's classification metrics of this model on ``dataset`` (which needs labelCol)."""
        if not isinstance(dataset, DataFrame):
            raise TypeError(f"dataset must be a DataFrame but got {type(dataset)}")
        if remote():
            predictions = self.transform(dataset)
            return ClassificationMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        if remote():
            predictions = self.transform(dataset)
            return ClassificationMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        return NetworkClassificationSummary(self._call_java("evaluate", dataset))


@_keyword_params("dlmllib.classification.CNNClassifier")
class CNNClassifier(
    _JavaProbabilisticClassifier["CNNClassificationModel"],
    _CNNParams,
    _CNNSetters,
    JavaMLWritable,
    JavaMLReadable["CNNClassifier"],
):
    """A convolutional network classifier.

    featuresCol holds image structs from ``spark.read.format("image")`` or flat vectors / numeric
    arrays with ``inputShape=[channels, height, width]``; labels are 0 … numClasses − 1. The
    network is the ``layers`` preset (lenet5, vgg, resnet) or spec, followed by a dense output
    layer of numClasses units, trained with softmax cross-entropy.

    >>> from pyspark.ml.linalg import Vectors
    >>> rows = [(Vectors.dense([i % 2, 1 - i % 2, 0.0, 1.0]), float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, ["features", "label"])
    >>> cnn = CNNClassifier(inputShape=[1, 2, 2], layers="conv2d(4, 2, relu)", maxIter=40)
    >>> cnn.setStepSize(0.01).getStepSize()
    0.01
    >>> model = cnn.fit(df)
    >>> model.networkSpec
    'conv2d(4, 2, relu); dense(2)'
    >>> [r.prediction for r in model.transform(df).head(4)]
    [0.0, 1.0, 0.0, 1.0]
    """

    def _create_model(self, java_model) -> "CNNClassificationModel":
        return CNNClassificationModel(java_model)


class CNNClassificationModel(
    _NetworkClassificationModel,
    _CNNParams,
    JavaMLWritable,
    JavaMLReadable["CNNClassificationModel"],
):
    """A trained :py:class:`CNNClassifier`: adds rawPrediction (logits), probability and
    prediction; ``summary`` has the training history, ``evaluate`` Spark's metrics.

    >>> import tempfile
    >>> from pyspark.ml.linalg import Vectors
    >>> rows = [(Vectors.dense([i % 2, 1 - i % 2, 0.0, 1.0]), float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, ["features", "label"])
    >>> model = CNNClassifier(inputShape=[1, 2, 2], layers="dense(4)", maxIter=2).fit(df)
    >>> model.numClasses, model.numFeatures, model.getMaxIter()
    (2, 4, 2)
    >>> path = tempfile.mkdtemp() + "/cnn"
    >>> model.setBatchSize(2).write().overwrite().save(path)
    >>> loaded = CNNClassificationModel.load(path)
    >>> loaded.getBatchSize(), loaded.hasSummary
    (2, False)
    >>> loaded.transform(df).collect() == model.transform(df).collect()
    True
    """


@_keyword_params("dlmllib.classification.RNNClassifier")
class RNNClassifier(
    _JavaProbabilisticClassifier["RNNClassificationModel"],
    _RNNParams,
    _RNNSetters,
    JavaMLWritable,
    JavaMLReadable["RNNClassifier"],
):
    """A recurrent network classifier (LSTM, GRU or simple RNN; stacked, bidirectional).

    featuresCol holds ``array<array<double>>`` (one inner array per time step; sequences of
    different lengths are masked, never truncated), ``array<double>`` (one feature per step), a
    Vector with ``inputShape=[timesteps, features]``, or token ids with ``vocabSize`` (embedded
    in ``embeddingDim`` dimensions). The class comes from the last valid step's hidden state (of
    both directions when bidirectional) through a dense output layer.

    >>> rows = [([[float(i % 2)]] * (2 + i % 3), float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<array<double>>, label double")
    >>> rnn = RNNClassifier(cellType="gru", hiddenSize=4, maxIter=30, stepSize=0.05)
    >>> model = rnn.fit(df)
    >>> model.networkSpec
    'gru(4); dense(2)'
    >>> [r.prediction for r in model.transform(df).head(4)]
    [0.0, 1.0, 0.0, 1.0]
    """

    def _create_model(self, java_model) -> "RNNClassificationModel":
        return RNNClassificationModel(java_model)


class RNNClassificationModel(
    _NetworkClassificationModel,
    _RNNModelSetters,
    JavaMLWritable,
    JavaMLReadable["RNNClassificationModel"],
):
    """A trained :py:class:`RNNClassifier`: adds rawPrediction (logits), probability and
    prediction; ``summary`` has the training history, ``evaluate`` Spark's metrics.

    >>> from pyspark.ml.linalg import Vectors
    >>> rows = [([[float(i % 2)], [1.0]], float(i % 2)) for i in range(8)]
    >>> df = spark.createDataFrame(rows, "features array<array<double>>, label double")
    >>> model = RNNClassifier(hiddenSize=4, maxIter=2).fit(df)
    >>> flat = spark.createDataFrame([(Vectors.dense([1.0, 1.0]),)], ["features"])
    >>> model.setInputShape([2, 1]).transform(flat).select("prediction").count()
    1
    >>> model.evaluate(df).accuracy <= 1.0
    True
    """
