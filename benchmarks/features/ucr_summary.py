"""Average ``ucr.py`` runs over seeds: one row per variant, one column per data set.

Each argument is ``LABEL=GLOB``: the ``results.json`` files of one variant (e.g. its runs with
seeds 0, 1 and 2). For every data set, the mean test accuracy of ``--model`` over the files
that have it; then the mean over the data sets and the number of sets on which the variant
reaches the raw-series SVM of the same runs.

    python benchmarks/features/ucr_summary.py --model RAESC \\
        "stretch+mask=benchmarks/results/ucr-views/*stretch+mask*.json" ...

A GLOB ending in ``.log`` reads ``ucr.py``'s printed lines instead (``SET: MODEL {...}`` and
``SET: raw SVC ...``), for runs that stopped before writing ``results.json``.
"""

import argparse
import ast
import glob
import json
import re

import numpy as np


def _read_log(path, model):
    """``{dataset: {"models": {model: {...}}, "baselines": {...}}}`` from a ``ucr.py`` log."""
    results = {}
    for line in open(path):
        found = re.match(rf"(\w+): {re.escape(model)} (\{{.*\}})$", line.strip())
        if found:
            results.setdefault(found[1], {"models": {}, "baselines": {}})["models"][model] = (
                ast.literal_eval(found[2]))
        found = re.match(r"(\w+): raw SVC ([0-9.]+),", line)
        if found:
            results.setdefault(found[1], {"models": {}, "baselines": {}})["baselines"][
                "raw SVC"] = float(found[2])
    return results


def summarise(variants, model):
    """``{label: {dataset: [accuracy, ...]}}`` and the raw-SVC accuracy per data set."""
    table, raw = {}, {}
    for label, pattern in variants:
        accuracies = table.setdefault(label, {})
        for path in sorted(glob.glob(pattern)):
            results = (_read_log(path, model) if path.endswith(".log")
                       else json.load(open(path))["results"])
            for dataset, result in results.items():
                if model in result["models"]:
                    accuracies.setdefault(dataset, []).append(
                        result["models"][model]["accuracy"])
                if "raw SVC" in result["baselines"]:
                    raw[dataset] = result["baselines"]["raw SVC"]
    return table, raw


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+", metavar="LABEL=GLOB")
    parser.add_argument("--model", default="RAESC")
    args = parser.parse_args(argv)
    table, raw = summarise([v.split("=", 1) for v in args.variants], args.model)
    datasets = sorted({d for accuracies in table.values() for d in accuracies})
    lines = ["| variant (seeds) | " + " | ".join(datasets) + " | mean | sets ≥ raw SVC |",
             "|---" * (len(datasets) + 3) + "|"]
    for label, accuracies in table.items():
        means = [np.mean(accuracies[d]) for d in datasets]
        seeds = min(len(accuracies[d]) for d in datasets)
        wins = sum(m >= raw[d] for m, d in zip(means, datasets) if d in raw)
        lines.append(f"| {label} ({seeds}) | " + " | ".join(f"{m:.3f}" for m in means)
                     + f" | {np.mean(means):.3f} | {wins} |")
    if raw:
        lines.append("| raw SVC | " + " | ".join(f"{raw[d]:.3f}" for d in datasets)
                     + f" | {np.mean([raw[d] for d in datasets]):.3f} | |")
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()
