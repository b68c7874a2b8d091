"""The whole graph: the input, one builder per layer, the outputs transform gives."""

import os

import numpy as np

from dlmllib.onnx import _feedforward, _recurrent, _saved, _spec
from dlmllib.onnx._graph import Graph

OPSET = 17
IR_VERSION = 8  # the IR of opset 17: onnxruntime 1.15 on read it

BUILDERS = {**_feedforward.BUILDERS, **_recurrent.BUILDERS}
_SEQUENCE_LAYERS = ("embedding", "dropout", "lstm", "gru", "rnn")


def _layer_name(layers, i: int) -> str:
    return f"layer {i + 1} `{layers[i].text}`"


def _check_supported(layers) -> None:
    for i, layer in enumerate(layers):
        if layer.name not in BUILDERS:
            raise ValueError(
                f"dlmllib.onnx cannot export {_layer_name(layers, i)}: unknown layer "
                f"`{layer.name}`; it exports {', '.join(sorted(BUILDERS))}"
            )
        if layer.name == "embedding" and i > 0:
            raise ValueError(
                f"dlmllib.onnx cannot export {_layer_name(layers, i)}: an embedding reads token "
                "ids, so it must be the first layer"
            )


def _dynamic_steps(layers, input_shape) -> bool:
    """Whether the number of time steps may vary: a sequence network whose weights do not depend
    on it (as NetworkModel.resized requires), and no conv1d (its output length is fixed here)."""
    sequences = len(input_shape) == 2 or (layers[0].name == "embedding")
    if not sequences or any(layer.name == "conv1d" for layer in layers):
        return False
    longer = (input_shape[0] + 1,) + tuple(input_shape[1:])
    totals = (_spec.shapes_and_offsets(layers, s)[3] for s in (input_shape, longer))
    return len(set(totals)) == 1


def _check_lengths(layers, dynamic: bool) -> None:
    """Per-row lengths reach the recurrent layers as ONNX `sequence_lens`; only layers that keep
    time steps apart may come before the last recurrent one."""
    recurrent = [i for i, layer in enumerate(layers) if layer.name in ("lstm", "gru", "rnn")]
    for i in range(recurrent[-1] if recurrent else 0):
        if layers[i].name not in _SEQUENCE_LAYERS:
            raise ValueError(
                f"lengths=True cannot pass per-row lengths through {_layer_name(layers, i)}: "
                f"before the last recurrent layer only {', '.join(_SEQUENCE_LAYERS)} may come"
            )
    if not recurrent or not dynamic:
        raise ValueError(
            "lengths=True needs a recurrent network over sequences of any length (an RNN "
            f"model); this network is {'; '.join(layer.text for layer in layers)}"
        )


def _inputs(g: Graph, saved: _saved.Saved, embedded: bool, dynamic: bool, lengths: bool):
    """`features` (token ids for an embedding) and, with `lengths`, the per-row lengths, which
    every recurrent layer reads as int32 `sequence_lens`."""
    from onnx import TensorProto, helper

    steps = ["T"] if dynamic else list(saved.input_shape[:1])
    dims = ["N"] + steps + ([] if embedded else list(saved.input_shape[1:]))
    element = TensorProto.INT64 if embedded else TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info("features", element, dims)]
    if lengths:
        inputs.append(helper.make_tensor_value_info("lengths", TensorProto.INT64, ["N"]))
        g.lengths = g.op("Cast", ["lengths"], to=TensorProto.INT32)
    return inputs


def _outputs(g: Graph, x: str, num_classes: int):
    """What transform adds: rawPrediction and probability, or a regressor's prediction."""
    from onnx import TensorProto, helper

    if num_classes > 0:
        g.nodes.append(helper.make_node("Identity", [x], ["rawPrediction"]))
        g.nodes.append(helper.make_node("Softmax", [x], ["probability"], axis=1))
        return [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", num_classes])
            for name in ("rawPrediction", "probability")
        ]
    shape = g.const(np.array([-1], np.int64), "shape")
    g.nodes.append(helper.make_node("Reshape", [x, shape], ["prediction"]))
    return [helper.make_tensor_value_info("prediction", TensorProto.FLOAT, ["N"])]


def build(saved: _saved.Saved, lengths: bool = False):
    """The ONNX model of a saved network."""
    from onnx import helper

    import dlmllib

    layers = _spec.parse(saved.layers)
    _check_supported(layers)
    shapes, offsets, out_shape, total = _spec.shapes_and_offsets(layers, saved.input_shape)
    if total != saved.weights.size:
        raise ValueError(
            f"the network {saved.layers} needs {total} weights, found {saved.weights.size}"
        )
    dynamic = _dynamic_steps(layers, saved.input_shape)
    if lengths:
        _check_lengths(layers, dynamic)
    g = Graph()
    inputs = _inputs(g, saved, layers[0].name == "embedding", dynamic, lengths)
    x = "features"
    for layer, shape, offset in zip(layers, shapes, offsets):
        n = _spec.num_weights(layer, shape)
        x = BUILDERS[layer.name](g, layer, x, shape, saved.weights[offset : offset + n])
    outputs = _outputs(g, _feedforward.flat(g, x, out_shape), saved.num_classes)
    model = helper.make_model(
        helper.make_graph(g.nodes, "dlmllib", inputs, outputs, g.initializers),
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="dlmllib",
        producer_version=dlmllib.__version__,
        doc_string=f"{saved.class_name} {saved.uid}: {saved.layers}",
    )
    props = {"class": saved.class_name, "inputShape": list(saved.input_shape)}
    props["layers"] = saved.layers
    helper.set_model_props(model, {f"dlmllib.{k}": str(v) for k, v in props.items()})
    return model


def export(model, path, *, lengths: bool = False) -> str:
    """Writes `model` as an ONNX file at `path` (opset 17) and returns the path.

    `model` is a fitted dlmllib Model, saved through its writer to a temporary local directory
    (so Spark must write on this machine: local mode, or a Spark Connect server here; on a
    cluster, save the model yourself), or the path of a saved one, read with pyarrow (no Spark).
    With `lengths=True` the graph also takes per-row lengths of a padded batch (recurrent
    networks). Inputs, outputs and limits: dlmllib.onnx.
    Raises ValueError naming the layer a network cannot be exported for."""
    try:
        import onnx
    except ImportError as e:
        raise ImportError(
            "dlmllib.onnx needs the onnx and pyarrow packages: pip install 'dlmllib[onnx]'"
        ) from e
    if isinstance(model, (str, os.PathLike)):
        saved = _saved.read(os.fspath(model))
    elif hasattr(model, "write"):
        saved = _saved.read_model(model)
    else:
        raise TypeError(
            f"model must be a fitted dlmllib Model or the path of a saved one, found "
            f"{type(model).__name__}"
        )
    onnx.save(build(saved, lengths), os.fspath(path))
    return os.fspath(path)
