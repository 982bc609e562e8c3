"""The training budget: what each ``'auto'`` parameter resolves to in ``fit``.

Pure functions of the data's size; the estimators record what they resolve to in fitted
attributes (``n_components_``, ``patch_size_``, ``batch_size_``, ``max_epochs_``).
"""

import math

import numpy as np

__all__ = ["AUTO_MAX_COMPONENTS", "AUTO_STEPS", "AUTO_MAX_STEPS", "AUTO_RAGGED_LENGTH",
           "AUTO_MAX_EPOCHS", "AUTO_BATCH_SIZE",
           "auto_n_components", "auto_patch_size", "auto_batch_size", "auto_max_epochs",
           "resolve_budget", "fine_tuning_epochs", "FINE_TUNING_STEPS",
           "MAX_FINE_TUNING_EPOCHS"]

#: ``sigma='auto'``: the code has ``min(m_X * n_X, AUTO_MAX_COMPONENTS)`` values (sigma = 1,
#: the paper's largest context, capped so that long or wide series keep a small code; 96
#: since issue 23's code-size screen, 64 before: benchmarks/README.md section 16).
AUTO_MAX_COMPONENTS = 96
#: ``max_epochs='auto'``: enough epochs for about this many optimizer steps (500 before issue
#: 23: halving it, with :data:`AUTO_MAX_STEPS` halved too, cut a fit's CPU time to about a
#: third at equal training-split CV accuracy of the codes, ``benchmarks/README.md`` section
#: 10). 2000 steps over at most 8 recurrent steps was checked and not adopted (section 12):
#: better on the mean of nine unreported test splits (0.760 vs 0.704) but at or above this
#: budget on four of them only, and below it on the reported ones.
AUTO_STEPS = 250
#: ``patch_size='auto'``: frames of ``ceil(n_X / AUTO_MAX_STEPS)`` steps, so that the recurrent
#: nets run at most this many steps.
AUTO_MAX_STEPS = 64
#: ``patch_size='auto'`` on ragged input: the length that sets the frames, the ``'longest'``
#: (``n_X``) or the ``'median'`` of the training sequences' lengths. ``'median'`` was checked
#: with the 2000/8 budget and not adopted (training splits of PickupGestureWiimoteZ and
#: GesturePebbleZ1, 3 seeds: CV accuracy 0.533 and 0.828 against 0.540 and 0.862, at 1.6x
#: the CPU time).
AUTO_RAGGED_LENGTH = "longest"
#: ``max_epochs='auto'``: at most this many epochs (``None``: no cap), however few the
#: sequences; an option for budget checks (``benchmarks/README.md`` section 12), off.
AUTO_MAX_EPOCHS = None
#: The classifier's and regressor's ``max_epochs='auto'``: after the ``freeze_epochs``, about
#: this many optimizer steps of the encoder, at most :data:`MAX_FINE_TUNING_EPOCHS` epochs in
#: all (a fixed 100 epochs before issue 23: the same accuracy at 500 x 500 in half the time).
FINE_TUNING_STEPS = 250
MAX_FINE_TUNING_EPOCHS = 100
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
    epochs = max(1, math.ceil(AUTO_STEPS / batches_per_epoch))
    return epochs if AUTO_MAX_EPOCHS is None else min(epochs, AUTO_MAX_EPOCHS)


def auto_n_components(n_channels, n_timesteps):
    """``sigma='auto'``: ``min(m_X * n_X, AUTO_MAX_COMPONENTS)`` code values."""
    return min(n_channels * n_timesteps, AUTO_MAX_COMPONENTS)


def auto_patch_size(n_timesteps, lengths=None):
    """``patch_size='auto'``: frames of ``ceil(n_X / AUTO_MAX_STEPS)`` steps; for ragged input
    (``lengths`` of the sequences) with ``AUTO_RAGGED_LENGTH='median'``, ``n_X`` is their
    median length rather than the longest."""
    if lengths is not None and AUTO_RAGGED_LENGTH == "median":
        n_timesteps = float(np.median(np.asarray(lengths)))
    return max(1, math.ceil(n_timesteps / AUTO_MAX_STEPS))


def resolve_budget(max_epochs, batch_size, n_train):
    """``(max_epochs, batch_size)`` for ``n_train`` training sequences, ``'auto'`` resolved
    (:func:`auto_batch_size`, then :func:`auto_max_epochs`)."""
    batch_size = auto_batch_size(n_train) if batch_size == "auto" else batch_size
    max_epochs = auto_max_epochs(n_train, batch_size) if max_epochs == "auto" else max_epochs
    return max_epochs, batch_size


def fine_tuning_epochs(n_train, batch_size, freeze_epochs):
    """The classifier's and regressor's ``max_epochs='auto'``: the ``freeze_epochs`` epochs,
    then as many as make about :data:`FINE_TUNING_STEPS` optimizer steps of the encoder, at
    most :data:`MAX_FINE_TUNING_EPOCHS` in all."""
    batches = math.ceil(n_train / batch_size)
    return min(MAX_FINE_TUNING_EPOCHS,
               freeze_epochs + max(1, math.ceil(FINE_TUNING_STEPS / batches)))
