"""What ``RowwiseLinear`` in training costs: before (row-wise in every step) and after (row-wise
in evaluation only, ``F.linear`` in training), A/B interleaved in one process.

``RowwiseLinear`` (seqae.modules) makes a sequence's code independent of the other sequences
in its batch. That guarantee is for inference (``transform``); since issue 15 the layer is
``F.linear`` in training mode, with the same weights. "before" here puts the row-wise
computation back into training mode (the layer's old ``forward``) for the A side of each
pair; the B side is the layer as it is now.

1. Microbenchmark: forward + backward of one layer at a batch of 100 (128 -> 64 and
   800 -> 400 features), ``--repeats`` interleaved pairs, median milliseconds.
2. Whole epochs: ``fit`` on sum-of-sines sequences (``--n-samples`` x ``--n-timesteps`` x 1,
   ``sigma=1.0``, batch 100) for the default RAESC and for the paper's setting
   (``readout='last', contrastive=0, patch_size=1``), ``--rounds`` interleaved before/after
   pairs of ``--epochs`` epochs; the median epoch seconds (first epoch of each fit dropped).

    python benchmarks/cost/rowwise.py --threads 1
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.report import machine_description, median, set_threads, utc_now  # noqa: E402
from harness.speed import rowwise_in_training  # noqa: E402

from seqae import RAESCTransformer  # noqa: E402
from seqae.datasets import make_sine_sequences  # noqa: E402
from seqae.modules import RowwiseLinear  # noqa: E402

SETTINGS = {
    "default RAESC": {},
    "paper RAESC": {"readout": "last", "contrastive": 0.0, "patch_size": 1},
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30, help="microbenchmark pairs")
    parser.add_argument("--n-samples", type=int, default=1600)
    parser.add_argument("--n-timesteps", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=4, help="epochs per fit (first dropped)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved fit pairs")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def _step_ms(layer, x):
    start = time.perf_counter()
    layer(x).sum().backward()
    return 1000 * (time.perf_counter() - start)


def microbenchmark(sizes, repeats, seed):
    rows = []
    for n_in, n_out in sizes:
        torch.manual_seed(seed)
        layer = RowwiseLinear(n_in, n_out).train()
        x = torch.randn(100, n_in, requires_grad=True)
        before, after = [], []
        for _ in range(2):  # warm-up
            with rowwise_in_training():
                _step_ms(layer, x)
            _step_ms(layer, x)
        for _ in range(repeats):
            with rowwise_in_training():
                before.append(_step_ms(layer, x))
            after.append(_step_ms(layer, x))
        rows.append((f"{n_in} -> {n_out}", median(before), median(after)))
        print(f"forward+backward, batch 100, {n_in} -> {n_out}: before {median(before):.3f} ms,"
              f" after {median(after):.3f} ms, ratio {median(before) / median(after):.1f}x",
              flush=True)
    return rows


def epochs(X, args):
    rows = []
    for name, params in SETTINGS.items():
        before, after = [], []
        for round_ in range(args.rounds):
            for side, times in (("before", before), ("after", after)):
                estimator = RAESCTransformer(sigma=1.0, batch_size=100, max_epochs=args.epochs,
                                             lr=1e-3, random_state=args.seed + round_, **params)
                if side == "before":
                    with rowwise_in_training():
                        estimator.fit(X)
                else:
                    estimator.fit(X)
                times += estimator.net_.history[1:, "dur"]
        has_rowwise = any(isinstance(m, RowwiseLinear) for m in estimator.net_.module_.modules())
        rows.append((name, median(before), median(after), has_rowwise))
        print(f"epoch, {name} (RowwiseLinear in the model: {has_rowwise}): before "
              f"{median(before):.3f} s, after {median(after):.3f} s, ratio "
              f"{median(before) / median(after):.2f}x", flush=True)
    return rows


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    print(f"# RowwiseLinear before/after; {utc_now()}; {machine_description('cpu')}")
    micro = microbenchmark([(128, 64), (800, 400)], args.repeats, args.seed)
    X = make_sine_sequences(args.n_samples, args.n_timesteps, 1,
                            random_state=args.seed).astype(np.float32)
    print(f"# epochs: X{X.shape}, sigma=1.0, batch 100, {args.epochs} epochs x "
          f"{args.rounds} interleaved rounds")
    return {"micro": micro, "epochs": epochs(X, args)}


if __name__ == "__main__":
    main()
