"""Peak memory of training (and encoding) on many short sequences and on one long sequence.

Each scenario runs in a fresh subprocess and reports its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``): once after importing seqae and building the
data (the baseline) and once after ``fit`` + ``transform``. Their difference is what training
and encoding added on top of the data. Training streams mini-batches (``TensorBatches``
slices one in-memory tensor; ``transform`` runs batch by batch), so the added memory should not
grow with the number of sequences: compare n = 1 000 with n = 100 000. For one long sequence
the backward pass through time does keep every step's activations of that one sequence, so it
grows with its length: compare 1 000 with 10 000 steps.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/memory.py            # all scenarios
    OMP_NUM_THREADS=1 python benchmarks/memory.py --epochs 2 # more passes

Prints one line per scenario: data size, baseline and peak RSS, the difference, time.
"""

import argparse
import json
import os
import subprocess
import sys
import time

SCENARIOS = {
    # name: (n_sequences, n_timesteps, n_features, estimator parameters)
    "short-1k": (1_000, 20, 1, {"sigma": 0.5, "batch_size": 100}),
    "short-100k": (100_000, 20, 1, {"sigma": 0.5, "batch_size": 100}),
    "long-1k-steps": (1, 1_000, 1, {"n_components": 16, "batch_size": 1}),
    "long-10k-steps": (1, 10_000, 1, {"n_components": 16, "batch_size": 1}),
}


def _max_rss_mib():
    import resource

    # Linux reports KiB, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def run_child(name, epochs):
    import numpy as np
    import torch

    from seqae import RAETransformer

    torch.set_num_threads(1)
    n, t, m, params = SCENARIOS[name]
    X = np.random.default_rng(0).standard_normal((n, t, m)).astype(np.float32)
    baseline = _max_rss_mib()
    start = time.perf_counter()
    ae = RAETransformer(max_epochs=epochs, device="cpu", random_state=0, **params).fit(X)
    codes = ae.transform(X)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "scenario": name, "shape": [n, t, m], "data_mib": X.nbytes / 2**20,
        "baseline_mib": baseline, "peak_mib": _max_rss_mib(), "seconds": seconds,
        "n_components": ae.n_components_, "codes": list(codes.shape),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append",
                        help="run only these (default: all)")
    parser.add_argument("--child", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.epochs)
        return
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    print(f"seqae memory benchmark: RAETransformer, {args.epochs} epoch(s), CPU, "
          "peak RSS per fresh process")
    print(f"{'scenario':<16}{'n x T x m':>20}{'data MiB':>10}{'base MiB':>10}"
          f"{'peak MiB':>10}{'added MiB':>11}{'fit+transform s':>17}")
    for name in args.scenario or SCENARIOS:
        out = subprocess.run([sys.executable, __file__, "--child", name, "--epochs",
                              str(args.epochs)], env=env, capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        shape = " x ".join(str(s) for s in r["shape"])
        print(f"{name:<16}{shape:>20}{r['data_mib']:>10.1f}{r['baseline_mib']:>10.1f}"
              f"{r['peak_mib']:>10.1f}{r['peak_mib'] - r['baseline_mib']:>11.1f}"
              f"{r['seconds']:>17.1f}")


if __name__ == "__main__":
    main()
