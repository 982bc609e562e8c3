"""Filling missing values in sequences with a sequence autoencoder."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from .._engine.params import TableParams, rows
from ._common import default_autoencoder, pass_verbose, seeded_clone
from .._engine.validation import _is_sequence_list, check_input, check_observed, resolve_seed

if TYPE_CHECKING:
    from typing_extensions import Self


__all__ = ["SequenceImputer"]


def _is_dataframe(X: object) -> TypeGuard[Any]:
    """A pandas DataFrame (pandas is not imported for the check)."""
    return type(X).__name__ == "DataFrame" and type(X).__module__.startswith("pandas")


def _observed_steps(X3, lengths):
    """Boolean ``(n, T, m)``: observed (not NaN, not padding) entries."""
    observed = ~np.isnan(X3)
    if lengths is not None:
        observed &= (np.arange(X3.shape[1]) < lengths[:, None])[:, :, None]
    return observed


def _interpolate_gaps(values, observed, lengths):
    """Fill the unobserved entries of ``values`` ``(n, T, m)`` by linear interpolation
    along time between each sequence's observed entries (held constant beyond the first
    and last one; 0 where a sequence has no observed entry in a channel)."""
    out = np.where(observed, values, 0.0)
    n, T, m = values.shape
    for i in range(n):
        length = T if lengths is None else lengths[i]
        steps = np.arange(length)
        for c in range(m):
            seen = observed[i, :length, c]
            if seen.all() or not seen.any():
                continue
            out[i, :length, c] = np.interp(steps, steps[seen], values[i, :length, c][seen])
    return out


class SequenceImputer(TableParams, TransformerMixin, BaseEstimator):
    """Fill the missing values (NaN) of sequences with a sequence autoencoder.

    ``fit`` standardises each feature (mean and standard deviation of its observed values)
    and trains a clone of ``estimator`` with ``missing='mask'``: the loss counts observed
    entries only, so the network learns to reconstruct whole sequences from their observed
    part. ``transform`` reconstructs each sequence (``inverse_transform(transform(X))``),
    optionally corrects the reconstruction (``correction``), and writes it into the missing
    entries only: every observed value is returned unchanged, every NaN filled. As in
    :mod:`sklearn.impute`, the result has the input's layout: a 2D array or a 3D array, a
    list of sequences for a list, and for a pandas ``DataFrame`` (univariate sequences, one
    row each) a ``DataFrame`` with the input's index and columns. ``set_output(transform=
    "pandas")`` (or ``"polars"``) turns the 2D output of any 2D input into a table whose
    columns are :meth:`get_feature_names_out`.

    {parameters}

    Attributes
    ----------
    estimator_ : seqae autoencoder
        The fitted clone (on standardised data).
    n_features_in_ : int
        Time steps of the training sequences (the columns of a 2D input).
    feature_names_in_ : ndarray of str of shape (n_features_in_,)
        The column names of a ``DataFrame`` seen in ``fit``, when they are all strings.
    mean_, scale_ : ndarray of shape (n_channels,)
        Per-feature standardisation learnt in ``fit``.
    n_timesteps_ : int
        Longest training sequence; ``transform`` takes sequences up to this long (arrays of
        exactly this length).

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.impute import SequenceImputer
    >>> X = make_sine_sequences(40, 20, 1, random_state=0)[:, :, 0]
    >>> X_missing = X.copy()
    >>> X_missing[np.random.default_rng(0).random(X.shape) < 0.2] = np.nan
    >>> imputer = SequenceImputer(RAESCTransformer(n_components=5, max_epochs=3),
    ...                           random_state=0)
    >>> X_filled = imputer.fit_transform(X_missing)
    >>> bool(np.isnan(X_filled).any())
    False
    >>> observed = ~np.isnan(X_missing)
    >>> bool((X_filled[observed] == X_missing[observed]).all())
    True

    A ``DataFrame`` comes back as a ``DataFrame`` with its index and columns:

    >>> import pandas as pd
    >>> df = pd.DataFrame(X_missing, columns=[f"t{i}" for i in range(20)])
    >>> imputer.fit_transform(df).columns[:3].tolist()
    ['t0', 't1', 't2']
    """

    _params = rows(
        "estimator", "correction", "random_state", "verbose",
        estimator={"constraints": [HasMethods(["fit", "transform", "inverse_transform"]),
                                   None],
                   "note": "It must reconstruct all steps: ``fit`` refuses the LSTM "
                           "autoencoder's ``'prediction'`` and ``'composite'`` modes; the "
                           "clone is set to ``missing='mask'``."})

    def __init__(self, estimator: BaseEstimator | None = None, *,
                 correction: str = "interpolate",
                 random_state: int | np.random.RandomState | None = None,
                 verbose: int | str = "auto") -> None:
        self.estimator = estimator
        self.correction = correction
        self.random_state = random_state
        self.verbose = verbose

    def _standardised(self, X3, lengths):
        """Standardised sequences in the layout the autoencoder was fitted on."""
        Z = (X3 - self.mean_) / self.scale_
        if lengths is not None:
            Z = [z[:length] for z, length in zip(Z, lengths)]
            return [z[:, 0] for z in Z] if self.input_ndim_ == 2 else Z
        return Z[:, :, 0] if self.input_ndim_ == 2 else Z

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y: object = None) -> Self:
        """Train the autoencoder on the observed values of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            Sequences with NaN marking missing values: 2D univariate, 3D (batch, time,
            features), or a list of sequences ``(T_i,)`` / ``(T_i, n_features)`` of
            different lengths.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        X3, lengths = check_input(self, X, reset=True, allow_nan=True)
        check_observed(type(self).__name__, X3, lengths)
        observed = _observed_steps(X3, lengths)
        count = observed.sum(axis=(0, 1))
        values = np.where(observed, X3, 0.0)
        mean = values.sum(axis=(0, 1)) / np.maximum(count, 1)
        var = (np.where(observed, X3 - mean, 0.0) ** 2).sum(axis=(0, 1)) / np.maximum(count, 1)
        self.mean_ = mean
        self.scale_ = np.where(var > 0, np.sqrt(var), 1.0)
        if self.estimator is None:
            estimator = default_autoencoder(self.n_timesteps_ * self.n_channels_, len(X3),
                                            resolve_seed(self.random_state))
        else:
            estimator = seeded_clone(self.estimator, self.random_state)
        if getattr(estimator, "mode", "reconstruction") != "reconstruction":
            part = (" and reconstructs only the steps before them"
                    if estimator.mode == "composite" else "")
            raise ValueError(
                f"{type(self).__name__} fills a sequence's gaps from its reconstruction; "
                f"{type(estimator).__name__}(mode={estimator.mode!r}) does not reconstruct "
                "the whole sequence (it predicts its last n_future steps"
                f"{part}"
                "), so it cannot impute. Pass an autoencoder in mode='reconstruction', or "
                "leave estimator=None."
            )
        estimator.set_params(missing="mask")
        pass_verbose(estimator, self.verbose)
        with warnings.catch_warnings():  # said above, in the imputer's name
            warnings.filterwarnings("ignore", message=".*sequence\\(s\\) are all NaN")
            self.estimator_ = estimator.fit(self._standardised(X3, lengths))
        return self

    def transform(self, X: ArrayLike) -> Any:
        """Fill every missing value of ``X``; observed values are returned unchanged.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps_[, n_features]) or list of arrays
            Sequences in the layout seen in ``fit``, NaN marking missing values (a list may
            hold sequences of up to ``n_timesteps_`` steps).

        Returns
        -------
        X_filled : ndarray, list of ndarray or DataFrame
            ``X`` with every NaN replaced, in ``X``'s layout (float32 for float32 input,
            float64 for any other dtype, float16 included; a list for a
            list of sequences of different lengths; a ``DataFrame`` with ``X``'s index and
            columns for a ``DataFrame``).
        """
        check_is_fitted(self)
        X3, lengths = check_input(self, X, reset=False, allow_nan=True)
        table = _get_output_config("transform", self)["dense"]
        if table != "default" and (_is_sequence_list(X) or self.input_ndim_ != 2):
            got = "a list of sequences" if _is_sequence_list(X) else "3D sequences"
            raise ValueError(
                f"set_output(transform={table!r}) makes a table of 2D output; "
                f"{type(self).__name__} returns {got} here. Use set_output(transform="
                "'default') for this input, or fit and transform univariate sequences of "
                "one length as a 2D array."
            )
        missing = np.isnan(X3)
        filled = X3.copy()
        if missing.any():
            empty = ~_observed_steps(X3, lengths).any(axis=(1, 2))
            if empty.any():
                indices = np.flatnonzero(empty)
                shown = (", ".join(str(i) for i in indices[:10])
                         + (", ..." if len(indices) > 10 else ""))
                warnings.warn(
                    f"{type(self).__name__}: {len(indices)} sequence(s) are all NaN (indices "
                    f"{shown}): nothing in them to fill from, so their values are the "
                    "autoencoder's answer to an empty input (close to an average training "
                    "sequence), not an estimate of them.", UserWarning, stacklevel=2)
            observed = _observed_steps(X3, lengths)
            Z = self._standardised(X3, lengths)
            model = self.estimator_
            reconstruction = model.inverse_transform(model.transform(Z))
            if reconstruction.ndim == 2:
                reconstruction = reconstruction[:, :, None]
            reconstruction = reconstruction.astype(np.float64)
            if self.correction == "interpolate":
                Z3 = (X3 - self.mean_) / self.scale_
                reconstruction = reconstruction + _interpolate_gaps(
                    Z3 - reconstruction, observed, lengths)
            estimate = reconstruction * self.scale_ + self.mean_
            filled[missing] = estimate[missing].astype(X3.dtype)
        if _is_sequence_list(X):
            ends = lengths if lengths is not None else [X3.shape[1]] * len(X3)
            out = [seq[:length] for seq, length in zip(filled, ends)]
            return [seq[:, 0] for seq in out] if self.input_ndim_ == 2 else out
        filled = filled[:, :, 0] if self.input_ndim_ == 2 else filled
        if _is_dataframe(X) and filled.ndim == 2:
            # pandas in, pandas out (sklearn's set_output then renames the columns, if set)
            return type(X)(filled, index=X.index, columns=X.columns)
        return filled

    def get_feature_names_out(self, input_features: ArrayLike | None = None
                              ) -> NDArray[np.object_]:
        """Names of the output's columns: the input's, one per time step.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            ``None``: ``feature_names_in_`` where ``fit`` saw a ``DataFrame`` with string
            column names, else ``x0, x1, ..., x{n_features_in_ - 1}``. Otherwise names
            that must match ``feature_names_in_`` where it is set.

        Returns
        -------
        feature_names_out : ndarray of str
            The imputer keeps the layout: one name per time step.
        """
        check_is_fitted(self, "n_features_in_")
        return _check_feature_names_in(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
