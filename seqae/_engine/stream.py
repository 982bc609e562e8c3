"""Arrays larger than memory: ``numpy.memmap``, h5py/zarr datasets and the like, streamed.

Such an array is never validated or converted as a whole: its layout is checked from its
shape and first row, and every mini-batch is validated and cast to float32 on its own as it
is read (see :class:`~seqae._engine.net.SequenceStream` and :class:`~seqae._engine.net.StreamBatches`).
"""

import numpy as np
import torch
from scipy import sparse

from .net import STREAM_WINDOW_BATCHES, SequenceStream, StreamBatches
from .validation import check_sequences

__all__ = ["is_lazy_array", "check_lazy_layout", "stream_apply", "stream_inverse_transform"]


def is_lazy_array(X):
    """Whether ``X`` is read slice by slice rather than converted as a whole.

    True for a ``numpy.memmap`` and for any other array-like with a ``shape`` of 2 or 3
    known sizes, a NumPy ``dtype`` and slicing (h5py and zarr datasets, Dask arrays);
    false for in-memory NumPy arrays, lists, tensors, sparse matrices and DataFrames.
    """
    if isinstance(X, np.memmap):
        return X.ndim in (2, 3)
    if (isinstance(X, (np.ndarray, list, tuple, str, bytes)) or torch.is_tensor(X)
            or sparse.issparse(X) or not hasattr(X, "__getitem__")):
        return False
    shape, dtype = getattr(X, "shape", None), getattr(X, "dtype", None)
    if shape is None or dtype is None:  # (np.dtype(None) would be float64)
        return False
    try:
        np.dtype(dtype)
        return len(shape) in (2, 3) and all(int(size) >= 0 for size in shape)
    except (TypeError, ValueError):  # no dtype, no shape, or sizes not known (NaN)
        return False


def check_lazy_layout(estimator, X, *, reset, allow_nan=False):
    """Check a lazy array's layout against ``estimator`` without reading it.

    Only the first row is read and validated (with :func:`~seqae._engine.validation.check_sequences`,
    so the messages are the in-memory ones); ``reset=True`` records the layout as ``fit``
    does. The other rows are validated batch by batch when they are read.
    """
    if np.dtype(X.dtype).kind not in "biuf":
        raise ValueError(
            f"{type(estimator).__name__} expects numeric (int or float) values; got X of "
            f"dtype {X.dtype}."
        )
    check_sequences(estimator, np.asarray(X[:1]), reset=reset, allow_nan=allow_nan)
    if reset:
        estimator.n_features_in_ = int(X.shape[1])
    return X


def result_dtype(X):
    """float32 results for float32 input, float64 otherwise (as in memory)."""
    return np.float32 if np.dtype(X.dtype) == np.float32 else np.float64


def _into(out, start, values, n_rows, dtype):
    """Write ``values`` at ``out[start:]``, allocating ``out`` (``n_rows`` long) on first use."""
    if out is None:
        out = np.empty((n_rows, *values.shape[1:]), dtype=dtype)
    out[start:start + len(values)] = values
    return out


def stream_apply(estimator, fn, X, convert):
    """``estimator.net_.apply_module(fn, ...)`` over a lazy ``X``, batch by batch.

    ``convert(rows)`` validates a batch of raw rows and returns the net's input for it. The
    result is one in-memory array (``X``'s float dtype), filled batch by batch: memory
    holds the result, one window of raw input rows and one batch's activations.
    """
    net, dtype, out, start = estimator.net_, result_dtype(X), None, 0
    for batch, _ in StreamBatches(SequenceStream(X, convert), net.batch_size):
        values = net.apply_module(fn, batch).numpy()
        out = _into(out, start, values, len(X), dtype)
        start += len(values)
    return out


def stream_inverse_transform(estimator, codes, lengths):
    """``estimator.inverse_transform`` over lazy ``codes``, block by block (in memory out)."""
    step = STREAM_WINDOW_BATCHES * estimator.net_.batch_size
    lengths = None if lengths is None else np.asarray(lengths)
    if lengths is not None and len(lengths) != codes.shape[0]:
        estimator._check_lengths(lengths, codes.shape[0])  # raises
    parts, out = [], None
    for start in range(0, codes.shape[0], step):
        block = np.asarray(codes[start:start + step])
        if lengths is None:
            decoded = estimator.inverse_transform(block)
            out = _into(out, start, decoded, codes.shape[0], decoded.dtype)
        else:
            parts += estimator.inverse_transform(block, lengths=lengths[start:start + step])
    return parts if lengths is not None else out
