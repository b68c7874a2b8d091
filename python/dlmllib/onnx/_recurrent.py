"""ONNX nodes for the sequence layers: LSTM, GRU and simple RNN (stacked, bidirectional,
variable-length) and the embedding (scala/dlmllib/nn/Recurrent.scala, LstmKernel, GruKernel,
RnnKernel, Embedding.scala)."""

import numpy as np

from dlmllib.onnx import _spec
from dlmllib.onnx._graph import Graph

_OPS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}

# dlmllib stores PyTorch's gate blocks (LSTM i, f, g, o; GRU r, z, n); ONNX wants LSTM i, o, f, c
# and GRU z, r, h: the blocks to take, in ONNX's order.
_ONNX_GATES = {"lstm": [0, 3, 1, 2], "gru": [1, 0, 2], "rnn": [0]}


def _direction(layer, p: np.ndarray, features: int):
    """One direction's W, R and B (Wb then Rb) in ONNX's gate order."""
    gates, h = _spec.gates(layer), layer.int_arg("units")
    order = _ONNX_GATES[layer.name]
    gh = gates * h
    sizes = [gh * features, gh * h, gh, gh]  # weight_ih, weight_hh, bias_ih, bias_hh
    starts = np.cumsum([0] + sizes)
    w_ih, w_hh, b_ih, b_hh = (p[starts[i] : starts[i + 1]] for i in range(4))
    w = w_ih.reshape(gates, h, features)[order].reshape(gh, features)
    r = w_hh.reshape(gates, h, h)[order].reshape(gh, h)
    b = np.concatenate([b.reshape(gates, h)[order].reshape(gh) for b in (b_ih, b_hh)])
    return w, r, b


def recurrent(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    """States start at zero. With `sequences=true` the output is every step's hidden states,
    [N, T, dirs·H], zero at padded steps; otherwise Y_h, [N, dirs·H]: the forward direction's
    state at each row's last valid step next to the backward direction's at step 0 — as in
    dlmllib."""
    h, features = layer.int_arg("units"), shape[1]
    dirs = 2 if layer.flag("bidirectional") else 1
    per = _spec.recurrent_weights_per_direction(layer, features)
    parts = [_direction(layer, w[d * per : (d + 1) * per], features) for d in range(dirs)]
    W, R, B = (np.stack([p[i] for p in parts]) for i in range(3))
    inputs = [
        g.op("Transpose", [x], perm=[1, 0, 2]),  # ONNX's default layout is time-major
        g.const(W, f"{layer.name}_W"),
        g.const(R, f"{layer.name}_R"),
        g.const(B, f"{layer.name}_B"),
    ]
    if g.lengths:
        inputs.append(g.lengths)
    attrs = {"hidden_size": h, "direction": "bidirectional" if dirs == 2 else "forward"}
    if layer.name == "gru":
        attrs["linear_before_reset"] = 1  # PyTorch's GRU: r ⊙ (W_hn·h' + b_hn)
    y, y_h = g.op(_OPS[layer.name], inputs, layer.name, outputs=2, **attrs)
    if layer.flag("sequences"):
        y = g.op("Transpose", [y], perm=[2, 0, 1, 3])  # [T, dirs, N, H] → [N, T, dirs, H]
        return g.op("Reshape", [y, g.const(np.array([0, 0, -1], np.int64), "shape")])
    y_h = g.op("Transpose", [y_h], perm=[1, 0, 2])  # [dirs, N, H] → [N, dirs, H]
    return g.op("Reshape", [y_h, g.const(np.array([0, -1], np.int64), "shape")])


def embedding(g: Graph, layer, x: str, shape, w: np.ndarray) -> str:
    """Token ids [N, T] (int64) to vectors [N, T, dim]: row `id` of the vocabSize × dim table."""
    table = w.reshape(layer.int_arg("vocabsize"), layer.int_arg("dim"))
    return g.op("Gather", [g.const(table, "embedding"), x], axis=0)


BUILDERS = {"lstm": recurrent, "gru": recurrent, "rnn": recurrent, "embedding": embedding}
