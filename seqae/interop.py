"""Layouts of other time-series libraries: aeon and sktime put channels before time.

seqae follows PyTorch's batch-first recurrent layout, ``(n_samples, n_timesteps, n_features)``
(time before features), as Keras does. aeon and sktime put the channels first:
``(n_cases, n_channels, n_timepoints)``. :func:`from_channels_first` converts their arrays (or
a ``FunctionTransformer`` built from it does, inside a pipeline), and
:func:`to_channels_first` converts reconstructions back.
"""

import numpy as np
from sklearn.preprocessing import FunctionTransformer

__all__ = ["from_channels_first", "to_channels_first", "channels_first_adapter"]


def _check_3d(X, name):
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(
            f"{name} expects a 3D array; got an array of shape {X.shape}. aeon and sktime "
            "hold a collection of series as (n_cases, n_channels, n_timepoints)."
        )
    return X


def from_channels_first(X):
    """Convert aeon/sktime's ``(n_cases, n_channels, n_timepoints)`` to seqae's layout.

    Parameters
    ----------
    X : array-like of shape (n_cases, n_channels, n_timepoints)
        A collection of equal-length series as aeon (e.g. ``aeon.datasets.load_gunpoint``)
        and sktime's ``numpy3D`` type return it.

    Returns
    -------
    X_seqae : ndarray of shape (n_cases, n_timepoints, n_channels)
        A view of ``X`` (no copy) with time before channels, as every seqae estimator reads
        it. The dtype is unchanged.

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
    """
    return np.swapaxes(_check_3d(X, "from_channels_first"), 1, 2)


def to_channels_first(X):
    """Convert seqae's ``(n_samples, n_timesteps, n_features)`` to aeon/sktime's layout.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
        Sequences as seqae returns them (e.g. from ``inverse_transform``); a 2D array is read
        as univariate.

    Returns
    -------
    X_channels_first : ndarray of shape (n_samples, n_features, n_timesteps)
        A view of ``X`` when it is 3D.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import to_channels_first
    >>> to_channels_first(np.zeros((50, 150))).shape
    (50, 1, 150)
    """
    X = np.asarray(X)
    if X.ndim == 2:
        X = X[:, :, np.newaxis]
    return np.swapaxes(_check_3d(X, "to_channels_first"), 1, 2)


def channels_first_adapter():
    """A stateless pipeline step that converts aeon/sktime's layout to seqae's.

    Put it in front of a seqae estimator so that a pipeline takes aeon's arrays as they come
    (``make_pipeline(channels_first_adapter(), RAESCTransformer(), SVC())``).

    Returns
    -------
    adapter : sklearn.preprocessing.FunctionTransformer
        ``transform`` is :func:`from_channels_first`, ``inverse_transform`` is
        :func:`to_channels_first`.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.interop import channels_first_adapter
    >>> channels_first_adapter().fit_transform(np.zeros((4, 2, 10))).shape
    (4, 10, 2)
    """
    return FunctionTransformer(from_channels_first, inverse_func=to_channels_first,
                               check_inverse=False)
