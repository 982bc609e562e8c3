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

The detector's default was chosen on other series (``benchmarks/tasks/anomaly_select.py``).

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/tasks/anomaly.py --suite real --sensitivity
    OMP_NUM_THREADS=1 python benchmarks/tasks/anomaly.py --suite synthetic
    OMP_NUM_THREADS=1 python benchmarks/tasks/anomaly.py --quick    # short series, one seed
    # or one process per series (--only, --out rows.json), then the tables of all of them:
    python benchmarks/tasks/anomaly.py --tables rows-*.json

Needs ``pip install seqae[benchmarks]`` (aeon, stumpy, pyod).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.anomalies import (DERIVED_REPORTED, INJECTED_KINDS, _iforest,  # noqa: E402,F401
                               derived_series, inject, rolling_median, standardise,
                               window_method)
from harness.data import aeon_data, load_ecg_diff_count_3  # noqa: E402,F401
from harness.report import dump_rows, report  # noqa: E402
from harness.scores import metrics, range_pr_vus  # noqa: E402,F401

from seqae.anomaly import AutoencoderAnomalyDetector, SlidingWindows, dominant_period  # noqa: E402

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
    rows = report(__file__, argv, args.threads,
                  lambda: run(args.suite, seeds, args.sensitivity, args.quick, args.only,
                              args.sensitivity_only, args.baselines_only, args.members,
                              args.skip_matrix_profile, args.members_only), markdown)
    dump_rows(rows, args.out)
    return rows


if __name__ == "__main__":
    main()
