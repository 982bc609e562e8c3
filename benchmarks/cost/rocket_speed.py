"""CPU seconds of MiniRocket's transform: seqae's torch layer against aeon's numba code.

500 noisy sines of 500 steps (``harness.data.cost_sines``, the cost target's data), one
thread. For each of ``--repeats`` rounds, interleaved: ``seqae.modules.MiniRocketFeatures``
fitted on the sequences and run over them in batches of 64 (what ``SequenceClassifier``
does in ``fit``), and aeon's ``MiniRocket`` ``fit_transform`` (after one warm-up call,
so that numba's compilation is not counted). Prints one JSON line per round and the medians
with their ratio, and the torch layer's milliseconds per sequence (what ``predict`` pays).

    OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python benchmarks/cost/rocket_speed.py
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
import harness  # noqa: E402,F401 (puts the checkout on sys.path)
from harness.data import cost_sines  # noqa: E402

from seqae.modules import MiniRocketFeatures  # noqa: E402


def cpu(fn):
    start = time.process_time()
    fn()
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    from aeon.transformations.collection.convolution_based import MiniRocket

    X, _ = cost_sines(np.random.default_rng(0), args.n, args.steps)
    X3 = X if X.ndim == 3 else X[:, :, None]
    inputs = torch.as_tensor(X3, dtype=torch.float32)
    channels_first = X3.transpose(0, 2, 1)
    MiniRocket(random_state=0).fit_transform(channels_first[:10])  # numba's compilation

    def seqae_layer():
        layer = MiniRocketFeatures(X3.shape[1], X3.shape[2]).fit(
            inputs, torch.Generator().manual_seed(0))
        layer.in_batches(inputs)

    rows = []
    for round_ in range(args.repeats):
        row = {"round": round_, "seqae_cpu_s": cpu(seqae_layer),
               "aeon_cpu_s": cpu(lambda: MiniRocket(random_state=0).fit_transform(
                   channels_first))}
        rows.append(row)
        print(json.dumps(row), flush=True)
    seqae_s = float(np.median([r["seqae_cpu_s"] for r in rows]))
    aeon_s = float(np.median([r["aeon_cpu_s"] for r in rows]))
    print(json.dumps({"n": args.n, "steps": args.steps, "seqae_median_cpu_s": round(seqae_s, 2),
                      "aeon_median_cpu_s": round(aeon_s, 2),
                      "ratio": round(seqae_s / aeon_s, 1),
                      "seqae_ms_per_sequence": round(1000 * seqae_s / args.n, 1)}))


if __name__ == "__main__":
    main()
