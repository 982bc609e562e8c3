"""Scratch screen (issue 23): a steadier choice of the frozen SVM head's ``C``.

For each unreported set and seed S: the default ``RAESCTransformer(random_state=S)`` fitted
on the training split (labels unused); its codes standardised with the mean and scale of
every training code (as ``SequenceClassifier`` does); the labelled rows of
``harness.protocol.labelled_subset(y_train, fraction, S)``. Heads, scored on the test split:

* ``svm``: ``seqae.tasks.classifier._svm``, the classifier's frozen head today: RBF SVC,
  ``gamma = 1 / (d var)``, ``C`` of the grid by one stratified k-fold CV (k = min(5,
  smallest class), shuffled with seed S), the first best ``C``;
* ``svm-rep3``: the same, with ``C`` by the mean accuracy over a repeated stratified k-fold
  (the same k, 3 repeats, seed S).

    python screen.py --seeds 0 1 2 --fractions 0.1 1.0 --sets Adiac ...
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks")]
import numpy as np  # noqa: E402
from sklearn.model_selection import RepeatedStratifiedKFold  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import labelled_subset  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402
from seqae.tasks.classifier import SVM_C_GRID, _svm  # noqa: E402


def svm_repeated(features, targets, seed, repeats=3):
    variance = float(features.var())
    gamma = 1.0 / (features.shape[1] * variance) if variance > 0 else 1.0
    smallest = int(np.unique(targets, return_counts=True)[1].min())
    if smallest < 2:
        return SVC(gamma=gamma).fit(features, targets)
    folds = RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=repeats,
                                    random_state=seed)
    scores = np.zeros(len(SVM_C_GRID))
    for train, test in folds.split(features, targets):
        for i, C in enumerate(SVM_C_GRID):
            fitted = SVC(gamma=gamma, C=C).fit(features[train], targets[train])
            scores[i] += np.mean(fitted.predict(features[test]) == targets[test])
    return SVC(gamma=gamma, C=SVM_C_GRID[int(np.argmax(scores))]).fit(features, targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--fractions", type=float, nargs="+")
    parser.add_argument("--sets", nargs="+")
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    for seed in args.seeds:
        for name in args.sets:
            X_train, y_train, X_test, y_test = load_splits(name)
            model = RAESCTransformer(random_state=seed).fit(X_train)
            train, test = model.transform(X_train), model.transform(X_test)
            mean, scale = train.mean(0), train.std(0)
            scale = np.where(scale > 1e-6, scale, 1.0)
            train, test = (train - mean) / scale, (test - mean) / scale
            classes, targets = np.unique(y_train, return_inverse=True)
            truth = np.searchsorted(classes, y_test)
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows))}
                for head, fit in (("svm", lambda f, t: _svm(True, f, t, seed)[0]),
                                  ("svm-rep3", lambda f, t: svm_repeated(f, t, seed))):
                    start = time.process_time()
                    fitted = fit(train[rows], targets[rows])
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(test) == truth))
                    row[f"{head}_C"] = float(fitted.C)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
