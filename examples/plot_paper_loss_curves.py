"""
====================================================
RAE vs RAES vs RAESC: the paper's loss curves
====================================================

The RAES paper (Susik, *Recurrent Autoencoder with Sequence-Aware Encoding*) shows that
reading the encoder's final state as a short sequence (RAES, Eq. 1) or passing it
through a 1-D convolution (RAESC, Eq. 2), instead of repeating it at every decoder step
(RAE), makes training converge in fewer epochs. This example reproduces that comparison
at a small, CPU-friendly scale on the paper's sum-of-sines data: the same data, code
size, optimiser and seed for all three, with a held-out validation fraction, and the
paper's models (``paper()``: the final state as the code, no contrastive term; the
default readout and contrastive term lose the advantage, see the user guide's "What the
defaults cost").
"""

# %%
# Train the three models
# ----------------------
import os

import matplotlib.pyplot as plt
import numpy as np

from seqae import RAESCTransformer, RAESTransformer, RAETransformer
from seqae.datasets import make_sine_sequences

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

# Two features of 40 steps: with ``sigma=0.5`` the code has n_C = 40 values, one step of
# the decoder's input sequence per time step for RAES (Eq. 1 needs n_C a multiple of
# n_X).
X = make_sine_sequences(500, 40, 2, random_state=0)
common = dict(sigma=0.5, lr=1e-2, batch_size=50, validation_fraction=0.2,
              max_epochs=2 if FAST else 30, random_state=0)
models = {"RAE": RAETransformer.paper(**common),
          "RAES": RAESTransformer.paper(**common),
          "RAESC": RAESCTransformer.paper(**common)}
curves = {}
for name, model in models.items():
    model.fit(X)
    curves[name] = np.array(model.net_.history[:, "valid_loss"])

# %%
# Final losses and epochs to reach RAE's final loss
# -------------------------------------------------
target = curves["RAE"][-1]
for name, curve in curves.items():
    reached = np.flatnonzero(curve <= target)
    epochs = f"{reached[0] + 1}" if len(reached) else "not reached"
    print(f"{name:6s} final validation loss {curve[-1]:.5f}; "
          f"epochs to reach RAE's final loss: {epochs}")

# %%
# Validation loss per epoch
# -------------------------
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for name, curve in curves.items():
    ax.plot(np.arange(1, len(curve) + 1), curve, marker=".", label=name)
ax.axhline(target, color="0.5", linestyle=":", label="RAE final")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("validation MSE")
ax.legend()
plt.show()
