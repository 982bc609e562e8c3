"""What the task estimators share beyond the engine: their default autoencoders and the
``verbose`` hand-over. (Seeded clones are the engine's:
:func:`seqae._engine.training.seeded_clone`.)"""

import math

import numpy as np

from .._engine.training import seeded_clone
from ..autoencoders.rae import RAESCTransformer

__all__ = ["default_autoencoder", "pretraining_autoencoder", "PRETRAINING_LR", "seeded_clone",
           "pass_verbose"]


#: The step size of the classifier's and regressor's own pre-training (``autoencoder=None``):
#: three times the autoencoders' ``lr=1e-3``. Chosen on unreported sets by rules fixed before
#: the runs: it raised frozen codes + SVC from 0.785 to 0.800 but lowered the clustering
#: step's NMI from 0.700 to 0.670 (``benchmarks/results/lr-screen-unreported``: so the
#: autoencoders keep 1e-3), and the classifier's accuracy rose with it
#: (``benchmarks/results/classifier-lr-screen-unreported``; ``benchmarks/README.md``
#: section 17).
PRETRAINING_LR = 3e-3


def pretraining_autoencoder():
    """The autoencoder the classifier and the regressor pre-train when ``autoencoder=None``:
    ``RAESCTransformer(lr=PRETRAINING_LR)``, the autoencoder's defaults with the larger step
    that made better codes for a classifier (:data:`PRETRAINING_LR`)."""
    return RAESCTransformer(lr=PRETRAINING_LR)


#: The detector's and imputer's default autoencoder reads frames of
#: ``ceil(n_steps / TASK_MAX_RECURRENT_STEPS)`` steps: at most 64 recurrent steps, what their
#: benchmarks measured (``benchmarks/tasks/anomaly.py``, ``imputation.py``), fixed here so
#: that a change of the feature estimators' ``patch_size='auto'``
#: (:data:`seqae._engine.budget.AUTO_MAX_STEPS`, chosen for codes, not for reconstruction;
#: ``benchmarks/README.md`` section 12 tried 8) cannot change them unmeasured.
TASK_MAX_RECURRENT_STEPS = 64


def default_autoencoder(n_values, n_sequences, random_state, n_steps=300, n_timesteps=None):
    """The detector's and imputer's default: a small RAESC trained for about ``n_steps``
    optimizer steps, to reconstruct (its code is the encoder's final state, with no
    contrastive or isometry term: the estimators' defaults shape codes for features
    instead).

    ``n_values`` is the number of values in a training sequence (steps x channels): the code
    gets a quarter of them, between 4 and 32. Batches hold 64 sequences; the number of epochs
    gives about ``n_steps`` steps for ``n_sequences`` training sequences (between 5 and 300
    epochs). ``n_timesteps`` (steps per training sequence) sets the frames: at most
    :data:`TASK_MAX_RECURRENT_STEPS` recurrent steps (``None``: ``patch_size='auto'``).
    """
    batches = int(np.ceil(n_sequences / 64))
    epochs = int(np.clip(round(n_steps / batches), 5, 300))
    # A reconstruction model: the final-state code and no contrastive or isometry term (the
    # estimators' feature-oriented defaults), as measured in benchmarks/tasks/anomaly.py and
    # benchmarks/tasks/imputation.py; frames only beyond 64 steps, so that a window of a long
    # period stays affordable.
    patch_size = ("auto" if n_timesteps is None
                  else math.ceil(n_timesteps / TASK_MAX_RECURRENT_STEPS))
    return RAESCTransformer(n_components=int(np.clip(n_values // 4, 4, 32)),
                            max_epochs=epochs, batch_size=64, lr=5e-3, clip_grad_norm=1.0,
                            readout="last", contrastive=0.0, isometry=0.0,
                            patch_size=patch_size,
                            random_state=random_state)


def pass_verbose(estimator, verbose):
    """Set ``verbose`` on the autoencoder that a task estimator is about to fit (unless it
    has no such parameter)."""
    if "verbose" in estimator.get_params(deep=False):
        estimator.set_params(verbose=verbose)
    return estimator
