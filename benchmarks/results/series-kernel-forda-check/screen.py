"""Scratch check (issue 23, session 14): ``series_kernel='auto'`` on FordA, a large
unreported set (used once before, by session 13's ``raw-kernel-forda-check``).

Cells as ``../c-ties-screen-unreported/screen.py`` (codes, MiniRocket's PPV features and the
raw series, cached per set and seed and standardised with every training row's statistics;
``labelled_subset(y_train, fraction, S)``). Heads, scored on the test split:

* ``raw``: section 18's default, ``_svm`` with ``SERIES_KERNELS['raw']`` on ``[codes | raw]``;
* ``auto``: today's default, ``_svm`` with ``SERIES_KERNELS['auto']`` on
  ``[codes | ppv | raw]``;
* ``minirocket``: the benchmarks' baseline (aeon's MiniRocket + ridge on the labelled rows).

    python screen.py --seeds 0 1 2 --fractions 0.02 0.05 0.1 0.25 --sets FordA
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

from harness.data import load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.tasks.classifier import SERIES_KERNELS, _SeriesMix, _svm  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "rocket_view", HERE.parent / "rocket-view-screen-unreported" / "screen.py")
rocket_view = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rocket_view)


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            X_train, y_train, X_test, y_test = load_splits(name)
            ppv, ppv_test = _standardised(*rocket_view.ppv_of(name, seed)[:2])
            k, p = c["train"].shape[1], ppv.shape[1]
            inputs = {"raw": (np.hstack([c["train"], c["raw_train"]]),
                              np.hstack([c["test"], c["raw_test"]]),
                              _SeriesMix(k, (("raw", k, k + c["raw_train"].shape[1]),),
                                         SERIES_KERNELS["raw"])),
                      "auto": (np.hstack([c["train"], ppv, c["raw_train"]]),
                               np.hstack([c["test"], ppv_test, c["raw_test"]]),
                               _SeriesMix(k, (("minirocket", k, k + p),
                                              ("raw", k + p, k + p + c["raw_train"].shape[1])),
                                          SERIES_KERNELS["auto"]))}
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                labels = c["targets"][rows]
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows))}
                for head, (train, test, mix) in inputs.items():
                    start = time.process_time()
                    fitted = _svm(True, train[rows], labels, seed, mix=mix)[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(test) == c["truth"]))
                    row[f"{head}_view"] = fitted.view
                start = time.process_time()
                row["minirocket"] = minirocket_accuracy(X_train[rows], y_train[rows], X_test,
                                                        y_test, seed)
                row["minirocket_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
