"""dlmllib's regressors for PySpark; mirrors the Scala package ``dlmllib.regression``."""

from typing import Optional

from pyspark import keyword_only
from pyspark.ml.regression import _JavaRegressionModel, _JavaRegressor
from pyspark.ml.util import JavaMLReadable, JavaMLWritable
from pyspark.ml.wrapper import JavaWrapper
from pyspark.sql import DataFrame

from dlmllib._connect import remote
from dlmllib._metrics import RegressionMetrics
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
    "CNNRegressor",
    "CNNRegressionModel",
    "RNNRegressor",
    "RNNRegressionModel",
    "NetworkRegressionSummary",
]


class NetworkRegressionSummary(JavaWrapper):
    """Regression metrics of a model on a dataset."""

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


class _NetworkRegressionModel(_JavaRegressionModel, _NetworkModel):
    def evaluate(self, dataset: DataFrame) -> NetworkRegressionSummary:
        """Regression metrics of this model on ``dataset`` (which needs labelCol)."""
        if not isinstance(dataset, DataFrame):
            raise TypeError(f"dataset must be a DataFrame but got {type(dataset)}")
        if remote():
            predictions = self.transform(dataset)
            return RegressionMetrics(predictions, self.getPredictionCol(), self.getLabelCol())
        return NetworkRegressionSummary(self._call_java("evaluate", dataset))


class CNNRegressor(
    _JavaRegressor["CNNRegressionModel"],
    _CNNParams,
    _CNNSetters,
    JavaMLWritable,
    JavaMLReadable["CNNRegressor"],
):
    """A convolutional network that predicts one numeric label, trained with mean squared error.
    Inputs and layers as for :py:class:`dlmllib.classification.CNNClassifier`; the output layer
    is one linear unit."""

    @keyword_only
    def __init__(self, **kwargs):
        """Takes the keywords of :py:meth:`setParams`."""
        super().__init__()
        self._java_obj = self._new_java_obj("dlmllib.regression.CNNRegressor", self.uid)
        self.setParams(**kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
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
    ) -> "CNNRegressor":
        """Sets the params given as keywords."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model) -> "CNNRegressionModel":
        return CNNRegressionModel(java_model)


class CNNRegressionModel(
    _NetworkRegressionModel,
    _CNNParams,
    JavaMLWritable,
    JavaMLReadable["CNNRegressionModel"],
):
    """A trained :py:class:`CNNRegressor`; ``summary`` has the per-epoch training history,
    ``evaluate`` the regression metrics."""


class RNNRegressor(
    _JavaRegressor["RNNRegressionModel"],
    _RNNParams,
    _RNNSetters,
    JavaMLWritable,
    JavaMLReadable["RNNRegressor"],
):
    """A recurrent network that predicts one numeric label (e.g. the next value of a series
    from a window), trained with mean squared error. Inputs and params as for
    :py:class:`dlmllib.classification.RNNClassifier`."""

    @keyword_only
    def __init__(self, **kwargs):
        """Takes the keywords of :py:meth:`setParams`."""
        super().__init__()
        self._java_obj = self._new_java_obj("dlmllib.regression.RNNRegressor", self.uid)
        self.setParams(**kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        featuresCol: str = "features",
        labelCol: str = "label",
        predictionCol: str = "prediction",
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
    ) -> "RNNRegressor":
        """Sets the params given as keywords."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model) -> "RNNRegressionModel":
        return RNNRegressionModel(java_model)


class RNNRegressionModel(
    _NetworkRegressionModel,
    _RNNParams,
    JavaMLWritable,
    JavaMLReadable["RNNRegressionModel"],
):
    """A trained :py:class:`RNNRegressor`; ``summary`` has the per-epoch training history,
    ``evaluate`` the regression metrics."""


_keywords_of_set_params(CNNRegressor)

_keywords_of_set_params(RNNRegressor)
