"""
=============================================
Denoising sums of sines with RAESC
=============================================

With ``noise > 0`` an autoencoder is trained as a *denoising* autoencoder: during
training Gaussian noise of that standard deviation is added to each input sequence and
the network learns to reconstruct the clean one (no noise is added at inference). Here a
:class:`~seqae.RAESCTransformer` learns on clean sums of sines and is then given noisy
versions of unseen sequences; its reconstructions are compared with the clean originals.
"""

# %%
# The data
# --------
# Sums of three slow sines (the RAES paper's synthetic set, smaller and slower): 600
# training and 100 test sequences of 50 steps. The test sequences get Gaussian noise of
# standard deviation 0.2.
import os

import matplotlib.pyplot as plt
import numpy as np

from seqae import RAESCTransformer
from seqae.datasets import make_sine_sequences

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

waves = dict(n_timesteps=50, n_features=1, frequency_range=(1.0, 4.0))
X_train = make_sine_sequences(600, **waves, random_state=0)
X_clean = make_sine_sequences(100, **waves, random_state=1)
rng = np.random.default_rng(2)
X_noisy = X_clean + rng.normal(0.0, 0.2, X_clean.shape)
print("train", X_train.shape, "test", X_noisy.shape)

# %%
# Train a denoising autoencoder
# -----------------------------
# ``noise=0.2`` corrupts each training batch afresh, and the target stays the clean
# batch.
ae = RAESCTransformer(sigma=1.0, noise=0.2, lr=1e-2, batch_size=50,
                      max_epochs=2 if FAST else 60, random_state=0)
ae.fit(X_train)
X_denoised = ae.inverse_transform(ae.transform(X_noisy))


def mse(a, b):
    return float(np.mean((a - b) ** 2))


print(f"MSE noisy input vs clean:     {mse(X_noisy, X_clean):.4f}")
print(f"MSE reconstruction vs clean:  {mse(X_denoised, X_clean):.4f}")

# %%
# Clean, noisy and denoised sequences
# -----------------------------------
fig, axes = plt.subplots(3, 1, figsize=(8, 6), sharex=True, layout="constrained")
for i, ax in enumerate(axes):
    ax.plot(X_noisy[i, :, 0], ".", color="0.6", label="noisy input")
    ax.plot(X_clean[i, :, 0], color="k", label="clean")
    ax.plot(X_denoised[i, :, 0], color="C1", label="reconstruction")
axes[0].legend(loc="upper right", ncols=3)
axes[-1].set_xlabel("time step")
plt.show()
