"""
===============================================================
BasicMotions: clustering autoencoder codes, next to raw k-means
===============================================================

A :class:`~seqae.RAESCTransformer` with its default parameters is trained on
BasicMotions without its labels, and its codes are grouped into as many clusters as
there are activities. The normalised mutual information (NMI) and the adjusted Rand
index (ARI) say how well the clusters recover the activities, next to k-means on the
raw series, the baseline a user would otherwise run. ``benchmarks/features/clustering.py``
makes the same comparison on seven UCR/UEA sets over three seeds, with k-Shape and
published deep clusterers beside it.
"""

# %%
# The data
# --------
# BasicMotions (UEA): 80 recordings (40 train + 40 test, merged here: clustering uses
# no labels) of 100 steps with 6 channels, a smartwatch's accelerometer and gyroscope,
# while walking, resting, running or playing badminton. As in the clustering
# literature (and ``benchmarks/features/clustering.py``), each channel of each recording is
# z-normalised over time.
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_basic_motions
from sklearn.cluster import KMeans, SpectralClustering
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer, StandardScaler

from seqae import RAESCTransformer
from seqae.interop import from_channels_first
from seqae.plotting import plot_latent

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

parts = [load_basic_motions(split=split) for split in ("train", "test")]
X = from_channels_first(np.concatenate([X for X, _ in parts]))
y = np.concatenate([y for _, y in parts])
std = X.std(axis=1, keepdims=True)
X = (X - X.mean(axis=1, keepdims=True)) / np.where(std > 0, std, 1.0)
k = len(np.unique(y))
print("X", X.shape, "activities", np.unique(y))

# %%
# Codes, then a clustering step
# ------------------------------
# The autoencoder's defaults adapt to the data (a code of 96 values pooled over the
# encoder's states, about 250 optimizer steps, a contrastive and a distance-keeping term). Which clustering
# step serves the codes best differs between data sets: ``benchmarks/features/clustering.py``
# compared k-means on the codes as they are, on standardised codes, and spectral
# clustering of the L2-normalised codes (its choice on the training splits of its data
# sets; see the user guide). All three are shown, next to k-means on the raw series.
autoencoder = RAESCTransformer(max_epochs=3 if FAST else "auto", random_state=0)
codes = autoencoder.fit_transform(X)


def kmeans():
    return KMeans(n_clusters=k, n_init=10, random_state=0)


spectral = SpectralClustering(n_clusters=k, affinity="nearest_neighbors",
                              n_neighbors=10, assign_labels="cluster_qr",
                              random_state=0)
clusterings = {
    "codes + k-means": kmeans().fit_predict(codes),
    "codes, standardised + k-means": make_pipeline(StandardScaler(),
                                                   kmeans()).fit_predict(codes),
    "codes, L2-normalised + spectral": make_pipeline(Normalizer(),
                                                     spectral).fit_predict(codes),
    "raw series + k-means": kmeans().fit_predict(X.reshape(len(X), -1)),
}
for name, labels in clusterings.items():
    print(f"{name:32s} NMI {normalized_mutual_info_score(y, labels):.3f}   "
          f"ARI {adjusted_rand_score(y, labels):.3f}")

# %%
# Each is one scikit-learn pipeline, e.g. ``make_pipeline(RAESCTransformer(),
# KMeans(n_clusters=4))`` and its ``fit_predict(X)``.
#
# The codes, looked at
# --------------------
# Each point is one recording (the codes projected on their two principal components),
# coloured by its activity (a label the clustering never saw); the raw series beside.
nmi = normalized_mutual_info_score(y, clusterings["codes + k-means"])
raw_nmi = normalized_mutual_info_score(y, clusterings["raw series + k-means"])
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
plot_latent(codes, y, ax=axes[0])
axes[0].set_title(f"RAESC codes (k-means NMI {nmi:.2f})")
plot_latent(X.reshape(len(X), -1), y, ax=axes[1])
axes[1].set_title(f"raw series (k-means NMI {raw_nmi:.2f})")
plt.tight_layout()
plt.show()
