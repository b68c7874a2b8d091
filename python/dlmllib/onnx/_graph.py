"""The ONNX graph under construction: nodes, constant initializers and unique names."""

import numpy as np


class Graph:
    """Collects nodes and initializers; every tensor it names is unique in the graph.

    `lengths` is the name of the int32 per-row lengths tensor (ONNX `sequence_lens`), or None
    when every row has the full length."""

    def __init__(self, lengths=None):
        import onnx.helper  # noqa: F401  (fails early when the onnx extra is missing)

        self.nodes = []
        self.initializers = []
        self.lengths = lengths
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, array, hint: str) -> str:
        """An initializer holding `array` (float32 unless it is an integer array)."""
        from onnx import numpy_helper

        a = np.asarray(array)
        if a.dtype.kind == "f":
            a = a.astype(np.float32)
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(a), name))
        return name

    def op(self, op_type: str, inputs, hint: str = "", outputs: int = 1, **attrs):
        """Adds a node; returns its output name, or a list of names when `outputs` > 1."""
        from onnx import helper

        names = [self.name(hint or op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), names, **attrs))
        return names[0] if outputs == 1 else names


def activation(g: Graph, x: str, name: str) -> str:
    """The element-wise activation of a layer (Activation.scala); leakyrelu's slope is 0.01."""
    if name == "relu":
        return g.op("Relu", [x])
    if name == "leakyrelu":
        return g.op("LeakyRelu", [x], alpha=0.01)
    if name == "sigmoid":
        return g.op("Sigmoid", [x])
    if name == "tanh":
        return g.op("Tanh", [x])
    if name == "linear":
        return x
    raise ValueError(f"unknown activation `{name}`")
