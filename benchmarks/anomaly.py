"""Anomaly detection on long series: seqae's detector against the tools built for the job.

Every method scores every time point of the same series with the same window size (the
training series' dominant period, :func:`seqae.anomaly.dominant_period`):

- ``seqae``: :class:`seqae.anomaly.AutoencoderAnomalyDetector` with its defaults (a small
  RAESC), window scores mapped to points by the mean over covering windows;
- ``matrix-profile``: stumpy's matrix profile (z-normalised distance of each window to its
  nearest non-trivial match: within the series when unsupervised, in the training series
  (AB-join) when semi-supervised), mapped to points the same way;
- ``pyod-iforest`` / ``pyod-ae``: PyOD's IsolationForest and AutoEncoder (its defaults) on
  the same windows (standardised as seqae's, flattened), mapped the same way;
- ``rolling-median``: |x - rolling median| over one window (no training).

Series: KDD-TSAD_135 (the UCR anomaly archive's InternalBleeding16, shipped inside aeon's
wheel), semi-supervised (fit on its clean training part, score the test part) and
unsupervised (fit and score the test part); and a synthetic suite: long sums of sines with
one injected anomaly each (spike, level shift, frequency change, noise burst, flat segment),
unsupervised. Metrics: ROC-AUC and PR-AUC (average precision) per time point
(scikit-learn), and VUS-PR (aeon's ``range_pr_vus_score``, range-aware).

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/anomaly.py            # full run
    OMP_NUM_THREADS=1 python benchmarks/anomaly.py --quick    # seconds: short series, few methods

Needs ``pip install seqae[benchmarks]`` (aeon, stumpy, pyod).
"""

import argparse
import time

import numpy as np

from _common import report  # (first: puts the checkout on sys.path)

from seqae.anomaly import AutoencoderAnomalyDetector, SlidingWindows, dominant_period

ANOMALY_KINDS = ("spike", "level-shift", "frequency-change", "noise-burst", "flat-segment")


def sine_series(n_timepoints, rng, speed=1.0):
    """A long sum of three sines with periods of 40-100 steps, plus a little noise."""
    t = np.arange(n_timepoints) * speed
    periods = rng.uniform(40, 100, 3)
    amplitudes = rng.uniform(0.3, 1.0, 3)
    phases = rng.uniform(0, 2 * np.pi, 3)
    x = (amplitudes * np.sin(2 * np.pi * t[:, None] / periods + phases)).sum(axis=1)
    return x / 3


def synthetic_series(kind, n_timepoints, seed):
    """A sum-of-sines series with one anomaly of ``kind`` at a random place in its last
    two thirds, and the labels (1 on the anomalous points)."""
    rng = np.random.default_rng(seed)
    state = rng.bit_generator.state
    x = sine_series(n_timepoints, rng)
    x = x + rng.normal(0, 0.02, n_timepoints)
    labels = np.zeros(n_timepoints, dtype=int)
    length = 1 if kind == "spike" else 100
    start = int(rng.integers(n_timepoints // 3, n_timepoints - length - 1))
    segment = slice(start, start + length)
    scale = x.std()
    if kind == "spike":
        x[start] += 4 * scale * rng.choice([-1, 1])
    elif kind == "level-shift":
        x[segment] += 1.5 * scale
    elif kind == "frequency-change":
        again = np.random.default_rng()
        again.bit_generator.state = state  # the same sines, played twice as fast
        fast = sine_series(n_timepoints, again, speed=2.0)
        x[segment] = fast[segment] + rng.normal(0, 0.02, length)
    elif kind == "noise-burst":
        x[segment] += rng.normal(0, 0.5 * scale, length)
    elif kind == "flat-segment":
        x[segment] = x[start]
    labels[segment] = 1
    return x, labels


def series_suite(quick):
    """``(name, train or None, test, labels)`` for each benchmark series."""
    from aeon.datasets import load_kdd_tsad_135

    suite = []
    train, _ = load_kdd_tsad_135(split="train")
    test, labels = load_kdd_tsad_135(split="test")
    if quick:  # a test part around the anomaly only
        train, test, labels = train[:600], test[3600:4800], labels[3600:4800]
    suite.append(("KDD-TSAD_135 (semi-sup.)", train, test, labels))
    suite.append(("KDD-TSAD_135 (unsup.)", None, test, labels))
    n_timepoints = 1500 if quick else 4000
    for seed, kind in enumerate(ANOMALY_KINDS[:2] if quick else ANOMALY_KINDS):
        x, y = synthetic_series(kind, n_timepoints, seed)
        suite.append((f"synthetic {kind}", None, x, y))
    return suite


def standardise(train, test):
    mean, std = train.mean(), train.std()
    return (train - mean) / std, (test - mean) / std


def window_method(model_fn):
    """A baseline scoring windows with ``model_fn(train_windows, test_windows)``."""
    def score(train, test, window):
        train, test = standardise(train, test)
        cut = SlidingWindows(window).fit(train)
        scores = model_fn(cut.transform(train), cut.transform(test))
        return cut.to_points(scores, len(test))
    return score


def _iforest(train_windows, test_windows):
    from pyod.models.iforest import IForest
    return IForest(random_state=0).fit(train_windows).decision_function(test_windows)


def _pyod_autoencoder(train_windows, test_windows):
    from pyod.models.auto_encoder import AutoEncoder
    model = AutoEncoder(random_state=0, verbose=0)
    return model.fit(train_windows).decision_function(test_windows)


def matrix_profile(train, test, window, unsupervised):
    import stumpy
    if unsupervised:
        profile = stumpy.stump(test, window)[:, 0]
    else:
        profile = stumpy.stump(test, window, T_B=train, ignore_trivial=False)[:, 0]
    profile = np.asarray(profile, dtype=float)
    profile[~np.isfinite(profile)] = np.nanmax(profile[np.isfinite(profile)])
    return SlidingWindows(window).fit(test).to_points(profile, len(test))


def rolling_median(train, test, window):
    half = window // 2
    padded = np.pad(test, half, mode="edge")
    medians = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)
    return np.abs(test - medians)


def seqae_detector(estimator=None):
    def score(train, test, window):
        detector = AutoencoderAnomalyDetector(estimator, window_size=window, random_state=0)
        return detector.fit(train).predict(test)
    return score


def methods(quick):
    table = {
        "seqae": seqae_detector(),
        "matrix-profile": None,  # needs to know the mode: handled in run()
        "pyod-iforest": window_method(_iforest),
        "pyod-ae": window_method(_pyod_autoencoder),
        "rolling-median": rolling_median,
    }
    if quick:
        del table["pyod-ae"]
    return table


def metrics(labels, scores):
    from aeon.benchmarking.metrics.anomaly_detection import range_pr_vus_score
    from sklearn.metrics import average_precision_score, roc_auc_score
    return {"roc_auc": roc_auc_score(labels, scores),
            "pr_auc": average_precision_score(labels, scores),
            "vus_pr": range_pr_vus_score(labels, scores)}


def run(quick=False):
    rows = []
    for name, train, test, labels in series_suite(quick):
        unsupervised = train is None
        fit_on = test if unsupervised else train
        window = dominant_period(fit_on)
        for method, score in methods(quick).items():
            start = time.perf_counter()
            if method == "matrix-profile":
                scores = matrix_profile(fit_on, test, window, unsupervised)
            else:
                scores = score(fit_on, test, window)
            seconds = time.perf_counter() - start
            assert scores.shape == test.shape, (method, scores.shape)
            row = {"series": name, "method": method, "window": window, "seconds": seconds,
                   **metrics(labels, scores)}
            rows.append(row)
            print(f"{name:32s} {method:20s} w={window:3d} ROC-AUC {row['roc_auc']:.3f} "
                  f"PR-AUC {row['pr_auc']:.3f} VUS-PR {row['vus_pr']:.3f} "
                  f"({seconds:.1f} s)", flush=True)
    return rows


def markdown(rows):
    """One table per metric (series x method) plus the mean row."""
    series = list(dict.fromkeys(row["series"] for row in rows))
    names = list(dict.fromkeys(row["method"] for row in rows))
    value = {(row["series"], row["method"]): row for row in rows}
    lines = []
    for metric, title in (("pr_auc", "PR-AUC per point"), ("roc_auc", "ROC-AUC per point"),
                          ("vus_pr", "VUS-PR (range-aware)")):
        lines += [f"{title}:", "", "| series | " + " | ".join(names) + " |",
                  "|---|" + "---|" * len(names)]
        for s in series:
            cells = [value[s, n][metric] for n in names]
            best = max(cells)
            lines.append(f"| {s} | " + " | ".join(
                f"**{c:.3f}**" if c == best else f"{c:.3f}" for c in cells) + " |")
        means = [np.mean([value[s, n][metric] for s in series]) for n in names]
        lines.append("| **mean** | " + " | ".join(f"{m:.3f}" for m in means) + " |")
        lines.append("")
    total = {n: sum(value[s, n]["seconds"] for s in series) for n in names}
    lines.append("Seconds (fit + score, all series): " + ", ".join(
        f"{n} {t:.0f}" for n, t in total.items()))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short series, two synthetic kinds, no PyOD AutoEncoder")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    return report("anomaly.py", argv, args.threads, lambda: run(args.quick), markdown)


if __name__ == "__main__":
    main()
