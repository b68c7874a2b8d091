"""The networks of the harness, each once: its dlmllib params next to the same network in
PyTorch (built only in the PyTorch process, which passes `torch` in), its data and its sizes.

Sizes are for the full run; `--smoke` cuts the data (harness.data) and the epochs to one.
"""

from dataclasses import dataclass, field

from harness.data import FEATURES

HIDDEN = 128


@dataclass(frozen=True)
class Network:
    name: str
    data: str  # harness.data set
    train_size: int  # copies of the training images, or sequences
    test_size: int  # copies of the test images, or sequences
    batch: int
    epochs: int
    estimator: str  # "cnn" (CNNClassifier on array<double>), "dense" (on a Vector), "rnn"
    params: dict  # the dlmllib Estimator's params beyond maxIter, batchSize and seed
    torch: object  # torch -> torch.nn.Module, the same network with PyTorch's default init
    classes: int = 10
    spark_mlp: list = field(default_factory=list)  # layers of Spark's MLP to compare, if any


def _lenet5(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def _keras_cnn(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(12 * 12 * 64, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def _residual(torch, cin, cout, stride):
    """dlmllib's residual(cout, 3, stride): conv → bn → relu → conv → bn, plus the identity or a
    1×1 conv → bn shortcut, then relu."""
    nn = torch.nn

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(cin, cout, 3, stride, 1),
                nn.BatchNorm2d(cout),
                nn.ReLU(),
                nn.Conv2d(cout, cout, 3, 1, 1),
                nn.BatchNorm2d(cout),
            )
            self.shortcut = (
                nn.Identity()
                if cin == cout and stride == 1
                else nn.Sequential(nn.Conv2d(cin, cout, 1, stride), nn.BatchNorm2d(cout))
            )

        def forward(self, x):
            return torch.relu(self.main(x) + self.shortcut(x))

    return Residual()


def _resnet(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.ReLU(),
        nn.BatchNorm2d(16),
        _residual(torch, 16, 16, 1),
        _residual(torch, 16, 32, 2),
        _residual(torch, 32, 64, 2),
        _residual(torch, 64, 128, 2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(128, 10),
    )


def _recurrent(cell, bidirectional):
    """RNNClassifier's network: one recurrent layer, then dense(2) on the forward direction's last
    step (and the backward direction's step 0, which has read the whole sequence)."""

    def build(torch):
        nn = torch.nn

        class ManyToOne(nn.Module):
            def __init__(self):
                super().__init__()
                layer = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
                self.rnn = layer(FEATURES, HIDDEN, batch_first=True, bidirectional=bidirectional)
                self.out = nn.Linear(HIDDEN * (2 if bidirectional else 1), 2)

            def forward(self, x):
                h, _ = self.rnn(x)
                last = h[:, -1, :HIDDEN]
                if bidirectional:
                    last = torch.cat([last, h[:, 0, HIDDEN:]], dim=1)
                return self.out(last)

        return ManyToOne()

    return build


def _dense(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 300),
        nn.Sigmoid(),
        nn.Linear(300, 100),
        nn.Sigmoid(),
        nn.Linear(100, 10),
    )


def _rnn(cell, bidirectional):
    return dict(cellType=cell, hiddenSize=HIDDEN, bidirectional=bidirectional)


_LENET5 = (
    "conv2d(6, 5, relu, padding=same); maxpool(2); conv2d(16, 5, relu); maxpool(2); "
    "dense(120, relu); dense(84, relu)"
)
_KERAS_CNN = "conv2d(32, 3, relu); conv2d(64, 3, relu); maxpool(2); dense(128, relu)"
_RESNET = (
    "conv2d(16, 3, relu, padding=same); batchnorm(); residual(16, 3); residual(32, 3, stride=2); "
    "residual(64, 3, stride=2); residual(128, 3, stride=2); globalavgpool()"
)
_MNIST = dict(data="mnist", estimator="cnn")
_SEQUENCES = dict(
    data="sequences",
    train_size=8192,
    test_size=2048,
    batch=64,
    epochs=3,
    estimator="rnn",
    classes=2,
)

NETWORKS = [
    Network(
        "lenet5",
        **_MNIST,
        train_size=4,
        test_size=8,
        batch=64,
        epochs=3,
        params=dict(inputShape=[1, 28, 28], layers=_LENET5),
        torch=_lenet5,
    ),
    Network(
        "keras_cnn",
        **_MNIST,
        train_size=1,
        test_size=2,
        batch=128,
        epochs=2,
        params=dict(inputShape=[1, 28, 28], layers=_KERAS_CNN),
        torch=_keras_cnn,
    ),
    Network(
        "resnet",
        data="mnist32",
        estimator="cnn",
        train_size=1,
        test_size=2,
        batch=64,
        epochs=2,
        params=dict(inputShape=[3, 32, 32], layers=_RESNET),
        torch=_resnet,
    ),
    Network("lstm", **_SEQUENCES, params=_rnn("lstm", False), torch=_recurrent("lstm", False)),
    Network("gru", **_SEQUENCES, params=_rnn("gru", False), torch=_recurrent("gru", False)),
    Network("bilstm", **_SEQUENCES, params=_rnn("lstm", True), torch=_recurrent("lstm", True)),
    Network(
        "dense",
        data="mnist",
        estimator="dense",
        train_size=4,
        test_size=2,
        batch=64,
        epochs=5,
        params=dict(inputShape=[1, 28, 28], layers="dense(300, sigmoid); dense(100, sigmoid)"),
        torch=_dense,
        spark_mlp=[784, 300, 100, 10],
    ),
]

BY_NAME = {n.name: n for n in NETWORKS}
