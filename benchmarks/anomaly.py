"""Anomaly detection on long series: seqae's detector against the tools built for the job.

Every method scores every time point of the same series. The shared window is the dominant
period of the series the methods are fitted on (:func:`seqae.anomaly.dominant_period`):

- ``seqae``: :class:`seqae.anomaly.AutoencoderAnomalyDetector` at its defaults (a small
  RAESC, reconstruction score; window scores mapped to points by the mean over covering
  windows), over ``--seeds``; the row ``seqae (nearest-code)`` is the same fitted model
  scored by ``score='nearest-code'``, for comparison;
- ``matrix-profile``: stumpy's matrix profile with the shared window (z-normalised distance
  of each window to its nearest non-trivial match: within the series when unsupervised, in
  the training series (AB-join) when semi-supervised), mapped to points the same way;
- ``aeon-stomp``: aeon's ``STOMP`` detector at its own defaults (stumpy's matrix profile
  with ``window_size=10``; it has no training step, so it scores the test series on its
  own in both settings);
- ``pyod-iforest``: PyOD's IsolationForest (its defaults, ``random_state`` = the seed) on
  the same windows (standardised as seqae's, flattened), mapped the same way;
- ``rolling-median``: |x - rolling median| over one window (no training).

Series (``--suite``): ``real``: KDD-TSAD_135 (the UCR anomaly archive's InternalBleeding16)
and ecg-diff-count-3 (a TimeEval/GutenTAG series on an ECG base oscillation, with a clean
training series), both shipped inside aeon's wheel, each semi-supervised (fit on the clean
training series, score the test series) and unsupervised (fit and score the test series);
``synthetic``: long sums of sines with one injected anomaly each (spike, level shift,
frequency change, noise burst, flat segment), unsupervised. ``--sensitivity`` adds, for
seed 0 on the real series (semi-supervised), the default detector with half and twice the
window and with half and twice the code size. Metrics: ROC-AUC and PR-AUC (average
precision) per time point (scikit-learn), and VUS-PR (aeon's ``range_pr_vus_score``, here
computed by :func:`range_pr_vus`, the same numbers faster).

The detector's default was chosen on other series (``benchmarks/anomaly_select.py``).

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/anomaly.py --suite real --sensitivity
    OMP_NUM_THREADS=1 python benchmarks/anomaly.py --suite synthetic
    OMP_NUM_THREADS=1 python benchmarks/anomaly.py --quick    # short series, one seed
    # or one process per series (--only, --out rows.json), then the tables of all of them:
    python benchmarks/anomaly.py --tables rows-*.json

Needs ``pip install seqae[benchmarks]`` (aeon, stumpy, pyod).
"""

import argparse
import json
import time

import numpy as np

from _common import report  # (first: puts the checkout on sys.path)
from _data import load_splits

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


def aeon_data(*parts):
    from pathlib import Path

    import aeon.datasets
    return Path(aeon.datasets.__file__).parent.joinpath("data", *parts)


def load_ecg_diff_count_3():
    """TimeEval's ecg-diff-count-3 (GutenTAG, ECG base oscillation, three anomalies of 100
    points), as aeon ships it: ``(clean training series, test series, test labels)``."""
    import pandas as pd

    def read(split):
        frame = pd.read_csv(aeon_data("UnitTest", f"ecg-diff-count-3_{split}.csv"))
        return frame["value-0"].to_numpy(), frame["is_anomaly"].to_numpy().astype(int)

    train, _ = read("TRAIN_NA")
    test, labels = read("TEST")
    return train, test, labels


#: Real-derived series reported here (semi-supervised): normal-class sequences of an allowed
#: set joined end to end, with other-class sequences and injected changes as anomalies.
DERIVED_REPORTED = ("ECGFiveDays", "FreezerSmallTrain", "ChlorineConcentration",
                    "DistalPhalanxOutlineCorrect")

#: The changes injected into one normal sequence of a derived series (besides
#: ``other-class``: a sequence of another class, a real anomaly).
INJECTED_KINDS = ("level-shift", "noise", "flat", "frequency", "amplitude")


def inject(sequence, kind, scale, rng):
    """One normal sequence with one change of ``kind``: ``level-shift`` (+1 standard
    deviation of the series), ``noise`` (Gaussian, 0.3 of it), ``flat`` (held at its first
    value), ``frequency`` (played twice as fast: twice in its own length) or ``amplitude``
    (half its deviation from its mean)."""
    x = np.asarray(sequence, dtype=np.float64).copy()
    if kind == "level-shift":
        return x + scale
    if kind == "noise":
        return x + rng.normal(0, 0.3 * scale, len(x))
    if kind == "flat":
        return np.full_like(x, x[0])
    if kind == "frequency":
        steps = np.arange(len(x))
        return np.interp((2 * steps) % len(x), steps, x)
    if kind == "amplitude":
        return x.mean() + 0.5 * (x - x.mean())
    raise ValueError(kind)


def derived_series(name, seed=0, n_train_points=4000, n_test_points=6000,
                   kinds=("other-class",) + INJECTED_KINDS):
    """A real-derived semi-supervised series from the allowed set ``name``
    (``benchmarks/_data.py``): ``(train, test, labels)``.

    The normal class is the set's most frequent training class. Its sequences (both splits
    pooled, first channel) are shuffled (``seed``) and joined end to end: disjoint ones into
    a clean training series of at least ``n_train_points`` points and a test series of at
    least ``n_test_points`` (and at least 8 normal sequences per anomaly, so that at most
    about a ninth of its points are anomalous). One test sequence per entry of ``kinds``, at evenly spread
    places after the first fifth, is replaced: ``other-class`` by a sequence of another
    class, the rest by the normal sequence with that change (:func:`inject`). Labels are 1
    on the replaced sequences' points."""
    X_train, y_train, X_test, y_test = load_splits(name)
    sequences = [np.asarray(x, dtype=np.float64)[:, 0] for x in list(X_train) + list(X_test)]
    classes = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    values, counts = np.unique(np.asarray(y_train), return_counts=True)
    normal = values[np.argmax(counts)]
    rng = np.random.default_rng(seed)
    normal_ids = rng.permutation(np.flatnonzero(classes == normal))
    other_ids = rng.permutation(np.flatnonzero(classes != normal))
    train, used = [], 0
    while sum(map(len, train)) < n_train_points and used < len(normal_ids) // 2:
        train.append(sequences[normal_ids[used]])
        used += 1
    test = []
    while sum(map(len, test)) < n_test_points and used < len(normal_ids):
        test.append(sequences[normal_ids[used]])
        used += 1
    n_test_points = max(n_test_points,
                        8 * len(kinds) * int(np.median([len(x) for x in train])))
    while sum(map(len, test)) < n_test_points and used < len(normal_ids):
        test.append(sequences[normal_ids[used]])
        used += 1
    joined_train = np.concatenate(train)
    scale = joined_train.std()
    slots = np.linspace(len(test) // 5, len(test) - 1, len(kinds)).astype(int)
    labels = [np.zeros(len(x), dtype=int) for x in test]
    for slot, kind in zip(slots, kinds):
        if kind == "other-class":
            test[slot] = sequences[other_ids[0]]
        else:
            test[slot] = inject(test[slot], kind, scale, rng)
        labels[slot] = np.ones(len(test[slot]), dtype=int)
    return joined_train, np.concatenate(test), np.concatenate(labels)


def series_suite(suite, quick):
    """``(name, train or None, test, labels)`` for each benchmark series."""
    from aeon.datasets import load_kdd_tsad_135

    out = []
    if suite in ("real", "all"):
        train, _ = load_kdd_tsad_135(split="train")
        test, labels = load_kdd_tsad_135(split="test")
        if quick:  # a test part around the anomaly only
            train, test, labels = train[:600], test[3600:4800], labels[3600:4800]
        out.append(("KDD-TSAD_135 (semi-sup.)", train, test, labels))
        out.append(("KDD-TSAD_135 (unsup.)", None, test, labels))
        train, test, labels = load_ecg_diff_count_3()
        if quick:
            train, test, labels = train[:2000], test[6000:8000], labels[6000:8000]
        out.append(("ecg-diff-count-3 (semi-sup.)", train, test, labels))
        out.append(("ecg-diff-count-3 (unsup.)", None, test, labels))
    if suite in ("derived", "all"):
        for name in DERIVED_REPORTED:
            train, test, labels = derived_series(name)
            if quick:
                train, test, labels = train[:2000], test[:3000], labels[:3000]
            out.append((f"{name}-derived (semi-sup.)", train, test, labels))
    if suite in ("synthetic", "all"):
        n_timepoints = 1500 if quick else 4000
        for seed, kind in enumerate(ANOMALY_KINDS[:2] if quick else ANOMALY_KINDS):
            x, y = synthetic_series(kind, n_timepoints, seed)
            out.append((f"synthetic {kind}", None, x, y))
    return out


def window_table():
    """Markdown rows: each reported series' window by the old rule (``dominant_period``
    searched up to 128) and the default window's ``window_reason_`` now."""
    lines = ["| series | points | old window (8-128) | window_reason_ now |",
             "|---|---|---|---|"]
    for name, train, test, _ in series_suite("all", False):
        if name.startswith("synthetic"):
            continue
        fit_on = test if train is None else train
        lines.append(f"| {name} | {len(fit_on)} | {dominant_period(fit_on, 8, 128)} | "
                     f"{SlidingWindows().fit(fit_on).window_reason_} |")
    return "\n".join(lines)


def standardise(train, test):
    mean, std = train.mean(), train.std()
    return (train - mean) / std, (test - mean) / std


def window_method(model_fn):
    """A baseline scoring windows with ``model_fn(train_windows, test_windows, seed)``."""
    def score(train, test, window, seed):
        train, test = standardise(train, test)
        cut = SlidingWindows(window).fit(train)
        scores = model_fn(cut.transform(train), cut.transform(test), seed)
        return cut.to_points(scores, len(test))
    return score


def _iforest(train_windows, test_windows, seed):
    from pyod.models.iforest import IForest
    return IForest(random_state=seed).fit(train_windows).decision_function(test_windows)


def matrix_profile(train, test, window, unsupervised):
    import stumpy
    if unsupervised:
        profile = stumpy.stump(test, window)[:, 0]
    else:
        profile = stumpy.stump(test, window, T_B=train, ignore_trivial=False)[:, 0]
    profile = np.asarray(profile, dtype=float)
    profile[~np.isfinite(profile)] = np.nanmax(profile[np.isfinite(profile)])
    return SlidingWindows(window).fit(test).to_points(profile, len(test))


def aeon_stomp(test):
    """aeon's STOMP at its defaults (window 10), on the test series alone."""
    from aeon.anomaly_detection.series.distance_based import STOMP
    return np.asarray(STOMP().fit_predict(np.asarray(test, dtype=np.float64), axis=0),
                      dtype=float)


def rolling_median(train, test, window):
    half = window // 2
    padded = np.pad(test, half, mode="edge")
    medians = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)
    return np.abs(test - medians)


def seqae_scores(train, test, window, seed, n_estimators=1, **params):
    """The default detector (``score='combined'``) and, from the same fitted model, each of
    its two window-score kinds alone: ``{method: point scores}``. ``seqae
    (reconstruction)`` ranks as seqae 0.x's default did (its robust z-score is an affine
    map of the reconstruction error); ``n_estimators > 1`` labels the rows ``seqae (n
    AE)``."""
    detector = AutoencoderAnomalyDetector(window_size=window, random_state=seed,
                                          n_estimators=n_estimators, verbose=0, **params)
    detector.fit(test if train is None else train)
    raw = detector._raw_window_scores(test.reshape(-1, 1))
    label = "seqae" if n_estimators == 1 else f"seqae ({n_estimators} AE)"
    out = {}
    for name, kinds in ((label, [0, 1]), (f"{label} reconstruction", [0]),
                        (f"{label} nearest-code", [1])):
        z = ((raw[:, kinds] - detector.score_location_[:, kinds, None])
             / detector.score_scale_[:, kinds, None])
        out[name] = detector.windows_.to_points(z.mean(axis=(0, 1)), len(test))
    return out


def range_pr_vus(labels, scores, max_buffer_size=500):
    """aeon's ``range_pr_vus_score`` (same label extension, same 250 sampled thresholds,
    same sums), with the confusion counts of all thresholds computed at once instead of in
    a Python loop: about 100x faster, equal to aeon's to rounding
    (tests/test_benchmarks.py checks it)."""
    from aeon.benchmarking.metrics.anomaly_detection._vus_metrics import (
        _extend_anomaly_labels, _uniform_threshold_sampling)

    labels = np.asarray(labels).astype(int)
    scores = np.asarray(scores, dtype=np.float64)
    if np.unique(scores).shape[0] == 1:
        return 0.0
    thresholds = _uniform_threshold_sampling(scores)
    predicted = scores[None, :] >= thresholds[:, None]  # (250, n)
    n_predicted = predicted.sum(axis=1)
    covered = np.concatenate([np.zeros((len(thresholds), 1)),
                              np.cumsum(predicted, axis=1)], axis=1)
    # the extended labels are 0 outside the widest extension: count true positives there
    support = _extend_anomaly_labels(labels, max_buffer_size)[0] > 0
    support |= labels > 0
    inside = predicted[:, support].astype(np.float64)
    pr_aucs = []
    for buffer_size in range(max_buffer_size + 1):
        extended, anomalies = _extend_anomaly_labels(labels, buffer_size)
        positives = np.average([np.sum(labels), np.sum(extended)])
        tp = inside @ extended[support]
        # an anomaly (extended: positive over its whole range) is found when any
        # predicted point falls inside it
        found = (covered[:, anomalies[:, 1] + 1] - covered[:, anomalies[:, 0]]) > 0
        recall = np.minimum(tp / positives, 1) * found.mean(axis=1)
        precision = tp / n_predicted
        recalls = np.concatenate([[0.0], recall, [1.0]])
        precisions = np.concatenate([[1.0], precision])
        pr_aucs.append(np.sum((recalls[1:-1] - recalls[:-2])
                              * (precisions[1:] + precisions[:-1]) / 2))
    return float(np.sum(pr_aucs) / (max_buffer_size + 1))


def metrics(labels, scores):
    from sklearn.metrics import average_precision_score, roc_auc_score
    return {"roc_auc": roc_auc_score(labels, scores),
            "pr_auc": average_precision_score(labels, scores),
            "vus_pr": range_pr_vus(labels, scores)}


def run(suite="real", seeds=(0, 1, 2), sensitivity=False, quick=False, only=None,
        skip_default=False, baselines_only=False, members=(), skip_matrix_profile=False,
        members_only=False):
    from seqae.anomaly import default_autoencoder

    rows = []

    def record(name, method, seed, window, seconds, labels, scores, **extra):
        assert scores.shape == labels.shape, (method, scores.shape)
        row = {"series": name, "method": method, "seed": seed, "window": window,
               "seconds": seconds, **extra, **metrics(labels, scores)}
        rows.append(row)
        print(f"{name:30s} {method:24s} seed={seed} w={window:3d} ROC-AUC {row['roc_auc']:.3f} "
              f"PR-AUC {row['pr_auc']:.3f} VUS-PR {row['vus_pr']:.3f} ({seconds:.1f} s)",
              flush=True)

    for name, train, test, labels in series_suite(suite, quick):
        if only is not None and only not in name:
            continue
        unsupervised = train is None
        fit_on = test if unsupervised else train
        window = dominant_period(fit_on)
        for seed in [] if skip_default else seeds:
            sizes = list(members) if members_only else [1, *members]
            for n_estimators in [] if baselines_only else sizes:
                start = time.perf_counter()
                scores = seqae_scores(None if unsupervised else train, test, window, seed,
                                      n_estimators=n_estimators)
                seconds = time.perf_counter() - start
                for method, values in scores.items():
                    record(name, method, seed, window, seconds, labels, values)
            start = time.perf_counter()
            values = window_method(_iforest)(fit_on, test, window, seed)
            record(name, "pyod-iforest", seed, window, time.perf_counter() - start, labels,
                   values)
        if not skip_default and not skip_matrix_profile:
            start = time.perf_counter()
            values = matrix_profile(fit_on, test, window, unsupervised)
            record(name, "matrix-profile", 0, window, time.perf_counter() - start, labels,
                   values)
        if not skip_default:
            start = time.perf_counter()
            values = aeon_stomp(test)
            record(name, "aeon-stomp (w=10)", 0, 10, time.perf_counter() - start, labels,
                   values)
            start = time.perf_counter()
            values = rolling_median(fit_on, test, window)
            record(name, "rolling-median", 0, window, time.perf_counter() - start, labels,
                   values)
        if sensitivity and not unsupervised:
            n_values = default_autoencoder(window, 1000, 0).n_components
            variants = [("window x2", 2 * window, {}),
                        ("code x2", window, {"n_components": 2 * n_values}),
                        ("window x0.5", max(window // 2, 2), {}),
                        ("code x0.5", window, {"n_components": max(n_values // 2, 2)})]
            for label, size, change in variants:
                estimator = None
                if change:
                    n_train = min(len(train) - size + 1, 1000)
                    estimator = default_autoencoder(size, n_train, 0).set_params(**change)
                start = time.perf_counter()
                scores = seqae_scores(train, test, size, 0, estimator=estimator)
                seconds = time.perf_counter() - start
                for method, values in scores.items():
                    record(name, f"{method} {label}", 0, size, seconds, labels, values,
                           sensitivity=True)
    return rows


def _cell(values):
    return f"{np.mean(values):.3f}" + (f" ± {np.std(values):.3f}" if len(values) > 1 else "")


def markdown(rows):
    """One table per metric (series x method: mean ± std over seeds, and the mean row),
    then the sensitivity rows, then the seconds."""
    main = [row for row in rows if not row.get("sensitivity")]
    series = list(dict.fromkeys(row["series"] for row in main))
    names = list(dict.fromkeys(row["method"] for row in main))

    def values(s, n, metric, table=main):
        return [row[metric] for row in table if row["series"] == s and row["method"] == n]

    lines = []
    for metric, title in (("vus_pr", "VUS-PR (range-aware)"), ("roc_auc", "ROC-AUC per point"),
                          ("pr_auc", "PR-AUC per point")):
        lines += [f"{title}:", "", "| series | " + " | ".join(names) + " |",
                  "|---|" + "---|" * len(names)]
        for s in series:
            means = [np.mean(values(s, n, metric)) for n in names]
            lines.append(f"| {s} | " + " | ".join(
                f"**{_cell(values(s, n, metric))}**" if m == max(means)
                else _cell(values(s, n, metric)) for n, m in zip(names, means)) + " |")
        # the mean over series, per seed, then mean ± std over seeds
        cells = []
        for n in names:
            per_series = np.array([values(s, n, metric) for s in series])
            cells.append(_cell(per_series.mean(axis=0)))
        lines.append("| **mean** | " + " | ".join(cells) + " |")
        lines.append("")
    varied = [row for row in rows if row not in main]
    if varied:
        lines += ["Sensitivity of the default (seed 0; the default's own row: mean over "
                  "its seeds above):", "", "| series | variant | window | ROC-AUC | PR-AUC "
                  "| VUS-PR |", "|---|---|---|---|---|---|"]
        for row in varied:
            lines.append(f"| {row['series']} | {row['method']} | {row['window']} | "
                         f"{row['roc_auc']:.3f} | {row['pr_auc']:.3f} | {row['vus_pr']:.3f} |")
        lines.append("")
    total = {}
    for row in rows:
        total[row["method"]] = total.get(row["method"], 0.0) + row["seconds"]
    lines.append("Seconds (fit + score, all series and seeds; seqae's two scores share one "
                 "fit): " + ", ".join(f"{n} {t:.0f}" for n, t in total.items()))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=("real", "derived", "synthetic", "all"),
                        default="real")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--sensitivity", action="store_true",
                        help="half/twice the window and the code size (seed 0, real series)")
    parser.add_argument("--quick", action="store_true",
                        help="short series, two synthetic kinds, seed 0 only")
    parser.add_argument("--only", help="only the series whose name contains this text")
    parser.add_argument("--sensitivity-only", action="store_true",
                        help="with --sensitivity: skip the default's seeds and the baselines")
    parser.add_argument("--baselines-only", action="store_true",
                        help="the baselines alone (matrix profile, STOMP, rolling median, and "
                             "the isolation forest per seed), without fitting seqae")
    parser.add_argument("--members", type=int, nargs="+", default=[],
                        help="also the detector with these n_estimators (rows 'seqae (n AE)')")
    parser.add_argument("--members-only", action="store_true",
                        help="with --members: not the default detector (n_estimators=1)")
    parser.add_argument("--skip-matrix-profile", action="store_true",
                        help="no matrix profile (it was run apart)")
    parser.add_argument("--windows", action="store_true",
                        help="print each series' old and new default window, and stop")
    parser.add_argument("--out", help="also write the rows to this JSON file")
    parser.add_argument("--tables", nargs="+", metavar="JSON",
                        help="print the tables of rows written by earlier --out runs")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    if args.windows:
        print(window_table())
        return None
    if args.tables:
        print(markdown([row for path in args.tables for row in json.load(open(path))]))
        return None
    seeds = [0] if args.quick else args.seeds
    rows = report("anomaly.py", argv, args.threads,
                  lambda: run(args.suite, seeds, args.sensitivity, args.quick, args.only,
                              args.sensitivity_only, args.baselines_only, args.members,
                              args.skip_matrix_profile, args.members_only), markdown)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=1)
    return rows


if __name__ == "__main__":
    main()
