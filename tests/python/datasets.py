"""The real data sets of data/ as Spark DataFrames."""

from pathlib import Path

import numpy as np
from pyspark.ml.linalg import Vectors

DATA = Path(__file__).resolve().parents[2] / "data"


def digits(spark, split: str, limit: int = 0):
    """sklearn's 8×8 digits (pixels scaled to [0, 1]) as (features: Vector, label: double)."""
    npz = np.load(DATA / "sklearn_digits_8x8.npz")
    idx = npz["train_idx" if split == "train" else "test_idx"]
    if limit:
        idx = idx[:limit]
    x = npz["x"][idx].reshape(len(idx), -1) / 16.0
    rows = [(Vectors.dense(xi), float(yi)) for xi, yi in zip(x, npz["y"][idx])]
    return spark.createDataFrame(rows, ["features", "label"])


def gunpoint(spark, split: str):
    """UCR GunPoint: (features: array<array<double>> of 150 steps × 1, label: 0/1)."""
    npz = np.load(DATA / "ucr_gunpoint.npz")
    x, y = npz[f"x_{split}"], npz[f"y_{split}"]
    rows = [(xi.astype(float).tolist(), float(yi)) for xi, yi in zip(x, y)]
    return spark.createDataFrame(rows, "features array<array<double>>, label double")
