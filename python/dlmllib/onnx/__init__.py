"""Export a trained dlmllib network to ONNX, to serve it without Spark (onnxruntime and the rest
of the ONNX ecosystem). Needs the ``onnx`` extra: ``pip install 'dlmllib[onnx]'``.

>>> import dlmllib.onnx
>>> dlmllib.onnx.export(model, "model.onnx")  # doctest: +SKIP
>>> dlmllib.onnx.export("models/lenet", "lenet.onnx")  # saved: no Spark  # doctest: +SKIP

The graph (opset 17) takes ``features``: float32 ``[N, C, H, W]`` for images, ``[N, T, F]`` for
sequences, or int64 token ids ``[N, T]`` for a network that starts with an embedding — the
tensor the network reads (image pixels scaled to [0, 1], CHW, channels in the stored order, BGR
for image structs, as dlmllib reads them). N is dynamic, and so is T for recurrent networks; a
network with a conv1d, or whose weights depend on T, keeps the T it was trained on. Outputs are
what ``transform`` adds: ``rawPrediction`` and ``probability`` (float32 ``[N, numClasses]``)
for a classifier, ``prediction`` (float32 ``[N]``) for a regressor; a classifier's prediction
is the argmax of ``probability``.

With ``lengths=True`` (recurrent networks) the graph also takes ``lengths``, int64 ``[N]``: the
rows of ``features`` are padded at the end up to T and row i is ``lengths[i]`` steps long. This
is how transform runs a batch of sequences of different lengths: every recurrent layer gets the
lengths (ONNX ``sequence_lens``), padded steps are skipped, and the last output is the forward
direction's hidden state at step ``lengths[i] - 1`` next to the backward direction's at step 0
(the backward direction starts at the last valid step). Without it every row has T steps, so a
single sequence of any length, or rows of one length, need no lengths.
"""

from dlmllib.onnx._export import OPSET, export

__all__ = ["export", "OPSET"]
