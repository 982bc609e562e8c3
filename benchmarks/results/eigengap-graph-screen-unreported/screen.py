"""Scratch screen (issue 23, session 15): the clustering step's graph chosen per data set by
the eigengap of its normalised Laplacian, among the codes' graph, the documented mean of the
codes' and MiniRocket's graphs, and MiniRocket's graph.

The data, codes (cache ``/tmp/seqae-codes-clustering``), PPV features and graphs of
``../ppv-graph-screen-unreported/screen.py`` (imported from it). For a graph ``A`` and ``k``
clusters, ``gap(A) = lambda_{k+1} - lambda_k``, the eigenvalues (ascending, from 1) of
``I - D^-1/2 A D^-1/2``: a large gap says ``A`` splits into ``k`` well-separated groups
(von Luxburg 2007, section 8.3). Steps, NMI against the classes:

* ``documented``: spectral clustering on the mean graph (``make_code_clustering`` today);
* ``gap-3``: on the one of the codes' graph, the mean graph and the PPV graph with the
  largest gap (a tie: the earlier, in the order mean, codes, PPV);
* ``gap-2``: the same between the mean graph and the codes' graph;
* evidence: ``codes`` and ``ppv`` (each graph alone) and each graph's gap.
Ragged sets (no PPV features): every step is the codes' graph.

    python screen.py --seeds 0 1 2 --sets BME ... > runs-<lane>.jsonl
"""
import argparse
import importlib.util
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import laplacian
from sklearn.metrics import normalized_mutual_info_score as nmi
from sklearn.preprocessing import normalize

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "ppv_graph", HERE.parent / "ppv-graph-screen-unreported" / "screen.py")
ppv_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ppv_graph)
sys.path[:0] = [str(HERE.parents[2] / "benchmarks")]
from harness.report import set_threads  # noqa: E402


def gap(affinity, k):
    dense = affinity.toarray() if hasattr(affinity, "toarray") else affinity
    values = np.linalg.eigvalsh(laplacian(dense, normed=True))
    return float(values[k] - values[k - 1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--sets", nargs="+")
    parser.add_argument("--cache", default="/tmp/seqae-codes-clustering")
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    for name in args.sets:
        X, y = ppv_graph.load(name)
        k = len(np.unique(y))
        for seed in args.seeds:
            codes, fit_s = ppv_graph.codes_of(name, seed, X, args.cache)
            code_graph = ppv_graph.knn_affinity(normalize(codes))
            start = time.process_time()
            ppv = ppv_graph.ppv_features(X, seed)
            row = {"set": name, "seed": seed, "n": len(y), "k": k, "fit_cpu_s": fit_s,
                   "ppv_cpu_s": time.process_time() - start, "ragged": ppv is None}
            labels = {"codes": ppv_graph.spectral_on(code_graph, k, seed)}
            graphs = {"codes": code_graph}
            if ppv is not None:
                graphs["ppv"] = ppv_graph.knn_affinity(ppv)
                graphs["mean"] = 0.5 * code_graph + 0.5 * graphs["ppv"]
                for g in ("ppv", "mean"):
                    labels[g] = ppv_graph.spectral_on(graphs[g], k, seed)
            else:
                graphs["ppv"] = graphs["mean"] = code_graph
                labels["ppv"] = labels["mean"] = labels["codes"]
            start = time.process_time()
            gaps = {g: gap(graphs[g], k) for g in ("mean", "codes", "ppv")}
            row["gap_cpu_s"] = time.process_time() - start
            for g in gaps:
                row[g] = float(nmi(y, labels[g]))
                row[f"{g}_gap"] = gaps[g]
            row["documented"] = row["mean"]
            for step, pool in (("gap-3", ("mean", "codes", "ppv")), ("gap-2", ("mean", "codes"))):
                chosen = max(pool, key=lambda g: gaps[g])  # first of the largest
                row[step], row[f"{step}_choice"] = row[chosen], chosen
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
