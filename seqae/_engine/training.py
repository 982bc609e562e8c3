"""The training glue: seeding, the skorch net built from a :class:`NetConfig` of values, its
callbacks, the user-facing error for a non-finite loss, seeded clones and the rebuilding of
a saved estimator. The net itself is :class:`~seqae._engine.net.SeqAENet` (or a subclass,
e.g. :class:`~seqae._engine.net.HeadNet`).

Nothing here reads an estimator's private methods: an estimator hands over values (a
:class:`NetConfig`, its ``verbose``, ``clip_grad_norm``, ``patience``), and the engine
builds from them.
"""

from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import torch
from sklearn.base import clone
from skorch.callbacks import EarlyStopping, GradientNormClipping, ProgressBar
from skorch.history import History

from .callbacks import FitProgress, LossTerms, ProgressLines, ReleaseCaches, show_progress
from .net import NonFiniteTraining, SeqAENet, StopOnNonFinite
from .validation import resolve_seed
from ..modules import AutoencoderLoss

__all__ = ["_seeded", "NetConfig", "build_net", "batch_iterators", "restore_net",
           "training_callbacks", "epoch_table", "non_finite_as_error", "seeded_clone",
           "FixedSplit", "SavedEstimator", "rebuild_saved"]

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


@dataclass(frozen=True)
class NetConfig:
    """Everything a skorch net is built from: values, no estimator.

    Attributes
    ----------
    module : type
        The ``nn.Module`` class; ``module_params`` its keyword arguments.
    max_epochs, batch_size : int
        The resolved training budget.
    lr : float
        The optimizer's learning rate; ``optimizer_params`` its other arguments
        (``optimizer__*``, e.g. ``weight_decay`` or ``param_groups``).
    device : str
        A resolved device.
    callbacks : list
        ``(name, callback)`` pairs, in order (:func:`training_callbacks` first).
    verbose : int
        1 prints skorch's epoch table (:func:`epoch_table`).
    criterion, criterion_params
        The loss class and its keyword arguments.
    train_split : callable or None
        skorch's ``train_split`` (``None``: no validation set).
    net : type
        The skorch net class; ``net_params`` its other keyword arguments (iterators,
        dataset, the net's own settings).
    """

    module: type
    module_params: dict
    max_epochs: int
    batch_size: int
    lr: float
    device: str
    callbacks: list
    verbose: int = 0
    criterion: type = AutoencoderLoss
    criterion_params: dict = field(default_factory=dict)
    optimizer: type = torch.optim.Adam
    optimizer_params: dict = field(default_factory=dict)
    train_split: Any = None
    net: type = SeqAENet
    net_params: dict = field(default_factory=dict)


def _prefixed(prefix, params):
    return {f"{prefix}__{key}": value for key, value in params.items()}


def build_net(config):
    """The (not yet initialised) skorch net that ``config`` describes."""
    return config.net(
        config.module,
        criterion=config.criterion,
        optimizer=config.optimizer,
        lr=config.lr,
        max_epochs=config.max_epochs,
        batch_size=config.batch_size,
        train_split=config.train_split,
        callbacks=config.callbacks,
        device=config.device,
        verbose=config.verbose,
        **_prefixed("module", config.module_params),
        **_prefixed("criterion", config.criterion_params),
        **_prefixed("optimizer", config.optimizer_params),
        **config.net_params,
    )


def batch_iterators(seed, device):
    """``net_params`` of :class:`~seqae._engine.net.SeqAENet`'s own batch iterators:
    shuffled, seeded training batches, and both moved to ``device`` once."""
    return {"iterator_train__shuffle": True, "iterator_train__seed": seed,
            "iterator_train__device": device, "iterator_valid__device": device}


def restore_net(net, net_params, module_state, optimizer_state, history, device):
    """Give an unfitted net of the saved architecture its saved settings, weights, optimizer
    state and history; returns ``net``."""
    net.set_params(**net_params)
    with _seeded(0, device):  # the initial weights are overwritten; no global RNG moves
        net.initialize()
    net.module_.load_state_dict(module_state, strict=True)
    net.optimizer_.load_state_dict(optimizer_state)
    if history is not None:
        net.history_ = History(history)
    return net


class SavedEstimator(Protocol):
    """What :func:`seqae.save` and :func:`seqae.load` need of an estimator class: the
    persistence hook ``_from_saved`` (see :func:`rebuild_saved`) and ``get_params``."""

    @classmethod
    def _from_saved(cls, params, attributes, net_params, module_state, optimizer_state,
                    history, device): ...

    def get_params(self, deep=True): ...


def rebuild_saved(cls, params, attributes, empty_net, net_params, module_state,
                  optimizer_state, history, device):
    """A fitted ``cls`` rebuilt from saved state: the body of every ``_from_saved`` hook.

    ``empty_net(estimator, device)`` makes an unfitted net of the saved architecture for
    the estimator with its fitted ``attributes`` set; the saved ``net_params`` (batch size,
    epochs, module sizes), weights, optimizer state and history replace its own. The
    estimator's ``device`` parameter becomes the resolved ``device``."""
    estimator = cls(**params)
    estimator.device = device
    for key, value in attributes.items():
        setattr(estimator, key, value)
    net = restore_net(empty_net(estimator, device), net_params, module_state,
                      optimizer_state, history, device)
    estimator._set_net(net, device)
    return estimator


@contextmanager
def non_finite_as_error(estimator, remedy, during=""):
    """Turn the net's :class:`~seqae._engine.net.NonFiniteTraining` into a user-facing
    ``FloatingPointError`` (naming where and ``remedy``, what to try) and leave the
    estimator unfitted."""
    try:
        yield
    except NonFiniteTraining as err:
        estimator.__dict__.pop("net_", None)
        at = f"epoch {err.epoch}" + (f", batch {err.batch}" if err.batch else "")
        raise FloatingPointError(
            f"{type(estimator).__name__}: {err.what} at {at}{during}; training was stopped "
            f"and the estimator left unfitted (no non-finite weights are kept). Try: "
            f"{remedy}.") from None


def clip_remedy(clip_grad_norm):
    """The gradient-clipping advice of a non-finite error."""
    return ("clip_grad_norm=1.0" if clip_grad_norm is None else
            f"a smaller clip_grad_norm (now {clip_grad_norm})")


def epoch_table(verbose):
    """skorch's ``verbose`` for a seqae ``verbose``: 1 (the epoch table) from 1 on."""
    return int(verbose != "auto" and verbose >= 1)


def training_callbacks(name, *, verbose, clip_grad_norm, patience):
    """seqae's own skorch callbacks: fail on non-finite values, the loss's terms, the
    criterion's caches emptied at the end, progress, clipping, early stop (``patience``
    ``None``: none). ``name`` labels the progress.

    An estimator appends its own (e.g. the VRAE's KL warm-up, the classifier's frozen
    encoder), then the user's (deep-copied) ``callbacks``, so that they see e.g. the
    clipped gradients."""
    callbacks = [("seqae_stop_on_non_finite", StopOnNonFinite()),
                 ("seqae_loss_terms", LossTerms()),
                 ("seqae_release_caches", ReleaseCaches())]
    if verbose == "auto" and show_progress():  # a terminal or a notebook
        callbacks.append(("seqae_progress", FitProgress(name)))
    elif verbose == "auto":  # a log, CI, nohup: a line every few seconds
        callbacks.append(("seqae_progress", ProgressLines(name)))
    elif verbose >= 2:
        callbacks.append(("seqae_progress", ProgressBar()))
    if clip_grad_norm is not None:
        callbacks.append(("seqae_gradient_clipping",
                          GradientNormClipping(gradient_clip_value=clip_grad_norm)))
    if patience is not None:
        # load_best keeps the best epoch's weights in memory (no checkpoint files).
        callbacks.append(("seqae_early_stopping",
                          EarlyStopping(monitor="valid_loss", patience=patience,
                                        load_best=True)))
    return callbacks


def user_callbacks(callbacks):
    """The user's ``callbacks`` parameter, deep-copied (each ``fit`` gets fresh ones)."""
    return copy.deepcopy(callbacks or [])


def seeded_clone(estimator, seed):
    """A clone of ``estimator`` whose ``random_state`` (if it has one) is ``seed``, unless
    ``seed`` is ``None``."""
    estimator = clone(estimator)
    if seed is not None and "random_state" in estimator.get_params(deep=False):
        estimator.set_params(random_state=resolve_seed(seed))
    return estimator


class FixedSplit:
    """skorch ``train_split``: the given rows are the validation set, the others train."""

    def __init__(self, valid_rows):
        self.valid_rows = np.asarray(valid_rows)

    def __call__(self, dataset, y=None, groups=None):
        valid = np.zeros(len(dataset), dtype=bool)
        valid[self.valid_rows] = True
        return (torch.utils.data.Subset(dataset, np.flatnonzero(~valid)),
                torch.utils.data.Subset(dataset, np.flatnonzero(valid)))
