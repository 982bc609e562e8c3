"""The unscaled-data check of ``fit``: the largest magnitude of the training data."""

import math
import warnings

import numpy as np

__all__ = ["UNSCALED_MAGNITUDE", "SCALE_CHECK_ROWS", "SCALE_CHECK_CHUNK", "_magnitude",
           "_head_magnitude", "warn_if_unscaled"]

#: ``fit`` warns when the data reach this magnitude: recurrent nets want scaled inputs.
UNSCALED_MAGNITUDE = 1e3
#: For an array read lazily, the magnitude is checked on this many first rows only, read
#: ``SCALE_CHECK_CHUNK`` values (at least one row) at a time: memory does not grow with them.
SCALE_CHECK_ROWS = 10_000
SCALE_CHECK_CHUNK = 2**14


def _magnitude(values):
    """Largest ``|value|`` of an array, NaN (missing values) left out."""
    return float(np.max(np.abs(values), initial=0.0, where=~np.isnan(values)))


def _head_magnitude(X):
    """:func:`_magnitude` of a lazy array's first ``SCALE_CHECK_ROWS`` rows, read a chunk of
    about ``SCALE_CHECK_CHUNK`` values at a time (never all of them at once)."""
    n_rows = min(int(X.shape[0]), SCALE_CHECK_ROWS)
    step = max(1, SCALE_CHECK_CHUNK // max(1, math.prod(int(s) for s in X.shape[1:])))
    return max((_magnitude(np.asarray(X[start:min(start + step, n_rows)], dtype=np.float64))
                for start in range(0, n_rows, step)), default=0.0)


def warn_if_unscaled(estimator, scale):
    """Warn when the training data reach :data:`UNSCALED_MAGNITUDE` (``scale``)."""
    if scale >= UNSCALED_MAGNITUDE:
        warnings.warn(
            f"{type(estimator).__name__}: X has values up to {scale:.4g} in magnitude; "
            "recurrent autoencoders train poorly on unscaled data (saturated units, "
            "exploding losses). Standardise each feature first, e.g. with "
            "sklearn.preprocessing.StandardScaler on X.reshape(-1, n_features).",
            UserWarning, stacklevel=5,
        )
