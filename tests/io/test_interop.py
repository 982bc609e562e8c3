"""Interop with the rest of the ecosystem: pandas, aeon/sktime layout, progress, saving."""

import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from seqae import LSTMAutoencoder, RAESCTransformer, RAETransformer, VRAETransformer
from seqae.io.export import export_model
from seqae.io.interop import channels_first_adapter, from_channels_first, to_channels_first

from ..conftest import FAST


# -- pandas -----------------------------------------------------------------------------
def test_pandas_2d_input_matches_numpy_and_keeps_column_names(sines_1d):
    pd = pytest.importorskip("pandas")
    columns = [f"t{i}" for i in range(sines_1d.shape[1])]
    frame = pd.DataFrame(sines_1d, columns=columns)
    ae = RAESCTransformer(sigma=0.5, **FAST).fit(frame)
    np.testing.assert_array_equal(ae.feature_names_in_, columns)
    ref = RAESCTransformer(sigma=0.5, **FAST).fit(sines_1d)
    np.testing.assert_array_equal(ae.transform(frame), ref.transform(sines_1d))
    # Columns in another order are a mistake scikit-learn reports.
    with pytest.raises(ValueError, match="feature names"):
        ae.transform(frame[columns[::-1]])


def test_set_output_pandas_names_the_code_columns(sines_1d):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sines_1d, columns=[f"t{i}" for i in range(sines_1d.shape[1])],
                         index=np.arange(100, 100 + len(sines_1d)))
    ae = RAESCTransformer(sigma=0.5, **FAST).set_output(transform="pandas")
    codes = ae.fit_transform(frame)
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.columns) == [f"raesctransformer{i}" for i in range(4)]
    assert list(codes.columns) == list(ae.get_feature_names_out())
    np.testing.assert_array_equal(codes.index, frame.index)
    np.testing.assert_array_equal(codes.to_numpy(),
                                  ae.set_output(transform="default").transform(frame))


def test_set_output_pandas_with_3d_numpy_input(sines):
    pd = pytest.importorskip("pandas")
    ae = VRAETransformer(n_components=3, **FAST).set_output(transform="pandas")
    codes = ae.fit(sines).transform(sines)
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.columns) == ["vraetransformer0", "vraetransformer1", "vraetransformer2"]
    assert codes.shape == (len(sines), 3)


# -- aeon / sktime layout -----------------------------------------------------------------
def test_channels_first_round_trip(sines):
    X_aeon = np.ascontiguousarray(np.swapaxes(sines, 1, 2))  # (n, channels, time)
    X = from_channels_first(X_aeon)
    assert X.shape == sines.shape
    np.testing.assert_array_equal(X, sines)
    np.testing.assert_array_equal(to_channels_first(X), X_aeon)
    assert to_channels_first(sines[:, :, 0]).shape == (len(sines), 1, sines.shape[1])
    with pytest.raises(ValueError, match="n_cases, n_channels, n_timepoints"):
        from_channels_first(sines[:, :, 0])


def test_channels_first_adapter_in_a_pipeline(sines):
    X_aeon = np.swapaxes(sines, 1, 2).copy()
    y = (sines[:, :4, 0].mean(axis=1) > 0).astype(int)
    pipe = make_pipeline(channels_first_adapter(), RAESCTransformer(sigma=0.25, **FAST),
                         SVC()).fit(X_aeon, y)
    ae = pipe[1]
    # The autoencoder saw (n, time, channels): 8 steps of 2 features, not 2 steps of 8.
    assert (ae.n_timesteps_, ae.n_channels_) == (8, 2)
    direct = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    np.testing.assert_array_equal(pipe[:2].transform(X_aeon), direct.transform(sines))


def test_channels_first_adapter_under_pandas_output_is_silent(sines, recwarn):
    pytest.importorskip("pandas")
    X_aeon = np.swapaxes(sines, 1, 2).copy()
    y = (sines[:, :4, 0].mean(axis=1) > 0).astype(int)
    pipe = make_pipeline(channels_first_adapter(), RAESCTransformer(sigma=0.25, **FAST),
                         SVC()).set_output(transform="pandas")
    pipe.fit(X_aeon, y)
    pipe.predict(X_aeon)
    codes = pipe[:2].transform(X_aeon)
    assert [str(w.message) for w in recwarn] == []
    assert type(codes).__name__ == "DataFrame" and codes.shape[0] == len(sines)
    adapter = pipe[0]
    assert adapter.get_feature_names_out().tolist() == ["channel0", "channel1"]
    assert adapter.get_feature_names_out(["a", "b"]).tolist() == ["a", "b"]
    np.testing.assert_array_equal(adapter.inverse_transform(adapter.transform(X_aeon)), X_aeon)
    with pytest.raises(ValueError, match="fitted on 2"):
        adapter.transform(X_aeon[:, :1])


# -- progress -------------------------------------------------------------------------------
def test_verbose_1_prints_one_row_per_epoch_and_verbose_0_nothing(sines, capsys):
    RAETransformer(sigma=0.5, **{**FAST, "max_epochs": 3}, verbose=0).fit(sines)
    assert capsys.readouterr().out == ""
    RAETransformer(sigma=0.5, **{**FAST, "max_epochs": 3}, verbose=1).fit(sines)
    out = capsys.readouterr().out
    assert "train_loss" in out
    rows = [line.split()[0] for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert rows == ["1", "2", "3"]


# -- saving ---------------------------------------------------------------------------------
def test_joblib_round_trip_keeps_weights_and_history(sines, tmp_path):
    # (pickle itself: tests/autoencoders/test_rae.py::test_clone_and_pickle_round_trip)
    ae = VRAETransformer(n_components=3, **FAST).fit(sines)
    joblib.dump(ae, tmp_path / "vrae.joblib")
    restored = joblib.load(tmp_path / "vrae.joblib")
    assert restored is not ae
    np.testing.assert_array_equal(restored.transform(sines), ae.transform(sines))
    np.testing.assert_array_equal(restored.score_samples(sines), ae.score_samples(sines))
    assert restored.get_params() == ae.get_params()
    # The restored net keeps its history and trains on from its weights.
    restored.net_.partial_fit(torch.tensor(sines, dtype=torch.float32))
    assert len(restored.net_.history) == 2 * FAST["max_epochs"]
    assert len(ae.net_.history) == FAST["max_epochs"]


@pytest.mark.parametrize("estimator", [
    VRAETransformer(n_components=3, **FAST),
    LSTMAutoencoder(4, activation="relu", **FAST),
], ids=lambda est: type(est).__name__)
def test_exported_encoder_matches_transform(estimator, sines):
    ae = estimator.fit(sines)
    X = sines[:7].astype(np.float32)
    with torch.no_grad():
        codes = export_model(ae).module()(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(codes, ae.transform(X), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_exported_encoder_runs_without_seqae(sines, tmp_path):
    ae = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    path = tmp_path / "encoder.pt2"
    export_model(ae, path)
    # A fresh interpreter in which seqae cannot be imported: loading needs only torch.
    code = (
        "import sys, numpy as np, torch\n"
        "sys.modules['seqae'] = None\n"
        "enc = torch.export.load(sys.argv[1]).module()\n"
        "with torch.no_grad():\n"
        "    np.save(sys.argv[3], enc(torch.from_numpy(np.load(sys.argv[2]))).numpy())\n"
    )
    X = sines[:7].astype(np.float32)
    np.save(tmp_path / "x.npy", X)
    subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "x.npy"),
                    str(tmp_path / "codes.npy")], check=True)
    np.testing.assert_allclose(np.load(tmp_path / "codes.npy"), ae.transform(X),
                               rtol=1e-5, atol=1e-6)


def test_exported_decoder_and_autoencoder_match_the_estimator(sines):
    ae = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    X = torch.tensor(sines, dtype=torch.float32)
    codes = ae.transform(sines.astype(np.float32))
    with torch.no_grad():
        decoded = export_model(ae, part="decoder").module()(torch.from_numpy(codes))
        recon = export_model(ae, part="autoencoder").module()(X)
    np.testing.assert_allclose(decoded.numpy(), ae.inverse_transform(codes), atol=1e-5)
    np.testing.assert_allclose(recon.numpy(), decoded.numpy(), atol=1e-5)
    with pytest.raises(ValueError, match="part must be one of"):
        export_model(ae, part="bridge")


# -- threads ------------------------------------------------------------------------------
def test_fits_in_threads_give_the_sequential_result(sines):
    # fit seeds PyTorch's process-wide RNG; without taking turns, concurrent fits in
    # threads (joblib's threading backend, multi-threaded Dask workers) reseed each other.
    from joblib import Parallel, delayed
    from sklearn.base import clone

    ae = VRAETransformer(n_components=3, **FAST)
    expected = clone(ae).fit(sines).transform(sines)
    fitted = Parallel(n_jobs=4, backend="threading")(
        delayed(clone(ae).fit)(sines) for _ in range(4))
    for model in fitted:
        np.testing.assert_array_equal(model.transform(sines), expected)
