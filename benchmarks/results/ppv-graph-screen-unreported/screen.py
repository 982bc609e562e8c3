"""Scratch screen (issue 23, session 14): spectral clustering on a graph of the codes'
neighbours and the series' neighbours under MiniRocket's features.

As ``../sbd-graph-screen-unreported/screen.py`` (the same data: ``clustering.py``'s, train
and test merged, every series z-normalised, ``k`` the number of classes; the same model and
codes cache; the same graphs, ``A = (C + C.T) / 2`` with ``C`` the 10-nearest-neighbour
connectivity), with MiniRocket's PPV features (``seqae.modules.MiniRocketFeatures`` fitted on
every series with ``torch.Generator().manual_seed(S)``, each feature standardised over every
series) in place of SBD. Steps, NMI against the classes:

* ``L2 + spectral`` (the documented step);
* ``L2 + spectral + PPV`` (the candidate): spectral clustering on the mean of the codes'
  graph and the PPV features' graph (Euclidean); ragged sets (no PPV features) keep the
  documented step;
* ``PPV spectral`` (evidence only): the PPV graph alone (ragged sets: the codes' graph).

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
from seqae.modules import MiniRocketFeatures  # noqa: E402

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


def ppv_features(X, seed):
    """MiniRocket's standardised PPV features of every series, ``None`` for ragged ones."""
    if not isinstance(X, np.ndarray):
        return None
    X = X if X.ndim == 3 else X[:, :, None]
    inputs = torch.as_tensor(X, dtype=torch.float32)
    rocket = MiniRocketFeatures(X.shape[1], X.shape[2]).fit(
        inputs, torch.Generator().manual_seed(seed))
    with torch.no_grad():
        values = torch.cat([rocket(inputs[i:i + 64]) for i in range(0, len(X), 64)])
    values = values.double().numpy()
    scale = values.std(0)
    return (values - values.mean(0)) / np.where(scale > 1e-6, scale, 1.0)


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
        for seed in args.seeds:
            codes, fit_s = codes_of(name, seed, X, args.cache)
            l2 = normalize(codes)
            start = time.process_time()
            ppv = ppv_features(X, seed)
            ppv_s = time.process_time() - start
            row = {"set": name, "seed": seed, "n": len(y), "k": k, "fit_cpu_s": fit_s,
                   "ppv_cpu_s": ppv_s, "ragged": ppv is None}
            row["L2 + spectral"] = float(nmi(y, _spectral(l2, k, seed)))
            code_graph = knn_affinity(l2)
            if ppv is None:
                row["L2 + spectral + PPV"] = row["PPV spectral"] = row["L2 + spectral"]
            else:
                ppv_graph = knn_affinity(ppv)
                row["L2 + spectral + PPV"] = float(nmi(y, spectral_on(
                    0.5 * code_graph + 0.5 * ppv_graph, k, seed)))
                row["PPV spectral"] = float(nmi(y, spectral_on(ppv_graph, k, seed)))
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
