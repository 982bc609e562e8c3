"""
===================================================
BasicMotions: clustering the latent space of a VRAE
===================================================

A :class:`~seqae.VRAETransformer` with a two-dimensional latent space is trained on
BasicMotions without its labels; k-means then clusters the latent means, and the
adjusted Rand index (ARI) measures how well the clusters recover the four activities. As
in the VRAE paper, the 2-D latent space can be looked at directly. k-means on the raw
series is the baseline.
"""

# %%
# The data
# --------
# BasicMotions (UEA): 80 recordings (40 train + 40 test, pooled here: no labels are used
# for training) of 100 steps with 6 channels, a smartwatch's accelerometer and
# gyroscope, while walking, resting, running or playing badminton. Every second step is
# kept, and each channel is standardised (the sensors have different units and ranges).
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_basic_motions
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from seqae import VRAETransformer
from seqae.interop import from_channels_first
from seqae.plotting import plot_latent

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

parts = [load_basic_motions(split=split) for split in ("train", "test")]
X = from_channels_first(np.concatenate([X for X, _ in parts]))[:, ::2]
y = np.concatenate([y for _, y in parts])
X = (X - X.mean(axis=(0, 1))) / X.std(axis=(0, 1))
print("X", X.shape, "activities", np.unique(y))

# %%
# Train the VRAE and cluster its latent means
# -------------------------------------------
# ``transform`` returns the posterior mean of each recording's latent vector.
vrae = VRAETransformer(n_components=2, hidden_size=64, lr=3e-3,
                       max_epochs=3 if FAST else 150, random_state=0)
codes = vrae.fit_transform(X)

kmeans = KMeans(n_clusters=4, n_init=10, random_state=0)
vrae_ari = adjusted_rand_score(y, kmeans.fit_predict(codes))
raw_ari = adjusted_rand_score(y, kmeans.fit_predict(X.reshape(len(X), -1)))
print(f"ARI, k-means on the VRAE's 2-D latent means: {vrae_ari:.3f}")
print(f"ARI, k-means on the raw series:             {raw_ari:.3f}")

# %%
# The latent space
# ----------------
# Each point is one recording, coloured by its (unused) label.
ax = plot_latent(codes, y)
ax.set_title(f"VRAE latent means (ARI of k-means: {vrae_ari:.2f})")
plt.show()
