"""Scratch screen (issue 23, session 15): MiniRocket's ridge first in the head's CV for
sequences of different lengths, or the even mix alone there (session 14's head).

Cells as ``../ragged-rocket-screen-unreported/screen.py`` (its ``padded`` imported): the
classifier's default pre-training codes (cached), MiniRocket's features of the sequences
each resampled to the longest training length, both standardised with the training
statistics; ``labelled_subset(y_train, fraction, S)``. Heads, on the test split:

* ``ridge-first``: today's head for ragged input, ``_svm`` on ``[codes | ppv]`` with
  ``SERIES_KERNELS['minirocket']`` (the ridge on the features first, then the even mix);
* ``mix``: the same with the even mix alone (``(('minirocket', 0.5, 2),)``, session 14);
* ``minirocket`` (evidence): aeon's MiniRocket + ridge on the labelled rows, both splits
  resampled to the longest training length.

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 \
        --sets AllGestureWiimoteX GesturePebbleZ1
"""
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
from heads import _standardised, arguments, codes_of, labelled_subset  # noqa: E402

from harness.data import equal_length, load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.modules.rocket import resample  # noqa: E402
from seqae.tasks.classifier import (SERIES_KERNELS, _series_features,  # noqa: E402
                                    _SeriesMix, _svm)

_spec = importlib.util.spec_from_file_location(
    "ragged_rocket", HERE.parent / "ragged-rocket-screen-unreported" / "screen.py")
ragged_rocket = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ragged_rocket)
padded = ragged_rocket.padded


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            X_train, y_train, X_test, y_test = load_splits(name)
            train, test = _standardised(*codes_of(name, seed, args.cache)[:2])
            X3, lengths = padded(X_train)
            series = _series_features("minirocket", X3, seed, 64, lengths)
            X3_test, lengths_test = padded(X_test, max(len(x) for x in X_test))
            inputs = resample(torch.as_tensor(X3_test, dtype=torch.float32), lengths_test,
                              X3.shape[1])
            ppv_test = series.rocket.in_batches(inputs).double().numpy()
            ppv_test = (ppv_test - series.mean) / series.scale
            classes, targets = np.unique(y_train, return_inverse=True)
            truth = np.searchsorted(classes, y_test)
            k, p = train.shape[1], series.values.shape[1]
            both, both_test = np.hstack([train, series.values]), np.hstack([test, ppv_test])
            mixes = {"ridge-first": SERIES_KERNELS["minirocket"],
                     "mix": (("minirocket", 0.5, 2),)}
            equal_train, equal_test = equal_length(X_train, X_test)
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(targets[rows]).min())}
                for head, candidates in mixes.items():
                    start = time.process_time()
                    mix = _SeriesMix(k, (("minirocket", k, k + p),), candidates)
                    fitted = _svm(True, both[rows], targets[rows], seed, mix=mix)[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(both_test) == truth))
                    row[f"{head}_head"] = type(fitted).__name__
                start = time.process_time()
                row["minirocket"] = minirocket_accuracy(equal_train[rows], y_train[rows],
                                                        equal_test, y_test, seed)
                row["minirocket_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
