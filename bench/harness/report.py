"""The figures the harness derives from each side's raw results, and its Markdown tables."""


def rates(r, flops, sgemm_gflops):
    """Adds train_rate (samples/s of the whole fit or training loop), epoch_rate (the best
    epoch's, where known), infer_rate (rows/s) and sgemm_pct (the best epoch's, else the whole
    fit's, training FLOP/s as a share of the measured sgemm rate) to the result `r`."""
    r["train_rate"] = r["train_rows"] * r["epochs"] / r["train_seconds"]
    seconds = r.get("epoch_seconds") or []
    r["epoch_rate"] = r["train_rows"] / min(seconds) if seconds else None
    r["infer_rate"] = r["test_rows"] / r["infer_seconds"]
    r["sgemm_pct"] = 100 * (r["epoch_rate"] or r["train_rate"]) * flops / (sgemm_gflops * 1e9)
    return r


def _n(v):
    return "–" if v is None else f"{v:,.0f}"


def _pair(a, b, fmt):
    return f"{fmt(a)} / {fmt(b)}"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def comparison(pairs):
    """One row per (network, reference): throughputs, their ratio dlmllib / reference (above 1:
    dlmllib is faster), accuracy, share of sgemm, peak RSS."""
    header = [
        "network",
        "reference",
        "train samples/s dlmllib",
        "reference",
        "ratio",
        "inference rows/s dlmllib",
        "reference",
        "ratio",
        "accuracy dlmllib / ref",
        "% of sgemm dlmllib / ref",
        "peak RSS MB dlmllib JVM / ref",
    ]
    rows = []
    for name, d, ref in pairs:
        rows.append(
            [
                name,
                ref["side"],
                _n(d["train_rate"]),
                _n(ref["train_rate"]),
                f"**{d['train_rate'] / ref['train_rate']:.2f}**",
                _n(d["infer_rate"]),
                _n(ref["infer_rate"]),
                f"**{d['infer_rate'] / ref['infer_rate']:.2f}**",
                _pair(d["accuracy"], ref["accuracy"], lambda v: f"{v:.3f}"),
                _pair(d["sgemm_pct"], ref["sgemm_pct"], lambda v: f"{v:.0f} %"),
                _pair(d["peak_rss_mb"], ref["peak_rss_mb"], _n),
            ]
        )
    return _table(header, rows)


def details(pairs, nets):
    """What each row measured: data, sizes, FLOPs, and where dlmllib's fit spent its time."""
    header = [
        "network",
        "reference",
        "data",
        "train rows × epochs",
        "test rows",
        "batch",
        "train MFLOP/sample",
        "dlmllib fit s (epochs s)",
        "dlmllib best epoch samples/s",
        "reference train s",
    ]
    rows = []
    for name, d, ref in pairs:
        net = nets[name]
        epochs_s = sum(d.get("epoch_seconds") or [])
        extra = f", {ref['iterations']} iterations" if "iterations" in ref else ""
        rows.append(
            [
                name,
                ref["side"],
                net.data,
                f"{d['train_rows']:,} × {d['epochs']}",
                f"{d['test_rows']:,}",
                net.batch,
                f"{d['flops'] / 1e6:.2f}",
                f"{d['train_seconds']:.1f} ({epochs_s:.1f})",
                _n(d["epoch_rate"]),
                f"{ref['train_seconds']:.1f}{extra}",
            ]
        )
    return _table(header, rows)
