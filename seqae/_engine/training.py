"""The training glue's estimator side: seeding, the skorch net of a fit, its callbacks, and
the user-facing error for a non-finite loss. The net itself is :class:`~seqae._engine.net.SeqAENet`.
"""

import copy
import threading
from contextlib import contextmanager

import torch
from skorch.callbacks import EarlyStopping, GradientNormClipping, ProgressBar
from skorch.dataset import ValidSplit

from .callbacks import FitProgress, LossTerms, ProgressLines, show_progress
from .net import NonFiniteTraining, SeqAENet, StopOnNonFinite

__all__ = ["_seeded", "build_net", "restore_net", "training_callbacks", "non_finite_as_error"]

# torch's RNG is process-wide: fits running in threads of one process (joblib's threading
# backend, Dask workers with several threads) run one at a time, or they would reseed each
# other. Parallel fits need processes.
_SEEDED_LOCK = threading.RLock()


@contextmanager
def _seeded(seed, device):
    """Seed torch inside a fork of its RNG state, so that the global state is restored."""
    cuda = [torch.device(device).index or 0] if device.startswith("cuda") else []
    with _SEEDED_LOCK, torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        yield


def restore_net(net, net_params, module_state, optimizer_state, history, device):
    """Give an unfitted net of the saved architecture its saved settings, weights, optimizer
    state and history (for the ``_from_saved`` persistence hooks); returns ``net``."""
    from skorch.history import History

    net.set_params(**net_params)
    with _seeded(0, device):  # the initial weights are overwritten; no global RNG moves
        net.initialize()
    net.module_.load_state_dict(module_state, strict=True)
    net.optimizer_.load_state_dict(optimizer_state)
    if history is not None:
        net.history_ = History(history)
    return net


def build_net(estimator, n_components, seed, device, n_samples):
    """The (not yet initialised) skorch net for the fitted layout and ``n_components``,
    with ``'auto'`` training parameters resolved for ``n_samples`` sequences."""
    max_epochs, batch_size = estimator._resolve_training(n_samples)
    module_params = {
        "n_features": estimator.n_channels_,
        "n_timesteps": estimator.n_timesteps_,
        "n_components": n_components,
        "patch_size": estimator.patch_size_,
        **estimator._module_params(n_components),
    }
    train_split = None
    if estimator.validation_fraction > 0:
        train_split = ValidSplit(estimator.validation_fraction, random_state=seed)
    return SeqAENet(
        estimator._module,
        criterion=estimator._criterion,
        optimizer=torch.optim.Adam,
        lr=estimator.lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        train_split=train_split,
        iterator_train__shuffle=True,
        iterator_train__seed=seed,
        iterator_train__device=device,
        iterator_valid__device=device,
        callbacks=estimator._training_callbacks() + copy.deepcopy(estimator.callbacks or []),
        device=device,
        verbose=int(estimator.verbose != "auto" and estimator.verbose >= 1),  # the epoch table
        **{f"module__{key}": value for key, value in module_params.items()},
        **{f"criterion__{key}": value for key, value in estimator._criterion_params().items()},
    )


@contextmanager
def non_finite_as_error(estimator, scale):
    """Turn the net's :class:`~seqae._engine.net.NonFiniteTraining` into a user-facing
    ``FloatingPointError`` and leave the estimator unfitted."""
    try:
        yield
    except NonFiniteTraining as err:
        estimator.__dict__.pop("net_", None)
        at = f"epoch {err.epoch}" + (f", batch {err.batch}" if err.batch else "")
        clip = ("clip_grad_norm=1.0" if estimator.clip_grad_norm is None else
                f"a smaller clip_grad_norm (now {estimator.clip_grad_norm})")
        raise FloatingPointError(
            f"{type(estimator).__name__}: {err.what} at {at}; training was stopped and the "
            f"estimator left unfitted (no non-finite weights are kept). Try: scaling the "
            f"data (largest |X| is {scale:.4g}; standardise each feature), a lower "
            f"learning rate (lr={estimator.lr:g} now, e.g. lr={estimator.lr / 10:g}), or "
            f"gradient clipping ({clip})."
        ) from None


def training_callbacks(estimator):
    """seqae's own skorch callbacks: fail on non-finite values, clipping, early stop.

    An estimator class appends its own through its ``_training_callbacks`` hook (e.g. the
    VRAE's KL warm-up); :func:`build_net` puts the user's (deep-copied) ``callbacks`` after
    these, so they see e.g. the clipped gradients."""
    callbacks = [("seqae_stop_on_non_finite", StopOnNonFinite()),
                 ("seqae_loss_terms", LossTerms())]
    if estimator.verbose == "auto" and show_progress():  # a terminal or a notebook
        callbacks.append(("seqae_progress", FitProgress(type(estimator).__name__)))
    elif estimator.verbose == "auto":  # a log, CI, nohup: a line every few seconds
        callbacks.append(("seqae_progress", ProgressLines(type(estimator).__name__)))
    elif estimator.verbose != "auto" and estimator.verbose >= 2:
        callbacks.append(("seqae_progress", ProgressBar()))
    if estimator.clip_grad_norm is not None:
        callbacks.append(("seqae_gradient_clipping",
                          GradientNormClipping(gradient_clip_value=estimator.clip_grad_norm)))
    if estimator.patience is not None:
        # load_best keeps the best epoch's weights in memory (no checkpoint files).
        callbacks.append(("seqae_early_stopping",
                          EarlyStopping(monitor="valid_loss", patience=estimator.patience,
                                        load_best=True)))
    return callbacks
