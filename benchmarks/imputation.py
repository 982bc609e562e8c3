"""Imputation of sequences: seqae's SequenceImputer against the tools built for the job.

For each data set (UCR/UEA sets that aeon ships inside its wheel), missingness pattern
(``random``: each entry removed with probability r; ``block``: contiguous blocks of a tenth
of the sequence removed from each sequence and channel until a fraction r is gone) and rate
r in {10%, 30%, 50%}, values are removed from the training and from the test split alike.
Every method is fitted on the incomplete training split and fills the incomplete test
split; the error (MAE, MSE) is measured on the removed test entries only.

Methods: ``seqae`` (:class:`seqae.impute.SequenceImputer`, its defaults), ``mean`` (per
feature, over the observed training values), ``linear`` (interpolation along time within
each sequence, the end values held), ``locf`` (last observation carried forward, the first
observation carried backward at the start), PyPOTS's ``SAITS`` and ``BRITS`` (their
defaults, and for the sizes PyPOTS gives no default: SAITS 2 layers, d_model 64, 4 heads,
d_k = d_v = 16, d_ffn 128, dropout 0.1; BRITS 64 hidden units; ``--epochs`` caps their
epochs, default: PyPOTS's 100).

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/imputation.py           # full run
    OMP_NUM_THREADS=1 python benchmarks/imputation.py --quick   # seconds: tiny subsets

Needs ``pip install seqae[benchmarks]`` (aeon, pypots).
"""

import argparse
import time

import numpy as np

from _common import report  # (first: puts the checkout on sys.path)

from seqae.impute import SequenceImputer

DATASETS = ("GunPoint", "ItalyPowerDemand")
RATES = (0.1, 0.3, 0.5)
PATTERNS = ("random", "block")


def load(name):
    """``(X_train, X_test)`` as ``(n, T, m)`` float64 arrays (time before channels)."""
    from aeon.datasets import load_classification
    train, _ = load_classification(name, split="train")
    test, _ = load_classification(name, split="test")
    return (np.ascontiguousarray(np.asarray(train, dtype=float).transpose(0, 2, 1)),
            np.ascontiguousarray(np.asarray(test, dtype=float).transpose(0, 2, 1)))


def missing_mask(shape, pattern, rate, rng):
    """Boolean mask of the removed entries; every sequence keeps >= 1 value per channel."""
    n, T, m = shape
    if pattern == "random":
        mask = rng.random(shape) < rate
    else:
        mask = np.zeros(shape, dtype=bool)
        block = max(2, T // 10)
        for i in range(n):
            for c in range(m):
                while mask[i, :, c].mean() < rate:
                    start = rng.integers(0, T - block + 1)
                    mask[i, start:start + block, c] = True
    full = mask.all(axis=1)  # sequences whose channel lost everything keep one value
    for i, c in zip(*np.nonzero(full)):
        mask[i, rng.integers(T), c] = False
    return mask


def impute_mean(train, test):
    return np.where(np.isnan(test), np.nanmean(train, axis=(0, 1)), test)


def impute_linear(train, test):
    from seqae.impute import _interpolate_gaps
    return np.where(np.isnan(test), _interpolate_gaps(test, ~np.isnan(test), None), test)


def impute_locf(train, test):
    out = test.copy()
    n, T, m = out.shape
    for t in range(1, T):  # forward
        out[:, t] = np.where(np.isnan(out[:, t]), out[:, t - 1], out[:, t])
    for t in range(T - 2, -1, -1):  # leading gaps: the first observation backward
        out[:, t] = np.where(np.isnan(out[:, t]), out[:, t + 1], out[:, t])
    return out


def impute_seqae(train, test):
    imputer = SequenceImputer(random_state=0).fit(train)
    return imputer.transform(test)


def pypots_method(name, epochs):
    def impute(train, test):
        from pypots.imputation import BRITS, SAITS
        n_steps, n_features = train.shape[1:]
        common = {"n_steps": n_steps, "n_features": n_features, "device": "cpu",
                  "saving_path": None, "verbose": False}
        if epochs:
            common["epochs"] = epochs
        if name == "SAITS":
            model = SAITS(n_layers=2, d_model=64, n_heads=4, d_k=16, d_v=16, d_ffn=128,
                          dropout=0.1, **common)
        else:
            model = BRITS(rnn_hidden_size=64, **common)
        model.fit({"X": train})
        filled = model.predict({"X": test})["imputation"]
        return np.where(np.isnan(test), filled, test)
    return impute


def run(datasets, rates, patterns, epochs, quick=False, only=None):
    methods = {"seqae": impute_seqae, "mean": impute_mean, "linear": impute_linear,
               "locf": impute_locf, "SAITS": pypots_method("SAITS", epochs),
               "BRITS": pypots_method("BRITS", epochs)}
    methods = {name: impute for name, impute in methods.items() if not only or name in only}
    rows = []
    for name in datasets:
        train, test = load(name)
        if quick:
            train, test = train[:20], test[:20]
        for pattern in patterns:
            for rate in rates:
                rng = np.random.default_rng(0)
                removed = missing_mask(test.shape, pattern, rate, rng)
                train_missing = np.where(missing_mask(train.shape, pattern, rate, rng),
                                         np.nan, train)
                test_missing = np.where(removed, np.nan, test)
                for method, impute in methods.items():
                    start = time.perf_counter()
                    filled = impute(train_missing, test_missing)
                    seconds = time.perf_counter() - start
                    assert not np.isnan(filled).any(), method
                    assert np.array_equal(filled[~removed], test[~removed]), method
                    error = filled[removed] - test[removed]
                    row = {"dataset": name, "pattern": pattern, "rate": rate,
                           "method": method, "mae": np.abs(error).mean(),
                           "mse": (error ** 2).mean(), "seconds": seconds}
                    rows.append(row)
                    print(f"{name:17s} {pattern:6s} {rate:.0%} {method:6s} MAE "
                          f"{row['mae']:.4f} MSE {row['mse']:.4f} ({seconds:.1f} s)",
                          flush=True)
    return rows


def markdown(rows):
    names = list(dict.fromkeys(row["method"] for row in rows))
    cases = list(dict.fromkeys((r["dataset"], r["pattern"], r["rate"]) for r in rows))
    value = {(r["dataset"], r["pattern"], r["rate"], r["method"]): r for r in rows}
    lines = []
    for metric in ("mae", "mse"):
        lines += [f"{metric.upper()} on the removed test entries (best in bold):", "",
                  "| data set | missing | " + " | ".join(names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for case in cases:
            cells = [value[case + (n,)][metric] for n in names]
            best = min(cells)
            lines.append(f"| {case[0]} | {case[1]} {case[2]:.0%} | " + " | ".join(
                f"**{c:.4f}**" if c == best else f"{c:.4f}" for c in cells) + " |")
        lines.append("")
    total = {n: sum(value[c + (n,)]["seconds"] for c in cases) for n in names}
    lines.append("Seconds (fit + fill, all cases): " + ", ".join(
        f"{n} {t:.0f}" for n, t in total.items()))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="20 sequences per split, one rate, PyPOTS for 2 epochs (seconds)")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--epochs", type=int, default=None,
                        help="cap on SAITS/BRITS epochs (default: PyPOTS's default, 100)")
    parser.add_argument("--rates", nargs="+", type=float, default=list(RATES))
    parser.add_argument("--patterns", nargs="+", default=list(PATTERNS), choices=PATTERNS)
    parser.add_argument("--methods", nargs="+", default=None,
                        help="run only these methods (default: all)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    if args.quick:
        def produce_rows():
            return run(args.datasets[:1], (0.3,), PATTERNS, 2, quick=True)
    else:
        def produce_rows():
            return run(args.datasets, args.rates, args.patterns, args.epochs,
                       only=args.methods)
    return report("imputation.py", argv, args.threads, produce_rows, markdown)


if __name__ == "__main__":
    main()
