"""The port check of ``seqae.modules.MiniRocketFeatures`` (issue 23, session 14): on a few
unreported sets, aeon's MiniRocket + ridge (``harness.protocol.minirocket_accuracy``, seed 0)
and the torch layer (fitted on the training split with seed 0) + the same ridge, test
accuracy and CPU seconds (fit and transform of both splits).

    OMP_NUM_THREADS=1 python port_check.py BME Adiac FaceFour
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/: the harness
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.linear_model import RidgeClassifierCV  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.modules import MiniRocketFeatures  # noqa: E402

torch.set_num_threads(1)
for name in sys.argv[1:]:
    X_train, y_train, X_test, y_test = load_splits(name)
    start = time.process_time()
    aeon = minirocket_accuracy(X_train, y_train, X_test, y_test, 0)
    aeon_s = time.process_time() - start
    start = time.process_time()
    train = torch.as_tensor(X_train, dtype=torch.float32)
    layer = MiniRocketFeatures(X_train.shape[1], X_train.shape[2]).fit(
        train, torch.Generator().manual_seed(0))
    features = layer.in_batches(train).numpy()
    features_test = layer.in_batches(torch.as_tensor(X_test, dtype=torch.float32)).numpy()
    ours_s = time.process_time() - start
    ours = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)).fit(features, y_train).score(
        features_test, y_test)
    print(f"{name} {X_train.shape}: aeon {aeon:.3f} ({aeon_s:.1f} CPU s), "
          f"seqae's layer {ours:.3f} ({ours_s:.1f} CPU s)", flush=True)
