"""Bounded memory: fit + transform of an array read lazily add an amount that does not grow
with its number of sequences (apart from the returned codes)."""

import tracemalloc

import numpy as np

from seqae import RAETransformer
from seqae._engine.scale import SCALE_CHECK_CHUNK
from seqae._engine.net import STREAM_WINDOW_BATCHES

N_TIMESTEPS, BATCH_SIZE = 32, 25


def _sequences(n_samples):
    steps = np.arange(N_TIMESTEPS)[None, :, None]
    phase = np.arange(n_samples)[:, None, None] % 7
    return np.sin(steps / 5 + phase).astype(np.float32)


def _fit_transform(X):
    ae = RAETransformer(n_components=2, batch_size=BATCH_SIZE, max_epochs=1, device="cpu",
                        random_state=0, verbose=0)
    return ae.fit(X).transform(X)


class RowCountingArray:
    """A lazily sliced array (as an h5py or zarr dataset) that records how many rows each
    read materialises."""

    def __init__(self, data):
        self.data, self.shape, self.dtype = data, data.shape, data.dtype
        self.reads = []

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, key):
        rows = self.data[key]
        self.reads.append(len(rows) if rows.ndim == self.data.ndim else 1)
        return rows


def test_lazy_array_is_read_in_bounded_slices():
    # the largest read is one streamed window or one chunk of the scale check, whatever n;
    # reading the array whole (n = 2 x that bound) would fail
    bound = max(STREAM_WINDOW_BATCHES * BATCH_SIZE, SCALE_CHECK_CHUNK // N_TIMESTEPS)
    n_samples = 2 * bound
    X = RowCountingArray(_sequences(n_samples))
    codes = _fit_transform(X)
    assert codes.shape == (n_samples, 2)
    assert max(X.reads) <= bound
    # one epoch, the scale check (n < SCALE_CHECK_ROWS here), the transform, and the first
    # row twice (the layout checks of fit and transform)
    assert sum(X.reads) <= 3 * n_samples + 2


def _memmap(path, n_samples):
    X = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                  shape=(n_samples, N_TIMESTEPS, 1))
    X[:] = _sequences(n_samples)
    X.flush()
    return np.load(path, mmap_mode="r")


def _traced_peak(X):
    tracemalloc.start()
    try:
        codes = _fit_transform(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - codes.nbytes


def test_memmap_fit_transform_memory_does_not_grow_with_n(tmp_path):
    # tracemalloc sees NumPy's allocations (validation, casts, windows, codes): those that
    # would grow with the data if the array, or a copy of it, were materialised whole
    _fit_transform(_memmap(tmp_path / "warm.npy", 4 * BATCH_SIZE))  # first-call caches
    small, large = 500, 2000
    peaks = [_traced_peak(_memmap(tmp_path / f"X{n}.npy", n)) for n in (small, large)]
    added_data = (large - small) * N_TIMESTEPS * 4  # the extra rows, float32: 188 KiB
    # what may grow with n besides: a few int64 indices per row (the epochs' shuffles, the
    # validation split, ...: eight of them, 94 KiB; in the suite the peak grew by 95-105 KiB,
    # 65-72 bytes a row, and alone by less); a whole copy of the rows (188 KiB more, or
    # 375 KiB as float64) still fails
    indices = (large - small) * 8 * 8
    assert peaks[1] - peaks[0] < added_data / 2 + indices, peaks
