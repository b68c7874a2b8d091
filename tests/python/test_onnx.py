"""dlmllib.onnx.export: every layer kind, fitted briefly on real data, exported, checked by the ONNX
checker and run in onnxruntime, agrees with transform (≤ 1e-4 on probabilities and regression
outputs). The largest difference per kind is printed at the end of the module."""

import importlib.util
from pathlib import Path

import numpy as np
import onnx_models as om
import pytest

import dlmllib.onnx
from dlmllib import (
    CNNClassificationModel,
    CNNClassifier,
    CNNRegressionModel,
    CNNRegressor,
    RNNClassifier,
    RNNRegressor,
)
from dlmllib.onnx import _spec

TOLERANCE = 1e-4
DIFFERENCES = {}


@pytest.fixture(scope="module", autouse=True)
def report(request):
    """Prints the largest difference per layer kind after the module, past output capturing."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and DIFFERENCES:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nONNX opset {dlmllib.onnx.OPSET}: largest |onnxruntime - transform|"
            )
            for kind, diff in DIFFERENCES.items():
                reporter.write_line(f"  {kind:<32} {diff:.1e}")


def record(kinds, diff: float) -> None:
    for kind in (kinds,) if isinstance(kinds, str) else kinds:
        DIFFERENCES[kind] = max(diff, DIFFERENCES.get(kind, 0.0))
    assert diff <= TOLERANCE, f"{kinds}: {diff}"


def check(kinds, model, inputs, tmp_path, lengths: bool = False) -> None:
    """Records and bounds the largest difference of `model` exported (`kinds` are what it tests)."""
    record(kinds, om.largest_difference(model, inputs, tmp_path, lengths))


FIT = dict(maxIter=2, batchSize=32, seed=7)


@pytest.fixture(scope="module")
def digits(spark):
    return om.digits(spark)


@pytest.fixture(scope="module")
def italy(spark):
    return om.italy(spark)


def cnn(digits, layers: str):
    return CNNClassifier(inputShape=[1, 8, 8], layers=layers, **FIT).fit(digits.df)


CNN_KINDS = {
    ("dense (4 activations)", "dropout"): "dense(16, relu); dropout(0.5); dense(12, leakyrelu);"
    " dense(12, sigmoid); dropout(0.2); dense(12, tanh)",
    ("conv2d stride/padding", "flatten"): "conv2d(4, 3, relu, stride=2, padding=same);"
    " conv2d(6, 2, leakyrelu); conv2d(4, 3, tanh, padding=same); flatten(); dense(8, relu)",
    ("maxpool", "avgpool"): "conv2d(4, 3, relu, padding=same); maxpool(2, stride=1);"
    " avgpool(3, stride=2)",
    ("globalavgpool",): "conv2d(6, 3, relu); globalavgpool()",
    ("batchnorm",): "conv2d(4, 3, padding=same); batchnorm(); flatten(); dense(16);"
    " batchnorm(momentum=0.3, eps=0.001)",
    ("residual",): "conv2d(8, 3, relu, padding=same); residual(8, 3); residual(12, 3, stride=2);"
    " globalavgpool()",
}


@pytest.mark.parametrize("kinds", CNN_KINDS, ids=" + ".join)
def test_cnn_layers(digits, tmp_path, kinds):
    check(kinds, cnn(digits, CNN_KINDS[kinds]), digits, tmp_path)


# No Estimator builds a conv1d (CNNs read [C, H, W], RNNs have a fixed design), but the layer
# spec has it and a saved model may hold it: this one is written with random weights and
# loaded by Spark.
CONV1D = (
    "conv1d(6, 3, relu, stride=2, padding=same); batchnorm(); conv1d(4, 2, tanh);"
    " lstm(5, sequences=true); dense(2)"
)


def conv1d_model(tmp_path):
    shapes, offsets, _, total = _spec.shapes_and_offsets(_spec.parse(CONV1D), (24, 1))
    weights = np.random.default_rng(3).normal(0.0, 0.4, total).astype(np.float32)
    bn = offsets[1], offsets[2]
    weights[bn[0] : bn[1]] = np.abs(weights[bn[0] : bn[1]])  # positive running variances
    cls = "dlmllib.classification.CNNClassificationModel"
    return om.write_saved(tmp_path / "conv1d", cls, (24, 1), CONV1D, 2, weights)


def test_conv1d_over_a_fixed_number_of_steps(spark, tmp_path):
    model = CNNClassificationModel.load(conv1d_model(tmp_path))
    check(
        ("conv1d", "batchnorm [T, F]", "lstm sequences=true"),
        model,
        om.italy(spark, True),
        tmp_path,
    )


@pytest.mark.parametrize(
    "kind, params",
    [
        ("lstm", dict(cellType="lstm", hiddenSize=8)),
        ("simple rnn, stacked", dict(cellType="rnn", hiddenSize=8, numLayers=2, dropout=0.2)),
        (
            "lstm, stacked bidirectional",
            dict(cellType="lstm", hiddenSize=6, numLayers=2, bidirectional=True),
        ),
    ],
)
def test_recurrent_layers(italy, tmp_path, kind, params):
    model = RNNClassifier(**params, **FIT).fit(italy.df)
    check(kind, model, italy, tmp_path)


def test_bidirectional_gru_on_six_sensors(spark, tmp_path):
    inputs = om.motions(spark)
    model = RNNClassifier(cellType="gru", hiddenSize=8, bidirectional=True, **FIT).fit(inputs.df)
    check("gru, bidirectional", model, inputs, tmp_path)


@pytest.fixture(scope="module")
def variable_length_model(italy):
    params = dict(cellType="gru", hiddenSize=6, numLayers=2, bidirectional=True)
    return RNNClassifier(**params, **FIT).fit(italy.df)


def test_single_sequences_of_any_length(spark, variable_length_model, tmp_path):
    inputs = om.ragged(spark)
    path = dlmllib.onnx.export(variable_length_model, str(tmp_path / "m.onnx"))
    want = om.transformed(variable_length_model, inputs)["probability"]
    assert inputs.lengths.min() < 24 < inputs.lengths.max()  # shorter and longer than trained
    diff, session = 0.0, om.session(path)
    for i, n in enumerate(inputs.lengths):
        alone = om.Inputs(None, inputs.x[i : i + 1, :n])
        got = om.onnx_outputs(session, alone)["probability"][0]
        diff = max(diff, float(np.abs(got - want[i]).max()))
    record("variable length, one sequence", diff)


def test_padded_batch_with_lengths(spark, variable_length_model, tmp_path):
    inputs = om.ragged(spark)
    check("variable length, padded batch", variable_length_model, inputs, tmp_path, lengths=True)
    # The lengths matter: read as full-length rows, the padded ones give other probabilities.
    path = dlmllib.onnx.export(variable_length_model, tmp_path / "no_lengths.onnx")
    padded = om.onnx_outputs(om.session(path), inputs)["probability"]
    want = om.transformed(variable_length_model, inputs)["probability"]
    assert np.abs(padded - want).max() > 1e-3


def test_embedding_with_lengths(spark, tmp_path):
    inputs = om.tokens(spark)
    params = dict(vocabSize=8570, embeddingDim=8, cellType="lstm", hiddenSize=8, bidirectional=True)
    model = RNNClassifier(**params, **FIT).fit(inputs.df)
    check("embedding (+ bi-lstm, lengths)", model, inputs, tmp_path, lengths=True)
    graph = dlmllib.onnx._export.build(dlmllib.onnx._saved.read_model(model), lengths=True)
    assert graph.graph.input[0].type.tensor_type.elem_type == 7  # int64 token ids


def test_cnn_regressor_and_export_from_a_saved_path(digits, tmp_path):
    model = CNNRegressor(inputShape=[1, 8, 8], layers="conv2d(4, 3, relu); maxpool(2)", **FIT)
    model = model.fit(digits.df)
    check("cnn regressor", model, digits, tmp_path)
    model.save(str(tmp_path / "saved"))
    from_path = dlmllib.onnx.export(tmp_path / "saved", tmp_path / "from_path.onnx")
    assert open(from_path, "rb").read() == open(tmp_path / "model.onnx", "rb").read()
    loaded = CNNRegressionModel.load(str(tmp_path / "saved"))
    assert om.transformed(loaded, digits)["prediction"].tolist() == (
        om.transformed(model, digits)["prediction"].tolist()
    )


def test_rnn_regressor(spark, tmp_path):
    inputs = om.sunspots(spark)
    model = RNNRegressor(cellType="gru", hiddenSize=8, numLayers=2, **FIT).fit(inputs.df)
    check("rnn regressor", model, inputs, tmp_path)


def test_unsupported_cases_fail_at_export_naming_the_layer(digits, tmp_path):
    cls = "dlmllib.classification.RNNClassificationModel"
    saved = om.write_saved(
        tmp_path / "new",
        cls,
        (5, 2),
        "lstm(3); attention(4); dense(2)",
        2,
        np.zeros(92, np.float32),
    )
    with pytest.raises(ValueError, match=r"layer 2 `attention\(4\)`: unknown layer"):
        dlmllib.onnx.export(saved, tmp_path / "new.onnx")
    with pytest.raises(ValueError, match=r"lengths through layer 1 `conv1d\(6, 3, relu"):
        dlmllib.onnx.export(conv1d_model(tmp_path), tmp_path / "c.onnx", lengths=True)
    with pytest.raises(ValueError, match="lengths=True needs a recurrent network"):
        dlmllib.onnx.export(cnn(digits, "dense(4)"), tmp_path / "d.onnx", lengths=True)
    with pytest.raises(ValueError, match="holds no saved dlmllib model"):
        dlmllib.onnx.export(tmp_path, tmp_path / "e.onnx")
    assert not list(tmp_path.glob("*.onnx"))


def test_the_example_trains_exports_and_serves(spark, tmp_path):
    path = Path(__file__).resolve().parents[2] / "examples" / "onnx_export.py"
    spec = importlib.util.spec_from_file_location("onnx_export_example", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    model, test = example.train(spark, epochs=1)
    onnx_file = dlmllib.onnx.export(model, tmp_path / "digits.onnx")
    rows = model.transform(test).select("pixels", "probability").collect()
    probability = example.serve(onnx_file, [r.pixels for r in rows])
    assert probability.shape == (len(rows), 10)
    record("example", np.abs(probability - [r.probability.toArray() for r in rows]).max())
