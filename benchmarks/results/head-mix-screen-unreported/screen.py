"""Scratch screen (issue 23, session 13): a head on the codes' and the raw series' kernels,
their weight chosen by CV.

The same cells as ``../head-gamma-screen-unreported/screen.py`` (the classifier's default
pre-training codes, cached there per set and seed, standardised with every training code's
mean and scale; the raw series flattened and standardised with every training series' mean
and scale; ``labelled_subset(y_train, fraction, S)``). ``K_c`` is the RBF kernel of the
codes and ``K_r`` of the raw series, each with ``gamma = 1 / (d var)`` of its own features
(the labelled rows'). Heads, scored on the test split:

* ``svm``: ``seqae.tasks.classifier._svm`` on the codes (today's head);
* ``raw`` (evidence): the same protocol on the raw series alone (``K_r``);
* ``mix-cv``: an SVC on ``w K_c + (1 - w) K_r``, ``(w, C)`` of ``{1, 0.5}`` x
  ``SVM_C_GRID`` by the head's stratified k-fold CV repeated 3 times (seed S): the best mean
  accuracy, ties to ``w = 1`` (the codes alone), then to the smaller ``C``;
* ``mix-cv10``: ``mix-cv`` where every class has at least 10 labels, else ``svm``.

    python screen.py --seeds 0 1 2 --fractions 0.1 1.0 --sets Adiac ...
"""
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
from heads import arguments, cell, labelled_subset  # noqa: E402  (puts benchmarks/ on the path)
from heads import folds as _folds  # noqa: E402
from sklearn.metrics.pairwise import rbf_kernel  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from seqae.tasks.classifier import SVM_C_GRID, _svm  # noqa: E402

WEIGHTS = (1.0, 0.5)


def _gamma(features):
    variance = float(features.var())
    return 1.0 / (features.shape[1] * variance) if variance > 0 else 1.0


def mix_cv(codes, raw, targets, seed, codes_test, raw_test, weights=WEIGHTS):
    """``(test predictions, w, C)`` of the SVC on ``w K_c + (1 - w) K_r``."""
    gc, gr = _gamma(codes), _gamma(raw)
    Kc, Kr = rbf_kernel(codes, codes, gamma=gc), rbf_kernel(raw, raw, gamma=gr)
    Kc_t, Kr_t = rbf_kernel(codes_test, codes, gamma=gc), rbf_kernel(raw_test, raw, gamma=gr)
    folds = _folds(targets, seed)
    best = (weights[0], 1.0)
    if folds is not None:
        scores = np.zeros((len(weights), len(SVM_C_GRID)))
        for train, test in folds.split(codes, targets):
            for j, w in enumerate(weights):
                K = w * Kc + (1 - w) * Kr
                for i, C in enumerate(SVM_C_GRID):
                    fitted = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)],
                                                               targets[train])
                    scores[j, i] += np.mean(fitted.predict(K[np.ix_(test, train)])
                                            == targets[test])
        j, i = np.unravel_index(int(np.argmax(scores)), scores.shape)
        best = (weights[j], SVM_C_GRID[i])
    w, C = best
    fitted = SVC(kernel="precomputed", C=C).fit(w * Kc + (1 - w) * Kr, targets)
    return fitted.predict(w * Kc_t + (1 - w) * Kr_t), w, C


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            train, test, raw_train, raw_test = (c[k] for k in ("train", "test", "raw_train",
                                                               "raw_test"))
            targets, truth, y_train = c["targets"], c["truth"], c["y_train"]
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                smallest = int(np.unique(targets[rows], return_counts=True)[1].min())
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "smallest_class": smallest}
                for head, features, features_test in (("svm", train, test),
                                                      ("raw", raw_train, raw_test)):
                    start = time.process_time()
                    fitted = _svm(True, features[rows], targets[rows], seed)[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(features_test) == truth))
                start = time.process_time()
                predicted, w, C = mix_cv(train[rows], raw_train[rows], targets[rows], seed,
                                         test, raw_test)
                row["mix-cv_cpu_s"] = time.process_time() - start
                row["mix-cv"] = float(np.mean(predicted == truth))
                row["mix-cv_w"], row["mix-cv_C"] = float(w), float(C)
                if smallest >= 10:
                    row["mix-cv10"], row["mix-cv10_cpu_s"] = row["mix-cv"], row["mix-cv_cpu_s"]
                else:
                    row["mix-cv10"], row["mix-cv10_cpu_s"] = row["svm"], row["svm_cpu_s"]
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
