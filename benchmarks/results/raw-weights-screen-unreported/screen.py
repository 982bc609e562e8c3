"""Scratch screen (issue 23, session 13): the codes' kernel weights that ``raw_kernel`` chooses from.

The cells of ``../head-gamma-screen-unreported/screen.py`` (the classifier's default
pre-training codes per set and seed, cached; codes and raw series standardised with every
training row's statistics; ``labelled_subset(y_train, fraction, S)``) on other fractions and
two more sets. Heads, scored on the test split, all ``seqae.tasks.classifier._svm`` with
``n_codes`` (the raw kernel's weight chosen with ``C`` by the head's repeated CV) and
``RAW_KERNEL_WEIGHTS`` set to: ``w2`` (today's, (1, 0.5)), ``w3`` (the candidate,
(1, 0.5, 0.25)), ``w4`` (evidence: (1, 0.5, 0.25, 0), 0 the raw series alone).

    python screen.py --seeds 0 1 2 --fractions 0.25 0.5 --sets Adiac ...
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
from screen import codes_of  # noqa: E402  (also puts benchmarks/ on the path)

import seqae.tasks.classifier as classifier  # noqa: E402
from harness.data import load_splits  # noqa: E402
from harness.protocol import labelled_subset  # noqa: E402
from harness.report import set_threads  # noqa: E402

WEIGHTS = {"w2": (1.0, 0.5), "w3": (1.0, 0.5, 0.25), "w4": (1.0, 0.5, 0.25, 0.0)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--fractions", type=float, nargs="+")
    parser.add_argument("--sets", nargs="+")
    parser.add_argument("--cache", default="/tmp/seqae-codes-lr3e-3")
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    for seed in args.seeds:
        for name in args.sets:
            X_train, y_train, X_test, y_test = load_splits(name)
            train, test, fit_s = codes_of(name, seed, args.cache)
            mean, scale = train.mean(0), train.std(0)
            scale = np.where(scale > 1e-6, scale, 1.0)
            train, test = (train - mean) / scale, (test - mean) / scale
            raw_train = X_train.reshape(len(X_train), -1)
            raw_test = X_test.reshape(len(X_test), -1)
            r_mean, r_scale = raw_train.mean(0), raw_train.std(0)
            r_scale = np.where(r_scale > 1e-6, r_scale, 1.0)
            inputs = np.hstack([train, (raw_train - r_mean) / r_scale])
            inputs_test = np.hstack([test, (raw_test - r_mean) / r_scale])
            classes, targets = np.unique(y_train, return_inverse=True)
            truth = np.searchsorted(classes, y_test)
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(targets[rows]).min())}
                for head, weights in WEIGHTS.items():
                    classifier.RAW_KERNEL_WEIGHTS = weights
                    start = time.process_time()
                    fitted = classifier._svm(True, inputs[rows], targets[rows], seed,
                                             n_codes=train.shape[1])[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(inputs_test) == truth))
                    row[f"{head}_weight"] = float(fitted.weight)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
