"""Layouts of other time-series libraries: channels-first arrays and long-format tables.

seqae follows PyTorch's batch-first recurrent layout, ``(n_samples, n_timesteps, n_features)``
(time before features), as Keras does. aeon and sktime put the channels first:
``(n_cases, n_channels, n_timepoints)``, and their unequal-length collections are lists of
``(n_channels, n_timepoints_i)`` arrays. :func:`from_channels_first` converts both (or
:func:`channels_first_adapter`'s step does, inside a pipeline), and :func:`to_channels_first`
converts reconstructions back. :func:`from_long_format` turns a long-format table (one row
per observation: a sequence id, a time, values; tsfresh's and Nixtla's layout) into
sequences.

seqae's estimators refuse 3D input that looks channels first (one time step, or a time axis
at most a quarter as long as the feature axis) and warn (:class:`LayoutWarning`) when the
time axis is merely shorter; ``seqae.set_config(check_layout=False)`` keeps such data as
they are.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._engine.validation import LayoutWarning


__all__ = ["ChannelsFirstAdapter", "LayoutWarning", "channels_first_adapter",
           "from_channels_first", "from_long_format", "to_channels_first"]


def _check_3d(X, name):
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(
            f"{name} expects a 3D array; got an array of shape {X.shape}. aeon and sktime "
            "hold a collection of series as (n_cases, n_channels, n_timepoints), and one of "
            "unequal lengths as a list of (n_channels, n_timepoints_i) arrays."
        )
    return X


def _is_collection_list(X: object) -> TypeGuard[list[Any]]:
    return (isinstance(X, (list, tuple))
            or (isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1))


def _swap_each(X, name, source, channel_axis):
    arrays = [np.asarray(series) for series in X]
    for i, arr in enumerate(arrays):
        if arr.ndim != 2:
            raise ValueError(
                f"{name} expects a list of 2D {source} arrays; entry {i} has shape "
                f"{arr.shape}."
            )
    channels = sorted({arr.shape[channel_axis] for arr in arrays})
    if len(channels) > 1:
        raise ValueError(
            f"{name} expects every series to have the same number of channels (a list of "
            f"{source} arrays); got {channels} channels."
        )
    return [arr.T for arr in arrays]


def from_channels_first(X: ArrayLike) -> NDArray[Any]:
    """Convert aeon/sktime's ``(n_cases, n_channels, n_timepoints)`` to seqae's layout.

    Parameters
    ----------
    X : array-like of shape (n_cases, n_channels, n_timepoints), or list of arrays
        A collection of equal-length series as aeon (e.g. ``aeon.datasets.load_gunpoint``)
        and sktime's ``numpy3D`` type return it, or a list of ``(n_channels,
        n_timepoints_i)`` arrays: aeon's collection of unequal-length series (e.g.
        ``load_classification("JapaneseVowels")``).

    Returns
    -------
    X_seqae : ndarray of shape (n_cases, n_timepoints, n_channels), or list of arrays
        A view of ``X`` (no copy) with time before channels, as every seqae estimator reads
        it; for a list, a list of ``(n_timepoints_i, n_channels)`` views. The dtype is
        unchanged.

    See Also
    --------
    to_channels_first : The inverse conversion.
    channels_first_adapter : The same conversion as a pipeline step.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import from_channels_first
    >>> X_aeon = np.zeros((50, 1, 150))  # GunPoint: 50 univariate series of 150 points
    >>> from_channels_first(X_aeon).shape
    (50, 150, 1)
    >>> ragged = [np.zeros((2, 30)), np.zeros((2, 45))]  # aeon: unequal lengths, 2 channels
    >>> [series.shape for series in from_channels_first(ragged)]
    [(30, 2), (45, 2)]
    """
    if _is_collection_list(X):
        return _swap_each(X, "from_channels_first", "(n_channels, n_timepoints_i)", 0)
    return np.swapaxes(_check_3d(X, "from_channels_first"), 1, 2)


def to_channels_first(X: ArrayLike) -> NDArray[Any]:
    """Convert seqae's ``(n_samples, n_timesteps, n_features)`` to aeon/sktime's layout.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps[, n_features]), or list of arrays
        Sequences as seqae returns them (e.g. from ``inverse_transform``); a 2D array is read
        as univariate. A list of ``(T_i, n_features)`` (or ``(T_i,)``) arrays becomes aeon's
        list of ``(n_features, T_i)`` arrays.

    Returns
    -------
    X_channels_first : ndarray of shape (n_samples, n_features, n_timesteps), or list
        A view of ``X`` when it is 3D.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import to_channels_first
    >>> to_channels_first(np.zeros((50, 150))).shape
    (50, 1, 150)
    """
    if _is_collection_list(X):
        return _swap_each([np.asarray(seq).reshape(len(seq), -1) for seq in X],
                          "to_channels_first", "(T_i, n_features)", 1)
    X = np.asarray(X)
    if X.ndim == 2:
        X = X[:, :, np.newaxis]
    return np.swapaxes(_check_3d(X, "to_channels_first"), 1, 2)


def from_long_format(df: Any, *, id: str, time: str, value: str | list[str] | None = None
                     ) -> NDArray[np.float64] | list[NDArray[np.float64]]:
    """Convert a long-format table (one row per observation) to seqae's sequences.

    A long-format table has a column that identifies the sequence (``id``), one that orders
    the observations within it (``time``) and value columns: tsfresh's, Nixtla's
    (``unique_id``, ``ds``, ``y``) and many databases' layout. seqae reads a DataFrame as one
    sequence per row instead, so ``fit`` refuses a table that looks long (columns named like
    ids and times) and names this function.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    id : column label
        The column that identifies each sequence.
    time : column label
        The column that orders the observations of a sequence (numbers or datetimes; only
        the order is used, so irregular spacing is not represented).
    value : column label, list of labels or None, default=None
        The value column (univariate sequences) or columns (their features, in this
        order); ``None`` takes every column but ``id`` and ``time``.

    Returns
    -------
    X : ndarray or list of ndarray
        One sequence per id, in the order in which the ids first appear in ``df`` (the order
        of ``df[id].unique()``, so that labels can be aligned with it). Equal lengths give a
        2D array ``(n_ids, n_timepoints)`` for one value column or a 3D array
        ``(n_ids, n_timepoints, n_values)`` for several; different lengths give a list of
        ``(T_i,)`` or ``(T_i, n_values)`` arrays, which every seqae estimator takes.

    Raises
    ------
    ValueError
        A column is missing, a value column is not numeric, or an id has the same time twice.

    Examples
    --------
    >>> import pandas as pd
    >>> from seqae.interop import from_long_format
    >>> df = pd.DataFrame({"id": [7, 7, 7, 3, 3, 3], "time": [2, 0, 1, 0, 1, 2],
    ...                    "value": [0.2, 0.0, 0.1, 1.0, 1.1, 1.2]})
    >>> from_long_format(df, id="id", time="time", value="value")
    array([[0. , 0.1, 0.2],
           [1. , 1.1, 1.2]])
    """
    missing = [c for c in (id, time) if c not in df.columns]
    if value is None:
        values = [c for c in df.columns if c not in (id, time)]
    else:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
    missing += [c for c in values if c not in df.columns]
    if missing or not values:
        raise ValueError(
            f"from_long_format: column(s) {missing or '(values)'} not found; the table has "
            f"columns {list(df.columns)}."
        )
    for column in values:
        if getattr(df[column].dtype, "kind", "O") not in "biuf":
            raise ValueError(
                f"from_long_format: value column {column!r} has dtype {df[column].dtype}; "
                "value columns must be numeric (pass value= to choose them)."
            )
    if df.duplicated([id, time]).any():
        raise ValueError(
            f"from_long_format: some {id!r} has the same {time!r} twice; aggregate the "
            f"duplicates first (e.g. df.groupby([{id!r}, {time!r}], as_index=False).mean())."
        )
    sequences = []
    for _, group in df.groupby(id, sort=False):
        block = group.sort_values(time, kind="stable")[values].to_numpy(dtype=np.float64)
        sequences.append(block[:, 0] if len(values) == 1 else block)
    if len({len(seq) for seq in sequences}) == 1:
        return np.stack(sequences)
    return sequences


class ChannelsFirstAdapter(TransformerMixin, BaseEstimator,  # type: ignore[call-arg]
                          auto_wrap_output_keys=None):
    """A stateless pipeline step that converts aeon/sktime's layout to seqae's.

    ``transform`` is :func:`from_channels_first` (``(n_cases, n_channels, n_timepoints)``,
    or a list of ``(n_channels, n_timepoints_i)`` arrays, to seqae's time-first layout);
    ``inverse_transform`` is :func:`to_channels_first`. Build it with
    :func:`channels_first_adapter`.

    Its output is 3D (or a list of 2D arrays), which no table can hold: under
    ``set_output(transform="pandas")`` (or ``"polars"``) it keeps returning arrays, without a
    warning, so that a pipeline configured for tables gets them from the steps that make
    2D output (the autoencoder's codes, for instance). ``get_feature_names_out`` names the
    channels, which are the features of every time step in seqae's layout.

    Attributes
    ----------
    n_features_in_ : int
        Channels of the series seen in ``fit``.
    feature_names_in_ : ndarray of str
        Never set (a 3D array has no column names).

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import ChannelsFirstAdapter
    >>> adapter = ChannelsFirstAdapter().fit(np.zeros((4, 2, 10)))
    >>> adapter.transform(np.zeros((4, 2, 10))).shape
    (4, 10, 2)
    >>> adapter.get_feature_names_out().tolist()
    ['channel0', 'channel1']
    """

    def fit(self, X: ArrayLike, y: object = None) -> ChannelsFirstAdapter:
        """Record the number of channels (nothing is learnt).

        Parameters
        ----------
        X : array-like of shape (n_cases, n_channels, n_timepoints), or list of arrays
            Series channels first, as for :func:`from_channels_first`.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        converted = from_channels_first(X)
        first = converted[0] if isinstance(converted, list) else converted[0]
        self.n_features_in_ = int(np.shape(first)[-1])
        return self

    def transform(self, X: ArrayLike) -> Any:
        """:func:`from_channels_first` of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_cases, n_channels, n_timepoints), or list of arrays
            Series channels first, with the channels seen in ``fit`` (if it was fitted:
            the adapter learns nothing, so it also transforms without ``fit``).

        Returns
        -------
        X_seqae : ndarray of shape (n_cases, n_timepoints, n_channels), or list of arrays
            A view of ``X``, time before channels.
        """
        converted = from_channels_first(X)
        first = converted[0] if isinstance(converted, list) else converted[0]
        if hasattr(self, "n_features_in_") and np.shape(first)[-1] != self.n_features_in_:
            raise ValueError(f"X has {np.shape(first)[-1]} channels, but ChannelsFirstAdapter "
                             f"was fitted on {self.n_features_in_}.")
        return converted

    def inverse_transform(self, X: ArrayLike) -> Any:
        """:func:`to_channels_first` of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]), or list of arrays
            Sequences in seqae's layout (e.g. reconstructions).

        Returns
        -------
        X_channels_first : ndarray of shape (n_samples, n_features, n_timesteps), or list
        """
        return to_channels_first(X)

    def get_feature_names_out(self, input_features: ArrayLike | None = None
                              ) -> NDArray[np.object_]:
        """Names of the channels: the features of every time step of the output.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Channel names; ``None`` gives ``channel0, channel1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str of shape (n_features_in_,)
        """
        check_is_fitted(self)
        if input_features is None:
            return np.asarray([f"channel{i}" for i in range(self.n_features_in_)],
                              dtype=object)
        names = np.asarray(input_features, dtype=object)
        if len(names) != self.n_features_in_:
            raise ValueError(f"input_features has {len(names)} names; the adapter was fitted "
                             f"on {self.n_features_in_} channels.")
        return names

    def set_output(self, *, transform: str | None = None) -> ChannelsFirstAdapter:
        """Accept a pipeline's output configuration; the output stays an array.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None
            Recorded only: 3D output cannot be a table.

        Returns
        -------
        self : object
        """
        self._output_config = {"transform": transform}
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


def channels_first_adapter() -> ChannelsFirstAdapter:
    """A stateless pipeline step that converts aeon/sktime's layout to seqae's.

    Put it in front of a seqae estimator so that a pipeline takes aeon's arrays as they come
    (``make_pipeline(channels_first_adapter(), RAESCTransformer(), SVC())``).

    Returns
    -------
    adapter : ChannelsFirstAdapter
        ``transform`` is :func:`from_channels_first`, ``inverse_transform`` is
        :func:`to_channels_first`; a complete transformer (``get_feature_names_out``,
        ``set_output``), which :func:`seqae.save` saves inside a pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import channels_first_adapter
    >>> channels_first_adapter().fit_transform(np.zeros((4, 2, 10))).shape
    (4, 10, 2)
    """
    return ChannelsFirstAdapter()
