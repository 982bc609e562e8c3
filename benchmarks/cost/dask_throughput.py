"""Throughput of ``seqae.dask.transform`` on a ``distributed.LocalCluster``: 1 vs 2 workers.

Both clusters (worker processes with one thread each, loopback TCP) are started first, then
the same dask array of sequences is encoded on them alternately (A, B, A, B, ...), and the
median sequences per second of each are reported with their ratio. The array is generated
blockwise on the workers (random normal, seeded per block), so only the codes travel.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/cost/dask_throughput.py
    OMP_NUM_THREADS=1 python benchmarks/cost/dask_throughput.py --rows 400000 --chunk 20000 \\
        --rounds 5
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.report import machine_description, median, utc_now  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by the worker processes

    import dask.array as da
    import distributed
    import numpy as np
    import torch

    import seqae.dask
    from seqae import RAETransformer

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    train = rng.standard_normal((5000, args.steps, 1)).astype(np.float32)
    ae = RAETransformer(n_components=4, max_epochs=1, batch_size=args.batch_size,
                        device="cpu", random_state=0).fit(train)
    X = da.random.default_rng(0).standard_normal((args.rows, args.steps, 1),
                                                 chunks=(args.chunk, args.steps, 1),
                                                 dtype=np.float32)
    codes = seqae.dask.transform(ae, X)
    print(f"seqae.dask.transform throughput: RAETransformer(n_components=4, batch_size="
          f"{args.batch_size}) on {args.rows} x {args.steps} x 1 float32 in chunks of "
          f"{args.chunk}; LocalCluster worker processes, 1 thread each; {args.rounds} "
          f"interleaved rounds; {utc_now()}; {machine_description('cpu')}; "
          f"{os.cpu_count()} CPUs visible")
    clusters = {}
    for n_workers in (1, 2):
        cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1,
                                           processes=True, protocol="tcp", host="127.0.0.1",
                                           dashboard_address=None)
        clusters[n_workers] = (cluster, distributed.Client(cluster, set_as_default=False))
    try:
        for _, client in clusters.values():  # warm-up: import torch, receive the model
            client.compute(seqae.dask.transform(ae, X[:2 * args.chunk]), sync=True)
        seconds = {n: [] for n in clusters}
        for _ in range(args.rounds):
            for n_workers, (_, client) in clusters.items():
                start = time.perf_counter()
                result = client.compute(codes, sync=True)
                seconds[n_workers].append(time.perf_counter() - start)
                assert result.shape == (args.rows, ae.n_components_)
        rates = {n: args.rows / median(s) for n, s in seconds.items()}
        for n_workers, rate in rates.items():
            print(f"{n_workers} worker(s): median {median(seconds[n_workers]):.2f} s, "
                  f"{rate:,.0f} sequences/s  (all: "
                  f"{', '.join(f'{s:.2f}' for s in seconds[n_workers])} s)")
        print(f"2 workers / 1 worker throughput: {rates[2] / rates[1]:.2f}x")
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()


if __name__ == "__main__":
    main()
