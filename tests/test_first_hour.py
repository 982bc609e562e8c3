"""A new user's first hour (issue 26): the messages and checks met on first contact with
frames, the detector and the imputer, and what a fit prints."""

import warnings

import numpy as np
import pytest

import seqae
from seqae import LSTMAutoencoder, RAESCTransformer
from seqae.anomaly import AutoencoderAnomalyDetector, SlidingWindows
from seqae.impute import SequenceImputer
from seqae.interop import LayoutWarning

from ._models import MODELS
from .conftest import FAST


# -- frames ---------------------------------------------------------------------------------
@pytest.mark.parametrize("id_name", ["id", "patient_id", "Subject", "unique_id"])
def test_a_wide_frame_with_a_named_id_column_is_refused(sines_1d, id_name):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sines_1d, columns=[f"t{i}" for i in range(sines_1d.shape[1])])
    frame.insert(0, id_name, np.arange(100, 100 + len(frame)))
    with pytest.raises(ValueError, match=rf"X\.set_index\('{id_name}'\)"):
        MODELS["rae"]().fit(frame)
    with pytest.raises(ValueError, match="named like an id"):
        SequenceImputer(MODELS["rae"]()).fit(frame)
    # moved to the index, the same table trains
    MODELS["rae"](verbose=0).fit(frame.set_index(id_name))


@pytest.mark.filterwarnings("ignore:.*unscaled data")
def test_a_wide_frame_with_an_unnamed_integer_row_id_warns(sines_1d):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sines_1d, columns=[f"v{i}" for i in range(sines_1d.shape[1])])
    frame.insert(0, "key", np.random.default_rng(0).permutation(len(frame)) + 1000)
    with pytest.warns(LayoutWarning, match=r"column 'key'.*row id.*set_index\('key'\)"):
        MODELS["rae"](verbose=0).fit(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LayoutWarning)
        MODELS["rae"](verbose=0).fit(frame.drop(columns=["key"]))  # floats only: silent
        with seqae.config_context(check_layout=False):
            MODELS["rae"](verbose=0).fit(frame)


# -- the detector ---------------------------------------------------------------------------
def test_detector_names_the_fix_for_a_row_vector():
    series = np.sin(np.arange(120) / 3.0)[np.newaxis, :]
    with pytest.raises(ValueError, match=r"series\.ravel\(\).*reshape\(-1, 1\).*\(120, 1\)"):
        AutoencoderAnomalyDetector().fit(series)
    with pytest.raises(ValueError, match=r"series\.ravel\(\)"):
        SlidingWindows(8).fit(series)


def test_window_size_longer_than_the_series_is_refused_with_the_largest_valid_value():
    series = np.sin(np.arange(50) / 3.0)
    with pytest.raises(ValueError, match=r"window_size=80 is longer.*largest valid "
                                         r"window_size is 50"):
        AutoencoderAnomalyDetector(window_size=80).fit(series)
    with pytest.raises(ValueError, match="largest valid window_size is 50"):
        SlidingWindows(51).fit(series)
    assert SlidingWindows(50).fit(series).window_size_ == 50


# -- the imputer ----------------------------------------------------------------------------
def test_imputer_infinity_message_names_no_missing_parameter(sines_1d):
    X = sines_1d.copy()
    X[1, 2] = np.inf
    for data in (X, [row for row in X[:-1]] + [X[-1, :5]]):  # an array, a ragged list
        with pytest.raises(ValueError, match="infinity") as info:
            SequenceImputer(MODELS["rae"]()).fit(data)
        message = str(info.value)
        assert "missing=" not in message and "X[np.isinf(X)] = np.nan" in message
    # the autoencoders have the parameter, and their message still names it
    with pytest.raises(ValueError, match="missing='mask'"):
        MODELS["rae"](missing="mask").fit(X[:, :, None])


@pytest.mark.parametrize("mode", ["prediction", "composite"])
def test_imputer_refuses_an_lstm_that_does_not_reconstruct(sines_1d, mode):
    X = sines_1d.copy()
    X[::4, 3] = np.nan
    imputer = SequenceImputer(LSTMAutoencoder(4, mode=mode, n_future=2, **FAST))
    with pytest.raises(ValueError, match=rf"mode='{mode}'.*cannot impute.*'reconstruction'"):
        imputer.fit(X)
    SequenceImputer(LSTMAutoencoder(4, **FAST, verbose=0)).fit(X)  # reconstruction: fine


def test_all_nan_sequences_are_named_or_refused(sines_1d):
    X = sines_1d.copy()
    X[[3, 7]] = np.nan
    X[::5, 1] = np.nan
    with pytest.warns(UserWarning, match=r"SequenceImputer: 2 sequence\(s\) are all NaN "
                                         r"\(indices 3, 7\)") as caught:
        imputer = SequenceImputer(MODELS["rae"](verbose=0), random_state=0).fit(X)
    assert sum("all NaN" in str(w.message) for w in caught) == 1  # said once, by the imputer
    with pytest.warns(UserWarning, match=r"indices 3, 7\).*empty input"):
        filled = imputer.transform(X)
    assert np.isfinite(filled).all()
    with pytest.warns(UserWarning, match=r"RAETransformer: 2 sequence\(s\) are all NaN"):
        MODELS["rae"](missing="mask", verbose=0).fit(X)
    ragged = [row[:n] for row, n in zip(X, [8, 6] * 12)]
    with pytest.warns(UserWarning, match=r"indices 3, 7\)"):
        MODELS["rae"](missing="mask", verbose=0).fit(ragged)
    everything = np.full_like(X, np.nan)
    with pytest.raises(ValueError, match="nothing to learn"):
        SequenceImputer(MODELS["rae"]()).fit(everything)
    with pytest.raises(ValueError, match="nothing to learn"):
        MODELS["rae"](missing="mask").fit(everything)
    with warnings.catch_warnings():  # no empty sequence: silent
        warnings.simplefilter("error")
        MODELS["rae"](missing="mask", verbose=0).fit(np.delete(X, [3, 7], axis=0))


# -- what a fit prints ----------------------------------------------------------------------
def test_auto_verbose_writes_progress_lines_when_not_interactive(sines, capsys, monkeypatch,
                                                                 caplog):
    import logging

    from seqae._engine import callbacks

    # pytest's captured stderr is not a terminal: no bar; a fit shorter than the interval
    # prints nothing
    RAESCTransformer(sigma=0.5, **{**FAST, "max_epochs": 3}).fit(sines)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(callbacks, "PROGRESS_INTERVAL_S", 0.0)
    monkeypatch.setattr(callbacks.logger, "hasHandlers", lambda: False)
    RAESCTransformer(sigma=0.5, **{**FAST, "max_epochs": 3}).fit(sines)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "RAESCTransformer: epoch 1/3", "RAESCTransformer: epoch 2/3",
        "RAESCTransformer: epoch 3/3", "RAESCTransformer: done after epoch 3/3"]
    assert "train_loss=" in lines[0] and lines[0].endswith(" s")
    monkeypatch.undo()
    monkeypatch.setattr(callbacks, "PROGRESS_INTERVAL_S", 0.0)
    with caplog.at_level(logging.INFO, logger="seqae"):  # logging configured: records
        RAESCTransformer(sigma=0.5, **{**FAST, "max_epochs": 2}).fit(sines)
    assert capsys.readouterr().err == ""
    assert [r.getMessage().split(",")[0] for r in caplog.records if r.name == "seqae"] == [
        "RAESCTransformer: epoch 1/2", "RAESCTransformer: epoch 2/2",
        "RAESCTransformer: done after epoch 2/2"]
    RAESCTransformer(sigma=0.5, **{**FAST, "max_epochs": 2}, verbose=0).fit(sines)
    assert capsys.readouterr().err == ""


def test_the_losses_terms_are_recorded_and_labelled(sines, monkeypatch, capsys):
    from seqae._engine import callbacks

    ae = RAESCTransformer(sigma=0.5, contrastive=0.5, **{**FAST, "max_epochs": 2},
                          verbose=0).fit(sines)
    for row in ae.net_.history:
        total = (row["train_reconstruction"] + 0.5 * row["train_contrastive"]
                 + 10.0 * row["train_isometry"])  # the default isometry=10
        assert row["train_loss"] == pytest.approx(total, rel=1e-5)
        assert row["train_contrastive"] > 0 and row["train_isometry"] > 0
    # one term only: train_loss is the reconstruction loss, no extra columns
    plain = RAESCTransformer(sigma=0.5, contrastive=0.0, isometry=0.0, **FAST,
                             verbose=0).fit(sines)
    assert "train_reconstruction" not in plain.net_.history[-1]
    monkeypatch.setattr(callbacks, "PROGRESS_INTERVAL_S", 0.0)
    monkeypatch.setattr(callbacks.logger, "hasHandlers", lambda: False)
    RAESCTransformer(sigma=0.5, contrastive=0.5, **FAST).fit(sines)
    line = capsys.readouterr().err.splitlines()[0]
    assert "train_loss=" in line and "(total)" in line
    assert "reconstruction=" in line and "contrastive=" in line and "isometry=" in line


# -- docstrings that tests can hold to the code ---------------------------------------------
@pytest.mark.parametrize("name", sorted(MODELS))
def test_documented_output_dtypes(name, sines):
    ae = MODELS[name](verbose=0).fit(sines)
    for method in ("transform", "inverse_transform", "score_samples"):
        assert "float16" in getattr(type(ae), method).__doc__, method  # documented
    for dtype, expected in ((np.float16, np.float64), (np.int32, np.float64),
                            (np.float32, np.float32), (np.float64, np.float64)):
        X = sines.astype(dtype)
        codes = ae.transform(X)
        assert codes.dtype == expected, dtype
        assert ae.inverse_transform(codes).dtype == expected, dtype
        assert ae.score_samples(X).dtype == expected, dtype


def test_documented_output_dtypes_of_the_tasks(sines_1d, fast_default):
    X = sines_1d.copy()
    X[::3, 2] = np.nan
    imputer = SequenceImputer(MODELS["rae"](verbose=0), random_state=0).fit(X)
    assert "float16" in SequenceImputer.transform.__doc__
    assert imputer.transform(X.astype(np.float16)).dtype == np.float64
    assert imputer.transform(X.astype(np.float32)).dtype == np.float32
    series = np.sin(np.arange(60) / 3.0)
    windows = SlidingWindows(8).fit(series)
    assert "float16" in SlidingWindows.transform.__doc__
    assert windows.transform(series.astype(np.float16)).dtype == np.float64
    assert windows.transform(series.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("name", ["raes", "raesc"])
def test_transform_encodes_a_list_of_longer_sequences_as_documented(name, sines):
    ae = MODELS[name](verbose=0).fit(sines)
    doc = type(ae).__doc__
    assert "of any length" in doc and "up to ``n_X`` steps" not in doc
    longer = [np.vstack([seq, seq[:4]]) for seq in sines[:3]]  # 12 steps, trained on 8
    codes = ae.transform(longer)
    assert codes.shape == (3, ae.n_components_)
    # every step is read: the codes differ from those of the first 8 steps
    assert not np.allclose(codes, ae.transform(sines[:3]))
    with pytest.raises(ValueError, match="n_timesteps_=8"):
        ae.transform(np.stack(longer))  # an array must have n_X steps
