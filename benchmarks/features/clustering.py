"""Do seqae's codes cluster? UCR/UEA clustering, default parameters, k = the number of classes.

Protocol (the usual one of the time-series clustering literature): the train and test splits
of each data set are merged (no label is used to fit anything), every series is z-normalised
(each channel over its own time steps), the number of clusters ``k`` is the number of
classes, and the clusters are scored against the classes with the normalised mutual
information (NMI, arithmetic mean, scikit-learn's default) and the adjusted Rand index (ARI),
as mean ± standard deviation over ``--seeds`` (the seed of the autoencoder and of every
clustering algorithm).

Methods, all in the same run:

* seqae: each ``--models`` estimator with its **default parameters** (only ``random_state``
  set) is fitted on all the series; its codes then go through each clustering step of
  ``--steps`` (see ``STEPS``: k-means on the codes as they are, on L2-normalised codes, on
  per-feature standardised codes, Ward on L2-normalised codes, spectral clustering; and,
  asked for by name, two per-set choices among spectral, Ward and k-means on the
  L2-normalised codes: ``L2 + auto`` keeps the labels with the highest silhouette,
  ``L2 + auto (consensus)`` those that agree most with the other two; and the mean code
  subtracted before the L2 step, ``centred L2 + spectral`` and ``centred L2 + k-means``);
  one fit serves every step;
* ``k-means raw``: scikit-learn's ``KMeans`` on the z-normalised series (one column per time
  step and channel);
* ``k-Shape``: tslearn's ``KShape`` (its defaults: one initialisation, at most 100
  iterations), the shape-based clusterer of Paparrizos & Gravano (2015).

Sequences of different lengths (PickupGestureWiimoteZ) go into seqae as they are (ragged
input); the baselines, which need one length, get every series linearly resampled to the
longest length. ``--split train`` runs the same protocol on the training splits alone: that
is where the clustering step is chosen (``--split merged`` only reports).

Published NMI (``PUBLISHED``, sources below) are printed as reference columns; they come
from the authors' result files, not from this run, and their protocol differs (see there).

    OMP_NUM_THREADS=1 python benchmarks/features/clustering.py                  # the full run
    OMP_NUM_THREADS=1 python benchmarks/features/clustering.py --split train    # the selection run
    python benchmarks/features/clustering.py --datasets GunPoint --seeds 0 --set max_epochs=2
"""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import ADDED_SETS, CLASSIFICATION_SETS, load_splits, znormalise  # noqa: E402
from harness.models import MODELS  # noqa: E402
from harness.protocol import CLUSTERING_BASELINES as BASELINES  # noqa: E402
from harness.protocol import clustering_baseline as run_baseline  # noqa: E402
from harness.protocol import clustering_scores as scores  # noqa: E402
from harness.protocol import kmeans as _kmeans  # noqa: E402
from harness.protocol import mean_std as _mean_std  # noqa: E402
from harness.protocol import SEEDS, parse_overrides  # noqa: E402
from harness.report import (command_line, machine_description, set_threads,  # noqa: E402
                            utc_now, write_results)

DATASETS = [*CLASSIFICATION_SETS, *ADDED_SETS, "BasicMotions"]
#: seqae models with DTCR's k-means term added to the loss (``--kmeans-weight``); an
#: experiment of this benchmark: the estimators have no parameter for it yet.
KMEANS_MODELS = {f"{name}+km": name for name in ("RAE", "RAES", "RAESC")}

# Published NMI (reference columns; not run here). Lafabregue, Weber, Gançarski & Forestier,
# "End-to-end deep representation learning for time series clustering: a comparative study",
# Data Mining and Knowledge Discovery 36 (2022); repository blafabregue/TimeSeriesDeepClustering,
# paper_results/Univariate_Archive_all_results_NMI.csv (BasicMotions:
# Multivariate_Archive_all_results_NMI.csv), mean over their runs. Their protocol differs from
# this one: the networks are trained on the train split alone and the file does not say which
# split the NMI is computed on (their scripts write a train and a test row); their series are
# not resampled (PickupGestureWiimoteZ: their own variable-length handling). Columns:
#   k-means ED      "kmeans_Eucl_None"
#   k-Shape         "kshape_None_None"
#   BiGRU-AE        "bi_gru_reconstruction_None" (BiGRU autoencoder, k-means on its codes)
#   DRNN-AE         "dilated_rnn_reconstruction_None" (DTCR's dilated-RNN autoencoder,
#                   k-means on its codes, no clustering loss)
#   DRNN-AE-DTCR    "dilated_rnn_reconstruction_DTCR" (the same with DTCR's k-means loss and
#                   real-vs-fake task: their re-implementation of DTCR, Ma et al. 2019)
#   best AE (oracle) the highest NMI over their 120 autoencoder configurations (reconstruction,
#                   VAE and joint losses, every architecture and clustering loss) on that set:
#                   an upper bound chosen on the reported labels, not one method.
PUBLISHED = {
    #                        k-means ED k-Shape BiGRU-AE DRNN-AE DRNN-AE-DTCR best AE
    "GunPoint":              (0.0082, 0.0024, 0.0172, 0.0353, 0.0578, 0.1997),
    "ItalyPowerDemand":      (0.0015, 0.0435, 0.0000, 0.0001, 0.0112, 0.2093),
    "OSULeaf":               (0.2232, 0.3422, 0.1267, 0.1436, 0.0610, 0.3225),
    "ACSF1":                 (0.2848, 0.3853, 0.3687, 0.3244, 0.3900, 0.5696),
    "PickupGestureWiimoteZ": (0.5637, 0.6762, 0.6557, 0.6750, 0.5834, 0.6750),
    "ArrowHead":             (0.2724, 0.1291, 0.2282, 0.0683, 0.0499, 0.2960),
    "BasicMotions":          (0.1200, 0.2312, 0.6039, 0.9063, 0.3978, 0.9881),
}
PUBLISHED_COLUMNS = ("k-means ED (pub.)", "k-Shape (pub.)", "BiGRU-AE (pub.)",
                     "DRNN-AE (pub.)", "DRNN-AE-DTCR (pub.)", "best AE, oracle (pub.)")


def load(name, split="merged"):
    """``(X, y)``: the set's train and test splits merged (``split='merged'``) or its train
    split alone (``'train'``), every series z-normalised per channel. ``X`` is an array
    ``(n, T, m)``, or a list of ``(T_i, m)`` arrays when the lengths differ."""
    X_train, y_train, X_test, y_test = load_splits(name)
    if split == "train":
        X, y = list(X_train), y_train
    else:
        X, y = list(X_train) + list(X_test), np.concatenate([y_train, y_test])
    X = [znormalise(x) for x in X]
    if len({len(x) for x in X}) == 1:
        X = np.stack(X)
    return X, np.asarray(y)


def _l2(codes):
    from sklearn.preprocessing import normalize

    return normalize(codes)


def _centred_l2(codes):
    """Each code minus the mean code, then scaled to unit length (cosine of centred codes)."""
    from sklearn.preprocessing import normalize

    return normalize(codes - codes.mean(axis=0))


def _standardise(codes):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit_transform(codes)


def _ward(features, k, seed):
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(features)


def _spectral(features, k, seed, neighbours=10):
    from sklearn.cluster import SpectralClustering

    neighbours = int(min(neighbours, len(features) - 1))
    return SpectralClustering(n_clusters=k, affinity="nearest_neighbors",
                              n_neighbors=neighbours, random_state=seed,
                              assign_labels="cluster_qr").fit_predict(features)


def _spectral_growing(rule):
    """Spectral clustering whose neighbour graph grows with the data: ``n_neighbors =
    max(10, rule(n, k))`` (``n`` codes, ``k`` clusters); the fixed step's 10 neighbours
    are the floor. The candidates of the pre-registration in section 16."""

    def cluster(features, k, seed):
        return _spectral(features, k, seed, max(10, rule(len(features), k)))

    return cluster


def _series_spectral(codes, X, k, seed, neighbours=10, series_graph="minirocket"):
    """Spectral clustering on ``seqae.tasks.clustering.SequenceNeighbors``' graph of these
    codes (L2) and of the series' MiniRocket features (its biases drawn with ``seed``):
    ``series_graph='minirocket'``, their mean (the documented step of section 19);
    ``'auto'``, the one of the codes', MiniRocket's and the mean graph with the largest
    eigengap at ``k`` (``seqae.make_code_clustering`` since section 20). The codes' graph
    alone for ragged sets."""
    from sklearn.cluster import SpectralClustering
    from sklearn.preprocessing import FunctionTransformer

    from seqae.tasks.clustering import SequenceNeighbors

    fitted = FunctionTransformer(lambda _: codes)  # the codes of X, already fitted
    graph = SequenceNeighbors(fitted, n_neighbors=int(min(neighbours, len(codes) - 1)),
                              series_graph=series_graph, n_clusters=k,
                              random_state=seed).fit_transform(X)
    return SpectralClustering(n_clusters=k, affinity="precomputed", random_state=seed,
                              assign_labels="cluster_qr").fit_predict(graph)


#: The steps that read the series as well as the codes (``cluster_codes``' ``X``).
SERIES_STEPS = {
    "L2 + spectral + MiniRocket": _series_spectral,
    "L2 + spectral, graph by eigengap": lambda codes, X, k, seed: _series_spectral(
        codes, X, k, seed, series_graph="auto"),
}

#: The candidates of the per-set choice ("L2 + auto" steps), in the order that breaks ties.
CANDIDATES = {"spectral": _spectral, "ward": _ward, "kmeans": _kmeans}


def _silhouette_choice(features, candidates):
    """The candidate whose labels have the highest silhouette (Euclidean, on ``features``);
    a labelling with a single cluster scores -1."""
    from sklearn.metrics import silhouette_score

    scores = {name: (silhouette_score(features, labels) if len(set(labels)) > 1 else -1.0)
              for name, labels in candidates.items()}
    return max(scores, key=scores.get)


def _consensus_choice(features, candidates):
    """The candidate whose labels agree most (mean NMI) with the other candidates' labels:
    the median partition of the candidates, a rule that no algorithm's own objective favours."""
    from sklearn.metrics import normalized_mutual_info_score as nmi

    scores = {name: np.mean([nmi(labels, other) for o, other in candidates.items() if o != name])
              for name, labels in candidates.items()}
    return max(scores, key=scores.get)


def _auto(rule):
    """A clusterer that runs every candidate of :data:`CANDIDATES` and keeps the labels of the
    one ``rule`` picks; the pick is recorded in :data:`CHOICES` under the rule's name."""

    def cluster(features, k, seed):
        candidates = {name: clusterer(features, k, seed)
                      for name, clusterer in CANDIDATES.items()}
        choice = rule(features, candidates)
        CHOICES[rule.__name__] = choice
        return candidates[choice]

    return cluster


#: The last choice of each "L2 + auto" rule (read by :func:`cluster_codes`).
CHOICES = {}

#: The clustering steps tried on the codes: name -> (preprocessing, clusterer).
STEPS = {
    "k-means": (None, _kmeans),
    "L2 + k-means": (_l2, _kmeans),
    "std + k-means": (_standardise, _kmeans),
    "L2 + Ward": (_l2, _ward),
    "L2 + spectral": (_l2, _spectral),
    "L2 + auto": (_l2, _auto(_silhouette_choice)),
    "L2 + auto (consensus)": (_l2, _auto(_consensus_choice)),
    "centred L2 + spectral": (_centred_l2, _spectral),
    "centred L2 + k-means": (_centred_l2, _kmeans),
    # n // 10: scikit-learn's SpectralEmbedding default; n // (4 k): a quarter of the mean
    # cluster's size (both floored at 10)
    "L2 + spectral (n/10)": (_l2, _spectral_growing(lambda n, k: n // 10)),
    "L2 + spectral (n/4k)": (_l2, _spectral_growing(lambda n, k: n // (4 * k))),
}
#: The steps of section 9 (run by default); the "L2 + auto" steps and the documented step of
#: sections 19 and 20 ("L2 + spectral + MiniRocket", "L2 + spectral, graph by eigengap") are
#: asked for by --steps.
DEFAULT_STEPS = ["k-means", "L2 + k-means", "std + k-means", "L2 + Ward", "L2 + spectral"]


def cluster_codes(codes, k, seed, steps, chosen=None, X=None):
    """``{step: labels}`` for each clustering step named in ``steps`` (those of
    ``SERIES_STEPS`` read the series ``X`` too); the candidate each "L2 + auto" step picked
    goes into the dict ``chosen`` (``{step: name}``) if given."""
    labels = {}
    for step in steps:
        if step in SERIES_STEPS:
            labels[step] = SERIES_STEPS[step](codes, X, k, seed)
            continue
        prepare, clusterer = STEPS[step]
        CHOICES.clear()
        labels[step] = clusterer(codes if prepare is None else prepare(codes), k, seed)
        if chosen is not None and CHOICES:
            chosen[step] = next(iter(CHOICES.values()))
    return labels


def with_kmeans_term(cls, weight, n_clusters):
    """A subclass of the seqae estimator ``cls`` whose loss adds ``weight`` x DTCR's k-means
    term with ``n_clusters`` clusters (:class:`seqae.modules.KMeansAutoencoderLoss`)."""
    from seqae.modules import KMeansAutoencoderLoss

    class WithKMeansTerm(cls):
        _criterion = KMeansAutoencoderLoss

        def _criterion_params(self):
            return {**super()._criterion_params(), "kmeans": weight, "n_clusters": n_clusters}

        def _option_module_params(self):  # the code reaches the loss in every batch
            return {**super()._option_module_params(), "return_code": True}

    WithKMeansTerm.__name__ = cls.__name__
    return WithKMeansTerm


def run_model(name, overrides, X, k, seed, steps, threads, kmeans_weight=1.0):
    """Fit one seqae estimator on all of ``X``; ``{step: labels}``, its fit seconds and
    ``{step: candidate}`` for the "L2 + auto" steps."""
    set_threads(threads)  # the baselines' libraries may have changed torch's thread count
    if name in KMEANS_MODELS:
        cls = with_kmeans_term(MODELS[KMEANS_MODELS[name]], kmeans_weight, k)
    else:
        cls = MODELS[name]
    estimator = cls(random_state=seed)
    estimator.set_params(**{key: value for key, value in overrides.items()
                            if key in estimator.get_params()})
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        codes = estimator.fit_transform(X)
    seconds = time.process_time() - start
    chosen = {}
    return cluster_codes(codes, k, seed, steps, chosen, X=X), seconds, chosen


def summarise(runs):
    """``{method: {'nmi': (mean, std), 'ari': (mean, std), 'seconds': mean}}`` from the
    per-seed runs ``{method: [{'nmi', 'ari', 'seconds'}, ...]}``."""
    return {method: {"nmi": _mean_std([r["nmi"] for r in per_seed]),
                     "ari": _mean_std([r["ari"] for r in per_seed]),
                     "seconds": float(np.mean([r["seconds"] for r in per_seed]))}
            for method, per_seed in runs.items()}


def _methods(results):
    """Every method of any data set, in the order first seen."""
    return list(dict.fromkeys(m for result in results.values() for m in result["summary"]))


def table(results, metric="nmi", published=True):
    """One markdown table of ``metric`` (mean ± std over seeds): a row per data set, a column
    per method (and the published columns for the NMI). A method not run on a set shows
    ``-``; the mean row then averages only the sets every column has, and says so."""
    methods = _methods(results)
    extra = list(PUBLISHED_COLUMNS) if published and metric == "nmi" else []
    head = ["data set (n × T, k)", *methods, *extra]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    values = {}
    for dataset, result in results.items():
        summary = result["summary"]
        best = max(summary[m][metric][0] for m in methods if m in summary)
        cells = []
        for method in methods:
            if method not in summary:
                values[dataset, method] = None
                cells.append("-")
                continue
            mean, std = summary[method][metric]
            values[dataset, method] = mean
            cell = f"{mean:.3f} ± {std:.3f}"
            cells.append(f"**{cell}**" if mean == best else cell)
        for i, column in enumerate(extra):
            value = PUBLISHED.get(dataset, (None,) * len(extra))[i]
            values[dataset, column] = value
            cells.append("-" if value is None else f"{value:.3f}")
        shape = result["shape"]
        n_seeds = len(next(iter(result["runs"].values())))
        seeds = "" if n_seeds >= 3 else f", {n_seeds} seed{'s' * (n_seeds > 1)} only"
        lines.append(f"| {dataset} ({shape}{seeds}) | " + " | ".join(cells) + " |")
    complete = [d for d in results if all(values[d, c] is not None for c in head[1:])]
    label = ("**mean**" if len(complete) == len(results) else
             f"**mean** ({len(complete)} sets with every column: {', '.join(complete)})")
    if complete:  # no such row where no set has every column (no published figures)
        mean_cells = [f"{np.mean([values[d, c] for d in complete]):.3f}" for c in head[1:]]
        lines.append(f"| {label} | " + " | ".join(mean_cells) + " |")
    if len(complete) < len(results):
        all_cells = [f"{np.mean([values[d, c] for d in results]):.3f}"
                     if all(values[d, c] is not None for d in results) else "-"
                     for c in head[1:]]
        lines.append(f"| **mean** (all {len(results)} sets) | " + " | ".join(all_cells) + " |")
    return "\n".join(lines)


def seconds_table(results):
    methods = _methods(results)
    head = ["data set", *methods]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for dataset, result in results.items():
        lines.append(f"| {dataset} | " + " | ".join(
            f"{result['summary'][m]['seconds']:.1f}" if m in result["summary"] else "-"
            for m in methods) + " |")
    return "\n".join(lines)


def write(args, command, machine, overrides, results):
    return write_results(args.out, command, machine, {
        "split": args.split, "overrides": overrides, "seeds": args.seeds, "results": results})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument("--models", nargs="*", default=["RAESC"],
                        choices=list(MODELS) + list(KMEANS_MODELS))
    parser.add_argument("--kmeans-weight", type=float, default=1.0,
                        help="weight of DTCR's k-means term in the '+km' models")
    parser.add_argument("--steps", nargs="+", default=DEFAULT_STEPS,
                        choices=list(STEPS) + list(SERIES_STEPS))
    parser.add_argument("--baselines", nargs="*", default=list(BASELINES),
                        choices=list(BASELINES))
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--split", choices=["merged", "train"], default="merged")
    parser.add_argument("--set", nargs="*", default=[], metavar="PARAM=VALUE",
                        help="parameters set on every seqae estimator that has them")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="benchmarks/results/clustering")
    parser.add_argument("--combine", nargs="+", metavar="RESULTS_JSON",
                        help="run nothing: write the tables of these results.json files "
                             "(runs of different data sets, same seeds) as one, to --out")
    args = parser.parse_args(argv)
    if args.combine:
        return combine(args.combine, args.out)
    set_threads(args.threads)
    overrides = parse_overrides(args.set)
    command = command_line(__file__, argv)
    machine = machine_description("cpu")
    print(f"# {command}\n# {machine}; {utc_now()}", flush=True)
    results = {}
    for dataset in args.datasets:
        X, y = load(dataset, args.split)
        k = len(np.unique(y))
        lengths = sorted({len(x) for x in X})
        steps = (f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]}-{lengths[-1]}")
        shape = f"{len(X)} × {steps}" + (f" × {X[0].shape[1]}" if X[0].shape[1] > 1 else "")
        runs = {}
        for seed in args.seeds:
            for name in args.models:
                labels, seconds, chosen = run_model(name, overrides, X, k, seed, args.steps,
                                                    args.threads, args.kmeans_weight)
                for step, step_labels in labels.items():
                    record = {**scores(y, step_labels), "seconds": seconds}
                    if step in chosen:
                        record["chosen"] = chosen[step]
                    runs.setdefault(f"{name} {step}", []).append(record)
            for name in args.baselines:
                labels, seconds = run_baseline(name, X, k, seed)
                runs.setdefault(name, []).append({**scores(y, labels), "seconds": seconds})
            print(f"{dataset} seed {seed}: " + ", ".join(
                f"{m} {r[-1]['nmi']:.3f} (ARI {r[-1]['ari']:.3f}"
                + (f", chose {r[-1]['chosen']})" if "chosen" in r[-1] else ")")
                for m, r in runs.items()), flush=True)
            results[dataset] = {"shape": f"{shape}, {k}", "runs": runs,
                                "summary": summarise(runs)}
            write(args, command, machine, overrides, results)  # what is done survives a cut
    report = report_tables(results, args.seeds, args.split == "merged")
    print(report)
    out = write(args, command, machine, overrides, results)
    (out / "table.md").write_text(f"`{command}`\n\n{machine}, {utc_now()}\n\n{report}\n")
    return results


def choices_table(results):
    """Which candidate each "L2 + auto" step picked, per data set, seed after seed."""
    methods = [m for m in _methods(results)
               if any("chosen" in r for result in results.values()
                      for r in result["runs"].get(m, []))]
    if not methods:
        return ""
    lines = ["| data set | " + " | ".join(methods) + " |", "|" + "---|" * (len(methods) + 1)]
    for dataset, result in results.items():
        lines.append(f"| {dataset} | " + " | ".join(
            ", ".join(r.get("chosen", "-") for r in result["runs"].get(m, [])) or "-"
            for m in methods) + " |")
    return "\n\nCandidate picked by each per-set rule, seed after seed\n\n" + "\n".join(lines)


def report_tables(results, seeds, published):
    return ("NMI, mean ± std over seeds " + " ".join(map(str, seeds)) + "\n\n"
            + table(results, "nmi", published) + "\n\nARI\n\n"
            + table(results, "ari", published) + choices_table(results)
            + "\n\nCPU seconds (process time, 1 thread; seqae: fit + transform, once per seed "
            "for all its steps; clustering the codes not counted)\n\n"
            + seconds_table(results))


def combine(paths, out):
    """One report from several ``results.json`` (e.g. data sets run in separate processes)."""
    runs = [json.loads(Path(path).read_text()) for path in paths]
    results = {}
    for run in runs:
        results.update(run["results"])
    seeds = runs[0]["seeds"]
    report = report_tables(results, seeds, runs[0]["split"] == "merged")
    header = "\n".join(f"`{run['command']}` ({run['machine']}; {run['date']})" for run in runs)
    print(report)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "table.md").write_text(f"{header}\n\n{report}\n")
    return results


if __name__ == "__main__":
    main()
