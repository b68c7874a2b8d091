"""The training params from Python: every epoch by default, summary fields, fine-tuning, and
Spark's thresholds contract."""

import pytest
from datasets import digits
from pyspark.errors import IllegalArgumentException

from dlmllib import CNNClassifier


@pytest.fixture(scope="module")
def train(spark):
    return digits(spark, "train", limit=300).cache()


def small(**kwargs) -> CNNClassifier:
    return CNNClassifier(inputShape=[1, 8, 8], layers="dense(16, relu)", stepSize=0.01, **kwargs)


def test_defaults_run_every_epoch_and_the_summary_says_so(train):
    assert small().getPatience() == 0
    summary = small(maxIter=4, tol=10.0).fit(train).summary
    assert summary.totalIterations == 4
    assert (summary.stopReason, summary.bestEpoch, summary.resumedFromEpoch) == ("maxIter", 4, 0)
    stopped = small(maxIter=20, patience=1, tol=10.0).fit(train).summary
    assert (stopped.stopReason, stopped.totalIterations, stopped.bestEpoch) == ("earlyStop", 2, 1)


def test_initial_model_object_and_frozen_layers(train):
    base = small(maxIter=2).fit(train)
    tuned = small(maxIter=1, frozenLayers=[0]).setInitialModel(base).fit(train)
    assert tuned.getFrozenLayers() == [0] and tuned.getInitialModel()
    n = base._call_java("network").layerWeights(0)._2()
    assert list(tuned._call_java("weights"))[:n] == list(base._call_java("weights"))[:n]
    assert list(tuned._call_java("weights"))[n:] != list(base._call_java("weights"))[n:]


def test_thresholds_of_the_wrong_length_fail_with_sparks_message(train, spark):
    model = small(maxIter=1).fit(train)
    model.setThresholds([0.5, 0.5])
    with pytest.raises(
        IllegalArgumentException, match="numClasses=10, but thresholds has length 2"
    ):
        model.transform(digits(spark, "test", limit=10))
