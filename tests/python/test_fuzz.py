"""Property test: random layer specs, shapes, params and malformed rows. Every fit either trains
or raises IllegalArgumentException (the Java class, checked through py4j) with a message; never
another exception, never a hang."""

import math
import signal
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py4j.protocol import Py4JJavaError
from pyspark.errors import IllegalArgumentException
from pyspark.ml.linalg import Vectors, VectorUDT
from pyspark.sql.types import DoubleType, StructField, StructType

from dlmllib import CNNClassifier, RNNRegressor

OUTCOMES: Counter = Counter()
SECONDS_PER_CASE = 60  # a case taking longer counts as a hang
SCHEMA = StructType([StructField("features", VectorUDT()), StructField("label", DoubleType())])


def mostly(valid, invalid, one_in: int = 12):
    """`valid`, but one draw in `one_in` from `invalid`."""
    return st.integers(1, one_in).flatmap(lambda i: invalid if i == one_in else valid)


numbers = mostly(st.floats(-2, 2), st.sampled_from([1e30, math.nan, math.inf, -math.inf]))
activations = mostly(st.sampled_from(["relu", "tanh", "sigmoid", "none"]), st.just("bogus"))
cnn_layer = mostly(
    st.one_of(
        st.builds("dense({}, {})".format, st.integers(1, 8), activations),
        st.builds(
            "conv2d({}, {}, relu, padding=same)".format, st.integers(1, 4), st.integers(1, 3)
        ),
        st.builds("conv2d({}, {}, relu)".format, st.integers(1, 4), st.integers(1, 5)),
        st.builds("maxpool({})".format, st.integers(1, 3)),
        st.builds("dropout({})".format, st.sampled_from([0.0, 0.3])),
        st.sampled_from(["flatten", "globalavgpool", "batchnorm"]),
    ),
    st.one_of(
        st.builds("dense({}, relu)".format, st.integers(-1, 0)),
        st.builds("conv2d({}, {}, relu)".format, st.integers(-1, 0), st.integers(0, 1)),
        st.sampled_from(["maxpool(0)", "dropout(1.5)", "dense(", "nonsense(2)", ""]),
    ),
    one_in=8,
)
params = st.fixed_dictionaries(
    {
        "maxIter": mostly(st.integers(1, 2), st.just(0)),
        "batchSize": mostly(st.integers(1, 5), st.sampled_from([0, -3])),
        "stepSize": mostly(st.sampled_from([1e-3, 0.1]), st.sampled_from([-1.0, 0.0, 1e12])),
        "solver": mostly(st.sampled_from(["adam", "sgd", "momentum"]), st.just("bogus")),
        "localSteps": mostly(st.integers(0, 3), st.just(-1)),
        "clipNorm": mostly(st.sampled_from([0.0, 1.0]), st.just(-1.0)),
        "patience": mostly(st.integers(0, 2), st.just(-1)),
        "frozenLayers": mostly(st.sampled_from([[], [], [0]]), st.sampled_from([[7], [-1]])),
    }
)


@st.composite
def rows(draw, size: int, labels):
    """Feature vectors of `size` values, some malformed (a value missing or extra, NaN, null)."""
    out = []
    for _ in range(draw(mostly(st.integers(2, 10), st.just(0)))):
        n = size + draw(mostly(st.just(0), st.sampled_from([-1, 1]), one_in=30))
        values = [draw(mostly(st.floats(-2, 2), numbers, one_in=50)) for _ in range(n)]
        features = draw(mostly(st.just(Vectors.dense(values)), st.none(), one_in=40))
        out.append((features, draw(labels)))
    return out


class_labels = mostly(
    st.sampled_from([0.0, 1.0, 2.0]), st.sampled_from([-1.0, 0.5, math.nan, None]), one_in=30
)
cnn_case = st.tuples(
    st.just("cnn"),
    st.lists(st.integers(1, 4), min_size=3, max_size=3),
    st.lists(cnn_layer, min_size=1, max_size=3).map("; ".join),
    params,
)
rnn_case = st.tuples(
    st.just("rnn"),
    st.lists(st.integers(1, 5), min_size=2, max_size=2),
    st.fixed_dictionaries(
        {
            "cellType": mostly(st.sampled_from(["lstm", "gru", "rnn"]), st.just("bogus")),
            "hiddenSize": mostly(st.integers(1, 6), st.just(0)),
            "numLayers": mostly(st.integers(1, 2), st.just(0)),
        }
    ),
    params,
)


def fit(spark, case, data):
    family, shape, net, common = case
    if family == "cnn":
        estimator = CNNClassifier(inputShape=shape, layers=net, **common)
    else:
        estimator = RNNRegressor(inputShape=shape, **net, **common)
    df = spark.createDataFrame(data, SCHEMA)
    return estimator.fit(df)


def timeout(signum, frame):
    raise TimeoutError(f"a case ran longer than {SECONDS_PER_CASE} s")


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\nfuzz: {sum(OUTCOMES.values())} cases: {dict(OUTCOMES)}")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=st.one_of(cnn_case, rnn_case), data=st.data())
def test_every_case_trains_or_raises_illegal_argument(spark, case, data):
    family, shape, _, _ = case
    size = math.prod(shape)
    labels = class_labels if family == "cnn" else class_labels.map(lambda y: y and y * 0.3)
    training = data.draw(rows(size, labels))
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(SECONDS_PER_CASE)
    try:
        model = fit(spark, case, training)
        assert model.summary.totalIterations == case[3]["maxIter"]
        OUTCOMES["trained"] += 1
    except IllegalArgumentException as e:
        origin = e._origin
        iae = spark._jvm.java.lang.Class.forName("java.lang.IllegalArgumentException")
        assert iae.isInstance(origin), origin.getClass().getName()
        assert origin.getMessage(), "an IllegalArgumentException without a message"
        OUTCOMES[f"IllegalArgumentException ({origin.getClass().getSimpleName()})"] += 1
    except Py4JJavaError as e:
        pytest.fail(f"{case} {training}: {e.java_exception.getClass().getName()}: {e}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
