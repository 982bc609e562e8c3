"""Scratch screen (issue 23, session 14): how the SVM head's CV breaks a tie between values
of ``C``.

Cells as ``../both-views-screen-unreported/screen.py`` (codes and MiniRocket's PPV features
cached per set and seed, standardised with every training row's statistics;
``labelled_subset(y_train, fraction, S)``). Heads, scored on the test split, both
``seqae.tasks.classifier._svm`` on ``[codes | ppv]`` with today's mix
(``SERIES_KERNELS['minirocket']``):

* ``today``: ``SVM_C_TIES = 'smallest'`` (a tie keeps the smallest ``C`` of the grid);
* ``near-1``: ``SVM_C_TIES = 'nearest-1'`` (a tie keeps the ``C`` closest to 1 on a log
  scale).

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 --sets Adiac ...
"""
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
from heads import _standardised, arguments, cell, labelled_subset  # noqa: E402

import seqae.tasks.classifier as classifier  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "rocket_view", HERE.parent / "rocket-view-screen-unreported" / "screen.py")
rocket_view = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rocket_view)


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            ppv, ppv_test = _standardised(*rocket_view.ppv_of(name, seed)[:2])
            inputs, inputs_test = np.hstack([c["train"], ppv]), np.hstack([c["test"], ppv_test])
            mix = classifier._SeriesMix(c["train"].shape[1],
                                        *classifier.SERIES_KERNELS["minirocket"])
            for fraction in args.fractions:
                rows = labelled_subset(c["y_train"], fraction, seed)
                labels = c["targets"][rows]
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(labels).min())}
                for head, ties in (("today", "smallest"), ("near-1", "nearest-1")):
                    saved, classifier.SVM_C_TIES = classifier.SVM_C_TIES, ties
                    start = time.process_time()
                    try:
                        fitted = classifier._svm(True, inputs[rows], labels, seed, mix=mix)[0]
                    finally:
                        classifier.SVM_C_TIES = saved
                    row[head] = float(np.mean(fitted.predict(inputs_test) == c["truth"]))
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[f"{head}_C"] = float(fitted.C)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
