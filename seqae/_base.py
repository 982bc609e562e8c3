"""The estimator layer's shared base: parameters, validation, fit/transform plumbing."""

import copy
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import (BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                          _fit_context)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted
from skorch.dataset import ValidSplit
from torch import nn

from ._net import SeqAENet
from ._validation import (FLOAT_DTYPES, check_sequences, resolve_device, resolve_seed,
                          to_float32_tensor)


@contextmanager
def _seeded(seed, device):
    """Seed torch inside a fork of its RNG state, so that the global state is restored."""
    cuda = [torch.device(device).index or 0] if device.startswith("cuda") else []
    with torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        yield


def _encode(module, batch):
    return module.encode(batch)


def _decode(module, batch):
    return module.decode(batch)


def _reconstruction_mse(module, batch):
    # Summed in float64: a float32 reduction's rounding depends on the batch's shape, which
    # would make a sequence's score depend on its neighbours in the batch.
    return (module.reconstruct(batch) - batch).double().pow(2).flatten(1).mean(dim=1)


class BaseSequenceAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Base class of the seqae transformers; not for direct use.

    Subclasses name their PyTorch module class (``_module``) and criterion class
    (``_criterion``) and say how the module is configured (``_module_params``). The module is
    instantiated by skorch in ``fit``, never here.
    """

    _module = None
    _criterion = nn.MSELoss

    _parameter_constraints = {
        "sigma": [Interval(Real, 0, None, closed="neither")],
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "cell": [StrOptions({"gru", "lstm"})],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
    }

    def __init__(self, sigma=1.0, *, n_components=None, cell="gru", max_epochs=100,
                 batch_size=100, lr=1e-3, validation_fraction=0.0, device="auto",
                 random_state=None, verbose=0, callbacks=None):
        self.sigma = sigma
        self.n_components = n_components
        self.cell = cell
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.validation_fraction = validation_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks

    # -- hooks for subclasses -------------------------------------------------------------
    def _resolve_n_components(self, n_timesteps, n_channels):
        """Context size ``n_C``: ``n_components`` if set, else Eq. 3 solved for ``n_C``."""
        if self.n_components is not None:
            return self.n_components
        return max(1, int(round(self.sigma * n_channels * n_timesteps)))

    def _module_params(self, n_components):
        """Keyword arguments of ``_module`` beyond the data-derived sizes."""
        return {"cell": self.cell}

    def _criterion_params(self):
        return {}

    def _net_callbacks(self):
        """The skorch callbacks of the net: the user's (copied) plus any a subclass needs."""
        return copy.deepcopy(self.callbacks)

    # -- scikit-learn API -----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the autoencoder on sequences ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Training sequences: 2D for univariate, 3D (batch, time, features) for
            multivariate.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X3 = check_sequences(self, X, reset=True)
        device = resolve_device(self.device)
        seed = resolve_seed(self.random_state)
        n_timesteps, n_channels = X3.shape[1:]
        n_components = self._resolve_n_components(n_timesteps, n_channels)
        module_params = {
            "n_features": n_channels,
            "n_timesteps": n_timesteps,
            "n_components": n_components,
            **self._module_params(n_components),
        }
        train_split = None
        if self.validation_fraction > 0:
            train_split = ValidSplit(self.validation_fraction, random_state=seed)
        net = SeqAENet(
            self._module,
            criterion=self._criterion,
            optimizer=torch.optim.Adam,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=train_split,
            iterator_train__shuffle=True,
            iterator_train__seed=seed,
            iterator_train__device=device,
            iterator_valid__device=device,
            callbacks=self._net_callbacks(),
            device=device,
            verbose=self.verbose,
            **{f"module__{key}": value for key, value in module_params.items()},
            **{f"criterion__{key}": value for key, value in self._criterion_params().items()},
        )
        with _seeded(seed, device):
            net.fit(to_float32_tensor(X3))
        self.net_ = net
        self.device_ = device
        self.n_components_ = n_components
        self.sigma_ = n_components / (n_channels * n_timesteps)
        bridge = net.module_.bridge
        self.decoder_input_shape_ = (bridge.n_steps, bridge.n_step_features)
        return self

    def transform(self, X):
        """Encode sequences into codes of ``n_components_`` values.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences with the fitted number of time steps and features.

        Returns
        -------
        codes : ndarray of shape (n_samples, n_components_)
            float32 for float32 input, float64 otherwise.
        """
        check_is_fitted(self)
        X3 = check_sequences(self, X, reset=False)
        codes = self.net_.apply_module(_encode, to_float32_tensor(X3))
        return codes.numpy().astype(X3.dtype, copy=False)

    def inverse_transform(self, X):
        """Decode codes back to sequences.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components_)
            Codes, e.g. the output of ``transform``.

        Returns
        -------
        X_original : ndarray
            Reconstructed sequences in the layout seen in ``fit``: ``(n_samples,
            n_timesteps_)`` if ``fit`` saw 2D input, else ``(n_samples, n_timesteps_,
            n_channels_)``; float32 for float32 codes, float64 otherwise.
        """
        check_is_fitted(self)
        codes = check_array(X, dtype=FLOAT_DTYPES)
        if codes.shape[1] != self.n_components_:
            raise ValueError(
                f"inverse_transform expects codes of shape (n_samples, {self.n_components_}) "
                f"(n_components_); got shape {codes.shape}."
            )
        decoded = self.net_.apply_module(_decode, to_float32_tensor(codes))
        decoded = decoded.numpy().astype(codes.dtype, copy=False)
        return decoded[:, :, 0] if self.input_ndim_ == 2 else decoded

    def score_samples(self, X):
        """Negative mean squared reconstruction error of each sequence.

        Higher is more normal, as for scikit-learn's outlier detectors, so the scores can be
        thresholded for anomaly detection. The error is averaged over time steps and
        features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X3 = check_sequences(self, X, reset=False)
        errors = self.net_.apply_module(_reconstruction_mse, to_float32_tensor(X3))
        return -errors.numpy().astype(X3.dtype, copy=False)

    def _apply_to_sequences(self, fn, X):
        """Validate ``X`` against the fit and apply ``fn(module, batch)`` batch-wise; the
        result as an array of ``X``'s float dtype, with the validated 3D ``X``."""
        check_is_fitted(self)
        X3 = check_sequences(self, X, reset=False)
        result = self.net_.apply_module(fn, to_float32_tensor(X3))
        return result.numpy().astype(X3.dtype, copy=False), X3

    @property
    def _n_features_out(self):
        return self.n_components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
