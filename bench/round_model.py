"""The fitted model of a round's cost t(N, W) (ms) for round_cost.py: two forms fitted by least
squares, their quality, predictions at 16 and 64 workers and the model sizes at which averaging
stops paying. The forms (README.md says why):

  log:   t = a + b·log2 N + c·W + d·W·log2 N
  tree:  t = a + b·log2 N + c·W + e·W·(m(N) - 1)

where m(N) is the number of weighted sums merged one after the other on the critical path of
Spark's treeAggregate at depth 2 (dlmllib's default aggregationDepth): N up to 4, and above that
a level of reducers merging about sqrt(N) sums each, then the driver merging the reducers' sums.
"""

import math

import numpy as np

LOCAL_STEPS = 64
PREDICT = (2, 4, 16, 64)


def serial_merges(n, depth=2):
    """Sums merged in sequence on the critical path of RDD.treeAggregate over n partitions."""
    scale = max(math.ceil(n ** (1.0 / depth)), 2)
    merges = 0
    while n > scale + math.ceil(n / scale):  # the loop of RDD.treeAggregate
        merges += scale  # each reducer of the next level merges `scale` partitions' sums
        n //= scale
    return merges + n  # the driver merges the last level


FORMS = {
    "log": lambda n, w: [1.0, math.log2(n), w, w * math.log2(n)],
    "tree": lambda n, w: [1.0, math.log2(n), w, w * (serial_merges(n) - 1)],
}


def fit(points, form):
    """Coefficients minimising the squared relative residuals (the times span two orders of
    magnitude: plain least squares would fit the largest W only), R² on the times, and the RMS
    and largest relative residuals."""
    x = np.array([FORMS[form](n, w) for n, w, _ in points])
    t = np.array([t for _, _, t in points])
    coef, *_ = np.linalg.lstsq(x / t[:, None], np.ones(len(t)), rcond=None)
    relative = (x @ coef - t) / t
    r2 = 1 - np.sum((t - x @ coef) ** 2) / np.sum((t - t.mean()) ** 2)
    return coef, r2, float(np.sqrt(np.mean(relative**2))), float(np.max(np.abs(relative)))


def predict(coef, form, n, w):
    return float(np.dot(FORMS[form](n, w), coef))


def break_even(coef, form, n, budget_ms):
    """The W at which t(n, W) reaches `budget_ms` (t is affine in W for a given n)."""
    fixed = predict(coef, form, n, 0.0)
    per_weight = predict(coef, form, n, 1.0) - fixed
    if fixed >= budget_ms:
        return "none: the fixed cost exceeds it"
    return "no limit" if per_weight <= 0 else f"{(budget_ms - fixed) / per_weight / 1e6:,.2f} M"


def report(points, steps):
    """Prints the fits, predictions and break-even sizes; `steps` maps a network's name to (ms of
    one training step of 64 images, its weights)."""
    fits = report_fits(points)
    report_break_even(fits["tree"], steps)
    report_networks(fits["tree"], steps)


def report_fits(points):
    print("\nfitted models (t in ms, W in weights):\n")
    print("| form | a | b (·log2 N) | c (/1M W) | d or e (/1M W) | R² | rel. residual: RMS, max |")
    print("|---|---|---|---|---|---|---|")
    fits = {}
    for form in FORMS:
        coef, r2, rms, worst = fit(points, form)
        fits[form] = coef
        print(
            f"| {form} | {coef[0]:.1f} | {coef[1]:.1f} | {coef[2] * 1e6:.1f} "
            f"| {coef[3] * 1e6:.1f} | {r2:.3f} | {100 * rms:.0f} %, {100 * worst:.0f} % |"
        )
    weights = sorted({w for _, w, _ in points})
    print("\npredicted round ms (log form / tree form):\n")
    print("| W | " + " | ".join(f"N={n}" for n in PREDICT) + " |")
    print("|---" * (len(PREDICT) + 1) + "|")
    for w in weights:
        cells = [
            f"{predict(fits['log'], 'log', n, w):,.0f} / {predict(fits['tree'], 'tree', n, w):,.0f}"
            for n in PREDICT
        ]
        print(f"| {w:,} | " + " | ".join(cells) + " |")
    return fits


def report_break_even(coef, steps):
    print(
        f"\nwhen averaging stops paying (tree form), {LOCAL_STEPS} local steps per round: "
        "the model size W at which the round costs 1/9 of one worker's compute per round "
        "(90 % parallel efficiency), all of it (50 %, speedup N/2), and all the compute "
        "the N workers save "
        f"((N-1)·{LOCAL_STEPS} steps: speedup 1):\n"
    )
    print("| step | N | 90 % efficiency | speedup N/2 | speedup 1 |")
    print("|---|---|---|---|---|")
    for name, (ms, _) in steps.items():
        compute = LOCAL_STEPS * ms
        sizes = [
            break_even(coef, "tree", n, budget)
            for n in PREDICT
            for budget in (compute / 9, compute, (n - 1) * compute)
        ]
        for i, n in enumerate(PREDICT):
            print(f"| {name} ({ms:g} ms) | {n} | " + " | ".join(sizes[3 * i : 3 * i + 3]) + " |")


def report_networks(coef, steps):
    print(
        "\nthe networks themselves (tree form): predicted round ms, parallel efficiency, speedup\n"
    )
    print("| network | " + " | ".join(f"N={n}" for n in PREDICT) + " |")
    print("|---" * (len(PREDICT) + 1) + "|")
    for name, (ms, w) in steps.items():
        compute = LOCAL_STEPS * ms
        cells = []
        for n in PREDICT:
            t = predict(coef, "tree", n, w)
            cells.append(
                f"{t:,.0f} ms, {compute / (compute + t):.0%}, {n * compute / (compute + t):.1f}×"
            )
        print(f"| {name} ({w:,} weights, {ms:g} ms per step) | " + " | ".join(cells) + " |")
