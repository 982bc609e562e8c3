"""Scratch screen (issue 23, session 15): a ridge head on MiniRocket's features as a CV
candidate of the classifier's head, and labels spread over the unlabelled sequences'
nearest-neighbour graph before the head is fitted.

Cells as ``../both-views-screen-unreported/screen.py``: the classifier's default
pre-training codes (``heads.codes_of``), the raw series and MiniRocket's PPV features
(``rocket_view.ppv_of``: fitted on every training series with seed S), each standardised
with every training row's statistics; ``labelled_subset(y_train, fraction, S)``. Heads,
scored on the test split:

* ``today``: the default head, ``seqae.tasks.classifier._svm`` on ``[codes | ppv | raw]``
  with ``_SeriesMix(n_codes, blocks, SERIES_KERNELS['auto'])``;
* ``ridge-cv``: the head's repeated CV (the folds of ``_mixed_svm``, seed S) scores, beside
  today's candidates (mix x ``C``), ``RidgeClassifierCV(alphas=logspace(-3, 3, 10))`` on
  the standardised PPV features (MiniRocket's own head; its alpha by its leave-one-out in
  each fold); the best mean fold accuracy wins, a tie to today's candidates; with fewer
  than 2 labels in some class, ``today``;
* ``rmix-cv``: the same with the ridge on ``[s * codes | ppv]``, ``s = sqrt(n_ppv /
  n_codes)`` (both blocks of equal total variance: the even mix as a linear kernel);
* ``spread`` (5-25%): labels spread over every training sequence (Zhou et al. 2004:
  ``F = (I - 0.99 S)^-1 Y``, ``S`` the symmetrically normalised mean of the 10-nearest-
  neighbour graphs of the L2-normalised codes and of the standardised PPV features, as
  ``seqae.tasks.SequenceNeighbors``; each class's column of ``F`` divided by its sum), the
  labelled rows keeping their labels, every row reached by some label taking its argmax;
  then today's head fitted on those rows and labels;
* evidence: ``ridge`` and ``rmix`` (the two ridges alone), ``minirocket`` (aeon's
  MiniRocket + ridge on the labelled rows, ``harness.protocol.minirocket_accuracy``) and
  ``spread_acc`` (the spread labels' accuracy on the unlabelled training rows).

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
from heads import _standardised, arguments, cell, codes_of, labelled_subset  # noqa: E402
from sklearn.linear_model import RidgeClassifierCV  # noqa: E402
from sklearn.metrics.pairwise import rbf_kernel  # noqa: E402
from sklearn.model_selection import RepeatedStratifiedKFold  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.tasks.classifier import (SERIES_KERNELS, SVM_C_GRID, SVM_CV_REPEATS,  # noqa: E402
                                    _gamma_scale, _SeriesMix, _svm)
from seqae.tasks.clustering import _affinity  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "rocket_view", HERE.parent / "rocket-view-screen-unreported" / "screen.py")
rocket_view = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rocket_view)
ppv_of = rocket_view.ppv_of

ALPHAS = np.logspace(-3, 3, 10)


def ridge():
    return RidgeClassifierCV(alphas=ALPHAS)


def today_head(inputs, labels, seed, mix):
    return _svm(True, inputs, labels, seed, mix=mix)[0]


def with_ridge(inputs, labels, seed, mix, ridge_in):
    """``(fitted, uses_ridge)``: today's candidates and a ridge on ``ridge_in`` by one CV."""
    n_codes = mix.n_codes
    smallest = int(np.bincount(labels).min())
    if smallest < 2:
        return today_head(inputs, labels, seed, mix), False
    allowed = [(v, w) for v, w, m in mix.candidates if smallest >= m]
    blocks = {v: (a, b) for v, a, b in mix.blocks}
    codes = inputs[:, :n_codes]
    Kc = rbf_kernel(codes, gamma=_gamma_scale(codes))
    kernels = []
    for view, weight in allowed:
        block = inputs[:, slice(*blocks[view])]
        kernels.append(weight * Kc + (1 - weight) * rbf_kernel(block, gamma=_gamma_scale(block)))
    folds = RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=SVM_CV_REPEATS,
                                    random_state=seed)
    scores = np.zeros((len(kernels), len(SVM_C_GRID)))
    ridge_score = 0.0
    for train, test in folds.split(inputs, labels):
        for j, K in enumerate(kernels):
            for i, C in enumerate(SVM_C_GRID):
                fitted = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)],
                                                           labels[train])
                scores[j, i] += np.mean(fitted.predict(K[np.ix_(test, train)]) == labels[test])
        ridge_score += ridge().fit(ridge_in[train], labels[train]).score(ridge_in[test],
                                                                         labels[test])
    if ridge_score > scores.max():
        return ridge().fit(ridge_in, labels), True
    return today_head(inputs, labels, seed, mix), False


def spread(codes, ppv, rows, labels, n_classes, n_neighbors=10, alpha=0.99):
    """``(pseudo labels of every row, rows reached)``: Zhou et al.'s label spreading."""
    n = len(codes)
    k = min(n_neighbors, n - 1)
    W = (0.5 * _affinity(normalize(codes), k) + 0.5 * _affinity(ppv, k)).toarray()
    np.fill_diagonal(W, 0.0)
    degree = W.sum(1)
    inv = 1 / np.sqrt(np.where(degree > 0, degree, 1.0))
    S = inv[:, None] * W * inv[None, :]
    Y = np.zeros((n, n_classes))
    Y[rows, labels] = 1.0
    F = np.linalg.solve(np.eye(n) - alpha * S, Y)
    F = F / np.maximum(F.sum(0, keepdims=True), 1e-12)
    pseudo = F.argmax(1)
    pseudo[rows] = labels
    reached = F.max(1) > 1e-12
    reached[rows] = True
    return pseudo, reached


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            X_train, y_train, X_test, y_test = load_splits(name)
            raw_codes = codes_of(name, seed, args.cache)[0]
            ppv, ppv_test = _standardised(*ppv_of(name, seed)[:2])
            targets, truth, n_codes = c["targets"], c["truth"], c["train"].shape[1]
            n_ppv = ppv.shape[1]
            inputs = np.hstack([c["train"], ppv, c["raw_train"]])
            inputs_test = np.hstack([c["test"], ppv_test, c["raw_test"]])
            a, b = n_codes, n_codes + n_ppv
            mix = _SeriesMix(n_codes, (("minirocket", a, b), ("raw", b, inputs.shape[1])),
                             SERIES_KERNELS["auto"])
            s = np.sqrt(n_ppv / n_codes)
            rmix_in = np.hstack([s * c["train"], ppv])
            rmix_test = np.hstack([s * c["test"], ppv_test])
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                labels = targets[rows]
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(labels).min())}

                def timed(head, run):
                    start = time.process_time()
                    row[head] = run()
                    row[f"{head}_cpu_s"] = time.process_time() - start

                def acc(fitted, test):
                    return float(np.mean(fitted.predict(test) == truth))

                timed("today", lambda: acc(today_head(inputs[rows], labels, seed, mix),
                                           inputs_test))
                for head, lin, lin_test in (("ridge", ppv, ppv_test),
                                            ("rmix", rmix_in, rmix_test)):
                    timed(head, lambda: acc(ridge().fit(lin[rows], labels), lin_test))
                    start = time.process_time()
                    fitted, used = with_ridge(inputs[rows], labels, seed, mix, lin[rows])
                    row[f"{head}-cv"] = acc(fitted, lin_test if used else inputs_test)
                    row[f"{head}-cv_ridge"] = int(used)
                    row[f"{head}-cv_cpu_s"] = time.process_time() - start
                timed("minirocket", lambda: minirocket_accuracy(
                    X_train[rows], y_train[rows], X_test, y_test, seed))
                if fraction < 1:
                    start = time.process_time()
                    pseudo, reached = spread(raw_codes, ppv, rows, labels,
                                             int(targets.max()) + 1)
                    unlabelled = np.setdiff1d(np.arange(len(targets)), rows)
                    row["spread_acc"] = float(np.mean(pseudo[unlabelled] == targets[unlabelled]))
                    row["spread_reached"] = float(np.mean(reached))
                    row["spread"] = acc(today_head(inputs[reached], pseudo[reached], seed, mix),
                                        inputs_test)
                    row["spread_cpu_s"] = time.process_time() - start
                else:
                    row["spread"], row["spread_cpu_s"] = row["today"], row["today_cpu_s"]
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
