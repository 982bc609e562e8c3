"""What the default model costs and buys against the RAES paper's preset, on sum-of-sines data.

For each seed, on ``make_sine_sequences(n, T, m)`` split into training and held-out sequences
(80/20), every model (RAE, RAES, RAESC) is trained in up to four configurations, interleaved
in one run so that a busy machine slows them alike:

* ``default``: the class's defaults but ``sigma``, ``batch_size``, ``max_epochs`` and ``lr``
  (pooled ``readout='mean+max'`` and the contrastive term included);
* ``paper``: ``cls.paper(sigma, max_epochs=...)`` (final-state code, no contrastive term,
  no frames, batches of 100, Adam lr 1e-3);
* ``paper+jacobian`` (``--jacobian N``, for the first N seeds): the paper's preset with
  ``jacobian_penalty=1.0``, the contractive term's cost;
* ``plain``: the paper's model (the same module class and sizes as ``paper``) trained by a
  hand-written PyTorch loop (``harness.speed.plain_loop``: shuffle, slice, forward, MSE,
  backward, Adam step), the reference for epoch times.

It prints, per configuration, the held-out MSE (minus ``score``) ratios RAES/RAE and
RAESC/RAE (medians over seeds of each seed's ratio) and each configuration's median epoch
time (first epoch of every fit left out) and its ratio to the plain loop's.

    python benchmarks/cost/defaults_cost.py --help
    OMP_NUM_THREADS=1 python benchmarks/cost/defaults_cost.py --threads 1 --jacobian 1

On a shared machine the seeds can run as parallel processes (each interleaves its own
configurations) and be summarised together:

    for s in 0 1 2; do python benchmarks/cost/defaults_cost.py --seeds $s --jacobian $((s == 0)) \
        --out /tmp/cost$s.json & done; wait
    python benchmarks/cost/defaults_cost.py --summarize \\
        /tmp/cost0.json /tmp/cost1.json /tmp/cost2.json
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
from harness.report import median, report  # noqa: E402
from harness.speed import plain_loop  # noqa: E402

from seqae.datasets import make_sine_sequences  # noqa: E402

MODELS = {name: ALL_MODELS[name] for name in ("RAE", "RAES", "RAESC")}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--n-features", type=int, default=1)
    parser.add_argument("--sigma", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--max-epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--jacobian", type=int, default=0, metavar="N",
                        help="also time the paper's preset with jacobian_penalty=1.0 for the "
                             "first N seeds (default 0: not at all)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", help="write the raw runs to this JSON file")
    parser.add_argument("--summarize", nargs="+", metavar="JSON",
                        help="train nothing: print the summary of the runs in these --out "
                             "files (e.g. one per seed, run as parallel processes)")
    return parser.parse_args(argv)


def _configs(cls, args, seed, jacobian):
    common = {"max_epochs": args.max_epochs, "random_state": seed}
    configs = {
        "default": cls(sigma=args.sigma, batch_size=args.batch_size, lr=args.lr, **common),
        "paper": cls.paper(sigma=args.sigma, batch_size=args.batch_size, lr=args.lr,
                           **common),
    }
    if jacobian:
        configs["paper+jacobian"] = cls.paper(sigma=args.sigma, batch_size=args.batch_size,
                                              lr=args.lr, jacobian_penalty=1.0, **common)
    return configs


def run(args):
    runs = []
    for i, seed in enumerate(args.seeds):
        X = make_sine_sequences(args.n_samples, args.n_timesteps, args.n_features,
                                random_state=seed)
        n_train = int(0.8 * len(X))
        train, held_out = X[:n_train], X[n_train:]
        for name, cls in MODELS.items():
            paper_net = None
            for config, estimator in _configs(cls, args, seed, i < args.jacobian).items():
                start, cpu = time.perf_counter(), time.process_time()
                estimator.fit(train)
                cpu = time.process_time() - cpu
                runs.append({"seed": seed, "model": name, "config": config,
                             "mse": -estimator.score(held_out),
                             "epoch_seconds": list(estimator.net_.history[1:, "dur"]),
                             "fit_seconds": time.perf_counter() - start,
                             "cpu_seconds_per_epoch": cpu / args.max_epochs})
                print(f"seed {seed} {name:5s} {config:15s} held-out MSE "
                      f"{runs[-1]['mse']:.4f}, median epoch "
                      f"{median(runs[-1]['epoch_seconds']):.3f} s", flush=True)
                if config == "paper":
                    paper_net = estimator.net_
            torch.manual_seed(seed)
            module = type(paper_net.module_)(**paper_net.get_params_for("module"))
            cpu = time.process_time()
            seconds = plain_loop(module, torch.as_tensor(train, dtype=torch.float32),
                                 args.max_epochs, args.batch_size, args.lr, seed)
            cpu = time.process_time() - cpu
            runs.append({"seed": seed, "model": name, "config": "plain", "mse": None,
                         "epoch_seconds": seconds[1:], "fit_seconds": sum(seconds),
                         "cpu_seconds_per_epoch": cpu / args.max_epochs})
            print(f"seed {seed} {name:5s} {'plain loop':15s} median epoch "
                  f"{median(seconds[1:]):.3f} s", flush=True)
            if args.out:  # what is done so far, in case the run is cut short
                _write(args, runs)
    return runs


def _write(args, runs):
    with open(args.out, "w") as file:
        json.dump({"args": vars(args), "runs": runs}, file, indent=1)


def summary(runs):
    """Markdown table: per configuration, medians over seeds of each seed's ratio (MSE over
    RAE's of the same seed and configuration; median epoch over the plain loop's of the same
    seed and model, which ran next to it). A model missing for a seed is left out there."""
    by = {(r["seed"], r["model"], r["config"]): r for r in runs}
    seeds = sorted({r["seed"] for r in runs})
    configs = list(dict.fromkeys(r["config"] for r in runs if r["config"] != "plain"))

    def ratios(config, model, key):
        out = []
        for seed in seeds:
            run, ref = by.get((seed, model, config)), by.get((seed, *key))
            if run is None or ref is None:
                continue
            if key[1] == "plain":
                out.append(median(run["epoch_seconds"]) / median(ref["epoch_seconds"]))
            else:
                out.append(run["mse"] / ref["mse"])
        return out

    def cell(values):
        if not values:
            return "n/a"
        return f"{median(values):.2f}" + (f" ({len(values)} seeds)" if len(values) < len(seeds)
                                           else "")

    lines = ["| configuration | held-out MSE RAE | RAES/RAE | RAESC/RAE | "
             "epoch vs plain loop RAE | RAES | RAESC |", "|---|---|---|---|---|---|---|"]
    for config in configs:
        rae = [by[(s, "RAE", config)]["mse"] for s in seeds if (s, "RAE", config) in by]
        mse = [cell(ratios(config, m, ("RAE", config))) for m in ("RAES", "RAESC")]
        speed = [cell(ratios(config, m, (m, "plain"))) for m in MODELS]
        lines.append(f"| {config} | {median(rae):.4f} | {mse[0]} | {mse[1]} | "
                     + " | ".join(speed) + " |")
    if all("cpu_seconds_per_epoch" in r for r in runs):
        cpu = {(m, c): cell([by[(s, m, c)]["cpu_seconds_per_epoch"]
                        / by[(s, m, "plain")]["cpu_seconds_per_epoch"]
                        for s in seeds if (s, m, c) in by and (s, m, "plain") in by])
               for m in MODELS for c in configs}
        lines.append("\nCPU time per epoch (process time, whole fit / epochs) over the plain "
                     "loop's: " + "; ".join(f"{c}: " + ", ".join(
                         f"{m} {cpu[(m, c)]}" for m in MODELS) for c in configs))
    if "paper+jacobian" in configs:
        cost = [cell([median(by[(s, m, "paper+jacobian")]["epoch_seconds"])
                      / median(by[(s, m, "paper")]["epoch_seconds"])
                      for s in seeds if (s, m, "paper+jacobian") in by]) for m in MODELS]
        lines.append("\njacobian_penalty=1.0 over the paper's preset, median epoch: "
                     + ", ".join(f"{m} {c}" for m, c in zip(MODELS, cost)))
    lines.append("\nheld-out MSE per seed: " + "; ".join(
        f"{config} " + ", ".join(
            f"{m} [" + " ".join(f"{by[(s, m, config)]['mse']:.4f}" for s in seeds
                                if (s, m, config) in by) + "]" for m in MODELS)
        for config in configs))
    lines.append("median epoch seconds per seed: " + "; ".join(
        f"{m} {config} [" + " ".join(f"{median(by[(s, m, config)]['epoch_seconds']):.2f}"
                                     for s in seeds if (s, m, config) in by) + "]"
        for m in MODELS for config in configs + ["plain"]))
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.summarize:
        runs = []
        for path in args.summarize:
            with open(path) as file:
                runs += json.load(file)["runs"]
        print(summary(runs))
        return runs
    runs = report(__file__, argv, args.threads, lambda: run(args), summary)
    if args.out:
        _write(args, runs)
    return runs


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
