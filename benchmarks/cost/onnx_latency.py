"""ONNX (onnxruntime) vs PyTorch: the encoder's max error and latency at batch 1 and 1000.

For each cell (GRU, LSTM) and direction (uni-, bidirectional), an RAESC model is trained
briefly, its encoder exported with ``seqae.export.export_onnx`` and run by onnxruntime
(CPU, one intra-op thread) next to the PyTorch module (``module.encode`` under
``torch.inference_mode``, one thread) on the same float32 inputs. Reported: the max
absolute difference of the codes over all inputs, and median latencies over ``--repeats``
calls, interleaved (ONNX, PyTorch, ONNX, ...).

Usage::

    OMP_NUM_THREADS=1 python benchmarks/cost/onnx_latency.py
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.report import machine_description, median, utc_now  # noqa: E402

from seqae import RAESCTransformer  # noqa: E402
from seqae.datasets import make_sine_sequences  # noqa: E402
from seqae.export import export_onnx  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--features", type=int, default=2)
    parser.add_argument("--n-components", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    import onnxruntime as ort

    torch.set_num_threads(1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    X = make_sine_sequences(1000, args.steps, args.features, random_state=0).astype(np.float32)
    print(f"ONNX vs PyTorch encoder, RAESC n_components={args.n_components} on {args.steps} x "
          f"{args.features} sequences; onnxruntime {ort.__version__}; {utc_now()}; "
          f"{machine_description('cpu')}; medians of {args.repeats} interleaved calls")
    print("| cell | bidirectional | n_C | max abs error | batch 1: ONNX / PyTorch [ms] "
          "| batch 1000: ONNX / PyTorch [ms] |")
    print("|---|---|---|---|---|---|")
    for cell in ("gru", "lstm"):
        for bidirectional in (False, True):
            ae = RAESCTransformer(n_components=args.n_components, cell=cell,
                                  bidirectional=bidirectional, max_epochs=2, device="cpu",
                                  random_state=0).fit(X)
            module = ae.net_.module_.eval()
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "encoder.onnx")
                export_onnx(ae, path)
                session = ort.InferenceSession(path, options,
                                               providers=["CPUExecutionProvider"])
            error, cells = 0.0, []
            for n in (1, 1000):
                x = X[:n]
                onnx_s, torch_s = [], []
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    got = session.run(["codes"], {"sequences": x})[0]
                    onnx_s.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    with torch.inference_mode():
                        expected = module.encode(torch.from_numpy(x)).numpy()
                    torch_s.append(time.perf_counter() - start)
                error = max(error, float(np.abs(got - expected).max()))
                cells.append(f"{1e3 * median(onnx_s):.2f} / {1e3 * median(torch_s):.2f}")
            print(f"| {cell} | {bidirectional} | {ae.n_components_} | {error:.1e} | "
                  f"{cells[0]} | {cells[1]} |", flush=True)


if __name__ == "__main__":
    main()
