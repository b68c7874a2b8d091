"""What every dlmllib model adds to its Spark base; mirrors the Scala package ``dlmllib.ml``."""

from pyspark.ml.util import HasTrainingSummary
from pyspark.ml.wrapper import JavaWrapper
from pyspark.sql import DataFrame, SparkSession

from dlmllib import _connect


class NetworkTrainingSummary(JavaWrapper):
    """The per-epoch histories of a training run, one entry per epoch; mixed into the
    classification and regression training summaries."""

    # What a Connect server lets a client read of the histories only through toString's JSON
    # (scala/dlmllib/ml/TrainingHistoryJson.scala); Spark's metrics are on its allow-list.
    _HISTORY_FIELDS = frozenset(
        "objectiveHistory validationLossHistory validationHistory validationMetricName "
        "totalIterations secondsPerEpoch samplesPerSecond stopReason bestEpoch "
        "resumedFromEpoch".split()
    )

    def _call_java(self, name, *args):
        if _connect.remote() and name in self._HISTORY_FIELDS:
            return _connect.summary_field(self, name)
        return super()._call_java(name, *args)

    @property
    def objectiveHistory(self) -> list[float]:
        """Mean training loss of each epoch."""
        return list(self._call_java("objectiveHistory"))

    @property
    def validationHistory(self) -> list[float]:
        """Validation metric after each epoch (see validationMetricName); empty without a
        validation column."""
        return list(self._call_java("validationHistory"))

    @property
    def validationLossHistory(self) -> list[float]:
        """Validation loss after each epoch; empty without a validation column."""
        return list(self._call_java("validationLossHistory"))

    @property
    def validationMetricName(self) -> str:
        """``accuracy`` (classifiers) or ``rmse`` (regressors)."""
        return self._call_java("validationMetricName")

    @property
    def totalIterations(self) -> int:
        """Epochs run, those before a resumed checkpoint included (fewer than maxIter when
        training stopped early)."""
        return self._call_java("totalIterations")

    @property
    def stopReason(self) -> str:
        """Why training ended: ``maxIter`` (every epoch ran) or ``earlyStop`` (patience epochs
        without improvement; the model holds the best epoch's weights)."""
        return self._call_java("stopReason")

    @property
    def bestEpoch(self) -> int:
        """The epoch (from 1) whose weights the model holds: the last one, or with early stopping
        (patience > 0) the one with the lowest watched loss."""
        return self._call_java("bestEpoch")

    @property
    def resumedFromEpoch(self) -> int:
        """The epoch of the checkpoint this fit resumed from; 0 when it started afresh."""
        return self._call_java("resumedFromEpoch")

    @property
    def secondsPerEpoch(self) -> list[float]:
        """Wall-clock seconds of each epoch (validation included)."""
        return list(self._call_java("secondsPerEpoch"))

    @property
    def samplesPerSecond(self) -> list[float]:
        """Training samples per second of each epoch."""
        return list(self._call_java("samplesPerSecond"))

    @property
    def historyDF(self) -> DataFrame:
        """The per-epoch histories as a DataFrame, one row per epoch: ``epoch`` (from 1),
        ``loss``, ``validationLoss`` and ``validation<Metric>`` (null without a validation
        column), ``seconds`` and ``samplesPerSecond``."""
        loss, seconds = self.objectiveHistory, self.secondsPerEpoch
        n = len(loss)
        val_loss = self.validationLossHistory or [None] * n
        val_metric = self.validationHistory or [None] * n
        metric = "validation" + self.validationMetricName.capitalize()
        rows = zip(range(1, n + 1), loss, val_loss, val_metric, seconds, self.samplesPerSecond)
        schema = (
            f"epoch int, loss double, validationLoss double, {metric} double, seconds double, "
            "samplesPerSecond double"
        )
        return SparkSession.active().createDataFrame(list(rows), schema)


class _NetworkModel(HasTrainingSummary):
    """What every dlmllib model adds to its Spark base: the network, the batch size of transform
    and the training summary (whose class the subclass names in ``_summary_class``)."""

    _summary_class: type

    @property
    def networkSpec(self) -> str:
        """The trained network (output layer included) in the layer-spec DSL."""
        if _connect.remote():
            return _connect.model_network(self)[1]
        return self._call_java("network").toSpec()

    @property
    def numWeights(self) -> int:
        if _connect.remote():
            return _connect.model_network(self)[0]
        return self._call_java("network").numWeights()

    def setBatchSize(self, value: int):
        """Rows per batch of ``transform`` (the training batch size unless set)."""
        return self._set(batchSize=value)

    @property
    def summary(self):
        """The training summary: Spark's metrics on the training data and the per-epoch
        histories; raises when the model was loaded rather than trained."""
        if not self.hasSummary:
            raise RuntimeError(f"No training summary available for this {type(self).__name__}")
        # PySpark 4.0 gives the JVM object (or its Connect reference), 4.1+ wraps it in _summaryCls.
        found = super().summary
        return found if isinstance(found, self._summary_class) else self._summary_class(found)

    @property
    def _summaryCls(self) -> type:
        return self._summary_class

    def _summary_dataset(self, train_dataset):
        # What a Spark 4.1+ Connect client resends to restore the summary of an offloaded model.
        return train_dataset
