"""Arrays larger than memory: memory maps and lazily sliced arrays, read batch by batch."""

import numpy as np
import pytest

from seqae._engine.net import STREAM_WINDOW_BATCHES

from .._models import MODELS


class LazyArray:
    """An h5py/zarr-like dataset: shape, dtype and slicing only; records every read and
    refuses to be converted as a whole."""

    def __init__(self, data):
        self._data = data
        self.shape, self.dtype, self.ndim = data.shape, data.dtype, data.ndim
        self.reads = []

    def __len__(self):
        return len(self._data)

    def __getitem__(self, key):
        rows = np.arange(len(self._data))[key if isinstance(key, tuple) is False else key[0]]
        self.reads.append(np.size(rows))
        return self._data[key].copy()

    def __array__(self, *args, **kwargs):
        raise AssertionError("the whole array was read")


@pytest.fixture
def memmap(tmp_path, sines):
    path = tmp_path / "x.npy"
    out = np.lib.format.open_memmap(path, mode="w+", dtype=sines.dtype, shape=sines.shape)
    out[:] = sines
    out.flush()
    return np.load(path, mmap_mode="r")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_inference_on_a_memmap_equals_in_memory(name, sines, memmap, tmp_path):
    ae = MODELS[name](batch_size=5).fit(sines)
    codes = ae.transform(sines)
    streamed = ae.transform(memmap)
    assert type(streamed) is np.ndarray and streamed.dtype == np.float64
    np.testing.assert_array_equal(streamed, codes)
    np.testing.assert_array_equal(ae.score_samples(memmap), ae.score_samples(sines))
    stored = np.lib.format.open_memmap(tmp_path / "c.npy", mode="w+", dtype=codes.dtype,
                                       shape=codes.shape)
    stored[:] = codes
    np.testing.assert_array_equal(ae.inverse_transform(stored), ae.inverse_transform(codes))
    lengths = np.full(len(codes), 5)
    for a, b in zip(ae.inverse_transform(stored, lengths=lengths),
                    ae.inverse_transform(codes, lengths=lengths)):
        np.testing.assert_array_equal(a, b)


def test_float32_memmap_gives_float32(sines, tmp_path):
    X = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.float32,
                                  shape=sines.shape)
    X[:] = sines
    ae = MODELS["raesc"]().fit(X)
    assert ae.transform(X).dtype == np.float32
    assert ae.score_samples(X).dtype == np.float32


@pytest.mark.parametrize("validation_fraction", [0.0, 0.25])
def test_lazy_array_is_read_in_slices_never_whole(sines, validation_fraction, monkeypatch):
    # the unscaled-data check reads the first SCALE_CHECK_ROWS (10 000) rows: here fewer
    monkeypatch.setattr("seqae._engine.scale.SCALE_CHECK_ROWS", 8)
    X = LazyArray(np.concatenate([sines] * 4))  # 96 rows; batches of 4, windows of 64
    ae = MODELS["rae"](batch_size=4, validation_fraction=validation_fraction)
    ae.fit(X)
    window = STREAM_WINDOW_BATCHES * 4
    assert len(ae.net_.history) == 2 and max(X.reads) <= window
    if validation_fraction:
        assert np.isfinite(ae.net_.history[:, "valid_loss"]).all()
    n_reads = len(X.reads)
    ae.partial_fit(X)
    assert len(X.reads) > n_reads and max(X.reads) <= window
    codes = ae.transform(X)
    np.testing.assert_array_equal(codes, ae.transform(np.concatenate([sines] * 4)))
    assert max(X.reads) <= window


def test_streaming_fit_trains_like_in_memory(sines, memmap):
    in_memory = MODELS["raesc"](max_epochs=6).fit(sines)
    streamed = MODELS["raesc"](max_epochs=6).fit(memmap)
    losses = streamed.net_.history[:, "train_loss"]
    assert losses[-1] < losses[0]
    np.testing.assert_allclose(losses[-1], in_memory.net_.history[-1, "train_loss"], rtol=0.1)


def test_every_batch_of_a_memmap_is_validated(tmp_path):
    X = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.float32,
                                  shape=(200, 8, 1))
    X[:] = 0.1
    X[150, 3, 0] = np.nan  # far beyond the first row that the layout check reads
    with pytest.raises(ValueError, match="NaN"):
        MODELS["rae"]().fit(X)
    ae = MODELS["rae"](missing="mask").fit(X)  # masked: trains on the observed values
    assert np.isfinite(ae.transform(X)).all()
    X[150, 3, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        ae.transform(X)


def test_lazy_layout_errors(sines, memmap, tmp_path):
    ae = MODELS["rae"]().fit(sines)
    short = np.lib.format.open_memmap(tmp_path / "s.npy", mode="w+", dtype=np.float64,
                                      shape=(4, 5, 2))
    with pytest.raises(ValueError, match="n_timesteps_=8"):
        ae.transform(short)
    text = np.lib.format.open_memmap(tmp_path / "t.npy", mode="w+", dtype="S3", shape=(4, 8))
    with pytest.raises(ValueError, match="numeric"):
        MODELS["rae"]().fit(text)


def test_h5py_dataset(sines, tmp_path):
    h5py = pytest.importorskip("h5py")
    with h5py.File(tmp_path / "x.h5", "w") as f:
        f["X"] = sines
    with h5py.File(tmp_path / "x.h5", "r") as f:
        ae = MODELS["raesc"](validation_fraction=0.25).fit(f["X"])
        np.testing.assert_array_equal(ae.transform(f["X"]), ae.transform(sines))
