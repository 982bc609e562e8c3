"""
======================================================================
Anomalies in one long series: InternalBleeding16 (UCR anomaly archive)
======================================================================

:class:`~seqae.anomaly.AutoencoderAnomalyDetector` turns any seqae autoencoder into a
series anomaly detector: it cuts the series into sliding windows (by default as long as
the series' dominant period), trains the autoencoder on the windows of a normal stretch,
and gives every time point the mean score of the windows that cover it (by default a
robust z-score of the reconstruction error and of the distance to the nearest training
code, averaged).
The series here is KDD-TSAD_135 (the UCR anomaly archive's InternalBleeding16), which
aeon ships with a clean training part and a labelled test part.
"""

# %%
# The data
# --------
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_kdd_tsad_135
from sklearn.metrics import average_precision_score, roc_auc_score

from seqae import RAESCTransformer
from seqae.anomaly import AutoencoderAnomalyDetector, dominant_period

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

train, _ = load_kdd_tsad_135(split="train")
test, labels = load_kdd_tsad_135(split="test")
print(f"training part {train.shape}, test part {test.shape}, "
      f"{labels.sum()} anomalous points; "
      f"dominant period {dominant_period(train)} steps")

# %%
# Fit on the clean part, score the test part
# ------------------------------------------
# The default autoencoder is a small RAESC trained for about 300 optimizer steps (for
# the documentation's fast build, a tinier one trained for two epochs stands in).
ae = RAESCTransformer(n_components=8, max_epochs=2, lr=5e-3) if FAST else None
detector = AutoencoderAnomalyDetector(ae, stride=4 if FAST else 1, random_state=0)
scores = detector.fit(train).predict(test)
print(f"window {detector.window_size_} steps; one score per point: {scores.shape}")
print(f"ROC-AUC {roc_auc_score(labels, scores):.3f}, "
      f"PR-AUC {average_precision_score(labels, scores):.3f}; "
      f"highest score at t={np.argmax(scores)}, labelled anomaly at "
      f"t={np.flatnonzero(labels)[0]}-{np.flatnonzero(labels)[-1]}")

# %%
# The score under the signal
# --------------------------
# :func:`~seqae.plotting.plot_anomalies` draws the series above its scores, the
# threshold that :meth:`~seqae.anomaly.AutoencoderAnomalyDetector.predict_labels` uses,
# the ranges it flags (shaded) and the labelled anomaly (the black mark). The window the
# detector chose, and why, is in ``window_reason_``.
from seqae.plotting import plot_anomalies  # noqa: E402

print(detector.window_reason_)
plot_anomalies(detector, test, scores=scores, labels=labels)
plt.show()
