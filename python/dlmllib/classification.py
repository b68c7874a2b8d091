"""dlmllib's classifiers for PySpark; mirrors the Scala package ``dlmllib.classification``."""

from typing import Optional

from pyspark import keyword_only
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
from dlmllib.param import (
    DEFAULT_SEED,
    _CNNParams,
    _CNNSetters,
    _keywords_of_set_params,
    _RNNParams,
    _RNNSetters,
)
from dlmllib.train import _NetworkModel

__all__ = [
    "CNNClassifier",
    "CNNClassificationModel",
    "RNNClassifier",
    "RNNClassificationModel",
    "NetworkClassificationSummary",
]


class NetworkClassificationSummary(_ClassificationSummary):
    """Spark's classification metrics of a model on a dataset: ``accuracy``,
    ``weightedPrecision``, ``weightedRecall``, ``weightedFMeasure()``, per-label metrics."""


class _NetworkClassificationModel(_JavaProbabilisticClassificationModel[Vector], _NetworkModel):
    def evaluate(self, dataset: DataFrame) -> NetworkClassificationSummary:
        """Spark's classification metrics of this model on ``dataset`` (which needs labelCol)."""
        if not isinstance(dataset, DataFrame):
            raise TypeError(f"dataset must be a DataFrame but got {type(dataset)}")
        if remote():
            predictions = self.transform(dataset)
            return ClassificationMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        return NetworkClassificationSummary(self._call_java("evaluate", dataset))


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

    >>> cnn = CNNClassifier(inputShape=[1, 28, 28], layers="lenet5", maxIter=5)
    >>> model = cnn.fit(train)  # doctest: +SKIP
    >>> model.evaluate(test).accuracy  # doctest: +SKIP
    """

    @keyword_only
    def __init__(self, **kwargs):
        """Takes the keywords of :py:meth:`setParams`."""
        super().__init__()
        self._java_obj = self._new_java_obj("dlmllib.classification.CNNClassifier", self.uid)
        self.setParams(**kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        thresholds: Optional[list[float]] = None,
        inputShape: Optional[list[int]] = None,
        layers: str = "lenet5",
        maxIter: int = 10,
        batchSize: int = 64,
        stepSize: float = 0.001,
        solver: str = "adam",
        regParam: float = 0.0,
        seed: int = DEFAULT_SEED,
        tol: float = 1e-4,
        validationIndicatorCol: Optional[str] = None,
        localSteps: int = 64,
        patience: int = 3,
        momentum: float = 0.9,
        nesterov: bool = False,
        learningRateSchedule: str = "constant",
        clipNorm: float = 0.0,
        aggregationDepth: int = 2,
    ) -> "CNNClassifier":
        """Sets the params given as keywords."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model) -> "CNNClassificationModel":
        return CNNClassificationModel(java_model)


class CNNClassificationModel(
    _NetworkClassificationModel,
    _CNNParams,
    JavaMLWritable,
    JavaMLReadable["CNNClassificationModel"],
):
    """A trained :py:class:`CNNClassifier`: adds rawPrediction (logits), probability and
    prediction; ``summary`` has the per-epoch training history, ``evaluate`` Spark's metrics."""


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

    >>> rnn = RNNClassifier(cellType="gru", hiddenSize=32, bidirectional=True, maxIter=20)
    >>> model = rnn.fit(train)  # doctest: +SKIP
    """

    @keyword_only
    def __init__(self, **kwargs):
        """Takes the keywords of :py:meth:`setParams`."""
        super().__init__()
        self._java_obj = self._new_java_obj("dlmllib.classification.RNNClassifier", self.uid)
        self.setParams(**kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
        probabilityCol: str = "probability",
        rawPredictionCol: str = "rawPrediction",
        thresholds: Optional[list[float]] = None,
        cellType: str = "lstm",
        hiddenSize: int = 64,
        numLayers: int = 1,
        bidirectional: bool = False,
        dropout: float = 0.0,
        inputShape: Optional[list[int]] = None,
        vocabSize: int = 0,
        embeddingDim: int = 32,
        maxIter: int = 10,
        batchSize: int = 64,
        stepSize: float = 0.001,
        solver: str = "adam",
        regParam: float = 0.0,
        seed: int = DEFAULT_SEED,
        tol: float = 1e-4,
        validationIndicatorCol: Optional[str] = None,
        localSteps: int = 64,
        patience: int = 3,
        momentum: float = 0.9,
        nesterov: bool = False,
        learningRateSchedule: str = "constant",
        clipNorm: float = 5.0,
        aggregationDepth: int = 2,
    ) -> "RNNClassifier":
        """Sets the params given as keywords."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model) -> "RNNClassificationModel":
        return RNNClassificationModel(java_model)


class RNNClassificationModel(
    _NetworkClassificationModel,
    _RNNParams,
    JavaMLWritable,
    JavaMLReadable["RNNClassificationModel"],
):
    """A trained :py:class:`RNNClassifier`: adds rawPrediction (logits), probability and
    prediction; ``summary`` has the per-epoch training history, ``evaluate`` Spark's metrics."""


_keywords_of_set_params(CNNClassifier)

_keywords_of_set_params(RNNClassifier)
