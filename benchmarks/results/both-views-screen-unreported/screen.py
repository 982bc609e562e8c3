"""Scratch screen (issue 23, session 14): the SVM head with both views of the series, the
raw values and MiniRocket's features, where every class has 10 labels.

Cells as ``../rocket-view-screen-unreported/screen.py`` (codes, raw series and PPV features
cached per set and seed, each standardised with every training row's statistics;
``labelled_subset(y_train, fraction, S)``). ``K_c``, ``K_p``, ``K_r``: RBF kernels of the
codes, the PPV features and the raw series, each with the ``'scale'`` gamma of its own
features on the labelled rows. Heads, scored on the test split:

* ``today``: ``seqae.tasks.classifier._svm`` with today's mix (``SERIES_KERNELS
  ['minirocket']``: ``(K_c + K_p) / 2``, ``C`` by the head's repeated CV);
* ``both-cv10``: where every class has at least 10 labels, the head's repeated CV (seed S)
  chooses, with ``C``, between ``(K_c + K_p) / 2`` and ``(K_c + K_r) / 2``, ties to the
  first, then to the smaller ``C``; else ``today``;
* ``thirds-cv10``: the same between ``(K_c + K_p) / 2`` and ``(K_c + K_p + K_r) / 3``;
* evidence: ``raw-mix`` (``(K_c + K_r) / 2`` alone, ``C`` by CV, ungated).

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 --sets Adiac ...
"""
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import importlib.util  # noqa: E402

import numpy as np  # noqa: E402
from heads import _standardised, arguments, cell, folds, labelled_subset  # noqa: E402
from sklearn.metrics.pairwise import rbf_kernel  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from seqae.tasks.classifier import (SERIES_KERNELS, SVM_C_GRID, _gamma_scale,  # noqa: E402
                                    _SeriesMix, _svm)

# the rocket-view screen's PPV features and their cache
_spec = importlib.util.spec_from_file_location(
    "rocket_view", HERE.parent / "rocket-view-screen-unreported" / "screen.py")
rocket_view = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rocket_view)
ppv_of = rocket_view.ppv_of


def choose(kernels, kernels_test, targets, seed):
    """Test predictions of the SVC on the kernel of ``kernels`` (train x train matrices)
    and ``C`` chosen together by the head's repeated CV, ties to the first."""
    split = folds(targets, seed)
    best = (0, 1.0)
    if split is not None:
        scores = np.zeros((len(kernels), len(SVM_C_GRID)))
        for train, test in split.split(kernels[0], targets):
            for j, K in enumerate(kernels):
                for i, C in enumerate(SVM_C_GRID):
                    fitted = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)],
                                                               targets[train])
                    scores[j, i] += np.mean(fitted.predict(K[np.ix_(test, train)])
                                            == targets[test])
        j, i = np.unravel_index(int(np.argmax(scores)), scores.shape)
        best = (j, SVM_C_GRID[i])
    j, C = best
    fitted = SVC(kernel="precomputed", C=C).fit(kernels[j], targets)
    return fitted.predict(kernels_test[j]), j


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            ppv, ppv_test = _standardised(*ppv_of(name, seed)[:2])
            targets, truth, n_codes = c["targets"], c["truth"], c["train"].shape[1]
            for fraction in args.fractions:
                rows = labelled_subset(c["y_train"], fraction, seed)
                labels = targets[rows]
                smallest = int(np.bincount(labels).min())
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "smallest_class": smallest}
                start = time.process_time()
                fitted = _svm(True, np.hstack([c["train"], ppv])[rows], labels, seed,
                              mix=_SeriesMix(n_codes, *SERIES_KERNELS["minirocket"]))[0]
                row["today"] = float(np.mean(fitted.predict(np.hstack([c["test"], ppv_test]))
                                             == truth))
                row["today_cpu_s"] = time.process_time() - start
                start = time.process_time()
                blocks = [(c["train"][rows], c["test"]), (ppv[rows], ppv_test),
                          (c["raw_train"][rows], c["raw_test"])]
                K, K_test = [], []
                for train, test in blocks:
                    gamma = _gamma_scale(train)
                    K.append(rbf_kernel(train, gamma=gamma))
                    K_test.append(rbf_kernel(test, train, gamma=gamma))
                predicted, _ = choose([(K[0] + K[2]) / 2], [(K_test[0] + K_test[2]) / 2],
                                      labels, seed)
                row["raw-mix"] = float(np.mean(predicted == truth))
                kernel_time = time.process_time() - start
                for head, second in (("both-cv10", lambda M: (M[0] + M[2]) / 2),
                                     ("thirds-cv10", lambda M: (M[0] + M[1] + M[2]) / 3)):
                    if smallest < 10:
                        row[head], row[f"{head}_choice"] = row["today"], 0
                        row[f"{head}_cpu_s"] = row["today_cpu_s"]
                        continue
                    start = time.process_time()
                    predicted, choice = choose(
                        [(K[0] + K[1]) / 2, second(K)],
                        [(K_test[0] + K_test[1]) / 2, second(K_test)], labels, seed)
                    row[head], row[f"{head}_choice"] = float(np.mean(predicted == truth)), int(choice)
                    row[f"{head}_cpu_s"] = time.process_time() - start + kernel_time
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
