"""Filling missing values in sequences with a sequence autoencoder."""

from __future__ import annotations

import warnings
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


def held_back_entries(observed, rng, fraction=0.2):
    """Observed entries to hold back from training, to choose ``blend``: each sequence gets
    the missingness pattern of another sequence (a random pairing), so held-back entries
    look like the real gaps (single points, blocks, ...); where the training data have no
    missing entry, a random ``fraction`` of the entries instead. Every sequence keeps at
    least one observed entry per channel (where it had one)."""
    n = observed.shape[0]
    missing = ~observed
    if missing.any() and n > 1:
        partner = (np.arange(n) + rng.integers(1, n)) % n  # never a sequence itself
        held = observed & missing[partner]
    else:
        held = observed & (rng.random(observed.shape) < fraction)
    emptied = observed.any(axis=1) & ~(observed & ~held).any(axis=1)  # (n, m)
    for i, c in zip(*np.nonzero(emptied)):
        held[i, np.flatnonzero(observed[i, :, c])[0], c] = False
    return held


#: Upper edges of the gap-distance bins of ``blend='auto'``: an entry 1, 2, 3-4, 5-8, 9-16 or
#: more than 16 steps from the nearest observed entry of its sequence and channel.
GAP_EDGES = (1, 2, 4, 8, 16)

#: The weights ``blend='auto'`` chooses from.
BLEND_GRID = np.linspace(0.0, 1.0, 21)

#: A gap-distance bin with fewer held-back entries than this takes its channel's pooled
#: weight.
MIN_BIN_ENTRIES = 30


def gap_bins(observed, lengths=None):
    """Bin (:data:`GAP_EDGES`) of every entry's distance along time to the nearest observed
    entry of its sequence and channel: ``(n, T, m)`` ints, 0 for observed entries' own
    neighbours at distance 1, ``len(GAP_EDGES)`` beyond the last edge (and where a sequence
    has no observed entry in a channel)."""
    n, T, m = observed.shape
    distance = np.full(observed.shape, np.inf)
    steps = np.arange(T)
    for i in range(n):
        length = T if lengths is None else lengths[i]
        for c in range(m):
            seen = np.flatnonzero(observed[i, :length, c])
            if not len(seen):
                continue
            right = np.clip(np.searchsorted(seen, steps[:length]), 0, len(seen) - 1)
            left = np.clip(right - 1, 0, len(seen) - 1)
            distance[i, :length, c] = np.minimum(np.abs(seen[right] - steps[:length]),
                                                 np.abs(steps[:length] - seen[left]))
    return np.searchsorted(np.asarray(GAP_EDGES), distance, side="left")


def blend_weights(model_fill, linear_fill, truth, held, bins=None):
    """The weight ``w`` in ``[0, 1]`` (steps of 0.05) of ``linear + w * (model - linear)``
    with the least mean absolute error on the ``held`` entries: per channel ``(m,)``, or with ``bins``
    (:func:`gap_bins`) per gap-distance bin and channel ``(len(GAP_EDGES) + 1, m)``, a bin
    with fewer than :data:`MIN_BIN_ENTRIES` held-back entries taking its channel's weight.
    0 where there are no held-back entries."""
    m = truth.shape[2]
    step, gain = model_fill - linear_fill, truth - linear_fill

    def fitted(keep):
        if not keep.any() or not (step[keep] != 0).any():
            return 0.0
        # the least mean absolute error over a grid of weights (the smallest on ties)
        errors = np.abs(gain[keep][None, :] - BLEND_GRID[:, None] * step[keep][None, :])
        return float(BLEND_GRID[np.argmin(errors.mean(axis=1))])

    pooled = np.array([fitted(held & (np.arange(m) == c)) for c in range(m)])
    if bins is None:
        return pooled
    weights = np.tile(pooled, (len(GAP_EDGES) + 1, 1))
    for b in range(len(GAP_EDGES) + 1):
        for c in range(m):
            keep = held & (bins == b) & (np.arange(m) == c)
            if keep.sum() >= MIN_BIN_ENTRIES:
                weights[b, c] = fitted(keep)
    return weights


class SequenceImputer(TableParams, TransformerMixin, BaseEstimator):
    """Fill the missing values (NaN) of sequences with a sequence autoencoder.

    ``fit`` standardises each feature (mean and standard deviation of its observed values)
    and trains a clone of ``estimator`` with ``missing='mask'``: the loss counts observed
    entries only, so the network learns to reconstruct whole sequences from their observed
    part. ``transform`` reconstructs each sequence (``inverse_transform(transform(X))``),
    optionally corrects the reconstruction (``correction``), blends it with linear
    interpolation along time (``blend``: by default with the weight that held-back observed
    entries chose in ``fit``, 0 where the autoencoder does not beat interpolation), and
    writes the result into the missing entries only: every observed value is returned
    unchanged, every NaN filled. As in
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
    blend_ : ndarray of shape (n_channels,)
        The weight of the autoencoder's fill over linear interpolation, per channel
        (``blend``), pooled over gap distances.
    blend_by_gap_ : ndarray of shape (6, n_channels)
        The weights ``transform`` uses, per gap-distance bin (1, 2, 3-4, 5-8, 9-16, more
        than 16 steps from the nearest observed entry) and channel.
    n_held_back_ : int
        Observed training entries held back to choose ``blend_`` (0 for a fixed ``blend``).

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
        "estimator", "correction", "blend", "random_state", "verbose",
        estimator={"constraints": [HasMethods(["fit", "transform", "inverse_transform"]),
                                   None],
                   "note": "It must reconstruct all steps: ``fit`` refuses the LSTM "
                           "autoencoder's ``'prediction'`` and ``'composite'`` modes; the "
                           "clone is set to ``missing='mask'``."})

    def __init__(self, estimator: BaseEstimator | None = None, *,
                 correction: str = "interpolate", blend: str | float = "auto",
                 random_state: int | np.random.RandomState | None = None,
                 verbose: int | str = "auto") -> None:
        self.estimator = estimator
        self.correction = correction
        self.blend = blend
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
        seed = resolve_seed(self.random_state)
        if self.estimator is None:
            estimator = default_autoencoder(self.n_timesteps_ * self.n_channels_, len(X3),
                                            seed, n_timesteps=self.n_timesteps_)
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

        def fit(X):
            with warnings.catch_warnings():  # said above, in the imputer's name
                warnings.filterwarnings("ignore", message=".*sequence\\(s\\) are all NaN")
                return estimator.fit(self._standardised(X, lengths))

        if self.blend != "auto":
            self.estimator_ = fit(X3)
            self.blend_ = np.full(self.n_channels_, float(self.blend))
            self.blend_by_gap_ = np.full((len(GAP_EDGES) + 1, self.n_channels_),
                                         float(self.blend))
            self.n_held_back_ = 0
            return self
        held = held_back_entries(observed, np.random.default_rng(seed))
        X_train = np.where(held, np.nan, X3)
        self.estimator_ = fit(X_train)
        self.n_held_back_ = int(held.sum())
        Z3 = (X3 - self.mean_) / self.scale_
        model_fill, linear_fill = self._fills(X_train, lengths, observed & ~held)
        self.blend_ = blend_weights(model_fill, linear_fill, Z3, held)
        self.blend_by_gap_ = blend_weights(model_fill, linear_fill, Z3, held,
                                           gap_bins(observed & ~held, lengths))
        return self

    def _fills(self, X3, lengths, observed):
        """The autoencoder's fill (with ``correction``) and linear interpolation, both of
        every entry of ``X3``, standardised: ``(model, linear)``, each ``(n, T, m)``."""
        Z3 = (X3 - self.mean_) / self.scale_
        model = self.estimator_
        reconstruction = model.inverse_transform(
            model.transform(self._standardised(X3, lengths)))
        if isinstance(reconstruction, list):  # sequences of different lengths
            padded = np.zeros(X3.shape)
            for i, r in enumerate(reconstruction):
                r = np.asarray(r)
                padded[i, :len(r)] = r.reshape(len(r), -1)
            reconstruction = padded
        if reconstruction.ndim == 2:
            reconstruction = reconstruction[:, :, None]
        reconstruction = reconstruction.astype(np.float64)
        linear = _interpolate_gaps(Z3, observed, lengths)
        if self.correction == "interpolate":
            reconstruction = reconstruction + _interpolate_gaps(
                Z3 - reconstruction, observed, lengths)
        return reconstruction, linear

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
            model_fill, linear_fill = self._fills(X3, lengths, observed)
            # the weight of each entry's gap-distance bin and channel
            weight = self.blend_by_gap_[gap_bins(observed, lengths),
                                        np.arange(self.n_channels_)]
            blended = linear_fill + weight * (model_fill - linear_fill)
            estimate = blended * self.scale_ + self.mean_
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
