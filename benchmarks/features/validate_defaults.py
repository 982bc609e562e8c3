"""Re-validate the estimators' feature defaults on training data only (no test split is read).

For each data set, only the **training split** is loaded (aeon's ``split="train"``; the test
split is never opened). For each configuration and seed, a seqae estimator (RAESC by
default) is fitted on the training sequences **without their labels**; its codes then go
through ``benchmarks/features/ucr.py``'s classifier protocol (``StandardScaler`` -> RBF
``SVC``, ``C`` in {1e-3, ..., 1e4} chosen by an inner stratified CV), scored by an outer
stratified k-fold cross-validation over the training split's labels. The outer folds are the
same for every configuration and seed (paired comparisons); the seed moves the autoencoder
only.

By default the autoencoder is fitted once per (data set, configuration, seed) on the whole
training split, labels unused, and the labelled cross-validation runs on its codes: the
classifier never sees a held-out fold's labels, but the unsupervised encoder has seen the
held-out sequences (as any unsupervised representation fitted on all unlabelled training
data). ``--strict`` refits the autoencoder inside every outer fold on that fold's training
part only (k times the cost).

Configurations are named overrides of the defaults (``CONFIGS``; ``--configs`` picks some,
``--set NAME:key=value,key=value`` adds one). ``patch_size=1`` is skipped where
``patch_size='auto'`` already resolves to 1 (short series: the same model).

    OMP_NUM_THREADS=1 python benchmarks/features/validate_defaults.py --seeds 0 1 2
    OMP_NUM_THREADS=1 python benchmarks/features/validate_defaults.py --datasets GunPoint \\
        --configs default readout=last --seeds 0 --folds 3        # a quick look

Prints one line per fit, then a table of CV accuracy (mean and standard deviation over the
seeds) per configuration and data set, and each configuration's paired difference from the
default; writes everything to ``--out`` (JSON). Needs aeon (``pip install seqae[examples]``).
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import CLASSIFICATION_SETS, load_train  # noqa: E402
from harness.data import n_timesteps as _n_timesteps  # noqa: E402
from harness.models import MODELS as ALL_MODELS  # noqa: E402
from harness.protocol import (SEEDS, cv_accuracy, outer_folds, parse_overrides,  # noqa: E402
                              run_one)
from harness.report import command_line, machine_description, set_threads, utc_now  # noqa: E402

from seqae._engine.budget import AUTO_MAX_STEPS  # noqa: E402

DATASETS = list(CLASSIFICATION_SETS)
MODELS = {name: ALL_MODELS[name] for name in ("RAESC", "RAE", "LSTM-AE")}

#: Today's defaults and the alternatives they were chosen over (name: overrides).
CONFIGS = {
    "default": {},
    "readout=last": {"readout": "last"},
    "contrastive=0": {"contrastive": 0.0},
    "view=mask": {"contrastive_view": "mask"},
    "view=crop+mask": {"contrastive_view": "crop+mask"},
    "view=stretch": {"contrastive_view": "stretch"},
    "patch_size=1": {"patch_size": 1},
}


def parse_configs(names, extra):
    configs = {}
    for name in names:
        if name not in CONFIGS:
            raise SystemExit(f"unknown configuration {name!r}; known: {sorted(CONFIGS)} "
                             "(or add one with --set NAME:key=value,...)")
        configs[name] = CONFIGS[name]
    for spec in extra or []:
        name, _, pairs = spec.partition(":")
        configs[name] = parse_overrides(filter(None, pairs.split(",")))
    return configs


def summarise(results, configs, datasets):
    """Markdown: mean ± std over seeds per configuration and data set; the mean over data
    sets; and the paired difference from ``default`` (mean ± std over seeds of the
    per-seed mean over data sets where both ran)."""
    head = ["configuration", *datasets, "mean", "Δ vs default (paired)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for config in configs:
        cells, per_seed_means, per_seed_deltas = [], {}, {}
        for dataset in datasets:
            runs = results.get(dataset, {}).get(config)
            if not runs:
                cells.append("-")
                continue
            acc = np.array([r["accuracy"] for r in runs.values()])
            cells.append(f"{acc.mean():.3f} ± {acc.std(ddof=1):.3f}" if len(acc) > 2 else
                         f"{acc.mean():.3f} ({len(acc)} seed{'s' if len(acc) > 1 else ''})")
            base = results[dataset].get("default", {})
            for seed, r in runs.items():
                per_seed_means.setdefault(seed, []).append(r["accuracy"])
                if seed in base:
                    per_seed_deltas.setdefault(seed, []).append(
                        r["accuracy"] - base[seed]["accuracy"])
        complete = [seed for seed, v in per_seed_means.items() if len(v) == len(datasets)]
        means = [np.mean(per_seed_means[s]) for s in complete]
        cells.append(f"{np.mean(means):.3f} ± {np.std(means, ddof=1):.3f}"
                     if len(means) > 2 else (f"{np.mean(means):.3f} ({len(means)} seeds)"
                                             if means else "-"))
        deltas = [np.mean(v) for v in per_seed_deltas.values()]
        n_sets = max((len(v) for v in per_seed_deltas.values()), default=0)
        spread = (f" ± {np.std(deltas, ddof=1):.3f}" if len(deltas) > 2 else
                  f" ({len(deltas)} seeds)")
        cells.append("-" if config == "default" or not deltas else
                     f"{np.mean(deltas):+.3f}{spread}, {n_sets} set{'s' * (n_sets > 1)}")
        lines.append(f"| {config} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def merge_and_summarise(paths):
    results, baselines, configs = {}, {}, {}
    for path in paths:
        saved = json.loads(Path(path).read_text())
        print(f"# {saved['command']}\n#   {saved['machine']}; {saved['date']}")
        baselines.update(saved.get("raw_svc", {}))
        configs.update(saved["configs"])
        for dataset, runs in saved["results"].items():
            for config, seeds in runs.items():
                results.setdefault(dataset, {}).setdefault(config, {}).update(seeds)
    print("raw-series SVC, same folds: " + ", ".join(
        f"{d} {a:.3f}" for d, a in baselines.items()))
    print(summarise(results, configs, list(results)))
    seconds = sum(r["fit_seconds"] for runs in results.values() for seeds in runs.values()
                  for r in seeds.values())
    print(f"\nfit + transform seconds, all runs: {seconds:.0f}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument("--model", default="RAESC", choices=list(MODELS))
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS))
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME:key=value,...",
                        help="extra named configurations")
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--folds", type=int, default=5, help="outer CV folds (default 5)")
    parser.add_argument("--strict", action="store_true",
                        help="refit the autoencoder inside every outer fold (k x the cost)")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop starting new fits after this many seconds")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="benchmarks/results/validate-defaults/results.json")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs already in --out and skip them")
    parser.add_argument("--summarise", nargs="+", metavar="JSON",
                        help="only merge these result files (e.g. of runs made side by side "
                             "on different data sets) and print their table")
    args = parser.parse_args(argv)
    if args.summarise:
        return merge_and_summarise(args.summarise)
    set_threads(args.threads)
    configs = parse_configs(args.configs, args.set)
    command = command_line(__file__, argv)
    print(f"# {command}\n# {machine_description('cpu')}; {utc_now()}", flush=True)
    out = Path(args.out)
    results, baselines = {}, {}
    if args.resume and out.exists():
        saved = json.loads(out.read_text())
        results, baselines = saved["results"], saved.get("raw_svc", {})
    begin = time.perf_counter()

    def save():
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({
            "command": command, "machine": machine_description("cpu"), "date": utc_now(),
            "model": args.model, "folds": args.folds, "strict": args.strict,
            "configs": configs, "raw_svc": baselines, "results": results}, indent=1))

    for dataset in args.datasets:
        X, y = load_train(dataset)
        folds = outer_folds(y, args.folds)
        if dataset not in baselines and not isinstance(X, list):
            baselines[dataset] = cv_accuracy(X.reshape(len(X), -1), y, folds)
        auto_patch = math.ceil(_n_timesteps(X) / AUTO_MAX_STEPS)
        for config, overrides in configs.items():  # (in order: a cut run keeps the first)
            for seed in args.seeds:
                if overrides.get("patch_size") == auto_patch and config != "default":
                    continue  # the same model as the default on this set
                runs = results.setdefault(dataset, {}).setdefault(config, {})
                if str(seed) in runs:
                    continue
                if args.max_seconds and time.perf_counter() - begin > args.max_seconds:
                    print(f"# --max-seconds reached: stopping before {dataset} {config} "
                          f"seed {seed}", flush=True)
                    save()
                    print(summarise(results, configs, list(results)))
                    return results
                accuracy, seconds, resolved = run_one(args.model, overrides, seed, X, y,
                                                      folds, args.strict)
                runs[str(seed)] = {"accuracy": accuracy, "fit_seconds": seconds, **resolved}
                print(f"{dataset:22s} {config:16s} seed {seed}: CV accuracy {accuracy:.3f} "
                      f"({seconds:.0f} s; {resolved})", flush=True)
                save()
    save()
    print()
    print("raw-series SVC, same folds: " + ", ".join(
        f"{d} {a:.3f}" for d, a in baselines.items()))
    print(summarise(results, configs, list(results)))
    print(f"\ntotal {time.perf_counter() - begin:.0f} s")
    return results


if __name__ == "__main__":
    main()
