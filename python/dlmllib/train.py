"""Training summaries; mirrors the Scala package ``dlmllib.train``."""

from pyspark.ml.util import HasTrainingSummary
from pyspark.ml.wrapper import JavaWrapper

from dlmllib import _connect


class NetworkTrainingSummary(JavaWrapper):
    """What a dlmllib model remembers of its training, one entry per epoch."""

    def _call_java(self, name, *args):
        # A Connect server answers only objectiveHistory and totalIterations (Spark's
        # TrainingSummary) directly; everything comes in toString's JSON.
        if _connect.remote() and name != "toString":
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
        """Epochs run (fewer than maxIter when training stopped early)."""
        return self._call_java("totalIterations")

    @property
    def secondsPerEpoch(self) -> list[float]:
        return list(self._call_java("secondsPerEpoch"))

    @property
    def samplesPerSecond(self) -> list[float]:
        return list(self._call_java("samplesPerSecond"))


class _NetworkModel(HasTrainingSummary):
    """What every dlmllib model adds to its Spark base: the network and its training summary."""

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

    @property
    def summary(self) -> NetworkTrainingSummary:
        """Per-epoch training history; raises when the model was loaded rather than trained."""
        if not self.hasSummary:
            raise RuntimeError(f"No training summary available for this {type(self).__name__}")
        # PySpark 4.0 gives the JVM object (or its Connect reference), 4.1+ wraps it in _summaryCls.
        found = super().summary
        return found if isinstance(found, NetworkTrainingSummary) else NetworkTrainingSummary(found)

    @property
    def _summaryCls(self) -> type:
        return NetworkTrainingSummary

    def _summary_dataset(self, train_dataset):
        # What a Spark 4.1+ Connect client resends to restore the summary of an offloaded model.
        return train_dataset
