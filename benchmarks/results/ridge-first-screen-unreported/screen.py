"""Scratch screen (issue 23, session 15), the ridge-spread screen's follow-up: which way the
head's CV breaks a tie between MiniRocket's ridge and the SVM mixes.

Cells and heads as ``../ridge-spread-screen-unreported/screen.py`` (imported from it):

* ``today``: the default head (``series_kernel='auto'``);
* ``ridge-cv``: that screen's candidate (the CV also scores the ridge on the standardised
  PPV features; a tie keeps the SVM mixes; fewer than 2 labels in some class: ``today``);
* ``ridge-first``: the same CV, a tie to the ridge; fewer than 2 labels in some class: the
  ridge;
* evidence: ``ridge`` (the ridge alone) and ``minirocket``.

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 --sets Adiac ...
"""
import importlib.util
import json
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "ridge_spread", HERE.parent / "ridge-spread-screen-unreported" / "screen.py")
rs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rs)


def with_ridge(inputs, labels, seed, mix, ridge_in, ridge_first):
    """``(fitted, uses_ridge)``: as ``rs.with_ridge``, ties and too few labels as told."""
    from sklearn.metrics.pairwise import rbf_kernel
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.svm import SVC

    smallest = int(np.bincount(labels).min())
    if smallest < 2:
        if ridge_first:
            return rs.ridge().fit(ridge_in, labels), True
        return rs.today_head(inputs, labels, seed, mix), False
    allowed = [(v, w) for v, w, m in mix.candidates if smallest >= m]
    blocks = {v: (a, b) for v, a, b in mix.blocks}
    codes = inputs[:, :mix.n_codes]
    Kc = rbf_kernel(codes, gamma=rs._gamma_scale(codes))
    kernels = []
    for view, weight in allowed:
        block = inputs[:, slice(*blocks[view])]
        kernels.append(weight * Kc + (1 - weight) * rbf_kernel(block,
                                                             gamma=rs._gamma_scale(block)))
    folds = RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=rs.SVM_CV_REPEATS,
                                    random_state=seed)
    scores = np.zeros((len(kernels), len(rs.SVM_C_GRID)))
    ridge_score = 0.0
    for train, test in folds.split(inputs, labels):
        for j, K in enumerate(kernels):
            for i, C in enumerate(rs.SVM_C_GRID):
                fitted = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)],
                                                           labels[train])
                scores[j, i] += np.mean(fitted.predict(K[np.ix_(test, train)]) == labels[test])
        ridge_score += rs.ridge().fit(ridge_in[train], labels[train]).score(ridge_in[test],
                                                                            labels[test])
    if ridge_score > scores.max() or (ridge_first and ridge_score >= scores.max()):
        return rs.ridge().fit(ridge_in, labels), True
    return rs.today_head(inputs, labels, seed, mix), False


def main():
    args = rs.arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = rs.cell(name, seed, args.cache)
            X_train, y_train, X_test, y_test = rs.load_splits(name)
            ppv, ppv_test = rs._standardised(*rs.ppv_of(name, seed)[:2])
            targets, truth, n_codes = c["targets"], c["truth"], c["train"].shape[1]
            inputs = np.hstack([c["train"], ppv, c["raw_train"]])
            inputs_test = np.hstack([c["test"], ppv_test, c["raw_test"]])
            a, b = n_codes, n_codes + ppv.shape[1]
            mix = rs._SeriesMix(n_codes, (("minirocket", a, b), ("raw", b, inputs.shape[1])),
                                rs.SERIES_KERNELS["auto"])
            for fraction in args.fractions:
                rows = rs.labelled_subset(y_train, fraction, seed)
                labels = targets[rows]
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(labels).min())}

                def acc(fitted, test):
                    return float(np.mean(fitted.predict(test) == truth))

                start = time.process_time()
                row["today"] = acc(rs.today_head(inputs[rows], labels, seed, mix), inputs_test)
                row["today_cpu_s"] = time.process_time() - start
                start = time.process_time()
                row["ridge"] = acc(rs.ridge().fit(ppv[rows], labels), ppv_test)
                row["ridge_cpu_s"] = time.process_time() - start
                for head, first in (("ridge-cv", False), ("ridge-first", True)):
                    start = time.process_time()
                    fitted, used = with_ridge(inputs[rows], labels, seed, mix, ppv[rows], first)
                    row[head] = acc(fitted, ppv_test if used else inputs_test)
                    row[f"{head}_ridge"] = int(used)
                    row[f"{head}_cpu_s"] = time.process_time() - start
                start = time.process_time()
                row["minirocket"] = rs.minirocket_accuracy(X_train[rows], y_train[rows],
                                                           X_test, y_test, seed)
                row["minirocket_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
