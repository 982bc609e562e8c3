"""Peak memory of training (and encoding) on many short sequences and on one long sequence.

Each scenario runs in a fresh subprocess and reports its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``): once after importing seqae and building the
data (the baseline) and once after ``fit`` + ``transform``. Their difference is what training
and encoding added on top of the data. Training streams mini-batches (``TensorBatches``
slices one in-memory tensor; ``transform`` runs batch by batch), so the added memory should not
grow with the number of sequences: compare n = 1 000 with n = 100 000. For one long sequence
the backward pass through time does keep every step's activations of that one sequence, so it
grows with its length: compare 1 000 with 10 000 steps.

Out of core (``--memmap``): ``fit(max_epochs=1)`` + ``transform`` on a ``numpy.memmap`` of
N x 25 x 1 float32 written under ``/tmp`` (and deleted afterwards), N = 2 000 000 and
20 000 000 by default. A memory map's pages are file pages, so the figure is the *anonymous*
memory (``RssAnon`` of ``/proc/self/status``, Linux only), sampled every 2 ms by a thread
during ``fit`` and during ``transform`` (a sampled peak can miss a spike shorter than that).
``transform`` returns the codes as one in-memory array (N x n_C float32), so its peak is also
shown minus the codes' size; the last column is the peak of the out-of-core alternative that
keeps no codes in memory: ``seqae.dask.transform`` of ``da.from_array(memmap)`` stored into
an output memmap with ``dask.array.store`` (synchronous scheduler). ``--fit-rows K`` fits on
the first K rows only (to measure the transforms of a large N without its long ``fit``).

Usage::

    OMP_NUM_THREADS=1 python benchmarks/cost/memory.py            # all in-memory scenarios
    OMP_NUM_THREADS=1 python benchmarks/cost/memory.py --epochs 2 # more passes
    OMP_NUM_THREADS=1 python benchmarks/cost/memory.py --memmap   # the out-of-core scenarios
    OMP_NUM_THREADS=1 python benchmarks/cost/memory.py --memmap --rows 2000000

Prints one line per scenario: data size, baseline and peak memory, the difference, time.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness import ROOT  # noqa: E402 (puts the checkout on sys.path)

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


def _rss_anon_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no RssAnon in /proc/self/status (Linux only)")


class _PeakSampler:
    """Sample RssAnon in a thread while the ``with`` block runs; ``peak`` in MiB."""

    def __init__(self, interval=0.002):
        import threading

        self.interval, self.peak = interval, _rss_anon_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, _rss_anon_mib())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_anon_mib())


MEMMAP_STEPS, MEMMAP_COMPONENTS = 25, 4


def write_memmap(path, n_rows, chunk=500_000):
    """Noisy sines, N x 25 x 1 float32, written chunk by chunk (never all in memory)."""
    import numpy as np

    X = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                  shape=(n_rows, MEMMAP_STEPS, 1))
    rng = np.random.default_rng(0)
    t = np.arange(MEMMAP_STEPS, dtype=np.float32)
    for start in range(0, n_rows, chunk):
        n = min(chunk, n_rows - start)
        freq, phase = rng.uniform(0.1, 0.5, (n, 1)), rng.uniform(0, 6.3, (n, 1))
        X[start:start + n, :, 0] = np.sin(freq * t + phase) + 0.1 * rng.standard_normal(
            (n, MEMMAP_STEPS))
    X.flush()


def run_memmap_child(path, batch_size, fit_rows):
    import dask
    import dask.array as da
    import numpy as np
    import torch

    import seqae.dask
    from seqae import RAETransformer

    torch.set_num_threads(1)
    X = np.load(path, mmap_mode="r")
    ae = RAETransformer(n_components=MEMMAP_COMPONENTS, max_epochs=1, batch_size=batch_size,
                        device="cpu", random_state=0)
    baseline = _rss_anon_mib()
    start = time.perf_counter()
    with _PeakSampler() as during_fit:
        ae.fit(X if fit_rows is None else X[:fit_rows])
    fitted = time.perf_counter()
    with _PeakSampler() as during_transform:
        codes = ae.transform(X)
    done = time.perf_counter()
    codes_mib = codes.nbytes / 2**20
    del codes
    out = np.lib.format.open_memmap(path + ".codes.npy", mode="w+", dtype=np.float32,
                                    shape=(len(X), ae.n_components_))
    lazy = seqae.dask.transform(ae, da.from_array(X, chunks=(50 * batch_size, *X.shape[1:])))
    with _PeakSampler() as during_store, dask.config.set(scheduler="synchronous"):
        da.store(lazy, out)
    stored = time.perf_counter()
    print(json.dumps({
        "shape": list(X.shape), "data_mib": X.size * 4 / 2**20, "fit_rows": fit_rows,
        "codes_mib": codes_mib, "baseline_mib": baseline,
        "fit_peak_mib": during_fit.peak, "transform_peak_mib": during_transform.peak,
        "store_peak_mib": during_store.peak, "fit_s": fitted - start,
        "transform_s": done - fitted, "store_s": stored - done,
        "train_loss": float(ae.net_.history[-1, "train_loss"]),
    }))


def main_memmap(args, env):
    import tempfile

    print(f"seqae out-of-core memory: RAETransformer(n_components={MEMMAP_COMPONENTS}, "
          f"batch_size={args.batch_size}), fit(max_epochs=1) + transform on a numpy.memmap "
          "of N x 25 x 1 float32; anonymous memory (RssAnon) per fresh process, MiB")
    if args.fit_rows:
        print(f"(fit on the first {args.fit_rows} rows only)")
    print(f"{'N':>11}{'data':>9}{'codes':>8}{'base':>8}{'fit peak':>10}{'+fit':>8}"
          f"{'tr. peak':>10}{'+tr.':>8}{'+tr.-codes':>12}{'+dask store':>13}{'fit s':>8}"
          f"{'tr. s':>8}{'store s':>9}")
    for n_rows in args.rows:
        with tempfile.TemporaryDirectory(dir="/tmp", prefix="seqae-memmap-") as tmp:
            path = os.path.join(tmp, "X.npy")
            subprocess.run([sys.executable, __file__, "--write-memmap", path, "--rows",
                            str(n_rows)], env=env, check=True)
            out = subprocess.run([sys.executable, __file__, "--memmap-child", path,
                                  "--batch-size", str(args.batch_size)]
                                 + (["--fit-rows", str(args.fit_rows)] if args.fit_rows
                                    else []), env=env, capture_output=True, text=True,
                                 check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        base = r["baseline_mib"]
        print(f"{n_rows:>11}{r['data_mib']:>9.0f}{r['codes_mib']:>8.1f}{base:>8.1f}"
              f"{r['fit_peak_mib']:>10.1f}{r['fit_peak_mib'] - base:>8.1f}"
              f"{r['transform_peak_mib']:>10.1f}{r['transform_peak_mib'] - base:>8.1f}"
              f"{r['transform_peak_mib'] - base - r['codes_mib']:>12.1f}"
              f"{r['store_peak_mib'] - base:>13.1f}"
              f"{r['fit_s']:>8.0f}{r['transform_s']:>8.0f}{r['store_s']:>9.0f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memmap", action="store_true",
                        help="the out-of-core scenarios (numpy.memmap under /tmp)")
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000_000, 20_000_000],
                        help="memmap sizes N (with --memmap)")
    parser.add_argument("--batch-size", type=int, default=1000, help="with --memmap")
    parser.add_argument("--fit-rows", type=int, help="with --memmap: fit on these first rows")
    parser.add_argument("--write-memmap", help=argparse.SUPPRESS)
    parser.add_argument("--memmap-child", help=argparse.SUPPRESS)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append",
                        help="run only these (default: all)")
    parser.add_argument("--child", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.epochs)
        return
    if args.write_memmap:
        write_memmap(args.write_memmap, args.rows[0])
        return
    if args.memmap_child:
        run_memmap_child(args.memmap_child, args.batch_size, args.fit_rows)
        return
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if args.memmap:
        main_memmap(args, env)
        return
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
