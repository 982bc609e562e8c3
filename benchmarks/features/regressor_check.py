"""SequenceRegressor with two frozen-code heads, on aeon's shipped regression sets (issue 23).

``frozen_head`` is one row of the parameter table, shared by the classifier and the
regressor: before its default changes for the classifier, this checks the regressor with
each head on aeon's Covid3Month and CardanoSentiment (every training target labelled,
fitted on train, R^2 on test), over seeds. One pre-training per set and seed serves every
head.

    OMP_NUM_THREADS=1 python benchmarks/features/regressor_check.py --heads rbf svm \\
        --seeds 0 1 2 --out benchmarks/results/frozen-svm-regressor
"""
import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.report import (command_line, machine_description, set_threads,  # noqa: E402
                            utc_now, write_results)

from seqae import RAESCTransformer, SequenceRegressor  # noqa: E402

DATASETS = ("Covid3Month", "CardanoSentiment")


def load(name):
    """``(X_train, y_train, X_test, y_test)``, sequences as ``(n, T, channels)``."""
    from aeon.datasets import load_cardano_sentiment, load_covid_3month

    loader = {"Covid3Month": load_covid_3month, "CardanoSentiment": load_cardano_sentiment}
    X, y = loader[name](split="train")
    X_test, y_test = loader[name](split="test")
    return (X.transpose(0, 2, 1), y.astype(float), X_test.transpose(0, 2, 1),
            y_test.astype(float))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--heads", nargs="+", default=["rbf", "svm"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--out", default="benchmarks/results/frozen-svm-regressor")
    args = parser.parse_args(argv)
    set_threads(1)
    warnings.filterwarnings("ignore")
    command = command_line(__file__, argv)
    print(f"# {command}\n# {machine_description('cpu')}; {utc_now()}", flush=True)
    rows = []
    for name in args.datasets:
        X, y, X_test, y_test = load(name)
        for seed in args.seeds:
            autoencoder = RAESCTransformer(random_state=seed).fit(X)
            row = {"dataset": name, "seed": seed}
            for head in args.heads:
                model = SequenceRegressor(autoencoder, frozen_head=head,
                                          random_state=seed).fit(X, y)
                row[head] = float(model.score(X_test, y_test))
                row[f"{head}_fine_tuned"] = bool(model.fine_tuned_)
            print(json.dumps(row), flush=True)
            rows.append(row)
    lines = ["| data set | " + " | ".join(args.heads) + " |",
             "|---|" + "---|" * len(args.heads)]
    for name in args.datasets:
        these = [row for row in rows if row["dataset"] == name]
        lines.append(f"| {name} | " + " | ".join(
            f"{np.mean([r[h] for r in these]):.3f} ± {np.std([r[h] for r in these]):.3f}"
            for h in args.heads) + " |")
    lines.append("| **mean** | " + " | ".join(
        f"**{np.mean([r[h] for r in rows]):.3f}**" for h in args.heads) + " |")
    report = "\n".join(lines)
    print(report)
    write_results(args.out, command, machine_description("cpu"), {"rows": rows}, report)
    return rows


if __name__ == "__main__":
    main()
