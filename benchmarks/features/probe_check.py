"""Which frozen-code head? Training splits only (issue 23; the test split is never read).

For each set and seed, ``RAESCTransformer()`` (defaults) is fitted on the training split
(labels unused); its codes, standardised as ``SequenceClassifier`` does, are scored by an
outer stratified 5-fold CV over the training labels with several heads: the SVC protocol of
``ucr.py`` (StandardScaler -> RBF SVC, C by inner CV), the classifier's linear probe
(``_linear_probe``: logistic regression, C by inner CV) and logistic regression at fixed C.

    OMP_NUM_THREADS=1 python benchmarks/features/probe_check.py --datasets ArrowHead Car --seeds 0 1 2
"""
import argparse
import json
import warnings

import numpy as np
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness import data  # noqa: E402
from harness.protocol import cv_accuracy, outer_folds  # noqa: E402
from harness.report import set_threads  # noqa: E402

from sklearn.linear_model import LogisticRegression
from seqae import RAESCTransformer
from seqae.tasks.classifier import _linear_probe

def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", nargs="+")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    for name in args.datasets:
        X, y = data.load(name, "train")
        classes, t = np.unique(y, return_inverse=True)
        folds = outer_folds(y, 5)
        for seed in args.seeds:
            set_threads(1)
            codes = RAESCTransformer(random_state=seed).fit(X).transform(X)
            scale = codes.std(0)
            F = (codes - codes.mean(0)) / np.where(scale > 1e-6, scale, 1)
            acc = {"svc": cv_accuracy(F, y, folds)}
            for key, make in {"probe": None, "logreg C=1": 1.0, "logreg C=100": 100.0}.items():
                scores = []
                for train, test in folds:
                    if make is None:
                        w, b, _ = _linear_probe(True, F[train], t[train], seed)
                        pred = np.argmax(F[test] @ w.T + b, axis=1)
                    else:
                        pred = LogisticRegression(C=make, max_iter=1000).fit(
                            F[train], t[train]).predict(F[test])
                    scores.append(np.mean(pred == t[test]))
                acc[key] = float(np.mean(scores))
            print(json.dumps({"dataset": name, "seed": seed,
                              **{k: round(v, 4) for k, v in acc.items()}}), flush=True)


if __name__ == "__main__":
    main()
