"""CPU seconds of the default fit (pre-training + fine-tuning) at 500 sequences x 500 steps.

Issue 23's cost target (at most 60 s on one CPU thread): the classifier's default
autoencoder (``pretraining_autoencoder()``, ``RAESCTransformer(lr=3e-3)``) pre-trained on
500 noisy sines of 500 steps (two classes: 1 or 3 periods), then SequenceClassifier() with
its defaults fine-tuned on 10% and on all of the labels. Prints one JSON line per fit.

    OMP_NUM_THREADS=1 python benchmarks/cost/fit_cost.py
"""
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

from seqae import SequenceClassifier  # noqa: E402
from seqae.tasks._common import pretraining_autoencoder  # noqa: E402


def cpu(fn):
    """``(fn(), CPU seconds it took)``."""
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def main():
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    n = 500
    X, y = cost_sines(rng, n, 500)
    ae, pre = cpu(lambda: pretraining_autoencoder().set_params(random_state=0).fit(X))
    print(json.dumps({"pretrain_cpu_s": round(pre, 1), "max_epochs_": ae.max_epochs_,
                      "patch_size_": ae.patch_size_}), flush=True)
    for frac in (0.1, 1.0):
        yp = y.copy()
        if frac < 1:
            yp[rng.permutation(n)[int(frac * n):]] = -1
        clf, ft = cpu(lambda: SequenceClassifier(ae, random_state=0).fit(X, yp))
        print(json.dumps({"fraction": frac, "finetune_cpu_s": round(ft, 1),
                          "total_cpu_s": round(pre + ft, 1), "epochs": clf.n_epochs_,
                          "fine_tuned_": clf.fine_tuned_}), flush=True)


if __name__ == "__main__":
    main()
