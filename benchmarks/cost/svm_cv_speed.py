"""The classifier's head CV: libsvm called directly (``_svc_cv_hits``) against ``SVC``.

One fold of the SVM head's CV fits the grid of ``C`` (8 values) on a precomputed RBF kernel
and counts the right predictions of the held-out rows. Times both ways side by side (median
of repeats, one thread) at a few sizes, checks that they count the same, and prints the
ratio. Three classes, 80% of the rows to fit.

    OMP_NUM_THREADS=1 python benchmarks/cost/svm_cv_speed.py
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.svm import SVC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
import harness  # noqa: E402,F401 (puts the checkout on sys.path)

from seqae.tasks.classifier import SVM_C_GRID, _svc_cv_hits  # noqa: E402


def svc_hits(K_train, y_train, K_test, y_test, Cs):
    return np.array([np.sum(SVC(kernel="precomputed", C=C).fit(K_train, y_train)
                            .predict(K_test) == y_test) for C in Cs], dtype=float)


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    rng = np.random.default_rng(0)
    for n, repeats in ((20, 50), (40, 50), (100, 20), (400, 5)):
        X = rng.standard_normal((n, 16))
        y = rng.integers(0, 3, n)
        X[:, 0] += y
        K = rbf_kernel(X, gamma=1 / 16)
        train, test = np.arange(n * 4 // 5), np.arange(n * 4 // 5, n)
        args = (K[np.ix_(train, train)], y[train], K[np.ix_(test, train)], y[test],
                SVM_C_GRID)
        assert np.array_equal(_svc_cv_hits(*args), svc_hits(*args))
        direct = median_seconds(lambda: _svc_cv_hits(*args), repeats)
        svc = median_seconds(lambda: svc_hits(*args), repeats)
        print(json.dumps({"rows": n, "C values": len(SVM_C_GRID), "libsvm_ms": direct * 1e3,
                          "SVC_ms": svc * 1e3, "ratio": svc / direct}))


if __name__ == "__main__":
    main()
