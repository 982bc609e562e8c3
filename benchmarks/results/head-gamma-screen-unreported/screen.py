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

(The cells and the cache: ``heads.py`` beside this file.)
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402
from heads import arguments, cell, labelled_subset  # noqa: E402  (puts benchmarks/ on the path)
from heads import folds as _folds  # noqa: E402
from sklearn.metrics.pairwise import rbf_kernel  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from seqae.tasks.classifier import SVM_C_GRID, _svm  # noqa: E402

GAMMA_FACTORS = (1.0, 0.5, 2.0, 0.25, 4.0)


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


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            train, test, targets, truth = c["train"], c["test"], c["targets"], c["truth"]
            for fraction in args.fractions:
                rows = labelled_subset(c["y_train"], fraction, seed)
                smallest = int(np.unique(targets[rows], return_counts=True)[1].min())
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "pretrain_cpu_s": c["fit_s"]}
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
                predicted, C = sum_kernel(train[rows], c["raw_train"][rows], targets[rows],
                                          seed, test, c["raw_test"])
                row["sum-kernel_cpu_s"] = time.process_time() - start
                row["sum-kernel"] = float(np.mean(predicted == truth))
                row["sum-kernel_C"] = float(C)
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
