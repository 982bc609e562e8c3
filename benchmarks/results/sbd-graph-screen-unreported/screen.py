"""Scratch screen (issue 23, session 13): spectral clustering on a graph of the codes'
neighbours and the raw series' shape-based (SBD) neighbours.

For each unreported clustering set and seed S: ``benchmarks/features/clustering.py``'s data
(train and test merged, every series z-normalised; ``k`` = the number of classes) and its
model (``RAESCTransformer(random_state=S)``, the defaults that ``make_code_clustering``
uses), its codes cached in ``--cache``. Steps, NMI against the classes:

* ``L2 + spectral`` (the documented step): ``clustering.py``'s, i.e. scikit-learn's
  ``SpectralClustering(affinity='nearest_neighbors', n_neighbors=10,
  assign_labels='cluster_qr', random_state=S)`` on the L2-normalised codes;
* ``L2 + spectral + SBD`` (the candidate): the same spectral clustering on a precomputed
  affinity, the mean of two graphs built as scikit-learn builds its own: ``A = (C + C.T) /
  2`` with ``C`` the 10-nearest-neighbour connectivity (each point its own first neighbour),
  of the L2-normalised codes (Euclidean) and of the series under ``sqrt(SBD)``
  (``seqae.modules.losses.shape_based_distances``, k-Shape's distance; ragged series
  padded and masked);
* ``SBD spectral`` (evidence only): the same on the SBD graph alone.

    python screen.py --seeds 0 1 2 --sets BME BirdChicken ... > runs.jsonl
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "benchmarks" / "features")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.cluster import SpectralClustering  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score as nmi  # noqa: E402
from sklearn.neighbors import kneighbors_graph  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from clustering import _spectral, load  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402
from seqae.modules.losses import shape_based_distances  # noqa: E402

NEIGHBOURS = 10


def codes_of(name, seed, X, cache):
    path = Path(cache) / f"{name}_{seed}.npz"
    if path.exists():
        saved = np.load(path)
        return saved["codes"], float(saved["fit_s"])
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        codes = RAESCTransformer(random_state=seed).fit_transform(X)
    fit_s = time.process_time() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, codes=codes, fit_s=fit_s)
    return codes, fit_s


def sbd_matrix(X):
    """``sqrt(SBD)`` of every pair (an array or a list of ragged ``(T_i, m)`` series)."""
    if isinstance(X, np.ndarray):
        return shape_based_distances(torch.as_tensor(X)).numpy()
    longest = max(len(x) for x in X)
    padded = np.zeros((len(X), longest, X[0].shape[1]))
    mask = np.zeros(padded.shape, dtype=bool)
    for i, x in enumerate(X):
        padded[i, :len(x)], mask[i, :len(x)] = x, True
    return shape_based_distances(torch.as_tensor(padded), torch.as_tensor(mask)).numpy()


def knn_affinity(data, metric="euclidean"):
    n = NEIGHBOURS if metric == "euclidean" else NEIGHBOURS
    n = int(min(n, len(data) - 1))
    connectivity = kneighbors_graph(data, n_neighbors=n, include_self=True, metric=metric)
    return 0.5 * (connectivity + connectivity.T)


def spectral_on(affinity, k, seed):
    return SpectralClustering(n_clusters=k, affinity="precomputed", random_state=seed,
                              assign_labels="cluster_qr").fit_predict(affinity)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--sets", nargs="+")
    parser.add_argument("--cache", default="/tmp/seqae-codes-clustering")
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    for name in args.sets:
        X, y = load(name)
        k = len(np.unique(y))
        start = time.process_time()
        sbd = sbd_matrix(X)
        sbd_s = time.process_time() - start
        sbd_graph = knn_affinity(sbd, metric="precomputed")
        for seed in args.seeds:
            codes, fit_s = codes_of(name, seed, X, args.cache)
            l2 = normalize(codes)
            row = {"set": name, "seed": seed, "n": len(y), "k": k, "fit_cpu_s": fit_s,
                   "sbd_cpu_s": sbd_s}
            row["L2 + spectral"] = float(nmi(y, _spectral(l2, k, seed)))
            code_graph = knn_affinity(l2)
            row["L2 + spectral + SBD"] = float(nmi(y, spectral_on(
                0.5 * code_graph + 0.5 * sbd_graph, k, seed)))
            row["SBD spectral"] = float(nmi(y, spectral_on(sbd_graph, k, seed)))
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
