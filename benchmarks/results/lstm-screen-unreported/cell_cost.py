"""The cost measurements behind the LSTM screen's pre-registration (issue 23), one thread.

    OMP_NUM_THREADS=1 python cell_cost.py rnn            # one layer, forward + backward
    OMP_NUM_THREADS=1 python cell_cost.py fit lstm gru   # the default pre-training, 500 x 500

``rnn``: ``nn.GRU`` and ``nn.LSTM`` of 8 inputs and 96 units on a batch of 48 x 63 steps (the
default's frames at 500 x 500), with oneDNN on and off, milliseconds per forward + backward
(the mean of 50 after a first round of 50). ``fit``: ``RAESCTransformer(random_state=0,
cell=...)`` fitted on ``harness.data.cost_sines`` (seed 0, 500 x 500), CPU seconds.
"""
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/: the harness
import harness  # noqa: E402,F401 (puts the checkout on sys.path)
from harness.data import cost_sines  # noqa: E402

from seqae import RAESCTransformer  # noqa: E402


def rnn():
    for name, cls in (("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM)):
        for mkldnn in (True, False):
            torch.backends.mkldnn.enabled = mkldnn
            module, x = cls(8, 96, batch_first=True), torch.randn(48, 63, 8)
            for _ in range(2):  # the second round is timed
                start = time.process_time()
                for _ in range(50):
                    out, _ = module(x)
                    out.sum().backward()
                seconds = time.process_time() - start
            print(json.dumps({"cell": name, "mkldnn": mkldnn,
                              "fwd_bwd_ms": round(seconds / 50 * 1000, 2)}), flush=True)


def fit(cells):
    warnings.simplefilter("ignore")
    X, _ = cost_sines(np.random.default_rng(0))
    for cell in cells:
        start = time.process_time()
        model = RAESCTransformer(random_state=0, cell=cell).fit(X)
        print(json.dumps({"cell": cell, "pretrain_cpu_s": round(time.process_time() - start, 1),
                          "epochs": model.max_epochs_, "patch": model.patch_size_}),
              flush=True)


if __name__ == "__main__":
    torch.set_num_threads(1)
    rnn() if sys.argv[1] == "rnn" else fit(sys.argv[2:])
