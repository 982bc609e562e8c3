"""The estimator layer's shared base: the scikit-learn API of every seqae autoencoder.

What it builds on, one job a file: :mod:`seqae._engine.params` (the parameter table),
:mod:`seqae._engine.validation` (input checks), :mod:`seqae._engine.batches` (the batch protocol),
:mod:`seqae._engine.stream` (lazily read arrays), :mod:`seqae._engine.scale` (the unscaled-data check),
:mod:`seqae._engine.budget` (the ``'auto'`` rules) and :mod:`seqae._engine.training` (seeding, the skorch
net, callbacks).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from sklearn.base import (BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                          _fit_context)
from sklearn.utils.validation import _num_samples, check_array, check_is_fitted
from skorch.dataset import ValidSplit
from torch import nn

from .._engine.batches import _decode, _encode, _net_input, _reconstruction_mse
from .._engine.budget import auto_n_components, auto_patch_size, resolve_budget
from .._engine.callbacks import set_progress
from .._engine.net import SequenceStream
from .._engine.params import ATTRIBUTES, TableParams, criterion_kwargs, module_kwargs
from .._engine.scale import _head_magnitude, _magnitude, warn_if_unscaled
from .._engine.stream import (check_lazy_layout, is_lazy_array, stream_apply,
                      stream_inverse_transform)
from .._engine.training import (NetConfig, _seeded, batch_iterators, build_net, clip_remedy,
                                epoch_table, non_finite_as_error, rebuild_saved,
                                training_callbacks, user_callbacks)
from .._engine.validation import (FLOAT_DTYPES, check_input, check_observed, check_sequences,
                                  resolve_device,
                          resolve_seed, to_float32_tensor)
from ..modules import AutoencoderLoss

if TYPE_CHECKING:
    from typing_extensions import Self


class BaseSequenceAutoencoder(TableParams, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                              BaseEstimator):
    """Base class of the seqae transformers; not for direct use.

    Subclasses name their PyTorch module class (``_module``) and criterion class
    (``_criterion``) and say how the module is configured (``_module_params``). The module is
    instantiated by skorch in ``fit``, never here. The module's ``encode``, ``decode``,
    ``reconstruct`` and ``forward`` take ``lengths=`` (ragged batches); the criterion takes
    ``mask=`` (see :class:`~seqae._engine.net.SeqAENet`).
    """

    _module: type[nn.Module] | None = None
    _criterion: type[nn.Module] = AutoencoderLoss
    #: The rows of :data:`seqae._engine.params.PARAMS` this estimator takes, in ``__init__``'s order.
    _params: tuple[Any, ...] = ()
    _parameter_constraints: dict[str, list[Any]] = {}

    #: The fitted attributes every autoencoder has, documented once (see
    #: :class:`~seqae._engine.params.TableParams`).
    _attributes_doc = ATTRIBUTES

    def __init__(self, **params: Any) -> None:
        # Subclasses call this with their (explicit) signature's arguments; every parameter
        # is stored as given, nothing else is done here (scikit-learn's convention).
        names = [row.name for row in type(self)._params]
        if sorted(params) != sorted(names):
            raise TypeError(f"{type(self).__name__} takes {names}; got {sorted(params)}")
        for name in names:
            setattr(self, name, params[name])

    # -- hooks for subclasses -------------------------------------------------------------
    def _resolve_n_components(self, n_timesteps, n_channels):
        """Context size ``n_C``: ``n_components`` if set, else Eq. 3 solved for ``n_C``
        (``sigma='auto'``: ``min(m_X * n_X, AUTO_MAX_COMPONENTS)``)."""
        sigma = getattr(self, "sigma", "auto")
        if self.n_components is not None:
            if sigma != "auto":
                raise ValueError(
                    f"{type(self).__name__}: n_components={self.n_components} and "
                    f"sigma={sigma} both set the code's size; set one of them (and the other "
                    "to its default: n_components=None or sigma='auto')."
                )
            return self.n_components
        if sigma == "auto":
            return auto_n_components(n_channels, n_timesteps)
        return max(1, int(round(self.sigma * n_channels * n_timesteps)))

    def _resolve_training(self, n_samples):
        """``(max_epochs, batch_size)`` with ``'auto'`` resolved for ``n_samples`` sequences
        (of which ``validation_fraction`` are held out)."""
        n_train = max(1, n_samples - int(np.ceil(n_samples * self.validation_fraction)))
        return resolve_budget(self.max_epochs, self.batch_size, n_train)

    def _module_params(self, n_components):
        """Keyword arguments of ``_module`` beyond the data-derived sizes: the parameters
        whose table row goes to the module, and what the class fixes (``_module_fixed``)."""
        return {**module_kwargs(self), **self._module_fixed}

    #: Module arguments the estimator class fixes (e.g. its bridge).
    _module_fixed: dict[str, Any] = {}

    def _criterion_params(self):
        """Keyword arguments of ``_criterion``: the parameters whose row goes to it."""
        return criterion_kwargs(self)

    def _check_ragged(self, lengths):
        """Raise if this configuration cannot take ragged input (``lengths`` not ``None``)."""

    # -- scikit-learn API -----------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: object = None) -> Self:
        """Train the autoencoder on sequences ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            Training sequences: 2D for univariate, 3D (batch, time, features) for
            multivariate, or a list of sequences of shape ``(T_i, n_features)`` or
            ``(T_i,)`` of different lengths. Ragged sequences are
            zero-padded to the longest one, which fixes ``n_timesteps_``; the padded steps
            are skipped by the encoder (packed sequences) and masked out of the loss. NaN
            marks a missing value when ``missing='mask'`` and is an error otherwise. A
            ``numpy.memmap`` or another lazily sliced array (h5py, zarr) is streamed:
            read, validated and cast batch by batch, never copied whole.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted estimator.

        Notes
        -----
        A non-finite training or validation loss (or weight) stops ``fit`` with a
        ``FloatingPointError`` naming the epoch and what to try (scale the data, lower
        ``lr``, set ``clip_grad_norm``); the estimator is then left unfitted. ``fit`` warns
        when ``X`` reaches magnitudes of 1000 or more (unscaled data).

        Ragged input (a list of sequences of different lengths) is zero-padded to the
        longest training sequence, which fixes ``n_timesteps_``; the encoder stops at each
        sequence's own last step and the padded steps are masked out of the loss, so a code
        does not depend on the padding. The decoder always produces ``n_timesteps_`` steps
        (``inverse_transform(..., lengths=...)`` cuts them); for RAES and RAESC, whose
        context is laid out over a fixed number of decoder steps, ``n_X`` is that padded
        length. At ``transform``, lists may hold sequences of any length (a longer one
        than ``n_timesteps_`` is encoded in full; ``score_samples`` scores its first
        ``n_timesteps_`` steps, which is all the decoder produces); arrays must have
        exactly ``n_timesteps_`` steps.
        """
        self.__dict__.pop("net_", None)  # a failed fit leaves the estimator unfitted
        data, scale, device = self._training_input(X, first=True)
        seed = resolve_seed(self.random_state)
        n_components = self._resolve_n_components(self.n_timesteps_, self.n_channels_)
        net = self._initialize_net(n_components, seed, device, _num_samples(X))
        with self._non_finite_as_error(scale), _seeded(seed, device):
            net.fit(data)
        self._set_net(net, device)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X: ArrayLike, y: object = None) -> Self:
        """Train on one chunk of sequences: one pass over ``X``, in mini-batches.

        The incremental counterpart of :meth:`fit`, for data that come in chunks (or do not
        fit in memory): the first call fixes the layout (time steps, features, code size)
        and builds the network; each call trains one epoch over ``X`` and keeps the
        optimizer's state (Adam's moments) for the next. ``fit`` starts afresh and
        discards what ``partial_fit`` trained. ``partial_fit`` after ``fit`` continues
        training the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            One chunk of training sequences, in any layout :meth:`fit` takes (including a
            ``numpy.memmap`` or an h5py/zarr dataset, which is read batch by batch, and
            ragged lists). Chunks after the first must match the first one's layout:
            arrays of ``n_timesteps_`` steps, or lists of sequences of at most
            ``n_timesteps_`` steps, with ``n_channels_`` features; anything else is a
            ``ValueError``.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The estimator, trained one more epoch (``net_.history`` has one row per call).

        Notes
        -----
        With ``random_state=int`` the same sequence of calls on the same chunks gives the
        same model: call ``k`` seeds its shuffling (and noise, sampling) from
        ``(random_state, k)``. ``validation_fraction`` holds out that part of each chunk
        (the history records its ``valid_loss``); ``patience`` has no effect here, as each
        call is one epoch: watch ``net_.history`` and stop calling. ``batch_size='auto'``
        and ``patch_size='auto'`` are resolved on the first chunk (``batch_size_``,
        ``patch_size_``); ``max_epochs`` plays no part. A non-finite loss or
        weight raises ``FloatingPointError`` and leaves the estimator unfitted, as in
        :meth:`fit`.

        Examples
        --------
        >>> from seqae import RAESCTransformer
        >>> from seqae.datasets import make_sine_sequences
        >>> X = make_sine_sequences(40, 16, 2, random_state=0)
        >>> ae = RAESCTransformer(sigma=0.25, random_state=0)
        >>> for epoch in range(2):
        ...     for chunk in (X[:20], X[20:]):
        ...         ae = ae.partial_fit(chunk)
        >>> len(ae.net_.history), ae.transform(X).shape
        (4, (40, 8))
        """
        first = not self.__sklearn_is_fitted__()
        data, scale, device = self._training_input(X, first=first)
        base_seed = resolve_seed(self.random_state)
        if first:
            n_components = self._resolve_n_components(self.n_timesteps_, self.n_channels_)
            net = self._initialize_net(n_components, base_seed, device, _num_samples(X))
        else:
            net = self.net_
        n_done = 0 if first else len(net.history)
        seed = int(np.random.SeedSequence([base_seed, n_done]).generate_state(1)[0])
        net.iterator_train__seed = seed  # (set_params would ask to re-initialise the net)
        with self._non_finite_as_error(scale), _seeded(seed, device):
            if not net.initialized_:
                net.initialize()  # what net.partial_fit does first
            set_progress(net, epochs=1, leave=False)  # one epoch per call: a bar not kept
            net.partial_fit(data, epochs=1)
        if first:
            self._set_net(net, device)
        return self

    def _training_input(self, X, *, first):
        """Checks shared by ``fit`` and ``partial_fit``: ``(data, scale, device)``.

        ``data`` is what the net trains on (a tensor, a dict batch, or a
        :class:`~seqae._engine.net.SequenceStream` for a lazily read array); ``scale`` the
        largest magnitude seen (in a lazy array's first ``SCALE_CHECK_ROWS`` rows only, read in
        chunks).
        ``first=True`` records the layout (as ``fit`` does, with ``patch_size_``); otherwise
        ``X`` must match it.
        """
        allow_nan = self.missing == "mask"
        if self.patience is not None and self.validation_fraction == 0:
            raise ValueError(
                f"patience={self.patience} stops training when the validation loss stops "
                "improving, so it needs a validation split; got validation_fraction=0. Set "
                "validation_fraction (e.g. 0.1), or patience=None."
            )
        try:
            n_samples = _num_samples(X)
        except TypeError:  # not a collection: the input checks below say what it is
            n_samples = None
        if (self.validation_fraction > 0 and n_samples is not None
                and n_samples - math.ceil(n_samples * self.validation_fraction) < 1):
            raise ValueError(
                f"validation_fraction={self.validation_fraction} of {n_samples} sequence(s) "
                "leaves none to train on. Pass more sequences, or validation_fraction=0."
            )
        lengths = None
        if is_lazy_array(X):
            check_lazy_layout(self, X, reset=first, allow_nan=allow_nan)
            data, scale = SequenceStream(X, self._convert_rows), _head_magnitude(X)
        else:
            X3, lengths = check_input(self, X, reset=first, allow_nan=allow_nan)
            if allow_nan:  # all-NaN sequences: refused if all, else named in a warning
                check_observed(type(self).__name__, X3, lengths)
            self._check_ragged(lengths)
            data = _net_input(X3, lengths)
            scale = _magnitude(X3)
        device = resolve_device(self.device) if first else self.device_
        warn_if_unscaled(self, scale)
        if first:
            self.patch_size_ = (auto_patch_size(self.n_timesteps_, lengths)
                                if self.patch_size == "auto" else self.patch_size)
        return data, scale, device

    def _convert_rows(self, rows):
        """Validate a mini-batch of a lazily read array; return the net's input for it."""
        X3 = check_sequences(self, rows, reset=False, allow_nan=self.missing == "mask")
        return _net_input(X3, None)

    def _initialize_net(self, n_components, seed, device, n_samples):
        """The (not yet initialised) skorch net for the fitted layout and ``n_components``,
        with ``'auto'`` training parameters resolved for ``n_samples`` sequences: built by
        the engine from :meth:`_net_config`'s values."""
        return build_net(self._net_config(n_components, seed, device, n_samples))

    def _net_config(self, n_components, seed, device, n_samples):
        """This estimator's net as a :class:`~seqae._engine.training.NetConfig`."""
        max_epochs, batch_size = self._resolve_training(n_samples)
        train_split = None
        if self.validation_fraction > 0:
            train_split = ValidSplit(self.validation_fraction, random_state=seed)
        return NetConfig(
            module=self._module,
            module_params={"n_features": self.n_channels_, "n_timesteps": self.n_timesteps_,
                           "n_components": n_components, "patch_size": self.patch_size_,
                           **self._module_params(n_components)},
            criterion=self._criterion,
            criterion_params=self._criterion_params(),
            lr=self.lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            callbacks=self._training_callbacks() + user_callbacks(self.callbacks),
            device=device,
            verbose=epoch_table(self.verbose),
            net_params=batch_iterators(seed, device),
        )

    def _non_finite_as_error(self, scale):
        """:func:`seqae._engine.training.non_finite_as_error` with this estimator's advice."""
        return non_finite_as_error(self, (
            f"scaling the data (largest |X| is {scale:.4g}; standardise each feature), a "
            f"lower learning rate (lr={self.lr:g} now, e.g. lr={self.lr / 10:g}), or "
            f"gradient clipping ({clip_remedy(self.clip_grad_norm)})"))

    @classmethod
    def _from_saved(cls, params, attributes, net_params, module_state, optimizer_state,
                    history, device):
        """Rebuild a fitted estimator from saved state: the persistence hook.

        :func:`seqae.load` calls this (and nothing else of the estimator); what it passes is
        what :func:`seqae.save` read through public APIs. Internal: not for direct use.

        Parameters
        ----------
        params : dict
            Constructor parameters (``get_params(deep=False)``).
        attributes : dict
            The fitted public attributes (every ``*_`` but ``net_``).
        net_params : dict
            The net's module and criterion arguments (``module__*``, ``criterion__*``),
            ``batch_size``, ``max_epochs`` and ``lr``; they replace what ``fit`` would have
            resolved.
        module_state, optimizer_state : dict
            ``state_dict()`` of the module and of the optimizer.
        history : list or None
            The skorch history's rows.
        device : str
            A resolved device (``'cpu'``, ``'cuda:0'``, ...); also the ``device`` parameter.

        Returns
        -------
        estimator : fitted instance of ``cls``
        """
        # the saved net parameters (batch size, epochs, module sizes) replace what the
        # estimator would resolve for a data set of one sequence
        return rebuild_saved(
            cls, params, attributes,
            lambda estimator, device: estimator._initialize_net(estimator.n_components_, 0,
                                                                device, 1),
            net_params, module_state, optimizer_state, history, device)

    def _set_net(self, net, device):
        """Record a trained net and what it fixes (``net_``, ``n_components_``, ...)."""
        self.net_ = net
        self.device_ = device
        n_components = net.module__n_components
        self.n_components_ = n_components
        self.sigma_ = n_components / (self.n_channels_ * self.n_timesteps_)
        self.max_epochs_ = net.max_epochs
        self.batch_size_ = net.batch_size
        bridge = net.module_.bridge
        self.decoder_input_shape_ = (bridge.n_steps, bridge.n_step_features)

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Encode sequences into codes of ``n_components_`` values.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            Sequences with the fitted number of time steps and features, or a list of
            sequences ``(T_i, n_features)`` (or ``(T_i,)``) of any lengths: the encoder is
            recurrent, so a sequence longer than ``n_timesteps_`` (the longest training
            sequence) is encoded in full, every step of it. A ``numpy.memmap`` or another
            lazily sliced array (h5py, zarr) is read and encoded batch by batch (the codes
            are returned in memory).

        Returns
        -------
        codes : ndarray of shape (n_samples, n_components_)
            float32 for float32 input; float64 for any other dtype, float16, integers and
            booleans included (the network computes in float32, which float16 cannot
            hold).
        """
        return self._apply_to_sequences(_encode, X, longer="encode")

    def inverse_transform(self, X: ArrayLike, lengths: ArrayLike | None = None
                          ) -> NDArray[np.float64] | list[NDArray[np.float64]]:
        """Decode codes back to sequences.

        With ``missing='mask'``, ``inverse_transform(transform(X))`` is finite everywhere and
        so imputes the missing values, e.g. ``np.where(np.isnan(X), X_hat, X)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components_)
            Codes, e.g. the output of ``transform``; a ``numpy.memmap`` or another lazily
            sliced array is decoded block by block.
        lengths : array-like of int of shape (n_samples,) or None, default=None
            Length of each decoded sequence, at most ``n_timesteps_`` (e.g. the ``len`` of
            each sequence passed to ``transform``). Given, the result is a list of arrays,
            each cut to its sequence's own length; ``None`` decodes ``n_timesteps_`` steps.
            The decoder produces ``n_timesteps_`` steps (RAES and RAESC lay the code out
            over that many), so the code of a longer sequence decodes to its first
            ``n_timesteps_`` steps only: pass ``np.minimum(lengths, n_timesteps_)``; a
            longer length is an error.

        Returns
        -------
        X_original : ndarray or list of ndarray
            Reconstructed sequences in the layout seen in ``fit``: ``(n_samples,
            n_timesteps_)`` if ``fit`` saw 2D input (or 1D sequences), else ``(n_samples,
            n_timesteps_, n_channels_)``; with ``lengths``, a list of ``(lengths[i],)`` or
            ``(lengths[i], n_channels_)`` arrays. float32 for float32 codes, float64
            for any other dtype (float16 included).
        """
        check_is_fitted(self)
        if is_lazy_array(X):
            return stream_inverse_transform(self, X, lengths)
        codes = check_array(X, dtype=FLOAT_DTYPES)
        if codes.shape[1] != self.n_components_:
            raise ValueError(
                f"inverse_transform expects codes of shape (n_samples, {self.n_components_}) "
                f"(n_components_); got shape {codes.shape}."
            )
        batch = to_float32_tensor(codes)
        if lengths is not None:
            lengths = self._check_lengths(lengths, len(codes))
            self._check_ragged(lengths)
            batch = {"x": batch, "lengths": torch.from_numpy(lengths.astype(np.int64))}
        decoded = self.net_.apply_module(_decode, batch)
        decoded = decoded.numpy().astype(codes.dtype, copy=False)
        decoded = decoded[:, :, 0] if self.input_ndim_ == 2 else decoded
        if lengths is None:
            return decoded
        return [sequence[:length].copy() for sequence, length in zip(decoded, lengths)]

    def _check_lengths(self, lengths: ArrayLike, n_samples: int) -> NDArray[Any]:
        given = np.asarray(lengths)
        if (given.ndim != 1 or len(given) != n_samples or given.dtype.kind not in "iu"
                or given.min(initial=1) < 1 or given.max(initial=1) > self.n_timesteps_):
            raise ValueError(
                f"lengths must be {n_samples} integers (one per code) between 1 and "
                f"n_timesteps_={self.n_timesteps_}; got {given.dtype} array of shape "
                f"{given.shape} with values {given.ravel()[:5].tolist()}"
                f"{'...' if given.size > 5 else ''}. The decoder produces at most "
                f"n_timesteps_ steps: for longer sequences pass np.minimum(lengths, "
                f"{self.n_timesteps_})."
            )
        return given

    def score_samples(self, X: ArrayLike) -> NDArray[np.float64]:
        """Negative mean squared reconstruction error of each sequence.

        Higher is more normal, as for scikit-learn's outlier detectors, so the scores can be
        thresholded for anomaly detection. The error is averaged over time steps and
        features.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``transform``; padded steps and missing values are not scored. The
            decoder reconstructs ``n_timesteps_`` steps, so a sequence of a list that is
            longer than that is scored on its first ``n_timesteps_`` steps (encoded and
            reconstructed as a training-length sequence); its later steps are not scored.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            float32 for float32 input, float64 for any other dtype (float16 included).
        """
        return -self._apply_to_sequences(_reconstruction_mse, X)

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Mean of :meth:`score_samples` over the sequences of ``X`` (higher is better).

        As for :class:`sklearn.decomposition.PCA`, so that model selection needs no labels:
        ``GridSearchCV(RAESCTransformer(), {"sigma": [0.25, 0.5, 1.0]}).fit(X)`` and
        ``cross_val_score(estimator, X)`` rank models by this score on held-out sequences
        (minus the mean squared reconstruction error; the mean ELBO for the VRAE; minus
        the mean squared error of every output for the LSTM autoencoder's prediction
        modes). A larger code tends to reconstruct better, so a search over the code's
        size tends to the largest one: the score compares models of one size best, or
        sizes against a criterion of your own.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``score_samples`` (a sequence of a list longer than ``n_timesteps_`` is
            scored on its first ``n_timesteps_`` steps).
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        score : float
        """
        return float(np.mean(self.score_samples(X)))

    def _apply_to_sequences(self, fn, X, *, longer="crop"):
        """Validate ``X`` against the fit (arrays or lists of sequences, NaN as the ``missing``
        parameter says) and apply ``fn(module, batch)`` batch-wise to the net's input (a
        tensor, or a dict batch: see :func:`_unpack`); the result in ``X``'s float dtype.

        Sequences of a list longer than ``n_timesteps_`` (the longest training sequence)
        are passed whole with ``longer='encode'`` (the recurrent encoder reads any length),
        and cropped to their first ``n_timesteps_`` steps with ``longer='crop'``: what
        compares a reconstruction with its input, as the decoder produces ``n_timesteps_``
        steps. So cross-validation on ragged data never fails because a test fold holds a
        longer sequence than its training folds."""
        check_is_fitted(self)
        if is_lazy_array(X):
            check_lazy_layout(self, X, reset=False, allow_nan=self.missing == "mask")
            return stream_apply(self, fn, X, self._convert_rows)
        X3, lengths = check_input(self, X, reset=False, allow_nan=self.missing == "mask",
                                  allow_longer=True)
        if longer == "crop" and X3.shape[1] > self.n_timesteps_:
            X3 = X3[:, :self.n_timesteps_]
            if lengths is not None:
                lengths = np.minimum(lengths, self.n_timesteps_)
                lengths = None if (lengths == self.n_timesteps_).all() else lengths
        self._check_ragged(lengths)
        result = self.net_.apply_module(fn, _net_input(X3, lengths))
        return result.numpy().astype(X3.dtype, copy=False)

    def _training_callbacks(self):
        """seqae's own skorch callbacks (:func:`seqae._engine.training.training_callbacks`).

        Subclasses append theirs (e.g. the VRAE's KL warm-up); ``fit`` puts the user's
        (deep-copied) ``callbacks`` after these, so they see e.g. the clipped gradients."""
        return training_callbacks(type(self).__name__, verbose=self.verbose,
                                  clip_grad_norm=self.clip_grad_norm, patience=self.patience)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    @property
    def _n_features_out(self):
        return self.n_components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = self.missing == "mask"
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
