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


def basic_motions(spark, split: str):
    """UEA BasicMotions: (features: array<array<double>> of 100 steps × 6, label: 0..3)."""
    npz = np.load(DATA / "uea_basicmotions.npz")
    x, y = npz[f"x_{split}"], npz[f"y_{split}"]
    rows = [(xi.astype(float).tolist(), float(yi)) for xi, yi in zip(x, y)]
    return spark.createDataFrame(rows, "features array<array<double>>, label double")
