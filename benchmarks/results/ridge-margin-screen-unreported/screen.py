"""Scratch screen (issue 23, session 16): the head's CV keeps MiniRocket's ridge unless an
SVM mix beats it by a margin.

Cells as ``../ridge-spread-screen-unreported/screen.py`` (imported from it: the classifier's
default pre-training codes, the raw series and MiniRocket's PPV features, each standardised
with every training row's statistics; ``labelled_subset(y_train, fraction, S)``). The CV
scores of ``seqae.tasks.classifier._mixed_svm`` (its folds, candidates and grid of ``C``;
the ridge first) are computed once per cell; heads, scored on the test split:

* ``today``: the first of the best mean fold accuracies (``_mixed_svm`` as it is; with a
  single label in some class, the ridge);
* ``margin-M`` (M = 0.02, 0.05): the ridge unless another candidate's best mean fold
  accuracy is at least M above the ridge's; then the first of the best, as today;
* evidence: ``ridge`` (the ridge alone) and ``minirocket`` (aeon's, labelled rows only).

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 --sets Adiac ...
"""
import importlib.util
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import RidgeClassifierCV
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.model_selection import RepeatedStratifiedKFold

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "ridge_spread", HERE.parent / "ridge-spread-screen-unreported" / "screen.py")
rs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rs)
from seqae.tasks.classifier import (RIDGE_ALPHAS, SERIES_KERNELS, SVM_C_GRID,  # noqa: E402
                                    SVM_CV_REPEATS, _gamma_scale, _MixedKernelSVC,
                                    _row_space, _SeriesMix, _SeriesRidge, _svc_cv_hits, _svm)

MARGINS = (0.02, 0.05)


def cv_scores(features, targets, seed, mix):
    """``(candidates, scores)``: ``_mixed_svm``'s candidates and mean fold accuracies
    ``(candidate, C)`` (a ridge: the same score in every column); ``None`` where some class
    has a single label."""
    n_codes = mix.n_codes
    blocks = {view: (start, stop) for view, start, stop in mix.blocks}
    smallest = int(np.unique(targets, return_counts=True)[1].min())
    if smallest < 2:
        return None
    candidates = [(v, w) for v, w, m in mix.candidates if smallest >= m]
    folds = RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=SVM_CV_REPEATS,
                                    random_state=seed)
    codes = features[:, :n_codes]
    codes_kernel = rbf_kernel(codes, gamma=_gamma_scale(codes))
    kernels = []
    for view, weight in candidates:
        if weight is None:
            kernels.append(None)
            continue
        block = features[:, slice(*blocks[view])]
        kernels.append(weight * codes_kernel
                       + (1 - weight) * rbf_kernel(block, gamma=_gamma_scale(block)))
    rows = {v: _row_space(features[:, slice(*blocks[v])]) for v, w in candidates if w is None}
    scores = np.zeros((len(kernels), len(SVM_C_GRID)))
    for train, test in folds.split(features, targets):
        for j, K in enumerate(kernels):
            if K is None:
                block = rows[candidates[j][0]]
                fitted = RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(block[train], targets[train])
                scores[j] += np.mean(fitted.predict(block[test]) == targets[test])
                continue
            scores[j] += _svc_cv_hits(K[np.ix_(train, train)], targets[train],
                                      K[np.ix_(test, train)], targets[test], SVM_C_GRID) / len(test)
    return candidates, scores / folds.get_n_splits()


def head(features, targets, mix, candidates, j, i):
    view, weight = candidates[j]
    blocks = {v: (a, b) for v, a, b in mix.blocks}
    if weight is None:
        return _SeriesRidge(mix.n_codes, blocks[view], view).fit(features, targets)
    mixed = weight < 1
    return _MixedKernelSVC(mix.n_codes, weight=weight, C=SVM_C_GRID[i],
                           columns=blocks[view] if mixed else None,
                           view=view if mixed else None).fit(features, targets)


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
            mix = _SeriesMix(n_codes, (("minirocket", a, b), ("raw", b, inputs.shape[1])),
                             SERIES_KERNELS["auto"])
            for fraction in args.fractions:
                rows = rs.labelled_subset(y_train, fraction, seed)
                labels = targets[rows]
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(labels).min())}

                def acc(fitted):
                    return float(np.mean(fitted.predict(inputs_test) == truth))

                start = time.process_time()
                today = _svm(True, inputs[rows], labels, seed, mix=mix)[0]
                row["today"] = acc(today)
                row["today_cpu_s"] = time.process_time() - start
                found = cv_scores(inputs[rows], labels, seed, mix)
                if found is None:  # one label in some class: the ridge, every head
                    for m in MARGINS:
                        row[f"margin-{m}"] = row["today"]
                        row[f"margin-{m}_head"] = "ridge"
                else:
                    candidates, scores = found
                    j0, i0 = np.unravel_index(int(np.argmax(scores)), scores.shape)
                    # the replica chooses as the product does
                    assert (candidates[j0][1] is None) == isinstance(today, _SeriesRidge)
                    row["today_head"] = "ridge" if candidates[j0][1] is None else str(
                        candidates[j0])
                    ridge_j = next((j for j, (v, w) in enumerate(candidates) if w is None),
                                   None)
                    for m in MARGINS:
                        j, i = j0, i0
                        if ridge_j is not None and scores[j0, i0] < scores[ridge_j, 0] + m:
                            j, i = ridge_j, 0
                        if (j, i) == (j0, i0):
                            row[f"margin-{m}"] = row["today"]
                        else:
                            row[f"margin-{m}"] = acc(head(inputs[rows], labels, mix,
                                                          candidates, j, i))
                        row[f"margin-{m}_head"] = ("ridge" if candidates[j][1] is None
                                                   else str(candidates[j]))
                row["ridge"] = float(np.mean(
                    RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(ppv[rows], labels)
                    .predict(ppv_test) == truth))
                start = time.process_time()
                row["minirocket"] = rs.minirocket_accuracy(X_train[rows], y_train[rows],
                                                           X_test, y_test, seed)
                row["minirocket_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
