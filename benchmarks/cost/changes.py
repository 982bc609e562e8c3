"""Before/after figures of seqae's speed changes, measured interleaved in one process.

Each change can be switched off at run time, so "before" and "after" run alternately
(before, after, before, after, ...) on the same data with the same seeds, and a busy machine
slows both alike. Reported: median epoch seconds (skorch's history, first epoch of each fit
dropped as warm-up) and the ratio after / before (< 1 is faster).

Changes:

  repeat   RAE's decoder reads the context repeated at every step; on the CPU seqae now
           projects it through the GRU's input weights once per sequence instead of at
           every step (``seqae.modules.rnn._run_repeated_input``). "before" routes the
           repeated view through ``nn.GRU`` as it did.
  threads  torch intra-op threads: 1 ("after") against 2 ("before"). Not a library change
           (seqae does not set threads); it tells which setting to run with.

    python benchmarks/cost/changes.py --help
    python benchmarks/cost/changes.py --change repeat --features 1 8 --sigma 0.25 1.0
"""

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.models import PAPER_MODELS as MODELS  # noqa: E402
from harness.report import machine_description, median, utc_now  # noqa: E402

from seqae.datasets import make_sine_sequences  # noqa: E402
from seqae.modules import rnn  # noqa: E402


@contextmanager
def _repeat(enabled):
    original = rnn._steps_repeated_input
    if not enabled:
        rnn._steps_repeated_input = lambda module, device: False
    try:
        yield
    finally:
        rnn._steps_repeated_input = original


@contextmanager
def _threads(enabled):
    original = torch.get_num_threads()
    torch.set_num_threads(1 if enabled else 2)
    try:
        yield
    finally:
        torch.set_num_threads(original)


CHANGES = {"repeat": _repeat, "threads": _threads}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--change", choices=sorted(CHANGES), default="repeat")
    parser.add_argument("--model", choices=sorted(MODELS), default="RAE")
    parser.add_argument("--features", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--n-samples", type=int, default=500)
    parser.add_argument("--n-timesteps", type=int, default=40)
    parser.add_argument("--epochs", type=int, default=3, help="epochs per fit (first dropped)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved before/after rounds")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads for changes other than 'threads'")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    toggle = CHANGES[args.change]
    print(f"# change '{args.change}': {args.model} on make_sine_sequences({args.n_samples}, "
          f"{args.n_timesteps}, m_X), batch 100, {args.epochs} epochs x {args.rounds} "
          f"interleaved rounds")
    print(f"# machine: {machine_description('cpu')}; {utc_now()}")
    print("| m_X | sigma | n_C | before [s/epoch] | after [s/epoch] | after / before |")
    print("|---|---|---|---|---|---|")
    results = []
    for m in args.features:
        X = make_sine_sequences(args.n_samples, args.n_timesteps, m,
                                random_state=args.seed).astype(np.float32)
        for sigma in args.sigmas:
            estimator = MODELS[args.model](sigma=sigma, max_epochs=args.epochs, device="cpu",
                                           random_state=args.seed)
            seconds = {False: [], True: []}
            for _ in range(args.rounds):
                for enabled in (False, True):
                    with toggle(enabled):
                        estimator.fit(X)
                    seconds[enabled] += estimator.net_.history[1:, "dur"]
            before, after = median(seconds[False]), median(seconds[True])
            results.append({"n_features": m, "sigma": sigma, "before": before,
                            "after": after, "ratio": after / before})
            print(f"| {m} | {sigma:g} | {estimator.n_components_} | {before:.3f} | "
                  f"{after:.3f} | {after / before:.2f} |", flush=True)
    return results


if __name__ == "__main__":
    main()
