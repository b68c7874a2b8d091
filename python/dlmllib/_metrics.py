"""``evaluate`` in a Spark Connect client: the server does not let a client call a third-party
model's ``evaluate`` (it is on Spark's allow-list for Spark's own models only), so the metrics come
from Spark's evaluators over ``transform``'s output, under the names the summaries use."""

from pyspark.ml.evaluation import MulticlassClassificationEvaluator, RegressionEvaluator
from pyspark.sql import DataFrame


class _EvaluatorMetrics:
    _evaluator = None

    def __init__(self, predictions: DataFrame, predictionCol: str, labelCol: str):
        self.predictions = predictions
        self.predictionCol = predictionCol
        self.labelCol = labelCol

    def _metric(self, name: str, **params) -> float:
        evaluator = self._evaluator(
            predictionCol=self.predictionCol, labelCol=self.labelCol, metricName=name, **params
        )
        return evaluator.evaluate(self.predictions)


class ClassificationMetrics(_EvaluatorMetrics):
    """Spark's multiclass metrics of a model's predictions (MulticlassClassificationEvaluator)."""

    _evaluator = MulticlassClassificationEvaluator

    @property
    def labels(self) -> list[float]:
        rows = self.predictions.select(self.labelCol).distinct().collect()
        return sorted(r[0] for r in rows)

    @property
    def accuracy(self) -> float:
        return self._metric("accuracy")

    @property
    def weightedPrecision(self) -> float:
        return self._metric("weightedPrecision")

    @property
    def weightedRecall(self) -> float:
        return self._metric("weightedRecall")

    @property
    def weightedTruePositiveRate(self) -> float:
        return self._metric("weightedTruePositiveRate")

    @property
    def weightedFalsePositiveRate(self) -> float:
        return self._metric("weightedFalsePositiveRate")

    def weightedFMeasure(self, beta: float = 1.0) -> float:
        return self._metric("weightedFMeasure", beta=beta)

    def _by_label(self, name: str) -> list[float]:
        return [self._metric(name, metricLabel=label) for label in self.labels]

    @property
    def precisionByLabel(self) -> list[float]:
        return self._by_label("precisionByLabel")

    @property
    def recallByLabel(self) -> list[float]:
        return self._by_label("recallByLabel")

    @property
    def truePositiveRateByLabel(self) -> list[float]:
        return self._by_label("truePositiveRateByLabel")

    @property
    def falsePositiveRateByLabel(self) -> list[float]:
        return self._by_label("falsePositiveRateByLabel")

    def fMeasureByLabel(self, beta: float = 1.0) -> list[float]:
        return [
            self._metric("fMeasureByLabel", metricLabel=label, beta=beta) for label in self.labels
        ]


class RegressionMetrics(_EvaluatorMetrics):
    """Regression metrics of a model's predictions (RegressionEvaluator)."""

    _evaluator = RegressionEvaluator

    @property
    def rootMeanSquaredError(self) -> float:
        return self._metric("rmse")

    @property
    def meanSquaredError(self) -> float:
        return self._metric("mse")

    @property
    def meanAbsoluteError(self) -> float:
        return self._metric("mae")

    @property
    def r2(self) -> float:
        return self._metric("r2")

    @property
    def explainedVariance(self) -> float:
        return self._metric("var")
