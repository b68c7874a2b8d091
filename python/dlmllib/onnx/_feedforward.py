"""ONNX nodes for the feed-forward layers: dense, flatten, dropout, batch norm, convolutions, pools
and residual blocks. Each builder takes the graph, the layer, its input tensor (batch first), the
input shape of one sample and the layer's slice of the weights, and returns its output tensor."""

import math

import numpy as np

from dlmllib.onnx import _spec
from dlmllib.onnx._graph import Graph, activation


def flat(g: Graph, x: str, shape) -> str:
    """The input as a batch of flat vectors (row-major, as dlmllib's buffers are)."""
    return x if len(shape) == 1 else g.op("Flatten", [x], axis=1)


def dense(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    # Weights: a units × fanIn column-major matrix (= fanIn × units row-major), then biases.
    units, fan_in = layer.int_arg("units"), math.prod(shape)
    kernel = w[: units * fan_in].reshape(fan_in, units)
    bias = w[units * fan_in : units * (fan_in + 1)]
    y = g.op("Gemm", [flat(g, x, shape), g.const(kernel, "dense_w"), g.const(bias, "dense_b")])
    return activation(g, y, layer.word("activation", "linear"))


def flatten(g: Graph, layer, x: str, shape, w) -> str:
    return flat(g, x, shape)


def dropout(g: Graph, layer, x: str, shape, w) -> str:
    return x  # the identity outside training


def batchnorm(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    """Inference with the running statistics, in BatchNormKernel's order of float operations."""
    c = shape[1] if len(shape) == 2 else shape[0]
    gamma, beta, mean, var = (w[i * c : (i + 1) * c] for i in range(4))
    eps = np.float32(layer.float_arg("eps", 1e-5))
    inv_std = (1.0 / np.sqrt((var + eps).astype(np.float64))).astype(np.float32)
    # Per channel of [C, H, W], per feature of [T, F] and [n].
    axes = (c, 1, 1) if len(shape) == 3 else (c,)
    centered = g.op("Sub", [x, g.const(mean.reshape(axes), "bn_mean")])
    scaled = g.op("Mul", [centered, g.const(inv_std.reshape(axes), "bn_inv_std")])
    y = g.op("Mul", [scaled, g.const(gamma.reshape(axes), "bn_gamma")])
    return g.op("Add", [y, g.const(beta.reshape(axes), "bn_beta")])


def conv2d(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    # Weights: filters × C × k × k (PyTorch's layout), then biases.
    f, k, s = layer.int_arg("filters"), layer.int_arg("kernel"), layer.int_arg("stride", 1)
    padding = layer.word("padding", "valid")
    n = f * shape[0] * k * k
    (top, bottom), (left, right) = (_spec.pads(padding, shape[i], k, s) for i in (1, 2))
    y = g.op(
        "Conv",
        [x, g.const(w[:n].reshape(f, shape[0], k, k), "conv_w"), g.const(w[n : n + f], "conv_b")],
        kernel_shape=[k, k],
        strides=[s, s],
        pads=[top, left, bottom, right],
    )
    return activation(g, y, layer.word("activation", "linear"))


def conv1d(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    # Weights: filters × (k steps × F features), then biases; ONNX wants filters × F × k.
    f, k, s = layer.int_arg("filters"), layer.int_arg("kernel"), layer.int_arg("stride", 1)
    features = shape[1]
    n = f * k * features
    kernel = w[:n].reshape(f, k, features).transpose(0, 2, 1)
    before, after = _spec.pads(layer.word("padding", "valid"), shape[0], k, s)
    channels_first = g.op("Transpose", [x], perm=[0, 2, 1])  # [N, F, T]
    y = g.op(
        "Conv",
        [channels_first, g.const(kernel, "conv1d_w"), g.const(w[n : n + f], "conv1d_b")],
        kernel_shape=[k],
        strides=[s],
        pads=[before, after],
    )
    y = g.op("Transpose", [y], perm=[0, 2, 1])  # [N, T', filters]
    return activation(g, y, layer.word("activation", "linear"))


def _pool(op_type: str):
    def build(g: Graph, layer, x: str, shape, w) -> str:
        size = layer.int_arg("size")
        stride = layer.int_arg("stride", size)
        return g.op(op_type, [x], kernel_shape=[size, size], strides=[stride, stride])

    return build


def globalavgpool(g: Graph, layer, x: str, shape, w) -> str:
    return g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)


def residual(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    """conv → bn → relu → conv → bn, plus the shortcut (identity or 1×1 conv → bn), then relu."""
    offset, outputs = 0, []
    y = x
    for i, (part, part_shape) in enumerate(_spec.residual_parts(layer, shape)):
        size = _spec.num_weights(part, part_shape)
        part_w = w[offset : offset + size]
        offset += size
        if i == 4:  # the projection reads the block's input
            outputs.append(y)
            y = x
        build = conv2d if part.name == "conv2d" else batchnorm
        y = build(g, part, y, part_shape, part_w)
        if i == 1:
            y = g.op("Relu", [y])
    shortcut = y if outputs else x
    main = outputs[0] if outputs else y
    return g.op("Relu", [g.op("Add", [main, shortcut])])


BUILDERS = {
    "dense": dense,
    "flatten": flatten,
    "dropout": dropout,
    "batchnorm": batchnorm,
    "conv2d": conv2d,
    "conv1d": conv1d,
    "maxpool": _pool("MaxPool"),
    "avgpool": _pool("AveragePool"),
    "globalavgpool": globalavgpool,
    "residual": residual,
}
