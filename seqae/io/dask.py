"""Dask arrays: encode and score blockwise, train incrementally from the blocks.

Needs the ``dask`` extra (``pip install '.[dask]'`` in a checkout). The functions take a
fitted (or, for :func:`fit_incremental`, any) seqae estimator and a 2-D ``(n_samples,
n_timesteps)`` or 3-D ``(n_samples, n_timesteps, n_features)`` ``dask.array``. The sample
axis may be chunked any way; the other axes are rechunked to one chunk each, so that every
block holds whole sequences. Whatever scheduler is active computes the result (e.g. a
``distributed.Client``'s cluster of worker processes).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._engine.validation import LAYOUTS, resolve_seed

if TYPE_CHECKING:
    from ..autoencoders.base import BaseSequenceAutoencoder

E = TypeVar("E", bound="BaseSequenceAutoencoder")


__all__ = ["transform", "score_samples", "fit_incremental"]


def _sequence_blocks(estimator, X):
    """``X`` as a dask array whose blocks hold whole sequences (chunked on axis 0 only)."""
    import dask.array as da

    if not isinstance(X, da.Array):
        raise TypeError(f"expected a dask.array.Array; got {type(X).__name__}. For NumPy "
                        "arrays and memory maps call the estimator's own methods.")
    if X.ndim not in (2, 3):
        raise ValueError(f"{type(estimator).__name__} expects {LAYOUTS}; got a dask array of "
                         f"shape {X.shape}.")
    if any(np.isnan(size) for size in X.shape[1:]):
        raise ValueError(f"the time and feature axes must have known sizes; got {X.shape}.")
    return X.rechunk({axis: -1 for axis in range(1, X.ndim)})


def _apply_block(block, estimator, method):
    return getattr(estimator, method)(block)


def _blockwise(estimator, X, method, trailing):
    import dask

    check_is_fitted(estimator)
    X = _sequence_blocks(estimator, X)
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    # The estimator is one node of the graph that every block's task depends on: it is
    # serialised once and sent once to each worker that needs it, not once per block.
    shipped = dask.delayed(estimator, pure=False, traverse=False)
    chunks = (X.chunks[0], *[(size,) for size in trailing])
    dropped = list(range(1 + len(trailing), X.ndim))
    return X.map_blocks(_apply_block, shipped, method, dtype=dtype, chunks=chunks,
                        drop_axis=dropped, meta=np.empty((0, *trailing), dtype=dtype))


def transform(estimator: Any, X: Any) -> Any:
    """Encode a dask array of sequences blockwise: the codes as a dask array.

    Parameters
    ----------
    estimator : fitted seqae estimator
    X : dask.array.Array of shape (n_samples, n_timesteps[, n_features])
        Sequences in the layout seen in ``fit``.

    Returns
    -------
    codes : dask.array.Array of shape (n_samples, n_components_)
        Chunked like ``X`` along the samples, one chunk across the components; float32
        for float32 ``X``, float64 otherwise. Each block equals ``estimator.transform`` of
        that block (a code does not depend on the other sequences of its batch, so the
        result equals ``estimator.transform(X.compute())`` bitwise on the same device).

    Examples
    --------
    >>> import dask.array as da
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> import seqae.dask
    >>> X = make_sine_sequences(40, 16, 2, random_state=0)
    >>> ae = RAESCTransformer(sigma=0.25, max_epochs=2, random_state=0).fit(X)
    >>> codes = seqae.dask.transform(ae, da.from_array(X, chunks=(10, 16, 2)))
    >>> codes.chunks, codes.dtype
    (((10, 10, 10, 10), (8,)), dtype('float64'))
    >>> bool((codes.compute() == ae.transform(X)).all())
    True
    """
    return _blockwise(estimator, X, "transform", (estimator.n_components_,))


def score_samples(estimator: Any, X: Any) -> Any:
    """``estimator.score_samples`` of a dask array of sequences, blockwise.

    Parameters
    ----------
    estimator : fitted seqae estimator
    X : dask.array.Array of shape (n_samples, n_timesteps[, n_features])

    Returns
    -------
    scores : dask.array.Array of shape (n_samples,)
        Chunked like ``X`` along the samples.

    Examples
    --------
    Univariate sequences as a 2-D array, scored in blocks of 25:

    >>> import dask.array as da
    >>> import seqae.dask
    >>> from seqae import RAETransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> series = make_sine_sequences(40, 16, 1, random_state=0)[:, :, 0]
    >>> scores = seqae.dask.score_samples(
    ...     RAETransformer(sigma=0.5, max_epochs=2, random_state=0).fit(series),
    ...     da.from_array(series, chunks=25))
    >>> scores.chunks
    ((25, 15),)
    """
    return _blockwise(estimator, X, "score_samples", ())


def fit_incremental(estimator: E, X: Any, *, epochs: int = 1, shuffle: bool = True,
                    random_state: int | np.random.RandomState | None = None) -> E:
    """Train ``estimator`` on a dask array block by block, through ``partial_fit``.

    The array is never gathered: each epoch computes one block at a time (the next one
    while the estimator trains on the current one) and calls ``estimator.partial_fit`` on
    it, one pass over the block in mini-batches with the optimizer's state kept. Memory
    use is two blocks plus the model.

    Parameters
    ----------
    estimator : seqae estimator
        Trained further if fitted (or partially fitted), else built by the first block.
    X : dask.array.Array of shape (n_samples, n_timesteps[, n_features])
        Training sequences (chunk the samples to fit in memory, e.g. 10 000-100 000).
    epochs : int, default=1
        Passes over the array.
    shuffle : bool, default=True
        Visit the blocks in a new random order every epoch (``partial_fit`` shuffles the
        rows within each block).
    random_state : int, RandomState instance or None, default=None
        Seed of the block order.

    Returns
    -------
    estimator : the trained estimator (``net_.history`` has one row per block and epoch)

    Examples
    --------
    >>> import dask.array as da
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.dask import fit_incremental
    >>> X = make_sine_sequences(60, 16, 2, random_state=0)
    >>> X = da.from_array(X, chunks=(20, 16, 2))
    >>> ae = fit_incremental(RAESCTransformer(sigma=0.25, random_state=0), X, epochs=2,
    ...                      random_state=0)
    >>> len(ae.net_.history)
    6
    """

    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be a positive integer; got {epochs!r}.")
    X = _sequence_blocks(estimator, X)
    rng = np.random.default_rng(resolve_seed(random_state))
    order = [block for _ in range(int(epochs))
             for block in (rng.permutation(X.numblocks[0]) if shuffle
                           else range(X.numblocks[0]))]
    with ThreadPoolExecutor(max_workers=1) as prefetch:
        upcoming = prefetch.submit(X.blocks[int(order[0])].compute)
        for position in range(len(order)):
            block = upcoming.result()
            if position + 1 < len(order):
                upcoming = prefetch.submit(X.blocks[int(order[position + 1])].compute)
            estimator.partial_fit(block)
    return estimator
