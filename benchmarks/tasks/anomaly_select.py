"""Choosing the anomaly detector's default on series kept apart from the reported ones.

The reported series of ``benchmarks/tasks/anomaly.py`` (KDD-TSAD_135, ecg-diff-count-3, the
sum-of-sines suite) are never used here. The selection series are generated with TimeEval's
GutenTAG (``timeeval-gutentag``): five semi-supervised series (a clean training series and a
test series of 4000 points each, two anomalies of different kinds in the test series) on
base oscillations that none of the reported series uses as such (sine, square, sawtooth,
cylinder-bell-funnel, random walk; no ECG). Each candidate is fitted once per series
(seed 0) on the training series and scores the test series; several scores come from the
same fitted model.

Candidates (every one otherwise the detector's default autoencoder and mapping):

- ``strided-1p``: the training windows every k-th one (the previous default's draw), window
  = the dominant period;
- ``random-1p``: the training windows drawn at random (the new draw), window = the period;
- ``random-2p``: random draw, window = twice the period (at most 256);
- ``random-1p-znorm``: random draw, window = the period, ``normalize='window'``.

Scores per fitted model: ``reconstruction`` (each window's mean squared reconstruction
error) and ``nearest-code`` (the distance of each test window's code to the nearest code of
a training window), each averaged over the windows covering a point.

Run from the repository root::

    OMP_NUM_THREADS=1 python benchmarks/tasks/anomaly_select.py
    # or one process per series, then the tables of all:
    OMP_NUM_THREADS=1 python benchmarks/tasks/anomaly_select.py --series 0 --out select-0.json
    python benchmarks/tasks/anomaly_select.py --tables select-*.json

Needs ``pip install '.[benchmarks]'`` (aeon for VUS-PR) and GutenTAG installed apart, without
its pins (``neurokit2==0.1.2`` and ``scipy<1.15``, which would downgrade the scipy that
scikit-learn and aeon run on); measured to import and generate with scipy 1.17 and
neurokit2 0.3::

    pip install --no-deps timeeval-gutentag neurokit2
    pip install PyWavelets gitpython jsonschema     # what GutenTAG and neurokit2 import
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.anomalies import (_iforest, derived_series, rolling_median,  # noqa: E402
                               window_method)
from harness.report import dump_rows, report  # noqa: E402
from harness.scores import metrics  # noqa: E402 (the same metrics as tasks/anomaly.py)

import seqae.tasks.anomaly as anomaly  # noqa: E402
from seqae.anomaly import AutoencoderAnomalyDetector, dominant_period  # noqa: E402

#: (name, base oscillation, [(position, length, anomaly kind), ...]) of the selection suite.
SELECTION_SERIES = [
    ("sine amplitude+pattern", {"kind": "sine", "frequency": 4.0, "variance": 0.05},
     [("middle", 100, {"kind": "amplitude", "amplitude_factor": 0.5}),
      ("end", 50, {"kind": "pattern", "sinusoid_k": 10.0})]),
    ("square frequency+variance", {"kind": "square", "frequency": 3.0, "variance": 0.05},
     [("middle", 100, {"kind": "frequency", "frequency_factor": 2.0}),
      ("end", 50, {"kind": "variance", "variance": 0.3})]),
    ("sawtooth mean+platform", {"kind": "sawtooth", "frequency": 3.0, "variance": 0.05},
     [("middle", 100, {"kind": "mean", "offset": 0.5}),
      ("end", 50, {"kind": "platform", "value": 0.0})]),
    ("cbf pattern+extremum", {"kind": "cylinder-bell-funnel", "avg-pattern-length": 30,
                              "variance": 0.05},
     [("middle", 100, {"kind": "pattern", "cbf_pattern_factor": 2.0}),
      ("end", 1, {"kind": "extremum", "min": False, "local": False})]),
    ("random-walk extremum+variance", {"kind": "random-walk", "variance": 0.05,
                                       "smoothing": 0.01},
     [("middle", 1, {"kind": "extremum", "min": True, "local": True}),
      ("end", 100, {"kind": "variance", "variance": 0.3})]),
]

CANDIDATES = ("strided-1p", "random-1p", "random-2p", "random-1p-znorm")


def gutentag_series(name, base, anomalies, length=4000, seed=0):
    """One semi-supervised GutenTAG series: ``(train, test, labels)``."""
    from gutenTAG import GutenTAG

    config = {"timeseries": [{
        "name": name.replace(" ", "-").replace("+", "-"), "length": length,
        "semi-supervised": True, "base-oscillations": [base],
        "anomalies": [{"position": position, "length": size, "kinds": [kind]}
                      for position, size, kind in anomalies]}]}
    generated = GutenTAG.from_dict(config, seed=seed).generate(return_timeseries=True)
    frames = {ts.training_type.value: ts.timeseries for ts in generated}
    test, train = frames["test"], frames["train-no-anomaly"]
    return (train["value-0"].to_numpy(), test["value-0"].to_numpy(),
            test["is_anomaly"].to_numpy().astype(int))


def _strided(n_windows, max_windows, seed):
    step = int(np.ceil(n_windows / max_windows))
    return np.arange(0, n_windows, step)


def fit_candidate(candidate, train, seed):
    period = dominant_period(train)
    window = min(2 * period, 256) if candidate == "random-2p" else period
    normalize = "window" if candidate.endswith("znorm") else "series"
    detector = AutoencoderAnomalyDetector(window_size=window, normalize=normalize,
                                          score="nearest-code", n_estimators=1,
                                          random_state=seed)
    draw = anomaly.training_window_indices
    if candidate.startswith("strided"):
        anomaly.training_window_indices = _strided
    try:
        detector.fit(train)
    finally:
        anomaly.training_window_indices = draw
    return detector


def candidate_scores(detector, test):
    """The two window scores of one fitted detector, mapped to points the detector's way."""
    cut = detector.windows_
    windows = detector._normalized_windows(test.reshape(-1, 1), cut)
    error = -detector.estimator_.score_samples(windows)
    return {"nearest-code": detector.predict(test),
            "reconstruction": cut.to_points(error, len(test))}


def run(seed=0, only=None, candidates=CANDIDATES):
    rows = []
    for index, (name, base, anomalies) in enumerate(SELECTION_SERIES):
        if only is not None and index not in only:
            continue
        train, test, labels = gutentag_series(name, base, anomalies)
        for candidate in candidates:
            start = time.perf_counter()
            detector = fit_candidate(candidate, train, seed)
            seconds = time.perf_counter() - start
            for score, values in candidate_scores(detector, test).items():
                row = {"series": name, "candidate": candidate, "score": score,
                       "window": detector.window_size_, "seconds": seconds,
                       **metrics(labels, values)}
                rows.append(row)
                print(f"{name:32s} {candidate:16s} {score:14s} w={row['window']:3d} "
                      f"ROC-AUC {row['roc_auc']:.3f} PR-AUC {row['pr_auc']:.3f} "
                      f"VUS-PR {row['vus_pr']:.3f} ({seconds:.0f} s)", flush=True)
    return rows

#: Allowed sets not reported anywhere: the selection suite of ``--ensemble`` (real-derived
#: series, built as the reported ones are, from other sets and another shuffle).
ENSEMBLE_SELECTION_SETS = ("GunPoint", "ArrowHead", "ItalyPowerDemand")

#: Which of the detector's window-score kinds each ``--ensemble`` arm averages.
ENSEMBLE_ARM_KINDS = {"reconstruction": [0], "nearest-code": [1], "combined": [0, 1]}


def ensemble_arm_scores(detector, test):
    """Point scores of one fitted ``score='combined'`` detector for each kind subset
    (:data:`ENSEMBLE_ARM_KINDS`): its members' robust z-scores of those kinds, averaged."""
    raw = detector._raw_window_scores(test.reshape(-1, 1))
    out = {}
    for score, kinds in ENSEMBLE_ARM_KINDS.items():
        z = ((raw[:, kinds] - detector.score_location_[:, kinds, None])
             / detector.score_scale_[:, kinds, None])
        out[score] = detector.windows_.to_points(z.mean(axis=(0, 1)), len(test))
    return out


def run_ensemble(seeds=(0, 1, 2), sets=ENSEMBLE_SELECTION_SETS, members=(1, 3)):
    """The ``--ensemble`` selection: per selection series and seed, a detector of each
    ensemble size in ``members`` (each autoencoder ~300 optimizer steps), all
    ``score='combined'``; every kind subset of each is scored from the same fit, with the
    isolation forest and the rolling median of ``anomaly.py`` beside them."""
    rows = []

    def record(name, arm, seed, window, seconds, labels, values):
        row = {"series": name, "candidate": arm, "score": "", "seed": seed,
               "window": window, "seconds": seconds, **metrics(labels, values)}
        rows.append(row)
        print(f"{name:24s} {arm:30s} seed={seed} w={window:3d} ROC-AUC {row['roc_auc']:.3f} "
              f"PR-AUC {row['pr_auc']:.3f} VUS-PR {row['vus_pr']:.3f} ({seconds:.0f} s)",
              flush=True)

    for set_name in sets:
        # shuffle 100: other sequences' order than the reported series' (which use 0)
        train, test, labels = derived_series(set_name, seed=100)
        name = f"{set_name}-derived"
        window = dominant_period(train)
        for seed in seeds:
            for n in members:
                start = time.perf_counter()
                detector = AutoencoderAnomalyDetector(score="combined", n_estimators=n,
                                                      random_state=seed, verbose=0).fit(train)
                seconds = time.perf_counter() - start
                for score, values in ensemble_arm_scores(detector, test).items():
                    record(name, f"{n} AE, {score}", seed, detector.window_size_, seconds,
                           labels, values)
            start = time.perf_counter()
            values = window_method(_iforest)(train, test, window, seed)
            record(name, "pyod-iforest", seed, window, time.perf_counter() - start, labels,
                   values)
        start = time.perf_counter()
        record(name, "rolling-median", 0, window, time.perf_counter() - start, labels,
               rolling_median(train, test, window))
    return rows


def ensemble_markdown(rows):
    """VUS-PR mean ± std over seeds per series x arm, and the mean over series."""
    series = list(dict.fromkeys(row["series"] for row in rows))
    arms = list(dict.fromkeys(row["candidate"] for row in rows))
    lines = ["| arm | " + " | ".join(series) + " | mean | worst std |",
             "|---|" + "---|" * (len(series) + 2)]
    for arm in arms:
        cells, means, stds = [], [], []
        for s in series:
            v = [row["vus_pr"] for row in rows if row["series"] == s and row["candidate"] == arm]
            means.append(np.mean(v))
            stds.append(np.std(v))
            cells.append(f"{np.mean(v):.3f} ± {np.std(v):.3f}")
        lines.append(f"| {arm} | " + " | ".join(cells) + f" | {np.mean(means):.3f} | "
                     f"{max(stds):.3f} |")
    return "\n".join(lines)



def markdown(rows):
    """VUS-PR per series x (candidate, score), then the mean of each metric."""
    series = list(dict.fromkeys(row["series"] for row in rows))
    arms = list(dict.fromkeys((row["candidate"], row["score"]) for row in rows))
    value = {(row["series"], row["candidate"], row["score"]): row for row in rows}
    lines = ["| candidate | score | " + " | ".join(series) + " | mean VUS-PR | mean ROC-AUC "
             "| mean PR-AUC |", "|---|---|" + "---|" * (len(series) + 3)]
    for candidate, score in arms:
        cells = [value[s, candidate, score] for s in series]
        lines.append(f"| {candidate} | {score} | " + " | ".join(
            f"{c['vus_pr']:.3f}" for c in cells) + " | " + " | ".join(
            f"{np.mean([c[m] for c in cells]):.3f}" for m in ("vus_pr", "roc_auc", "pr_auc"))
            + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--series", type=int, nargs="+", default=None,
                        help="indices of SELECTION_SERIES to run (default: all)")
    parser.add_argument("--candidates", nargs="+", choices=CANDIDATES, default=CANDIDATES)
    parser.add_argument("--ensemble", action="store_true",
                        help="the issue-24 selection: one vs three autoencoders, each "
                             "window-score kind, on real-derived series of unreported sets")
    parser.add_argument("--sets", nargs="+", default=list(ENSEMBLE_SELECTION_SETS),
                        help="with --ensemble: the selection sets")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="with --ensemble: the seeds")
    parser.add_argument("--members", type=int, nargs="+", default=[1, 3],
                        help="with --ensemble: the ensemble sizes compared")
    parser.add_argument("--out", help="also write the rows to this JSON file")
    parser.add_argument("--tables", nargs="+", metavar="JSON",
                        help="print the tables of rows written by earlier --out runs")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    if args.tables:
        loaded = [row for path in args.tables for row in json.load(open(path))]
        print(ensemble_markdown(loaded) if args.ensemble else markdown(loaded))
        return None
    if args.ensemble:
        rows = report(__file__, argv, args.threads,
                      lambda: run_ensemble(args.seeds, args.sets, args.members), ensemble_markdown)
        dump_rows(rows, args.out)
        return rows
    rows = report(__file__, argv, args.threads,
                  lambda: run(args.seed, args.series, args.candidates), markdown)
    dump_rows(rows, args.out)
    return rows


if __name__ == "__main__":
    main()
