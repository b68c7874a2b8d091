"""The PyTorch side: trains and runs one network of harness.networks on the harness's data, in a
process of its own (bench/.torch-venv), and prints one JSON line. Also measures sgemm.

    PYTHONPATH=bench bench/.torch-venv/bin/python -m harness.torch_side lenet5 --threads 2
    PYTHONPATH=bench bench/.torch-venv/bin/python -m harness.torch_side --sgemm --threads 2
"""

import argparse
import json
import time

import numpy as np
import torch

from harness import data
from harness.networks import BY_NAME

INFER_BATCH = 512


def peak_rss_mb():
    """This process's peak resident set (VmHWM), in MB."""
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
    return kb / 1024


def sgemm(size=2048, runs=5):
    """Best GFLOP/s of a size³ float32 product, through torch and through numpy."""
    a, b = np.random.default_rng(0).standard_normal((2, size, size), dtype=np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    rates = {}
    for name, product in (("torch", lambda: ta @ tb), ("numpy", lambda: a @ b)):
        product()
        best = min(_seconds(product) for _ in range(runs))
        rates[name] = 2 * size**3 / best / 1e9
    return rates


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def forward_macs(model, x):
    """Multiply-adds per sample of the conv, dense and recurrent products in one forward pass."""
    nn, total = torch.nn, [0]

    def hook(module, inputs, output):
        out = output[0] if isinstance(output, tuple) else output
        if isinstance(module, nn.Conv2d):
            k = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            total[0] += out.numel() * k
        elif isinstance(module, nn.Linear):
            total[0] += out.numel() * module.in_features
        elif isinstance(module, (nn.LSTM, nn.GRU)):
            gates = 4 if isinstance(module, nn.LSTM) else 3
            steps = inputs[0].shape[1] * inputs[0].shape[0]
            per_step = gates * module.hidden_size * (module.input_size + module.hidden_size)
            total[0] += steps * per_step * (2 if module.bidirectional else 1)

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return total[0] / len(x)


def train(net, model, x, y, epochs):
    """Adam (lr 0.001, as dlmllib's default), shuffled batches, gradients clipped at norm 5 for
    the recurrent networks (dlmllib's default there). Returns the seconds of each epoch."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    model.train()
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), net.batch):
            b = order[i : i + net.batch]
            opt.zero_grad()
            loss_fn(model(x[b]), y[b]).backward()
            if net.estimator == "rnn":
                torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        seconds.append(time.perf_counter() - start)
    return seconds


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat(
            [model(x[i : i + INFER_BATCH]).argmax(1) for i in range(0, len(x), INFER_BATCH)]
        )


def run(net, smoke):
    split = data.load(net.data, net.train_size, net.test_size, smoke)
    x, y = torch.from_numpy(split.x_train), torch.from_numpy(split.y_train)
    x_test, y_test = torch.from_numpy(split.x_test), torch.from_numpy(split.y_test)
    epochs = 1 if smoke else net.epochs
    torch.manual_seed(0)
    warm = net.torch(torch)  # warm-up on a throw-away model, as the dlmllib side does
    train(net, warm, x[: 8 * net.batch], y[: 8 * net.batch], 1)
    predict(warm, x_test[:INFER_BATCH])
    model = net.torch(torch)
    macs = forward_macs(model, x[: net.batch])
    seconds = train(net, model, x, y, epochs)
    start = time.perf_counter()
    predicted = predict(model, x_test)
    infer = time.perf_counter() - start
    return {
        "side": f"PyTorch {torch.__version__.split('+')[0]}",
        "train_rows": len(x),
        "epochs": epochs,
        "train_seconds": sum(seconds),
        "epoch_seconds": seconds,
        "test_rows": len(x_test),
        "infer_seconds": infer,
        "accuracy": float((predicted == y_test).float().mean()),
        "train_flops": 6 * macs,  # forward + two backward products, 2 FLOPs per multiply-add
        "peak_rss_mb": peak_rss_mb(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", nargs="?", choices=sorted(BY_NAME))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--sgemm", action="store_true", help="measure sgemm instead")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.sgemm:
        result = sgemm(size=512 if args.smoke else 2048)
    else:
        result = run(BY_NAME[args.network], args.smoke)
    result["threads"] = torch.get_num_threads()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
