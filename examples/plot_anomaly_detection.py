"""
==============================================================
ItalyPowerDemand: anomaly detection by reconstruction error
==============================================================

An autoencoder trained on one kind of sequence reconstructs that kind well and others
worse. :meth:`~seqae.RAESCTransformer.score_samples` returns the negative reconstruction
error of each sequence (higher is more normal, as for scikit-learn's outlier detectors),
so it can rank sequences by how unusual they are. Here the model sees only one class
during training and the other class plays the anomalies; ROC AUC measures the ranking.
"""

# %%
# The data
# --------
# ItalyPowerDemand (UCR): daily electricity demand in Italy, 24 hourly values per day;
# class 1 are days from October to March, class 2 from April to September. Only the
# class-1 days of the training split (34 days) are used for training.
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_italy_power_demand
from sklearn.metrics import RocCurveDisplay, roc_auc_score

from seqae import RAESCTransformer
from seqae.interop import from_channels_first

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

X_train, y_train = load_italy_power_demand(split="train")
X_test, y_test = load_italy_power_demand(split="test")
X_train, X_test = from_channels_first(X_train), from_channels_first(X_test)
normal = X_train[y_train == "1"]
print("normal training days", normal.shape, "test days", X_test.shape)

# %%
# Train on normal days only, score the test days
# ----------------------------------------------
ae = RAESCTransformer(sigma=0.25, lr=1e-2, max_epochs=3 if FAST else 150,
                      random_state=0)
ae.fit(normal)
scores = ae.score_samples(X_test)  # negative mean squared reconstruction error
is_anomaly = y_test != "1"
auc = roc_auc_score(is_anomaly, -scores)
print(f"ROC AUC (class 2 as anomalies): {auc:.3f}")
print(f"median score, normal days: {np.median(scores[~is_anomaly]):.4f}; "
      f"anomalous days: {np.median(scores[is_anomaly]):.4f}")

# %%
# Scores and ROC curve
# --------------------
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
bins = np.linspace(scores.min(), scores.max(), 40)
left.hist(scores[~is_anomaly], bins=bins, alpha=0.7, label="class 1 (normal)")
left.hist(scores[is_anomaly], bins=bins, alpha=0.7, label="class 2 (anomalous)")
left.set_xlabel("score_samples (negative reconstruction error)")
left.set_ylabel("test days")
left.legend()
RocCurveDisplay.from_predictions(is_anomaly, -scores, ax=right, name="RAESC")
plt.show()
