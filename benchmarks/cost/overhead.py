"""seqae's overhead over hand-written PyTorch: training epochs and ``transform`` throughput.

A: the seqae estimator (``fit``: skorch's loop, seqae's net and batches).
B: the same module class with the same sizes, the same data, Adam and MSE, trained by a minimal
   hand-written loop (shuffle, slice, forward, loss, backward, step, ``loss.item()``).

The two run interleaved (A, B, A, B, ...) in one process so that a busy machine slows both
alike; the figure of merit is the ratio of the median epoch times (target: <= 1.05 on CPU).
The first epoch of every run is a warm-up and is left out of the medians. ``transform`` is
compared the same way with a plain ``torch.no_grad()`` forward of the encoder over batches
of the same size (target: >= 0.95 of its sequences per second).

    python benchmarks/cost/overhead.py --help
    python benchmarks/cost/overhead.py --threads 1
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.models import PAPER_MODELS as MODELS  # noqa: E402
from harness.report import machine_description, median, set_threads, utc_now  # noqa: E402
from harness.speed import plain_loop  # noqa: E402

from seqae.datasets import make_sine_sequences  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(MODELS), default="RAE")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--n-features", type=int, default=2)
    parser.add_argument("--sigma", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=4, help="epochs per run (first dropped)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved A/B rounds")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own default)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cprofile", action="store_true",
                        help="only profile one seqae fit with cProfile (where an epoch's "
                             "time goes) and print the top functions")
    return parser.parse_args(argv)


def profile_fit(estimator, X, n_lines=15):
    """cProfile one ``fit``; print the functions with the most time spent in themselves."""
    import cProfile
    import pstats

    estimator.fit(X)  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    estimator.fit(X)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    print(f"# cProfile of one fit ({total:.2f} s); top functions by own time:")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
    for (filename, line, name), (_, calls, own, _, _) in rows[:n_lines]:
        where = name if filename == "~" else f"{filename.split('site-packages/')[-1]}:{line} {name}"
        print(f"{own:8.3f} s {100 * own / total:5.1f}%  {calls:6d} calls  {where}")


def plain_encode(module, X, batch_size):
    """``torch.no_grad()`` encoder forward over batches of ``batch_size``."""
    module.eval()
    with torch.no_grad():
        tensor = torch.from_numpy(X).to(next(module.parameters()).device)
        codes = [module.encode(tensor[begin:begin + batch_size])
                 for begin in range(0, len(tensor), batch_size)]
        return torch.cat(codes).cpu().numpy()


def main(argv=None):
    args = parse_args(argv)
    threads = set_threads(args.threads)
    X = make_sine_sequences(args.n_samples, args.n_timesteps, args.n_features,
                            random_state=args.seed).astype(np.float32)
    estimator = MODELS[args.model](sigma=args.sigma, max_epochs=args.epochs,
                                   batch_size=args.batch_size, device=args.device,
                                   random_state=args.seed)
    print(f"# seqae overhead: {args.model} sigma={args.sigma} on X{X.shape}, batch "
          f"{args.batch_size}, {args.epochs} epochs x {args.rounds} interleaved rounds")
    print(f"# machine: {machine_description(args.device)}; {utc_now()}")

    if args.cprofile:
        profile_fit(estimator, X)
        return {}

    seqae_epochs, plain_epochs, seqae_fit, plain_fit = [], [], [], []
    for round_ in range(args.rounds):
        start = time.perf_counter()
        estimator.fit(X)
        seqae_fit.append(time.perf_counter() - start)
        seqae_epochs += estimator.net_.history[1:, "dur"]

        net = estimator.net_
        torch.manual_seed(args.seed + round_)
        module = type(net.module_)(**net.get_params_for("module")).to(net.device)
        tensor = torch.from_numpy(X).to(net.device)
        start = time.perf_counter()
        plain_epochs += plain_loop(module, tensor, args.epochs, args.batch_size,
                                   estimator.lr, args.seed)[1:]
        plain_fit.append(time.perf_counter() - start)

    epoch_ratio = median(seqae_epochs) / median(plain_epochs)
    print(f"training: median epoch seqae {median(seqae_epochs):.4f} s, plain loop "
          f"{median(plain_epochs):.4f} s, ratio {epoch_ratio:.3f} (target <= 1.05)")
    print(f"training: median whole fit seqae {median(seqae_fit):.3f} s, plain loop "
          f"{median(plain_fit):.3f} s, ratio {median(seqae_fit) / median(plain_fit):.3f} "
          "(includes seqae's setup: validation, net initialisation)")

    seqae_rate, plain_rate = [], []
    for _ in range(args.rounds):
        for _ in range(3):
            start = time.perf_counter()
            codes = estimator.transform(X)
            seqae_rate.append(len(X) / (time.perf_counter() - start))
            start = time.perf_counter()
            reference = plain_encode(estimator.net_.module_, X, args.batch_size)
            plain_rate.append(len(X) / (time.perf_counter() - start))
    np.testing.assert_allclose(codes, reference, rtol=1e-4, atol=1e-5)
    rate_ratio = median(seqae_rate) / median(plain_rate)
    print(f"transform: median seqae {median(seqae_rate):.0f} seq/s, plain no_grad encoder "
          f"{median(plain_rate):.0f} seq/s, ratio {rate_ratio:.3f} (target >= 0.95)")
    return {"epoch_ratio": epoch_ratio, "transform_ratio": rate_ratio, "threads": threads}


if __name__ == "__main__":
    main()
