"""
============================================================
Filling gaps in sequences: ItalyPowerDemand with holes in it
============================================================

:class:`~seqae.impute.SequenceImputer` trains a seqae autoencoder on incomplete
sequences (``missing='mask'``: the loss counts the observed values only) and fills every
missing value from the reconstruction, leaving the observed ones untouched. Here about a
third of each day's hourly demand is removed in blocks of three hours, and the fills are
compared with linear interpolation.
"""

# %%
# Remove values in blocks
# -----------------------
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_italy_power_demand

from seqae import RAESCTransformer
from seqae.impute import SequenceImputer
from seqae.interop import from_channels_first

# the docs' CI build: a few epochs only
FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"

X_train, _ = load_italy_power_demand(split="train")
X_test, _ = load_italy_power_demand(split="test")
X_train = from_channels_first(X_train)[:, :, 0]
X_test = from_channels_first(X_test)[:, :, 0]
rng = np.random.default_rng(0)


def remove_blocks(X, rate=0.3, block=3):
    """NaN in blocks of `block` hours until `rate` of each day is gone."""
    X = X.copy()
    for day in X:
        while np.isnan(day).mean() < rate:
            start = rng.integers(0, len(day) - block + 1)
            day[start:start + block] = np.nan
    return X


train_missing, test_missing = remove_blocks(X_train), remove_blocks(X_test)
removed = np.isnan(test_missing)
print(f"{removed.mean():.0%} of the test values removed")

# %%
# Fit on the incomplete training days, fill the test days
# -------------------------------------------------------
ae = RAESCTransformer(n_components=6, max_epochs=3 if FAST else 150, batch_size=64,
                      lr=5e-3, clip_grad_norm=1.0)
imputer = SequenceImputer(ae, random_state=0).fit(train_missing)
filled = imputer.transform(test_missing)
assert not np.isnan(filled).any() and np.array_equal(filled[~removed], X_test[~removed])

steps = np.arange(X_test.shape[1])
linear = np.array([np.interp(steps, steps[~gap], day[~gap])
                   for day, gap in zip(test_missing, removed)])
for name, estimate in (("SequenceImputer", filled), ("linear interpolation", linear)):
    print(f"{name:22s} MAE on the removed values: "
          f"{np.abs(estimate - X_test)[removed].mean():.3f}")

# %%
# A few filled days
# -----------------
fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharey=True, layout="constrained")
for ax, day in zip(axes, (0, 1, 2)):
    gap = removed[day]
    ax.plot(steps, X_test[day], color="0.6", lw=3, label="truth")
    ax.plot(steps, test_missing[day], "k.-", label="observed")
    ax.plot(steps[gap], filled[day][gap], "o", color="C3", label="SequenceImputer")
    ax.plot(steps[gap], linear[day][gap], "x", color="C0", label="linear")
    ax.set_xlabel("hour")
axes[0].set_ylabel("demand (standardised)")
axes[0].legend(fontsize=7)
plt.show()
