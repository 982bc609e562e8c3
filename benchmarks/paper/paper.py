"""Reproduce the RAES paper's experiments (Susik, ICCS 2021, Sec. 3, Table 1, Figs. 2-7).

RAE, RAES and RAESC are trained on sum-of-sines sequences (``make_sine_sequences``) for every
number of features m_X and context size sigma = n_C / (m_X n_X) of the grid that is a cell of
the paper's Table 1, with the paper's exact models (``PAPER_MODEL``): the encoder's final
state is the context (``readout='last'``), no contrastive term, no frames (``patch_size=1``:
n_X recurrent steps, Eq. 1 over n_X steps, n_Y = n_X filters in RAESC), RAES without
stretching, Adam (lr 1e-3), batches of 100, MSE and a shuffled 80:20 train/validation split
(the estimators' ``validation_fraction=0.2``). RAES needs n_C to be a multiple of n_X (Eq. 1),
i.e. sigma * m_X a whole number; Table 1 leaves the other RAES cells empty, and so are they
skipped here (with the reason printed). Every fitted network is checked to be the paper's
(recurrent steps, decoder input layout) before its figures are kept.

Every epoch's train loss, validation loss and seconds (skorch's history) are written to
``results.csv`` and ``results.json``; ``table1.md`` holds the median epoch time per cell
beside the paper's, and the reproduction verdict: how many epochs RAES/RAESC need to reach
the validation loss RAE has at the end of its run. ``loss_epoch_m*.png`` and
``loss_time_m*.png`` are the loss-vs-epoch and loss-vs-time figures (as the paper's Figs.
2-5 and 6-7), one per m_X with one panel per sigma.

Profiles (``--profile``):

  paper  5000 sequences x 200 steps, 100 epochs: the paper's setting, meant for a GPU.
  cpu    the paper's models at the paper's length (n_X = 200) on fewer sequences for fewer
         epochs, on the cells of m_X = 1 (the cheapest; n_C up to 200): about 10 CPU-minutes
         on one core; what is scaled is printed.
  smoke  a seconds-long run on a tiny grid, for the test suite.

Any profile value can be overridden (``--n-samples``, ``--epochs``, ``--features`` ...).

    python benchmarks/paper/paper.py --profile cpu
    python benchmarks/paper/paper.py --profile paper --device cuda
"""

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.report import (command_line, machine_description, median,  # noqa: E402
                            set_threads, utc_now)

from seqae import RAESCTransformer, RAESTransformer, RAETransformer  # noqa: E402
from seqae.datasets import make_sine_sequences  # noqa: E402

# cpu: the cost of an epoch grows with n_samples * n_X * n_C^2 and n_C = sigma * m_X * n_X.
# The paper's models need n_X = 200 (shorter sequences would be other models: fewer recurrent
# steps, another Eq. 1 layout), so what is cut is the number of sequences (500: 4 optimizer
# steps an epoch, the paper has 40), the epochs (4 of 100) and the cells (m_X = 1: n_C = 50,
# 100, 200; m_X >= 2 reaches n_C = 1600, hours per epoch on one core). One torch thread: on 2
# shared cores a second OpenMP thread made epochs up to 30x slower (benchmarks/README.md).
PROFILES = {
    "paper": {"n_samples": 5000, "n_timesteps": 200, "epochs": 100,
              "features": [1, 2, 4, 8], "sigmas": [0.25, 0.5, 1.0], "threads": None},
    "cpu": {"n_samples": 500, "n_timesteps": 200, "epochs": 4,
            "features": [1], "sigmas": [0.25, 0.5, 1.0], "threads": 1},
    "smoke": {"n_samples": 40, "n_timesteps": 8, "epochs": 2,
              "features": [1, 2], "sigmas": [0.25, 1.0], "threads": None},
}
BATCH_SIZE = 100
VALIDATION_FRACTION = 0.2

#: The paper's models (Sec. 3), passed explicitly: the encoder's final state is the context
#: (no pooled readout, no contrastive term), no frames (n_X recurrent steps; Eq. 1 over n_X
#: steps; RAESC's n_Y = n_X filters), batches of 100, Adam with lr 1e-3, MSE; RAES without
#: stretching (Table 1 has no stretched cells).
PAPER_MODEL = {"readout": "last", "contrastive": 0.0, "patch_size": 1, "batch_size": BATCH_SIZE,
               "lr": 1e-3, "loss": "mse"}
MODELS = {
    "RAE": (RAETransformer, {}),
    "RAES": (RAESTransformer, {"stretch": False}),
    "RAESC": (RAESCTransformer, {}),
}

# Table 1 of the paper: median epoch seconds, Quadro RTX 6000, TensorFlow 2.3, 5000 x 200.
PAPER_TABLE1 = {
    (1, "RAE"): [0.61, 0.61, 0.93], (1, "RAES"): [None, None, 0.89],
    (1, "RAESC"): [0.63, 0.63, 0.98],
    (2, "RAE"): [0.64, 0.92, 1.77], (2, "RAES"): [None, 0.88, 1.57],
    (2, "RAESC"): [0.65, 0.96, 1.85],
    (4, "RAE"): [0.91, 1.74, 4.65], (4, "RAES"): [0.89, 1.57, 3.81],
    (4, "RAESC"): [0.97, 1.85, 4.75],
    (8, "RAE"): [1.75, 4.63, 13.22], (8, "RAES"): [1.56, 3.80, 10.07],
    (8, "RAESC"): [1.85, 4.74, 13.47],
}
PAPER_SIGMAS = [0.25, 0.5, 1.0]
PAPER_N_SAMPLES, PAPER_N_TIMESTEPS = 5000, 200


def not_a_table1_cell(model, n_features, sigma):
    """Why Table 1 has no cell for this run (``None``: it has one, or would at a grid point
    the paper did not try). Its only empty cells are RAES's where Eq. 1 cannot hold."""
    if model == "RAES" and not float(sigma * n_features).is_integer():
        return (f"Table 1 has no RAES cell at m_X={n_features}, sigma={sigma:g}: Eq. 1 lays "
                f"n_C = sigma m_X n_X values out over n_X steps, so sigma m_X must be a whole "
                f"number (it is {sigma * n_features:g})")
    return None


def check_paper_network(estimator, model):
    """Raise unless the fitted network is the paper's model: n_X recurrent steps of m_X
    features, the final state as the code, and the decoder input of Fig. 1 (n_X steps of
    n_C for RAE, lambda = n_C / n_X for RAES (Eq. 1), n_Y = n_X filters for RAESC (Eq. 2))."""
    module = estimator.net_.module_
    n_x, m_x, n_c = estimator.n_timesteps_, estimator.n_channels_, estimator.n_components_
    expected = {"RAE": (n_x, n_c), "RAES": (n_x, n_c // n_x), "RAESC": (n_x, None)}[model]
    checks = {
        "patch_size_ == 1": estimator.patch_size_ == 1,
        "encoder reads m_X features a step": module.encoder.rnn.input_size == m_x,
        "final-state code": module.encoder.readout == ("last",),
        "no contrastive view": module.view is None,
        "decoder input steps n_X": estimator.decoder_input_shape_[0] == expected[0],
        "decoder input features": expected[1] is None
        or estimator.decoder_input_shape_[1] == expected[1],
    }
    if model == "RAESC":
        checks["n_Y = n_X filters"] = module.bridge.conv.out_channels == n_x
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise AssertionError(f"{model} is not the paper's model: {failed}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="cpu")
    parser.add_argument("--n-samples", type=int, help="sequences (train + validation)")
    parser.add_argument("--n-timesteps", type=int, help="sequence length n_X")
    parser.add_argument("--epochs", type=int, help="training epochs per run")
    parser.add_argument("--features", type=int, nargs="+", help="m_X values")
    parser.add_argument("--sigmas", type=float, nargs="+", help="sigma values")
    parser.add_argument("--models", nargs="+", choices=list(MODELS),
                        default=["RAE", "RAES", "RAESC"])
    parser.add_argument("--device", default="auto", help="'auto', 'cpu' or 'cuda'")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads on the CPU (default: the profile's; "
                             "1 for cpu, torch's default otherwise)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: benchmarks/results/<profile>)")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG figures")
    args = parser.parse_args(argv)
    for key, value in PROFILES[args.profile].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.out is None:
        args.out = Path(__file__).resolve().parent / "results" / args.profile
    return args


def describe_scaling(args):
    """What differs from the paper's setting, in words (printed and written to table1.md)."""
    paper = PROFILES["paper"]
    changes = [f"{name} {_or_default(paper[key])} -> {_or_default(getattr(args, key))}"
               for key, name in (("n_samples", "sequences"), ("n_timesteps", "length n_X"),
                                 ("epochs", "epochs"), ("features", "m_X"),
                                 ("sigmas", "sigma"), ("threads", "torch threads"))
               if getattr(args, key) != paper[key]]
    if not changes:
        return "the paper's setting (nothing scaled)"
    sizes = (f"context sizes n_C = sigma * m_X * n_X scale with n_X, from "
             f"{_n_components(min(args.sigmas), min(args.features), args.n_timesteps)} to "
             f"{_n_components(max(args.sigmas), max(args.features), args.n_timesteps)}")
    return "scaled from the paper's setting: " + "; ".join(changes) + f" ({sizes})"


def _or_default(value):
    return "default" if value is None else value


def _n_components(sigma, n_features, n_timesteps):
    return max(1, int(round(sigma * n_features * n_timesteps)))


def run_one(model, X, sigma, args):
    """Fit one model; return its record, or ``None`` and the reason when Table 1 has no
    such cell."""
    reason = not_a_table1_cell(model, X.shape[2], sigma)
    if reason is not None:
        return None, reason
    cls, own = MODELS[model]
    estimator = cls(sigma=sigma, max_epochs=args.epochs, **PAPER_MODEL, **own,
                    validation_fraction=VALIDATION_FRACTION, device=args.device,
                    random_state=args.seed)
    estimator.fit(X)
    check_paper_network(estimator, model)
    history = estimator.net_.history
    return {
        "model": model, "n_features": X.shape[2], "sigma": sigma,
        "n_components": estimator.n_components_,
        "decoder_input_shape": list(estimator.decoder_input_shape_),
        "train_loss": [float(v) for v in history[:, "train_loss"]],
        "valid_loss": [float(v) for v in history[:, "valid_loss"]],
        "epoch_seconds": [float(v) for v in history[:, "dur"]],
    }, None


def epochs_to_reach(losses, target):
    """1-based epoch at which ``losses`` first reach ``target`` or below; ``None`` if never."""
    for epoch, loss in enumerate(losses, start=1):
        if loss <= target:
            return epoch
    return None


def verdict(runs):
    """Per (m_X, sigma): epochs RAES/RAESC need to reach RAE's final validation loss."""
    rows = []
    by_cell = {}
    for run in runs:
        by_cell.setdefault((run["n_features"], run["sigma"]), {})[run["model"]] = run
    for (m, sigma), cell in sorted(by_cell.items()):
        if "RAE" not in cell:
            continue
        rae = cell["RAE"]
        target, n_epochs = rae["valid_loss"][-1], len(rae["valid_loss"])
        for model in ("RAES", "RAESC"):
            if model not in cell:
                continue
            run = cell[model]
            epoch = epochs_to_reach(run["valid_loss"], target)
            seconds = None if epoch is None else float(np.sum(run["epoch_seconds"][:epoch]))
            if epoch is None:
                outcome = "not reached"
            elif epoch * 10 <= n_epochs:
                outcome = "order of magnitude fewer epochs"
            elif epoch < n_epochs:
                outcome = "fewer epochs"
            else:
                outcome = "not faster"
            rows.append({
                "n_features": m, "sigma": sigma, "model": model, "rae_final_loss": target,
                "rae_epochs": n_epochs, "rae_seconds": float(np.sum(rae["epoch_seconds"])),
                "epochs_to_reach": epoch, "seconds_to_reach": seconds,
                "epoch_speedup": None if epoch is None else n_epochs / epoch,
                "outcome": outcome,
            })
    return rows


def verdict_summary(rows):
    if not rows:
        return "no RAE/RAES(C) pairs were run, so there is no verdict."
    counts = {}
    for row in rows:
        counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    speedups = [row["epoch_speedup"] for row in rows if row["epoch_speedup"] is not None]
    strong = counts.get("order of magnitude fewer epochs", 0)
    faster = strong + counts.get("fewer epochs", 0)
    parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    claim = ("reproduced" if strong * 2 > len(rows) else
             "partly reproduced (faster, but not by an order of magnitude in most cells)"
             if faster * 2 > len(rows) else "not reproduced")
    return (f"The paper's claim (RAES/RAESC reach RAE's final loss in an order of magnitude "
            f"fewer epochs) is {claim} here: of {len(rows)} RAES/RAESC runs, {parts}; median "
            f"epoch speed-up {median(speedups):.1f}x over the runs that reached it.")


def _fmt_sigma(sigma):
    return f"{sigma * 100:g}%"


def _fmt(value):
    if value is None:
        return "-"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _fmt_speedup(value):
    return "-" if value is None else f"{value:.1f}x"


def table1_markdown(runs, skipped, rows, args, header):
    medians = {(r["n_features"], r["model"], r["sigma"]): median(r["epoch_seconds"])
               for r in runs}
    sigmas = sorted(args.sigmas)
    lines = [header, "",
             "## Table 1: median epoch time [s] (measured)", "",
             "| m_X | algorithm | " + " | ".join(f"σ={_fmt_sigma(s)}" for s in sigmas) + " |",
             "|---|---|" + "---|" * len(sigmas)]
    for m in sorted(args.features):
        for model in args.models:
            cells = [medians.get((m, model, s)) for s in sigmas]
            lines.append(f"| {m} | {model} | " + " | ".join(
                "-" if c is None else f"{c:.3f}" for c in cells) + " |")
    lines += ["", "## Table 1 of the paper (Quadro RTX 6000, TensorFlow 2.3, 5000 x 200)", "",
              "| m_X | algorithm | " + " | ".join(f"σ={_fmt_sigma(s)}" for s in PAPER_SIGMAS)
              + " |", "|---|---|" + "---|" * len(PAPER_SIGMAS)]
    for (m, model), cells in PAPER_TABLE1.items():
        lines.append(f"| {m} | {model} | " + " | ".join(
            "-" if c is None else f"{c:.2f}" for c in cells) + " |")
    if args.n_timesteps == PAPER_N_TIMESTEPS:
        # The paper's models at the paper's length: an epoch's time is its batches' time, so
        # fewer sequences are scaled up to the paper's 5000 (an approximation, said so).
        scale = PAPER_N_SAMPLES / args.n_samples
        scaled = "" if scale == 1 else (
            f" (measured epochs of {args.n_samples} sequences x {scale:g}, i.e. scaled to the "
            f"paper's {PAPER_N_SAMPLES} sequences)")
        lines += ["", f"## Measured / paper, same models and length{scaled}", "",
                  "| m_X | algorithm | " + " | ".join(f"σ={_fmt_sigma(s)}" for s in PAPER_SIGMAS)
                  + " |", "|---|---|" + "---|" * len(PAPER_SIGMAS)]
        for (m, model), cells in PAPER_TABLE1.items():
            if m not in args.features or model not in args.models:
                continue
            ratios = []
            for s, paper in zip(PAPER_SIGMAS, cells):
                mine = medians.get((m, model, s))
                ratios.append("-" if mine is None or paper is None else
                              f"{mine * scale / paper:.1f}")
            lines.append(f"| {m} | {model} | " + " | ".join(ratios) + " |")
    lines += ["", "## Skipped runs", ""]
    lines += [f"- {s['model']} m_X={s['n_features']} σ={_fmt_sigma(s['sigma'])}: {s['reason']}"
              for s in skipped] or ["- none"]
    lines += ["", "## Reproduction verdict", "",
              "Epochs RAES/RAESC need to reach the validation loss RAE has after its last "
              "epoch (speed-up = RAE's epochs / those epochs).", "",
              "| m_X | σ | model | RAE final valid loss | epochs to reach (of RAE's) | "
              "seconds to reach (RAE's total) | speed-up | outcome |",
              "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row['n_features']} | {_fmt_sigma(row['sigma'])} | {row['model']} | "
            f"{row['rae_final_loss']:.3g} | {_fmt(row['epochs_to_reach'])} "
            f"({row['rae_epochs']}) | {_fmt(row['seconds_to_reach'])} "
            f"({row['rae_seconds']:.3g}) | "
            f"{_fmt_speedup(row['epoch_speedup'])} | {row['outcome']} |")
    lines += ["", verdict_summary(rows), ""]
    return "\n".join(lines)


def write_csv(path, runs):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["model", "n_features", "sigma", "n_components", "epoch", "train_loss",
                         "valid_loss", "epoch_seconds", "elapsed_seconds"])
        for run in runs:
            elapsed = np.cumsum(run["epoch_seconds"])
            for epoch, values in enumerate(zip(run["train_loss"], run["valid_loss"],
                                               run["epoch_seconds"], elapsed), start=1):
                writer.writerow([run["model"], run["n_features"], run["sigma"],
                                 run["n_components"], epoch, *(f"{v:.6g}" for v in values)])


def plot(runs, args, out):
    """Loss vs epoch and vs time per m_X, one panel per sigma (the paper's Figs. 2-7)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install seqae[plot]): figures skipped")
        return []
    colours = {"RAE": "tab:blue", "RAES": "tab:orange", "RAESC": "tab:green"}
    written = []
    for m in sorted(args.features):
        for axis_kind in ("epoch", "time"):
            sigmas = sorted(args.sigmas)
            fig, axes = plt.subplots(1, len(sigmas), figsize=(4.2 * len(sigmas), 3.4),
                                     squeeze=False)
            for ax, sigma in zip(axes[0], sigmas):
                for run in runs:
                    if run["n_features"] != m or run["sigma"] != sigma:
                        continue
                    x = (np.arange(1, len(run["train_loss"]) + 1) if axis_kind == "epoch"
                         else np.cumsum(run["epoch_seconds"]))
                    colour = colours[run["model"]]
                    ax.plot(x, run["train_loss"], color=colour, label=f"{run['model']} loss")
                    ax.plot(x, run["valid_loss"], color=colour, linestyle="--",
                            label=f"{run['model']} val_loss")
                ax.set_yscale("log")
                ax.set_title(f"m_X={m}, σ={_fmt_sigma(sigma)}")
                ax.set_xlabel("epoch" if axis_kind == "epoch" else "time [s]")
                ax.set_ylabel("MSE loss")
                ax.grid(True, alpha=0.3)
                if ax.lines:
                    ax.legend(fontsize=7)
            fig.suptitle(f"Loss vs {axis_kind}, {args.n_samples} x {args.n_timesteps} x {m} "
                         f"({args.profile} profile)", fontsize=10)
            fig.tight_layout()
            path = out / f"loss_{axis_kind}_m{m}.png"
            fig.savefig(path, dpi=90)
            plt.close(fig)
            written.append(path)
    return written


def main(argv=None):
    args = parse_args(argv)
    threads = set_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    command = command_line(__file__, argv)
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    machine = machine_description(device)
    scaling = describe_scaling(args)
    print(f"# profile {args.profile}: {scaling}")
    print(f"# data: make_sine_sequences({args.n_samples}, {args.n_timesteps}, m_X), "
          f"{1 - VALIDATION_FRACTION:.0%}:{VALIDATION_FRACTION:.0%} split, batch {BATCH_SIZE}, "
          f"Adam, MSE, {args.epochs} epochs; models {args.models}")
    print(f"# machine: {machine}; {utc_now()}")

    runs, skipped = [], []
    started = time.perf_counter()
    for m in args.features:
        X = make_sine_sequences(args.n_samples, args.n_timesteps, m, random_state=args.seed)
        X = X.astype(np.float32)
        for sigma in args.sigmas:
            for model in args.models:
                record, reason = run_one(model, X, sigma, args)
                if record is None:
                    print(f"skip {model} m_X={m} sigma={sigma}: {reason}")
                    skipped.append({"model": model, "n_features": m, "sigma": sigma,
                                    "reason": reason})
                    continue
                runs.append(record)
                print(f"{model:5s} m_X={m} sigma={sigma:<4g} n_C={record['n_components']:<4d} "
                      f"median epoch {median(record['epoch_seconds']):.3f} s, loss "
                      f"{record['train_loss'][-1]:.4g}, val_loss {record['valid_loss'][-1]:.4g}"
                      f" ({time.perf_counter() - started:.0f} s so far)", flush=True)
    total = time.perf_counter() - started

    rows = verdict(runs)
    header = (f"# RAES paper reproduction: {args.profile} profile\n\n"
              f"- command: `{command}`\n- machine: {machine}\n- date: {utc_now()}\n"
              f"- setting: {scaling}; make_sine_sequences({args.n_samples}, "
              f"{args.n_timesteps}, m_X), 80:20 split, batch {BATCH_SIZE}, Adam (lr 1e-3), "
              f"MSE, {args.epochs} epochs, seed {args.seed}\n- total wall time: {total:.0f} s")
    (args.out / "table1.md").write_text(table1_markdown(runs, skipped, rows, args, header))
    write_csv(args.out / "results.csv", runs)
    result = {
        "profile": args.profile, "command": command, "machine": machine, "date": utc_now(),
        "threads": threads, "scaling": scaling, "total_seconds": total,
        "config": {"n_samples": args.n_samples, "n_timesteps": args.n_timesteps,
                   "epochs": args.epochs, "features": args.features, "sigmas": args.sigmas,
                   "models": args.models, "batch_size": BATCH_SIZE,
                   "validation_fraction": VALIDATION_FRACTION, "seed": args.seed,
                   "device": args.device},
        "runs": runs, "skipped": skipped, "verdict": rows, "verdict_summary":
            verdict_summary(rows),
    }
    (args.out / "results.json").write_text(json.dumps(result, indent=1))
    figures = [] if args.no_plots else plot(runs, args, args.out)
    print(f"# {len(runs)} runs, {len(skipped)} skipped, {total:.0f} s; wrote "
          f"{args.out}/table1.md, results.csv, results.json and {len(figures)} figures")
    print(verdict_summary(rows))
    return result


if __name__ == "__main__":
    main()
