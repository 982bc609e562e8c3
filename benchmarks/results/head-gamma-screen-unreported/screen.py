"""Scratch screen (issue 23, session 13): the frozen SVM head with ``gamma`` searched too.

For each unreported set and seed S: the classifier's default pre-training
(``seqae.tasks._common.pretraining_autoencoder()``, ``random_state=S``) fitted on the
training split (labels unused); its codes standardised with the mean and scale of every
training code (as ``SequenceClassifier`` does); the labelled rows of
``harness.protocol.labelled_subset(y_train, fraction, S)``. The codes are cached in
``--cache`` (one ``.npz`` per set and seed) so that later head screens reuse them. Heads,
scored on the test split:

* ``svm``: ``seqae.tasks.classifier._svm``, the classifier's frozen head today: RBF SVC,
  ``gamma = 1 / (d var)``, ``C`` of ``SVM_C_GRID`` by a stratified k-fold CV (k = min(5,
  smallest class)) repeated 3 times (seed S), the first best ``C``;
* ``svm-Cg``: the same CV over ``C`` x ``gamma``, ``gamma`` = ``g * (1 / (d var))`` for
  ``g`` in ``GAMMA_FACTORS`` (1, 1/2, 2, 1/4, 4); the best mean accuracy, ties to the
  earlier ``g`` in that order, then to the smaller ``C``;
* ``svm-Cg10``: ``svm-Cg`` where the smallest class has at least 10 labels, else ``svm``;
* ``sum-kernel`` (evidence only, not a candidate: the network has no raw-series kernel):
  a precomputed kernel, the mean of the RBF kernel of the codes (``svm``'s gamma) and the
  RBF kernel of the raw series (flattened, standardised with every training series' mean
  and scale, ``gamma = 1 / (d var)``), ``C`` by the same repeated CV.

    python screen.py --seeds 0 1 2 --fractions 0.1 1.0 --sets Adiac ... --cache /tmp/codes
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
from sklearn.metrics.pairwise import rbf_kernel  # noqa: E402
from sklearn.model_selection import RepeatedStratifiedKFold  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import labelled_subset  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae.tasks._common import pretraining_autoencoder  # noqa: E402
from seqae.tasks.classifier import SVM_C_GRID, SVM_CV_REPEATS, _svm  # noqa: E402

GAMMA_FACTORS = (1.0, 0.5, 2.0, 0.25, 4.0)


def _folds(targets, seed):
    smallest = int(np.unique(targets, return_counts=True)[1].min())
    if smallest < 2:
        return None
    return RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=SVM_CV_REPEATS,
                                   random_state=seed)


def svm_cg(features, targets, seed):
    variance = float(features.var())
    scale = 1.0 / (features.shape[1] * variance) if variance > 0 else 1.0
    folds = _folds(targets, seed)
    if folds is None:
        return SVC(gamma=scale).fit(features, targets)
    scores = np.zeros((len(GAMMA_FACTORS), len(SVM_C_GRID)))
    for train, test in folds.split(features, targets):
        for g, factor in enumerate(GAMMA_FACTORS):
            for i, C in enumerate(SVM_C_GRID):
                fitted = SVC(gamma=factor * scale, C=C).fit(features[train], targets[train])
                scores[g, i] += np.mean(fitted.predict(features[test]) == targets[test])
    g, i = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return SVC(gamma=GAMMA_FACTORS[g] * scale, C=SVM_C_GRID[i]).fit(features, targets)


def sum_kernel(codes, raw, targets, seed, codes_test, raw_test):
    """Test predictions of the mean-of-two-RBF-kernels SVC."""
    def gamma(f):
        v = float(f.var())
        return 1.0 / (f.shape[1] * v) if v > 0 else 1.0
    gc, gr = gamma(codes), gamma(raw)
    K = 0.5 * rbf_kernel(codes, codes, gamma=gc) + 0.5 * rbf_kernel(raw, raw, gamma=gr)
    K_test = (0.5 * rbf_kernel(codes_test, codes, gamma=gc)
              + 0.5 * rbf_kernel(raw_test, raw, gamma=gr))
    folds = _folds(targets, seed)
    best_C = 1.0
    if folds is not None:
        scores = np.zeros(len(SVM_C_GRID))
        for train, test in folds.split(codes, targets):
            for i, C in enumerate(SVM_C_GRID):
                fitted = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)],
                                                           targets[train])
                scores[i] += np.mean(fitted.predict(K[np.ix_(test, train)]) == targets[test])
        best_C = SVM_C_GRID[int(np.argmax(scores))]
    fitted = SVC(kernel="precomputed", C=best_C).fit(K, targets)
    return fitted.predict(K_test), best_C


def codes_of(name, seed, cache):
    path = Path(cache) / f"{name}_{seed}.npz"
    if path.exists():
        saved = np.load(path)
        return saved["train"], saved["test"], float(saved["fit_s"])
    X_train, _, X_test, _ = load_splits(name)
    start = time.process_time()
    model = pretraining_autoencoder().set_params(random_state=seed).fit(X_train)
    fit_s = time.process_time() - start
    train, test = model.transform(X_train), model.transform(X_test)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, train=train, test=test, fit_s=fit_s)
    return train, test, fit_s


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
            raw_train, raw_test = (raw_train - r_mean) / r_scale, (raw_test - r_mean) / r_scale
            classes, targets = np.unique(y_train, return_inverse=True)
            truth = np.searchsorted(classes, y_test)
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                smallest = int(np.unique(targets[rows], return_counts=True)[1].min())
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "pretrain_cpu_s": fit_s}
                heads = (("svm", lambda f, t: _svm(True, f, t, seed)[0]),
                         ("svm-Cg", lambda f, t: svm_cg(f, t, seed)),
                         ("svm-Cg10", lambda f, t: (svm_cg(f, t, seed) if smallest >= 10
                                                    else _svm(True, f, t, seed)[0])))
                for head, fit in heads:
                    start = time.process_time()
                    fitted = fit(train[rows], targets[rows])
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(test) == truth))
                    row[f"{head}_C"] = float(fitted.C)
                    row[f"{head}_gamma"] = float(fitted.gamma)
                start = time.process_time()
                predicted, C = sum_kernel(train[rows], raw_train[rows], targets[rows], seed,
                                          test, raw_test)
                row["sum-kernel_cpu_s"] = time.process_time() - start
                row["sum-kernel"] = float(np.mean(predicted == truth))
                row["sum-kernel_C"] = float(C)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
