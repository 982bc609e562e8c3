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

    OMP_NUM_THREADS=1 python benchmarks/tasks/imputation.py           # full run
    OMP_NUM_THREADS=1 python benchmarks/tasks/imputation.py --quick   # seconds: tiny subsets

Needs ``pip install seqae[benchmarks]`` (aeon, pypots).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness import data  # noqa: E402
from harness.report import report  # noqa: E402

from seqae.impute import SequenceImputer  # noqa: E402

DATASETS = ("GunPoint", "ItalyPowerDemand")
RATES = (0.1, 0.3, 0.5)
PATTERNS = ("random", "block")


def load_split(name, split):
    """One split of a data set as an ``(n, T, m)`` float64 array (time first)."""
    X, _ = data.load(name, split)
    return np.ascontiguousarray(X)


def load(name):
    """``(X_train, X_test)`` as ``(n, T, m)`` float64 arrays (time before channels)."""
    return load_split(name, "train"), load_split(name, "test")


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
    from seqae.tasks.impute import _interpolate_gaps
    return np.where(np.isnan(test), _interpolate_gaps(test, ~np.isnan(test), None), test)


def impute_locf(train, test):
    out = test.copy()
    n, T, m = out.shape
    for t in range(1, T):  # forward
        out[:, t] = np.where(np.isnan(out[:, t]), out[:, t - 1], out[:, t])
    for t in range(T - 2, -1, -1):  # leading gaps: the first observation backward
        out[:, t] = np.where(np.isnan(out[:, t]), out[:, t + 1], out[:, t])
    return out


#: The imputer fitted by the last :func:`impute_seqae` call (for :func:`impute_seqae_w1`).
_LAST = {}


def impute_seqae(train, test, seed=0):
    imputer = SequenceImputer(random_state=seed).fit(train)
    _LAST["imputer"] = imputer
    return imputer.transform(test)


def impute_seqae_w1(train, test, seed=0):
    """The autoencoder's own fill (``blend`` weight 1) of the imputer that
    :func:`impute_seqae` just fitted on the same case: what the blend changed."""
    imputer = _LAST["imputer"]
    chosen = imputer.blend_by_gap_
    try:
        imputer.blend_by_gap_ = np.ones_like(chosen)
        return imputer.transform(test)
    finally:
        imputer.blend_by_gap_ = chosen


def pypots_method(name, epochs):
    def impute(train, test, seed=0):
        import torch
        from pypots.imputation import BRITS, SAITS
        torch.manual_seed(seed)  # PyPOTS draws its initial weights from torch's global RNG
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


def _masks(train, test, pattern, rate, seed):
    """``(removed_test, train_with_nan, test_with_nan)`` for one case and seed."""
    rng = np.random.default_rng(seed)
    removed = missing_mask(test.shape, pattern, rate, rng)
    train_missing = np.where(missing_mask(train.shape, pattern, rate, rng), np.nan, train)
    return removed, train_missing, np.where(removed, np.nan, test)


def _errors(filled, truth, removed, method):
    assert not np.isnan(filled).any(), method
    assert np.array_equal(filled[~removed], truth[~removed]), method
    error = filled[removed] - truth[removed]
    return float(np.abs(error).mean()), float((error ** 2).mean())


def run(datasets, rates, patterns, epochs, quick=False, only=None, seeds=(0,)):
    methods = {"seqae": impute_seqae, "seqae (w=1)": impute_seqae_w1, "mean": impute_mean, "linear": impute_linear,
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
                for seed in seeds:
                    removed, train_missing, test_missing = _masks(train, test, pattern, rate,
                                                                  seed)
                    for method, impute in methods.items():
                        start = time.perf_counter()
                        if method in ("seqae", "seqae (w=1)", "SAITS", "BRITS"):
                            filled = impute(train_missing, test_missing, seed=seed)
                        else:
                            filled = impute(train_missing, test_missing)
                        seconds = time.perf_counter() - start
                        mae, mse = _errors(filled, test, removed, method)
                        row = {"dataset": name, "pattern": pattern, "rate": rate,
                               "seed": seed, "method": method, "mae": mae, "mse": mse,
                               "seconds": seconds}
                        if method == "seqae":
                            row["blend"] = _LAST["imputer"].blend_.tolist()
                        rows.append(row)
                        print(f"{name:17s} {pattern:6s} {rate:.0%} seed {seed} {method:6s} "
                              f"MAE {mae:.4f} MSE {mse:.4f} ({seconds:.1f} s)"
                              + (f" blend {row['blend']}" if "blend" in row else ""),
                              flush=True)
    return rows


def _mean_spread(values):
    values = np.asarray(values)
    if len(values) == 1:
        return values[0], f"{values[0]:.4f}"
    return values.mean(), f"{values.mean():.4f} ± {values.std(ddof=1):.4f}"


def markdown(rows):
    """Tables of MAE and MSE per case and method: the value, or mean ± standard deviation
    over the seeds (masks, seqae's and PyPOTS's seeds) when there are several."""
    names = list(dict.fromkeys(row["method"] for row in rows))
    cases = list(dict.fromkeys((r["dataset"], r["pattern"], r["rate"]) for r in rows))
    value = {}
    for r in rows:
        value.setdefault((r["dataset"], r["pattern"], r["rate"], r["method"]), []).append(r)
    n_seeds = max(len(v) for v in value.values())
    lines = []
    for metric in ("mae", "mse"):
        over = f", mean ± std over {n_seeds} seeds" if n_seeds > 1 else ""
        lines += [f"{metric.upper()} on the removed entries of the filled split{over} "
                  "(best in bold):", "",
                  "| data set | missing | " + " | ".join(names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for case in cases:
            cells = [_mean_spread([r[metric] for r in value[case + (n,)]]) for n in names]
            best = min(mean for mean, _ in cells)
            lines.append(f"| {case[0]} | {case[1]} {case[2]:.0%} | " + " | ".join(
                f"**{text}**" if mean == best else text for mean, text in cells) + " |")
        lines.append("")
    total = {n: sum(r["seconds"] for c in cases for r in value[c + (n,)]) for n in names}
    lines.append("Seconds (fit + fill, all cases and seeds): " + ", ".join(
        f"{n} {t:.0f}" for n, t in total.items()))
    return "\n".join(lines)


def _training_halves(datasets, patterns, rates, seeds):
    """Each case of the training-split checks: the training split cut in two halves (a
    seeded permutation), values removed from both, an imputer fitted on the first half.
    Yields ``(name, pattern, rate, seed, held_out, removed, held_missing, imputer,
    fit seconds)``; the test split is never read."""
    for name in datasets:
        train = load_split(name, "train")
        for pattern in patterns:
            for rate in rates:
                for seed in seeds:
                    order = np.random.default_rng(seed).permutation(len(train))
                    fit_part, held_out = train[order[: len(train) // 2]], train[
                        order[len(train) // 2:]]
                    removed, fit_missing, held_missing = _masks(fit_part, held_out, pattern,
                                                                rate, seed)
                    start = time.perf_counter()
                    imputer = SequenceImputer(random_state=seed).fit(fit_missing)
                    yield (name, pattern, rate, seed, held_out, removed, held_missing,
                           imputer, time.perf_counter() - start)


def validate_correction(datasets, rates, patterns, seeds):
    """``correction='interpolate'`` vs ``'none'`` on **training splits only**.

    Each data set's training split is cut in two halves (a seeded permutation); the
    imputer is fitted on the first half with values removed and fills the values removed
    from the second half, once with each correction (the same fitted model: the correction
    is applied at ``transform``). The test split is never read.
    """
    rows = []
    for (name, pattern, rate, seed, held_out, removed, held_missing, imputer,
         seconds) in _training_halves(datasets, patterns, rates, seeds):
        for correction in ("interpolate", "none"):
            filled = imputer.set_params(correction=correction).transform(
                held_missing)
            mae, mse = _errors(filled, held_out, removed, correction)
            rows.append({"dataset": f"{name} (train halves)", "pattern": pattern,
                         "rate": rate, "seed": seed,
                         "method": f"correction={correction}", "mae": mae,
                         "mse": mse, "seconds": seconds})
            print(f"{name:17s} {pattern:6s} {rate:.0%} seed {seed} "
                  f"{correction:11s} MAE {mae:.4f} MSE {mse:.4f} "
                  f"(fit {seconds:.1f} s)", flush=True)
    return rows


def validate_blend(datasets, rates, patterns, seeds):
    """The blend's design on **training splits only**: one weight per channel (``blend_``)
    against one per gap distance (``blend_by_gap_``, the default), next to linear
    interpolation and the autoencoder's own fill (weight 1), all from one fitted imputer.

    Halves of each training split as in :func:`validate_correction`; the test split is
    never read.
    """
    rows = []
    for (name, pattern, rate, seed, held_out, removed, held_missing, imputer,
         seconds) in _training_halves(datasets, patterns, rates, seeds):
        by_gap = imputer.blend_by_gap_.copy()
        variants = {"per gap distance": by_gap,
                    "one per channel": np.tile(imputer.blend_, (len(by_gap), 1)),
                    "weight 1 (autoencoder)": np.ones_like(by_gap),
                    "weight 0 (linear)": np.zeros_like(by_gap)}
        for label, weights in variants.items():
            imputer.blend_by_gap_ = weights
            mae, mse = _errors(imputer.transform(held_missing), held_out,
                               removed, label)
            rows.append({"dataset": f"{name} (train halves)", "pattern": pattern,
                         "rate": rate, "seed": seed, "method": label,
                         "mae": mae, "mse": mse, "seconds": seconds})
            print(f"{name:17s} {pattern:6s} {rate:.0%} seed {seed} "
                  f"{label:22s} MAE {mae:.4f} MSE {mse:.4f} "
                  f"(fit {seconds:.1f} s)", flush=True)
    return rows


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
    parser.add_argument("--seeds", nargs="+", type=int, default=[0],
                        help="seeds of the masks, of seqae and of PyPOTS's weights (tables "
                             "show mean ± std over them)")
    parser.add_argument("--validate-blend", action="store_true",
                        help="blend per channel vs per gap distance, on training halves only")
    parser.add_argument("--validate-correction", action="store_true",
                        help="instead: SequenceImputer's correction='interpolate' vs 'none' "
                             "on two halves of each training split (no test split read)")
    args = parser.parse_args(argv)
    if args.validate_correction:
        def produce_rows():
            return validate_correction(args.datasets, args.rates, args.patterns, args.seeds)
    elif args.validate_blend:
        def produce_rows():
            return validate_blend(args.datasets, args.rates, args.patterns, args.seeds)
    elif args.quick:
        def produce_rows():
            return run(args.datasets[:1], (0.3,), PATTERNS, 2, quick=True)
    else:
        def produce_rows():
            return run(args.datasets, args.rates, args.patterns, args.epochs,
                       only=args.methods, seeds=args.seeds)
    return report(__file__, argv, args.threads, produce_rows, markdown)


if __name__ == "__main__":
    main()
