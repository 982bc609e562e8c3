"""Are seqae's codes useful features on real data? UCR/UEA classification, default parameters.

Every seqae estimator is fitted with its default parameters (only ``random_state`` set) on the
training split of each data set; its codes then go through one classifier protocol, the same
one the raw series get:

    StandardScaler -> SVC(kernel='rbf', gamma='scale'), C chosen by stratified k-fold CV on
    the training split over C in {1e-3, 1e-2, ..., 1e4} (k = min(5, smallest class)).

This is TS2Vec's protocol (RBF SVC, C by CV over a wide grid) with a StandardScaler in front,
so that codes and raw series are on the same footing. In the same run, next to the codes:

* ``raw SVC``: the same protocol on the raw series (one column per time step and feature);
* ``1-NN ED``: 1-nearest neighbour, Euclidean distance, on the raw series;
* ``MiniRocket``: aeon's MiniRocket transform + ``RidgeClassifierCV`` (its paper's setup).

Sequences of different lengths (PickupGestureWiimoteZ) go into seqae as they are (ragged
input); the baselines, which need equal lengths, get each series linearly resampled to the
longest training length. Published accuracies of the best unsupervised representations
(``PUBLISHED``, sources below) are printed as reference columns: they come from the papers'
tables, not from this run.

The data sets are the UCR/UEA sets that ``aeon`` ships inside its wheel (no download):
``pip install seqae[examples]``. Results go to ``--out`` (``results.json``, ``table.md``).

    OMP_NUM_THREADS=1 python benchmarks/features/ucr.py                 # the full run (1 thread)
    python benchmarks/features/ucr.py --datasets GunPoint --models RAESC --set max_epochs=5
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import ADDED_SETS, CLASSIFICATION_SETS  # noqa: E402
from harness.data import load_splits as load  # noqa: E402
from harness.models import MODELS, resolved  # noqa: E402
from harness.protocol import parse_overrides, set_budget, svc_accuracy  # noqa: E402
from harness.protocol import classification_baselines as baselines  # noqa: E402
from harness.report import (command_line, machine_description, set_threads,  # noqa: E402
                            utc_now, write_results)

DATASETS = [*CLASSIFICATION_SETS, *ADDED_SETS]

# Published test accuracies on the fixed UCR train/test split (reference columns; not run here).
# T-Loss: Franceschi et al. (NeurIPS 2019), repository White-Link/
#   UnsupervisedScalableRepresentationLearningTimeSeries, results_ucr.csv, column "Ours(10)"
#   (encoder trained with K=10 negatives, SVM on top).
# TS2Vec: Yue et al. (AAAI 2022), as reprinted in Sun et al., "TEST" (ICLR 2024), Appendix
#   Table 14 (a secondary copy: not checked against TS2Vec's own appendix).
# MiniRocket: Dempster et al. (KDD 2021), repository angus924/minirocket,
#   results/accuracy_ucr109_resamples.csv, column "0" (the default split; not run on
#   variable-length sets).
# 1-NN DTW: the UCR 2018 archive's DataSummary.csv, "DTW (learned_w)", as 1 - error rate.
PUBLISHED = {
    #                       T-Loss  TS2Vec  MiniRocket  1-NN DTW
    "GunPoint":              (0.980, 0.987, 0.9933, 0.9133),
    "ItalyPowerDemand":      (0.954, 0.960, 0.9689, 0.9553),
    "OSULeaf":               (0.760, 0.843, 0.9587, 0.6116),
    "ACSF1":                 (0.900, 0.910, 0.9200, 0.6200),
    "PickupGestureWiimoteZ": (0.740, 0.760, None, 0.6600),
    "ArrowHead":             (0.766, 0.817, 0.8629, 0.8000),
}
PUBLISHED_COLUMNS = ("T-Loss (pub.)", "TS2Vec (pub.)", "MiniRocket (pub.)", "1-NN DTW (pub.)")


def run_model(name, overrides, X_train, y_train, X_test, y_test, seed, threads):
    set_threads(threads)  # the baselines' libraries may have changed torch's thread count
    estimator = MODELS[name](random_state=seed)
    estimator.set_params(**{k: v for k, v in overrides.items()
                            if k in estimator.get_params()})
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        estimator.fit(X_train)
    seconds = time.perf_counter() - start
    accuracy = svc_accuracy(estimator.transform(X_train), y_train,
                            estimator.transform(X_test), y_test)
    return {"accuracy": accuracy, "fit_seconds": seconds, **resolved(estimator)}


def table(results, models):
    head = (["data set", *models, "raw SVC", "1-NN ED", "MiniRocket", *PUBLISHED_COLUMNS])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    means = {column: [] for column in head[1:]}
    for dataset, result in results.items():
        cells = []
        for column in head[1:]:
            if column in PUBLISHED_COLUMNS:
                value = PUBLISHED.get(dataset, (None,) * len(PUBLISHED_COLUMNS))[
                    PUBLISHED_COLUMNS.index(column)]
            elif column in models:
                value = result["models"].get(column, {}).get("accuracy")
            else:
                value = result["baselines"].get(column)
            means[column].append(value)
            cells.append("-" if value is None else f"{value:.3f}")
        best = max((result["models"][m]["accuracy"] for m in models if m in result["models"]),
                   default=None)
        if best is not None and best >= result["baselines"]["raw SVC"]:
            dataset = f"{dataset} ✓"
        lines.append(f"| {dataset} | " + " | ".join(cells) + " |")
    mean_cells = []
    for column in head[1:]:
        values = means[column]
        mean_cells.append("-" if not values or None in values
                          else f"{np.mean(values):.3f}")
    lines.append("| **mean** | " + " | ".join(mean_cells) + " |")
    times = ["| fit seconds | " + " | ".join(
        " / ".join(f"{results[d]['models'][m]['fit_seconds']:.0f}" for d in results
                   if m in results[d]["models"]) for m in models) + " |"]
    return "\n".join(lines + ["", "Fit seconds per model, data sets in the order above:", ""]
                     + ["| | " + " | ".join(models) + " |", "|---|" + "---|" * len(models)]
                     + times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--set", nargs="*", default=[], metavar="PARAM=VALUE",
                        help="parameters set on every seqae estimator that has them "
                             "(e.g. the old defaults, to measure a before/after)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--budget", metavar="STEPS/RECURRENT[/RAGGED[/MAX_EPOCHS]]",
                        help="the 'auto' training budget as harness.protocol.set_budget reads "
                             "it, e.g. 2000/8 (default: seqae's, 250/64)")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--out", default="benchmarks/results/ucr")
    args = parser.parse_args(argv)
    set_threads(args.threads)
    overrides = parse_overrides(args.set)
    if args.budget:
        set_budget(args.budget)
    command = command_line(__file__, argv)
    print(f"# {command}\n# {machine_description('cpu')}; {utc_now()}", flush=True)
    results = {}
    for dataset in args.datasets:
        X_train, y_train, X_test, y_test = load(dataset)
        result = {"baselines": {}, "models": {}}
        if not args.no_baselines:
            result["baselines"] = baselines(X_train, y_train, X_test, y_test)
            figures = ", ".join(f"{k} {v:.3f}" for k, v in result["baselines"].items())
            print(f"{dataset}: {figures}", flush=True)
        for name in args.models:
            result["models"][name] = run_model(name, overrides, X_train, y_train, X_test,
                                               y_test, args.seed, args.threads)
            print(f"{dataset}: {name} {result['models'][name]}", flush=True)
        results[dataset] = result
    report = table(results, args.models) if not args.no_baselines else ""
    print(report)
    write_results(args.out, command, machine_description("cpu"),
                  {"overrides": overrides, "results": results}, report)
    return results


if __name__ == "__main__":
    main()
