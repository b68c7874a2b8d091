"""Small real inputs for the ONNX export tests, each as a Spark DataFrame (id, features, label)
and as the tensors the exported graph takes; and the comparison of onnxruntime with transform."""

import json
from dataclasses import dataclass
from typing import Optional

import numpy as np
from datasets import DATA
from pyspark.ml.linalg import Vectors, VectorUDT
from pyspark.sql.types import DoubleType, IntegerType, StructField, StructType

import dlmllib.onnx


@dataclass
class Inputs:
    df: object  # DataFrame: id, features, label
    x: np.ndarray  # the `features` tensor of the graph, row i = id i
    lengths: Optional[np.ndarray] = None  # valid steps per row, when rows differ


def _frame(spark, features, labels, schema: str):
    rows = [(i, f, float(y)) for i, (f, y) in enumerate(zip(features, labels))]
    if schema == "vector":
        fields = [("id", IntegerType()), ("features", VectorUDT()), ("label", DoubleType())]
        return spark.createDataFrame(rows, StructType([StructField(*f) for f in fields])).cache()
    return spark.createDataFrame(rows, f"id int, features {schema}, label double").cache()


def digits(spark, limit: int = 200) -> Inputs:
    """sklearn's 8×8 digits, pixels in [0, 1], as Vectors read with inputShape [1, 8, 8]."""
    npz = np.load(DATA / "sklearn_digits_8x8.npz")
    idx = npz["train_idx"][:limit]
    x = (npz["x"][idx] / 16.0).astype(np.float32)
    df = _frame(spark, [Vectors.dense(xi.ravel()) for xi in x], npz["y"][idx], "vector")
    return Inputs(df, x.reshape(-1, 1, 8, 8))


def italy(spark, vectors: bool = False) -> Inputs:
    """UCR ItalyPowerDemand (67 days × 24 hourly values): sequences [24, 1], or Vectors."""
    npz = np.load(DATA / "ucr_italypowerdemand.npz")
    x, y = npz["x_train"], npz["y_train"]
    if vectors:
        return Inputs(_frame(spark, [Vectors.dense(xi.ravel()) for xi in x], y, "vector"), x)
    return Inputs(_frame(spark, [xi.ravel().tolist() for xi in x], y, "array<double>"), x)


def motions(spark) -> Inputs:
    """UEA BasicMotions (40 rows of 100 steps × 6 sensors), 4 classes."""
    npz = np.load(DATA / "uea_basicmotions.npz")
    x, y = npz["x_train"], npz["y_train"]
    return Inputs(_frame(spark, [xi.tolist() for xi in x], y, "array<array<double>>"), x)


def ragged(spark) -> Inputs:
    """ItalyPowerDemand days cut to 6..24 steps, and some doubled to 48 (longer than any seen in
    training, so transform resizes the network), zero-padded to 48 with their lengths."""
    npz = np.load(DATA / "ucr_italypowerdemand.npz")
    days, y = npz["x_train"][:, :, 0], npz["y_train"]
    seqs = [d[: 6 + i % 19] if i % 5 else np.concatenate([d, d]) for i, d in enumerate(days)]
    lengths = np.array([len(s) for s in seqs], np.int64)
    x = np.zeros((len(seqs), lengths.max(), 1), np.float32)
    for i, s in enumerate(seqs):
        x[i, : len(s), 0] = s
    return Inputs(_frame(spark, [s.tolist() for s in seqs], y, "array<double>"), x, lengths)


def tokens(spark, limit: int = 240) -> Inputs:
    """VADER movie snippets as token ids (array<int> of 2..64 ids, vocabulary 8570), padded."""
    npz = np.load(DATA / "vader_movie_snippets.npz")
    idx = npz["train_idx"][:limit]
    ids, lengths = npz["token_ids"][idx].astype(np.int64), npz["lengths"][idx].astype(np.int64)
    seqs = [row[:n].tolist() for row, n in zip(ids, lengths)]
    x = ids[:, : lengths.max()]
    return Inputs(_frame(spark, seqs, npz["y"][idx], "array<int>"), x, lengths)


def sunspots(spark, steps: int = 12) -> Inputs:
    """Yearly sunspot numbers / 100: each window of `steps` years, labelled with the next year."""
    v = np.load(DATA / "sunspots_yearly.npz")["value"] / np.float32(100)
    x = np.stack([v[i : i + steps] for i in range(len(v) - steps)])[:, :, None]
    return Inputs(_frame(spark, [w.ravel().tolist() for w in x], v[steps:], "array<double>"), x)


def session(path: str):
    """An onnxruntime session of the file, after the ONNX checker passed on it."""
    import onnx
    import onnxruntime as ort

    onnx.checker.check_model(path, full_check=True)
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"])


def onnx_outputs(session, inputs: Inputs, lengths: bool = False) -> dict:
    """The graph's outputs by name on the inputs (and their lengths)."""
    feeds = {"features": inputs.x}
    if lengths:
        feeds["lengths"] = inputs.lengths
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds)))


def transformed(model, inputs: Inputs) -> dict:
    """transform's output columns by name, as arrays ordered by id."""
    out = model.transform(inputs.df).orderBy("id").collect()
    if "probability" in out[0].asDict():
        return {
            "rawPrediction": np.array([r.rawPrediction.toArray() for r in out]),
            "probability": np.array([r.probability.toArray() for r in out]),
        }
    return {"prediction": np.array([r.prediction for r in out])}


def largest_difference(model, inputs: Inputs, tmp_path, lengths: bool = False) -> float:
    """Exports `model`, runs it in onnxruntime on the inputs and returns the largest absolute
    difference from transform on probability (classifiers) or prediction (regressors); logits
    must agree too, and a batch of one row give that row's result (the batch is dynamic)."""
    path = dlmllib.onnx.export(model, str(tmp_path / "model.onnx"), lengths=lengths)
    run = session(path)
    got = onnx_outputs(run, inputs, lengths)
    want = transformed(model, inputs)
    assert set(got) == set(want)
    first = Inputs(None, inputs.x[:1], None if inputs.lengths is None else inputs.lengths[:1])
    for name, alone in onnx_outputs(run, first, lengths).items():
        assert got[name].shape == want[name].shape, name
        assert np.abs(alone[0] - got[name][0]).max() <= 1e-6, name
    if "rawPrediction" in want:
        raw = want["rawPrediction"]
        assert np.abs(got["rawPrediction"] - raw).max() <= 1e-4 * max(1.0, np.abs(raw).max())
        return float(np.abs(got["probability"] - want["probability"]).max())
    return float(np.abs(got["prediction"] - want["prediction"]).max())


def write_saved(path, class_name: str, input_shape, layers: str, num_classes: int, weights):
    """A saved model as NetworkModelIO writes it (Spark's params metadata, one Parquet row),
    written with pyarrow: for networks no Estimator builds, and for broken ones."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (path / "metadata").mkdir(parents=True)
    (path / "data").mkdir()
    metadata = {
        "class": class_name,
        "timestamp": 0,
        "sparkVersion": "4.0.1",
        "uid": class_name.rsplit(".", 1)[-1] + "_onnx",
        "paramMap": {},
        "defaultParamMap": {},
    }
    (path / "metadata" / "part-00000").write_text(json.dumps(metadata) + "\n")
    schema = pa.schema(
        [
            pa.field("formatVersion", pa.int32(), nullable=False),
            ("inputShape", pa.list_(pa.field("element", pa.int32(), nullable=False))),
            ("layers", pa.string()),
            pa.field("numClasses", pa.int32(), nullable=False),
            ("weights", pa.list_(pa.field("element", pa.float32(), nullable=False))),
        ]
    )
    row = [[1], [list(input_shape)], [layers], [num_classes], [np.asarray(weights, np.float32)]]
    pq.write_table(pa.table(row, schema=schema), path / "data" / "part-00000.parquet")
    return str(path)
