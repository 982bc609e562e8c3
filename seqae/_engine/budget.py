"""The training budget: what each ``'auto'`` parameter resolves to in ``fit``.

Pure functions of the data's size; the estimators record what they resolve to in fitted
attributes (``n_components_``, ``patch_size_``, ``batch_size_``, ``max_epochs_``).
"""

import math

__all__ = ["AUTO_MAX_COMPONENTS", "AUTO_STEPS", "AUTO_MAX_STEPS", "AUTO_BATCH_SIZE",
           "auto_n_components", "auto_patch_size", "auto_batch_size", "auto_max_epochs"]

#: ``sigma='auto'``: the code has ``min(m_X * n_X, AUTO_MAX_COMPONENTS)`` values (sigma = 1,
#: the paper's largest context, capped so that long or wide series keep a small code).
AUTO_MAX_COMPONENTS = 64
#: ``max_epochs='auto'``: enough epochs for about this many optimizer steps (500 before issue
#: 23: halving it, with :data:`AUTO_MAX_STEPS` halved too, cut a fit's CPU time to about a
#: third at equal training-split CV accuracy of the codes, ``benchmarks/README.md``).
AUTO_STEPS = 250
#: ``patch_size='auto'``: frames of ``ceil(n_X / AUTO_MAX_STEPS)`` steps, so that the recurrent
#: nets run at most this many steps.
AUTO_MAX_STEPS = 64
#: ``batch_size='auto'``: an eighth of the training sequences, within these bounds (and at
#: most all of them).
AUTO_BATCH_SIZE = (16, 100)


def auto_batch_size(n_train):
    """``batch_size='auto'``: ``n_train // 8`` clipped to :data:`AUTO_BATCH_SIZE`, at most
    ``n_train`` (the paper's 100 from 800 training sequences on)."""
    low, high = AUTO_BATCH_SIZE
    return max(1, min(n_train, max(low, min(high, n_train // 8))))


def auto_max_epochs(n_train, batch_size):
    """``max_epochs='auto'``: the epochs that make about :data:`AUTO_STEPS` optimizer steps
    (at least one epoch)."""
    batches_per_epoch = math.ceil(n_train / batch_size)
    return max(1, math.ceil(AUTO_STEPS / batches_per_epoch))


def auto_n_components(n_channels, n_timesteps):
    """``sigma='auto'``: ``min(m_X * n_X, AUTO_MAX_COMPONENTS)`` code values."""
    return min(n_channels * n_timesteps, AUTO_MAX_COMPONENTS)


def auto_patch_size(n_timesteps):
    """``patch_size='auto'``: frames of ``ceil(n_X / AUTO_MAX_STEPS)`` steps."""
    return math.ceil(n_timesteps / AUTO_MAX_STEPS)
