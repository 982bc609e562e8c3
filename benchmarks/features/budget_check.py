"""Does a smaller default training budget keep the codes' quality? (issue 23, cost)

For each budget variant (``AUTO_STEPS`` optimizer steps for ``max_epochs='auto'``,
``AUTO_MAX_STEPS`` recurrent steps for ``patch_size='auto'``), data set and seed, the default
``RAESCTransformer`` is fitted on the **training split only** (labels unused) and its codes
scored by ``validate_defaults.py``'s protocol: outer stratified 5-fold CV over the training
split of StandardScaler -> RBF SVC (C by inner CV). The test split is never read. The CPU
seconds of the fit (this process, one thread) are recorded next to the accuracy. One JSON line
per run; ``--summarise LOG`` prints the table.

    OMP_NUM_THREADS=1 python benchmarks/features/budget_check.py --seeds 0 1 2 > log.txt
"""

import argparse
import json
import sys

import numpy as np

from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness import data  # noqa: E402
from harness.protocol import outer_folds, run_one, set_budget  # noqa: E402
from harness.report import machine_description, set_threads, utc_now  # noqa: E402

#: The variants run when ``--variants`` is not given (issue 23's first budget check).
VARIANTS = ["500/128", "250/128", "250/64"]
DATASETS = ["BME", "BirdChicken", "Adiac", "Computers", "Fish"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument("--variants", nargs="+", default=VARIANTS,
                        help="budgets as harness.protocol.set_budget reads them, e.g. 250/64 "
                             "2000/8 2000/8/median 2000/8/longest/200")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--summarise", nargs="+")
    parser.add_argument("--strict", action="store_true",
                        help="refit the autoencoder inside every outer fold on that fold's "
                             "training part (5x the cost): an encoder that memorises its "
                             "training sequences no longer looks good")
    args = parser.parse_args(argv)
    if args.summarise:
        rows = [json.loads(line) for path in args.summarise for line in open(path)
                if line.startswith("{")]
        sets = list(dict.fromkeys(r["dataset"] for r in rows))
        variants = list(dict.fromkeys(r["variant"] for r in rows))
        print("| budget (steps / recurrent steps) | " + " | ".join(sets)
              + " | mean | CPU s (median) |")
        print("|---|" + "---|" * (len(sets) + 2))
        for v in variants:
            cells, means = [], []
            for d in sets:
                acc = [r["accuracy"] for r in rows if r["variant"] == v and r["dataset"] == d]
                means.append(np.mean(acc) if acc else np.nan)
                cells.append(f"{np.mean(acc):.3f} ± {np.std(acc):.3f}" if acc else "-")
            cpu = [r["cpu_seconds"] for r in rows if r["variant"] == v]
            print(f"| {v} | " + " | ".join(cells) + f" | {np.nanmean(means):.3f} | "
                  f"{np.median(cpu):.0f} |")
        return
    set_threads(1)
    print(f"# python benchmarks/features/budget_check.py {' '.join(sys.argv[1:])}\n"
          f"# {machine_description('cpu')}; {utc_now()}", flush=True)
    for dataset in args.datasets:
        X, y = data.load(dataset, "train")
        folds = outer_folds(y, 5)
        for variant in args.variants:
            set_budget(variant)
            for seed in args.seeds:
                set_threads(1)
                accuracy, seconds, resolved = run_one("RAESC", {}, seed, X, y, folds,
                                                         args.strict)
                print(json.dumps({"dataset": dataset, "variant": variant, "seed": seed,
                                  "strict": args.strict,
                                  "accuracy": round(accuracy, 4),
                                  **{k: (round(v, 1) if isinstance(v, float) else v)
                                     for k, v in resolved.items()}}), flush=True)


if __name__ == "__main__":
    main()
