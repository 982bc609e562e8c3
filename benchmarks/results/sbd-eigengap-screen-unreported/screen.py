"""Scratch screen (issue 23, session 16): a fourth graph for the clustering step's eigengap
choice, the series' nearest neighbours under k-Shape's shape-based distance (SBD).

The data, codes (cache ``/tmp/seqae-codes-clustering``), PPV features and graphs of
``../ppv-graph-screen-unreported/screen.py`` and the eigengap of
``../eigengap-graph-screen-unreported/screen.py`` (both imported). The SBD graph:
``A = (C + C.T) / 2`` with ``C`` the 10-nearest-neighbour connectivity (each series its own
first neighbour) under ``sqrt(SBD)`` (``seqae.modules.losses.shape_based_distances``: every
lag, z-normalised series). Steps, NMI against the classes:

* ``gap-3`` (the documented step today): spectral clustering on the one of the mean graph,
  the codes' graph and the PPV graph with the largest eigengap at ``k`` (a tie: the earlier);
* ``gap-4`` (the candidate): the same among those three and the SBD graph (last in a tie);
* evidence: ``sbd`` (the SBD graph alone) and each graph's gap.
Ragged sets: every step is the codes' graph (as the product does without MiniRocket).

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
import torch
from sklearn.metrics import normalized_mutual_info_score as nmi
from sklearn.preprocessing import normalize

HERE = Path(__file__).resolve().parent


def _module(name, folder):
    spec = importlib.util.spec_from_file_location(name, HERE.parent / folder / "screen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ppv_graph = _module("ppv_graph", "ppv-graph-screen-unreported")
eigengap_screen = _module("eigengap_screen", "eigengap-graph-screen-unreported")
from harness.report import set_threads  # noqa: E402 (ppv_graph put benchmarks/ on the path)
from seqae.modules.losses import shape_based_distances  # noqa: E402


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
        ragged = not isinstance(X, np.ndarray)
        sbd_graph, sbd_s = None, 0.0
        if not ragged:
            start = time.process_time()
            distances = shape_based_distances(torch.as_tensor(
                X if X.ndim == 3 else X[:, :, None])).numpy()
            sbd_graph = ppv_graph.knn_affinity(distances, metric="precomputed")
            sbd_s = time.process_time() - start
        for seed in args.seeds:
            codes, fit_s = ppv_graph.codes_of(name, seed, X, args.cache)
            code_graph = ppv_graph.knn_affinity(normalize(codes))
            row = {"set": name, "seed": seed, "n": len(y), "k": k, "fit_cpu_s": fit_s,
                   "sbd_cpu_s": sbd_s, "ragged": ragged}
            graphs = {"codes": code_graph}
            if not ragged:
                graphs["ppv"] = ppv_graph.knn_affinity(ppv_graph.ppv_features(X, seed))
                graphs["mean"] = 0.5 * code_graph + 0.5 * graphs["ppv"]
                graphs["sbd"] = sbd_graph
            else:
                graphs["ppv"] = graphs["mean"] = graphs["sbd"] = code_graph
            labels = {}
            for g, graph in graphs.items():
                if ragged and g != "codes":
                    labels[g] = labels["codes"]
                else:
                    labels[g] = ppv_graph.spectral_on(graph, k, seed)
            gaps = {g: eigengap_screen.gap(graphs[g], k) for g in ("mean", "codes", "ppv", "sbd")}
            for g in gaps:
                row[g] = float(nmi(y, labels[g]))
                row[f"{g}_gap"] = gaps[g]
            for step, pool in (("gap-3", ("mean", "codes", "ppv")),
                               ("gap-4", ("mean", "codes", "ppv", "sbd"))):
                chosen = max(pool, key=lambda g: gaps[g])  # first of the largest
                row[step], row[f"{step}_choice"] = row[chosen], chosen
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
