"""The layer-spec DSL of a saved network (scala/dlmllib/nn/LayerSpec.scala), read back into layers
with the shape and weight-count rules of each layer (scala/dlmllib/nn/<Layer>.scala), so that
every layer finds its slice of the flat weight vector."""

import math
from dataclasses import dataclass, field
from typing import Optional

Shape = tuple[int, ...]

# Each layer's parameters in positional order, as LayerSpec.scala declares them.
_PARAMS = {
    "dense": ("units", "activation"),
    "conv2d": ("filters", "kernel", "activation", "stride", "padding"),
    "conv1d": ("filters", "kernel", "activation", "stride", "padding"),
    "maxpool": ("size", "stride"),
    "avgpool": ("size", "stride"),
    "globalavgpool": (),
    "flatten": (),
    "dropout": ("rate",),
    "batchnorm": ("momentum", "eps"),
    "residual": ("filters", "kernel", "stride"),
    "lstm": ("units", "sequences", "bidirectional"),
    "gru": ("units", "sequences", "bidirectional"),
    "rnn": ("units", "sequences", "bidirectional"),
    "embedding": ("vocabsize", "dim"),
}
_ALIASES = {
    "maxpool2d": "maxpool",
    "avgpool2d": "avgpool",
    "globalavgpool2d": "globalavgpool",
    "batchnorm2d": "batchnorm",
    "kernel_size": "kernel",
    "kernelsize": "kernel",
    "hidden": "units",
    "hiddensize": "units",
    "returnsequences": "sequences",
    "return_sequences": "sequences",
    "vocab": "vocabsize",
}
_GATES = {"lstm": 4, "gru": 3, "rnn": 1}


@dataclass
class Layer:
    """One layer of a spec: its name, its arguments by parameter name (as written) and its text."""

    name: str
    args: dict = field(default_factory=dict)
    text: str = ""

    def int_arg(self, key: str, default: Optional[int] = None) -> int:
        return int(self.args[key]) if key in self.args else default

    def float_arg(self, key: str, default: float) -> float:
        return float(self.args[key]) if key in self.args else default

    def flag(self, key: str) -> bool:
        return self.args.get(key, "false").lower() == "true"

    def word(self, key: str, default: str) -> str:
        return self.args.get(key, default).lower()


def parse(spec: str) -> list[Layer]:
    """The layers of a spec printed by dlmllib (`Network.toSpec`)."""
    layers = []
    for text in (t.strip() for t in spec.split(";")):
        if not text:
            continue
        name, _, rest = text.partition("(")
        name = _ALIASES.get(name.strip().lower(), name.strip().lower())
        layer = Layer(name, text=text)
        params = _PARAMS.get(name, ())
        values = [a.strip() for a in rest.rstrip(")").split(",") if a.strip()]
        for i, value in enumerate(values):
            key, eq, v = value.partition("=")
            if eq:
                k = key.strip().lower()
                layer.args[_ALIASES.get(k, k)] = v.strip()
            elif i < len(params):
                layer.args[params[i]] = value
        layers.append(layer)
    return layers


def out_length(padding: str, n: int, kernel: int, stride: int) -> int:
    """Output length along one axis (Padding.scala): valid or same (Keras)."""
    if padding == "same":
        return (n + stride - 1) // stride
    return 0 if n < kernel else (n - kernel) // stride + 1


def pads(padding: str, n: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros before and after along one axis; the odd zero of `same` goes after."""
    if padding != "same":
        return 0, 0
    total = max((out_length("same", n, kernel, stride) - 1) * stride + kernel - n, 0)
    return total // 2, total - total // 2


def recurrent_weights_per_direction(layer: Layer, features: int) -> int:
    gh = _GATES[layer.name] * layer.int_arg("units")
    return gh * features + gh * layer.int_arg("units") + 2 * gh


def gates(layer: Layer) -> int:
    return _GATES[layer.name]


def residual_parts(layer: Layer, shape: Shape) -> list[tuple[Layer, Shape]]:
    """A residual block's parts with their input shapes, in weight order (Residual.scala)."""
    f, k, s = layer.int_arg("filters"), layer.int_arg("kernel"), layer.int_arg("stride", 1)
    conv1 = Layer("conv2d", {"filters": f, "kernel": k, "stride": s, "padding": "same"})
    conv2 = Layer("conv2d", {"filters": f, "kernel": k, "padding": "same"})
    norm = Layer("batchnorm")
    mid = output_shape(conv1, shape)
    parts = [(conv1, shape), (norm, mid), (conv2, mid), (norm, mid)]
    if shape[0] != f or s != 1:
        projection = Layer("conv2d", {"filters": f, "kernel": 1, "stride": s, "padding": "same"})
        parts += [(projection, shape), (norm, mid)]
    return parts


def output_shape(layer: Layer, shape: Shape) -> Shape:
    """The shape one sample of `shape` has after `layer`."""
    n = layer.name
    if n == "dense":
        return (layer.int_arg("units"),)
    if n == "conv2d":
        k, s, p = (
            layer.int_arg("kernel"),
            layer.int_arg("stride", 1),
            layer.word("padding", "valid"),
        )
        return (
            layer.int_arg("filters"),
            out_length(p, shape[1], k, s),
            out_length(p, shape[2], k, s),
        )
    if n == "conv1d":
        k, s, p = (
            layer.int_arg("kernel"),
            layer.int_arg("stride", 1),
            layer.word("padding", "valid"),
        )
        return (out_length(p, shape[0], k, s), layer.int_arg("filters"))
    if n in ("maxpool", "avgpool"):
        size = layer.int_arg("size")
        stride = layer.int_arg("stride", size)
        return (shape[0], (shape[1] - size) // stride + 1, (shape[2] - size) // stride + 1)
    if n == "globalavgpool":
        return (shape[0],)
    if n == "flatten":
        return (math.prod(shape),)
    if n == "residual":
        s = layer.int_arg("stride", 1)
        return (layer.int_arg("filters"), -(-shape[1] // s), -(-shape[2] // s))
    if n in _GATES:
        width = layer.int_arg("units") * (2 if layer.flag("bidirectional") else 1)
        return (shape[0], width) if layer.flag("sequences") else (width,)
    if n == "embedding":
        return (shape[0], layer.int_arg("dim"))
    return shape  # dropout, batchnorm


def num_weights(layer: Layer, shape: Shape) -> int:
    """Floats `layer` owns in the flat weight vector for inputs of `shape`."""
    n = layer.name
    if n == "dense":
        return layer.int_arg("units") * (math.prod(shape) + 1)
    if n == "conv2d":
        k = layer.int_arg("kernel")
        return layer.int_arg("filters") * (shape[0] * k * k + 1)
    if n == "conv1d":
        return layer.int_arg("filters") * (layer.int_arg("kernel") * shape[1] + 1)
    if n == "batchnorm":
        return 4 * (shape[0] if len(shape) != 2 else shape[1])
    if n == "residual":
        return sum(num_weights(part, s) for part, s in residual_parts(layer, shape))
    if n in _GATES:
        dirs = 2 if layer.flag("bidirectional") else 1
        return dirs * recurrent_weights_per_direction(layer, shape[1])
    if n == "embedding":
        return layer.int_arg("vocabsize") * layer.int_arg("dim")
    return 0


def shapes_and_offsets(layers: list[Layer], input_shape: Shape):
    """The input shape and weight offset of every layer, then the output shape and weight total."""
    shapes, offsets, offset, shape = [], [], 0, tuple(input_shape)
    for layer in layers:
        shapes.append(shape)
        offsets.append(offset)
        offset += num_weights(layer, shape)
        shape = output_shape(layer, shape)
    return shapes, offsets, shape, offset
