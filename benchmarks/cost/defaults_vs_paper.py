"""The defaults against the paper's setting: held-out MSE of RAES and RAESC relative to RAE,
and epoch time against a plain PyTorch loop, before and after ``RowwiseLinear`` left training.

Data: ``make_sine_sequences(--n-samples, --n-timesteps, 1)`` per seed, split 80:20 at random
(the 20% is held out: never trained on). Every model gets ``sigma=1.0, batch_size=100,
max_epochs=12, lr=1e-3`` and ``random_state=seed``; besides,

* ``defaults``: every other parameter at its default;
* ``paper``: the RAES paper's models, ``readout='last', contrastive=0, patch_size=1`` (and
  ``stretch=False`` for RAES).

For each seed, setting and model, in this order (interleaved, so that a busy machine slows
all alike):

* ``before``: ``fit`` with ``RowwiseLinear`` row-wise in training too (its ``forward`` before
  issue 15; ``benchmarks/cost/rowwise.py``). Only where the model has a ``RowwiseLinear``; where it
  has none (the paper's models) before and after are the same computation, so one fit serves
  both and the table says so.
* ``after``: ``fit`` as the package is now.
* ``plain``: a hand-written PyTorch loop (shuffle, slice, forward, the same loss object as the
  estimator's criterion, backward, Adam step, ``loss.item()``) over a fresh module of the same
  class and sizes, ``--plain-epochs`` epochs.

Reported: held-out MSE ratios RAES/RAE and RAESC/RAE (per seed, then the median and range
over seeds), and the median epoch seconds (first epoch of every run dropped) as ratios to the
plain loop over the same model and to the plain loop over the paper's model of the same
class.

    python benchmarks/cost/defaults_vs_paper.py --threads 1
    # or one process per seed, then the table of all of them:
    python benchmarks/cost/defaults_vs_paper.py --seeds 0 --out s0.json   # (and 1, 2)
    python benchmarks/cost/defaults_vs_paper.py --summarise s0.json s1.json s2.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.models import MODELS as ALL_MODELS  # noqa: E402
from harness.report import machine_description, median, set_threads, utc_now  # noqa: E402
from harness.speed import plain_loop as _plain_loop  # noqa: E402
from harness.speed import rowwise_in_training  # noqa: E402

from seqae.datasets import make_sine_sequences  # noqa: E402
from seqae.modules import RowwiseLinear  # noqa: E402

MODELS = {name: ALL_MODELS[name] for name in ("RAE", "RAES", "RAESC")}
PAPER = {"readout": "last", "contrastive": 0.0, "patch_size": 1}
SETTINGS = ("defaults", "paper")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--plain-epochs", type=int, default=4)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--settings", nargs="+", choices=SETTINGS, default=list(SETTINGS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the records to this JSON file")
    parser.add_argument("--summarise", type=Path, nargs="+", default=None, metavar="JSON",
                        help="only print the table of the records in these files (e.g. one "
                             "run per seed, run side by side)")
    return parser.parse_args(argv)


def make_estimator(setting, model, seed, epochs):
    params = {"sigma": 1.0, "batch_size": 100, "max_epochs": epochs, "lr": 1e-3,
              "random_state": seed}
    if setting == "paper":
        params.update(PAPER, **({"stretch": False} if model == "RAES" else {}))
    return MODELS[model](**params)


def plain_loop(net, X, epochs, seed):
    """A hand-written loop over a fresh module like ``net.module_``; each epoch's seconds."""
    torch.manual_seed(seed)
    module = type(net.module_)(**net.get_params_for("module"))
    seconds = _plain_loop(module, X, epochs, 100, 1e-3, seed, criterion=net.criterion_)
    return seconds[1:]


def run(args):
    records = []
    for seed in args.seeds:
        X = make_sine_sequences(args.n_samples, args.n_timesteps, 1, random_state=seed)
        order = np.random.default_rng(seed).permutation(len(X))
        n_train = int(round(0.8 * len(X)))
        train, held_out = X[order[:n_train]], X[order[n_train:]]
        train32 = torch.from_numpy(train.astype(np.float32))
        for setting in args.settings:
            for model in MODELS:
                record = {"seed": seed, "setting": setting, "model": model}
                for side in ("before", "after"):
                    estimator = make_estimator(setting, model, seed, args.epochs)
                    if side == "before":
                        with rowwise_in_training():
                            estimator.fit(train)
                        if not any(isinstance(m, RowwiseLinear)
                                   for m in estimator.net_.module_.modules()):
                            record["rowwise"] = False  # before == after: one fit for both
                            record["before"] = None
                            continue
                        record["rowwise"] = True
                    else:
                        estimator.fit(train)
                    record[side] = {
                        "mse": float(-estimator.score_samples(held_out).mean()),
                        "epoch": median(estimator.net_.history[1:, "dur"]),
                    }
                if record["before"] is None:
                    record["before"] = record["after"]
                record["plain"] = median(plain_loop(estimator.net_, train32, args.plain_epochs,
                                                    seed))
                record["n_components"] = estimator.n_components_
                record["patch_size"] = estimator.patch_size_
                records.append(record)
                if args.out is not None:  # after every record: a stopped run keeps its part
                    args.out.write_text(json.dumps(records, indent=1))
                print(f"seed {seed} {setting:8s} {model:5s} n_C={estimator.n_components_} "
                      f"patch {estimator.patch_size_}: " + ", ".join(
                          f"{side} MSE {record[side]['mse']:.4g} epoch "
                          f"{record[side]['epoch']:.3f} s" for side in ("before", "after"))
                      + f", plain {record['plain']:.3f} s"
                      + ("" if record["rowwise"] else " (no RowwiseLinear: before = after)"),
                      flush=True)
    return records


def summarise(records, seeds):
    def get(seed, setting, model):
        return next(r for r in records
                    if (r["seed"], r["setting"], r["model"]) == (seed, setting, model))

    lines = ["| setting | side | RAES/RAE MSE | RAESC/RAE MSE | "
             "epoch / plain loop, same model (RAE, RAES, RAESC) | "
             "epoch / plain loop over the paper's model (RAE, RAES, RAESC) |",
             "|---|---|---|---|---|---|"]

    def spread(values):
        return f"{median(values):.2f} ({min(values):.2f}-{max(values):.2f})"

    present = {r["setting"] for r in records}
    for setting in [s for s in SETTINGS if s in present]:
        for side in ("before", "after"):
            mse = {m: [get(s, setting, m)[side]["mse"] / get(s, setting, "RAE")[side]["mse"]
                       for s in seeds] for m in ("RAES", "RAESC")}
            same, paper = [], []
            for model in MODELS:
                epoch = median([get(s, setting, model)[side]["epoch"] for s in seeds])
                same.append(epoch / median([get(s, setting, model)["plain"] for s in seeds]))
                paper.append(epoch / median([get(s, "paper", model)["plain"] for s in seeds])
                             if "paper" in present else float("nan"))
            lines.append(f"| {setting} | {side} | {spread(mse['RAES'])} | "
                         f"{spread(mse['RAESC'])} | "
                         + ", ".join(f"{v:.2f}" for v in same) + " | "
                         + ", ".join(f"{v:.2f}" for v in paper) + " |")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.summarise:
        records = [r for path in args.summarise for r in json.loads(path.read_text())]
        seeds = sorted({r["seed"] for r in records})
        print(f"# {len(records)} records, seeds {seeds}\n")
        print(summarise(records, seeds))
        return records
    set_threads(args.threads)
    start = time.perf_counter()
    print(f"# defaults vs paper setting, before/after RowwiseLinear; {utc_now()}; "
          f"{machine_description('cpu')}")
    print(f"# data: make_sine_sequences({args.n_samples}, {args.n_timesteps}, 1), 80:20 "
          f"held out; sigma=1.0, batch 100, {args.epochs} epochs, lr 1e-3; seeds {args.seeds}")
    records = run(args)
    print()
    print("Medians over seeds (range in brackets) of the per-seed held-out MSE ratios; epoch "
          "ratios are of the median epoch seconds.\n")
    print(summarise(records, args.seeds))
    print(f"\ntotal {time.perf_counter() - start:.0f} s")
    return records


if __name__ == "__main__":
    main()
