"""A saved dlmllib model read with pyarrow, no Spark: `path/metadata` is Spark's params JSON and
`path/data` one Parquet row (scala/dlmllib/ml/NetworkModelIO.scala)."""

import json
import os
import tempfile
from dataclasses import dataclass

import numpy as np

FORMAT_VERSION = 1  # NetworkModelIO.FormatVersion


@dataclass
class Saved:
    """What NetworkModelIO wrote: the Model's class and uid, the input shape of one sample, the
    network as a layer spec (output layer included), numClasses (0 for regressors), the weights."""

    class_name: str
    uid: str
    input_shape: tuple
    layers: str
    num_classes: int
    weights: np.ndarray


def _filesystem(path: str):
    import pyarrow.fs as pafs

    if "://" in path:
        return pafs.FileSystem.from_uri(path)
    return pafs.LocalFileSystem(), os.path.abspath(path)


def _parts(fs, directory: str) -> list[str]:
    import pyarrow.fs as pafs

    infos = fs.get_file_info(pafs.FileSelector(directory, allow_not_found=True))
    return sorted(
        i.path
        for i in infos
        if i.type == pafs.FileType.File and not i.base_name.startswith(("_", "."))
    )


def read(path: str) -> Saved:
    """Reads the model Spark saved at `path` (a local directory or a URI pyarrow reads)."""
    import pyarrow.parquet as pq

    fs, root = _filesystem(str(path))
    metadata = _parts(fs, f"{root}/metadata")
    data = _parts(fs, f"{root}/data")
    if not metadata or not data:
        raise ValueError(
            f"{path} holds no saved dlmllib model: expected Spark's metadata/ and data/ "
            f"directories there (found metadata: {bool(metadata)}, data: {bool(data)})"
        )
    with fs.open_input_stream(metadata[0]) as f:
        meta = json.loads(f.read().decode("utf-8").splitlines()[0])
    table = pq.read_table([p for p in data if p.endswith(".parquet")] or data, filesystem=fs)
    fields = ["formatVersion", "inputShape", "layers", "numClasses"]
    if table.num_rows != 1 or not set(fields + ["weights"]) <= set(table.column_names):
        raise ValueError(
            f"{path}/data is not a dlmllib network: expected one row with "
            f"{', '.join(fields)} and weights, found {table.num_rows} rows of {table.column_names}"
        )
    row = table.select(fields).to_pylist()[0]
    if row["formatVersion"] != FORMAT_VERSION:
        raise ValueError(
            f"{path} holds a dlmllib model of format version {row['formatVersion']}; "
            f"dlmllib.onnx reads version {FORMAT_VERSION}"
        )
    return Saved(
        class_name=meta.get("class", ""),
        uid=meta.get("uid", ""),
        input_shape=tuple(row["inputShape"]),
        layers=row["layers"],
        num_classes=row["numClasses"],
        weights=table.column("weights")[0].values.to_numpy().astype(np.float32, copy=False),
    )


def read_model(model) -> Saved:
    """A fitted Model saved to a temporary local directory through its writer, then read."""
    with tempfile.TemporaryDirectory(prefix="dlmllib-onnx-") as tmp:
        target = os.path.join(tmp, "model")
        model.write().save("file://" + target)
        if not os.path.isdir(os.path.join(target, "data")):
            raise ValueError(
                f"the model was saved to {target} but its data is not there (a cluster writes "
                "it on an executor, a remote Spark Connect server on its own machine): save the "
                "model to storage this process can read and pass that path to export"
            )
        return read(target)
