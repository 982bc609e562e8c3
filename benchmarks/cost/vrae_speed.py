"""Does a sequence-aware latent layout make the VRAE train faster? (RAES paper, Sec. 4)

The RAES paper's conclusion proposes laying the VRAE's latent sample out as a sequence for
the decoder. This script trains the plain VRAE (``bridge='zeros'``: the latent enters the
decoder through its initial state only) and the sequence-aware VRAEs (``bridge='reshape'``:
Eq. 1, ``'conv'``: Eq. 2) on the same sum-of-sines data, and measures how many epochs and
how many seconds of training each needs until the validation reconstruction MSE (decoded
from the posterior mean, on held-out sequences) first drops to ``--threshold``.

Runs are interleaved (for each seed, every model in turn) so that machine load drifts hit
all models alike; the table gives medians over seeds. Seconds are the sum of skorch's epoch
durations up to the epoch that reached the threshold (the validation MSE is computed after
the epoch timer stopped, so it is not counted). A run that never reaches the threshold
counts as not reached and is left out of the medians (the table says how many reached).

Usage::

    python benchmarks/cost/vrae_speed.py                 # small CPU defaults, < 3 minutes
    python benchmarks/cost/vrae_speed.py --n-samples 5000 --n-timesteps 200 --max-epochs 300
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import Callback

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
import harness  # noqa: E402,F401 (puts the checkout on sys.path)

from seqae import VRAETransformer  # noqa: E402
from seqae.datasets import make_sine_sequences  # noqa: E402


class ValidationMSE(Callback):
    """Records the reconstruction MSE of held-out sequences after every epoch."""

    def __init__(self, X_valid):
        self.X_valid = X_valid

    def on_epoch_end(self, net, **kwargs):
        module = net.module_
        was_training = module.training
        module.eval()
        with torch.inference_mode():
            X = torch.as_tensor(self.X_valid, dtype=torch.float32, device=net.device)
            mse = (module.reconstruct(X) - X).pow(2).mean().item()
        module.train(was_training)
        net.history.record("valid_mse", mse)


def time_to_threshold(history, threshold):
    """(epochs, seconds) until ``valid_mse <= threshold``, or None if never."""
    seconds = 0.0
    for epoch, row in enumerate(history, start=1):
        seconds += row["dur"]
        if row["valid_mse"] <= threshold:
            return epoch, seconds
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=500)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--n-features", type=int, default=1)
    parser.add_argument("--sigma", type=float, default=1.0,
                        help="latent size n_C = sigma * m_X * n_X (a multiple of n_X for Eq. 1)")
    parser.add_argument("--bridges", default="zeros,reshape,conv",
                        help="comma-separated VRAE bridges, e.g. zeros,reshape,conv")
    parser.add_argument("--beta", type=float, default=0.01,
                        help="KL weight (beta=1 collapses the posterior on this data)")
    parser.add_argument("--threshold", type=float, default=0.03,
                        help="validation reconstruction MSE to reach")
    parser.add_argument("--max-epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    X = make_sine_sequences(args.n_samples, args.n_timesteps, args.n_features,
                            frequency_range=(1.0, 4.0), random_state=0)
    n_train = int(0.8 * len(X))  # the paper's 80:20 split
    X_train, X_valid = X[:n_train], X[n_train:]
    bridges = args.bridges.split(",")
    results = {bridge: [] for bridge in bridges}
    final_mse = {bridge: [] for bridge in bridges}
    budget = {bridge: [] for bridge in bridges}  # seconds of all max_epochs
    start = time.perf_counter()
    for seed in range(args.repeats):
        for bridge in bridges:  # interleaved
            vrae = VRAETransformer(
                sigma=args.sigma, beta=args.beta, bridge=bridge, max_epochs=args.max_epochs,
                batch_size=100, lr=args.lr, random_state=seed, device=args.device,
                callbacks=[("valid_mse", ValidationMSE(X_valid))],
            ).fit(X_train)
            results[bridge].append(time_to_threshold(vrae.net_.history, args.threshold))
            budget[bridge].append(sum(vrae.net_.history[:, "dur"]))
            final_mse[bridge].append(vrae.net_.history[-1, "valid_mse"])
    total = time.perf_counter() - start

    print(f"VRAE training speed on make_sine_sequences({args.n_samples}, {args.n_timesteps}, "
          f"{args.n_features}), sigma={args.sigma} (n_C={vrae.n_components_}), "
          f"beta={args.beta}, lr={args.lr}, batch 100, {args.repeats} interleaved seeds, "
          f"device={args.device}, torch threads={args.threads}")
    print(f"time to validation reconstruction MSE <= {args.threshold} "
          f"(max {args.max_epochs} epochs); medians over the runs that reached it, "
          f"'>' = not reached (lower bound: the whole budget)\n")
    print("| bridge | decoder input | reached | median epochs | median seconds | "
          "median final MSE |")
    print("|---|---|---|---|---|---|")
    layouts = {"zeros": "zeros (n_X, 1)", "repeat": "z repeated (n_X, n_C)",
               "reshape": "Eq. 1 (n_X, lambda)", "stretch": "stretched (n_X, ceil(lambda))",
               "conv": "Eq. 2 (n_X, n_C)"}
    medians = {}
    for bridge in bridges:
        reached = [r for r in results[bridge] if r is not None]
        if reached:
            epochs = f"{np.median([r[0] for r in reached]):g}"
            medians[bridge] = (np.median([r[1] for r in reached]), "")
        else:
            epochs = f"> {args.max_epochs}"
            medians[bridge] = (np.median(budget[bridge]), "> ")
        seconds, bound = medians[bridge]
        print(f"| {bridge} | {layouts.get(bridge, '')} | {len(reached)}/{args.repeats} | "
              f"{epochs} | {bound}{seconds:.2f} | {np.median(final_mse[bridge]):.4f} |")
    if "zeros" in medians:
        base, base_bound = medians["zeros"]
        for bridge in bridges:
            if bridge == "zeros":
                continue
            seconds, bound = medians[bridge]
            if bound:
                print(f"\nspeed-up {bridge} vs zeros: undefined ({bridge} did not reach it)")
                continue
            qualifier = ">= " if base_bound else ""
            print(f"\nspeed-up {bridge} vs zeros (median seconds): {qualifier}"
                  f"{base / seconds:.2f}x")
    print(f"\ntotal wall time {total:.0f} s")


if __name__ == "__main__":
    main()
