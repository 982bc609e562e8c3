"""Every bad input is a clear error: a ValueError/TypeError naming what was expected and what
was given, raised by seqae or scikit-learn (no torch/skorch traceback); inputs are never
modified in place."""

import os
import re
import traceback
from pathlib import Path

import numpy as np
import pytest
import torch
from .._models import MODELS
from scipy import sparse
from sklearn.exceptions import NotFittedError

from seqae import LSTMAutoencoder, RAETransformer, VRAETransformer

X_OK = np.random.default_rng(0).standard_normal((12, 8, 2))


@pytest.fixture(scope="module")
def fitted():
    return MODELS["rae"]().fit(X_OK)


def _with(value, index=(1, 2, 1)):
    X = X_OK.copy()
    X[index] = value
    return X


def fit(X, **params):
    return lambda _: RAETransformer(**{"sigma": 0.5, "max_epochs": 1, **params}).fit(X)


def fitted_call(method, *args, **kwargs):
    return lambda est: getattr(est, method)(*args, **kwargs)


# (id, action(fitted_estimator), exception, regex for what was expected, regex for what was
# given). The `expected`/`given` texts are what the user reads; both must appear.
CASES = [
    ("empty X", fit(np.empty((0, 8, 2))), ValueError,
     r"a minimum of 1 is required", r"0 sample\(s\) \(shape=\(0, 8, 2\)\)"),
    ("empty list", fit([]), ValueError, r"expects a 2D array .* or a 3D array",
     r"an empty list"),
    ("zero time steps (3-D)", fit(np.empty((4, 0, 2))), ValueError,
     r"at least one time step", r"shape \(4, 0, 2\)"),
    ("zero time steps (2-D)", fit(np.empty((4, 0))), ValueError,
     r"at least one time step", r"0 feature\(s\) \(shape=\(4, 0\)\)"),
    ("zero features", fit(np.empty((4, 8, 0))), ValueError,
     r"at least one feature", r"shape \(4, 8, 0\)"),
    ("1-D array", fit(np.zeros(8)), ValueError, r"expects a 2D array", r"shape \(8,\)"),
    ("4-D array", fit(np.zeros((2, 8, 2, 1))), ValueError, r"expects a 2D array",
     r"shape \(2, 8, 2, 1\)"),
    ("object dtype", fit(np.array([[1.0, "a"], [2.0, "b"]], dtype=object)), ValueError,
     r"numeric", r"'a'|object"),
    ("string dtype", fit(np.array([["a", "b"], ["c", "d"]])), ValueError,
     r"numeric", r"<U1|string"),
    ("complex dtype", fit(X_OK + 1j), ValueError, r"expects real \(int or float\) values",
     r"complex dtype complex128"),
    ("sparse matrix", fit(sparse.csr_matrix(np.ones((4, 8)))), TypeError,
     r"dense data is required", r"Sparse data"),
    ("inf", fit(_with(np.inf)), ValueError, r"expects finite values", r"containing infinity"),
    ("NaN without missing='mask'", fit(_with(np.nan)), ValueError,
     r"expects finite values", r"containing NaN"),
    ("ragged list, mixed features", fit([np.zeros((3, 2)), np.zeros((4, 3))]), ValueError,
     r"same number of features", r"\(2,\), \(3,\)"),
    ("ragged list, empty sequence", fit([np.zeros((3, 2)), np.zeros((0, 2))]), ValueError,
     r"at least one time step", r"sequence 1 has shape \(0, 2\)"),
    ("ragged list, 3-D sequence", fit([np.zeros((3, 2)), np.zeros((4, 2, 1))]), ValueError,
     r"shape \(T_i,\) or \(T_i, n_features\)", r"sequence 1 has shape \(4, 2, 1\)"),
    ("ragged list, strings", fit([np.zeros(3), np.array(["a", "b"])]), ValueError,
     r"numeric", r"sequence 1 has dtype <U1"),
    ("different features at transform", fitted_call("transform", X_OK[:, :, :1]), ValueError,
     r"fitted on 2", r"X has 1 features per time step"),
    ("different time steps at transform", fitted_call("transform", X_OK[:, :6]), ValueError,
     r"expecting 8 features .* n_timesteps_=8", r"X has 6 features"),
    ("longer list sequence at partial_fit", fitted_call("partial_fit", [np.zeros((9, 2))]),
     ValueError, r"up to n_timesteps_=8 steps", r"got a sequence of 9 steps"),
    ("codes of the wrong width", fitted_call("inverse_transform", np.zeros((3, 5))),
     ValueError, r"codes of shape \(n_samples, 8\)", r"got shape \(3, 5\)"),
    ("1-D codes", fitted_call("inverse_transform", np.zeros(8)), ValueError,
     r"Expected 2D array", r"got 1D array"),
    ("lengths out of range", fitted_call("inverse_transform", np.zeros((2, 8)), lengths=[3, 9]),
     ValueError, r"2 integers .* between 1 and n_timesteps_=8", r"values \[3, 9\]"),
    ("sigma=-1", fit(X_OK, sigma=-1.0), ValueError, r"'sigma' .* in the range \(0(\.0)?, inf\)",
     r"Got -1.0"),
    ("sigma=0", fit(X_OK, sigma=0), ValueError, r"'sigma' .* in the range \(0(\.0)?, inf\)",
     r"Got 0"),
    ("n_components=0", fit(X_OK, n_components=0), ValueError,
     r"'n_components' .* in the range \[1, inf\)", r"Got 0"),
    ("batch_size=0", fit(X_OK, batch_size=0), ValueError,
     r"'batch_size' .* in the range \[1, inf\)", r"Got 0"),
    ("batch_size=2.5", fit(X_OK, batch_size=2.5), ValueError, r"'batch_size' .* int",
     r"Got 2.5"),
    ("max_epochs=0", fit(X_OK, max_epochs=0), ValueError,
     r"'max_epochs' .* in the range \[1, inf\)", r"Got 0"),
    ("lr=0", fit(X_OK, lr=0), ValueError, r"'lr' .* in the range \(0(\.0)?, inf\)", r"Got 0"),
    ("validation_fraction=1", fit(X_OK, validation_fraction=1.0), ValueError,
     r"'validation_fraction' .* in the range \[0(\.0)?, 1(\.0)?\)", r"Got 1.0"),
    ("unknown cell", fit(X_OK, cell="rnn"), ValueError, r"'cell' .* \{.*'gru'.*\}",
     r"Got 'rnn'"),
    ("unknown device", fit(X_OK, device="tpu"), ValueError,
     r"'auto', 'cpu', 'cuda' or 'cuda:<index>'", r"got 'tpu'"),
    ("unknown missing", fit(X_OK, missing="drop"), ValueError,
     r"'missing' .* \{.*'mask'.*\}", r"Got 'drop'"),
    ("clip_grad_norm=0", fit(X_OK, clip_grad_norm=0.0), ValueError,
     r"'clip_grad_norm' .* in the range \(0(\.0)?, inf\)", r"Got 0.0"),
    ("patience=0", fit(X_OK, patience=0), ValueError,
     r"'patience' .* in the range \[1, inf\)", r"Got 0"),
    ("patience without validation", fit(X_OK, patience=2), ValueError,
     r"needs a validation split", r"got validation_fraction=0"),
    ("unknown LSTM activation",
     lambda _: LSTMAutoencoder(activation="elu", max_epochs=1).fit(X_OK), ValueError,
     r"'activation' .* \{.*'relu'.*\}", r"Got 'elu'"),
    ("negative beta", lambda _: VRAETransformer(beta=-1.0, max_epochs=1).fit(X_OK), ValueError,
     r"'beta' .* in the range \[0(\.0)?, inf\)", r"Got -1.0"),
    ("unfitted transform", lambda _: RAETransformer().transform(X_OK), NotFittedError,
     r"Call 'fit'", r"not fitted yet"),
]
if not torch.cuda.is_available():
    CASES.append(("device='cuda' without CUDA", fit(X_OK, device="cuda"), ValueError,
                  r"use device='auto' or 'cpu'", r"device='cuda' was asked for"))


@pytest.mark.parametrize("action,exc,expected,given", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_a_clear_error(fitted, action, exc, expected, given):
    with pytest.raises((ValueError, TypeError)) as excinfo:
        action(fitted)
    error = excinfo.value
    assert isinstance(error, exc), repr(error)
    message = str(error)
    assert re.search(expected, message, flags=re.S), message
    assert re.search(given, message, flags=re.S), message
    # Raised before torch or skorch is reached, and not chained to an error from there.
    frames = [frame.filename for frame in traceback.extract_tb(excinfo.tb)]
    assert not any(f"{os.sep}torch{os.sep}" in f or f"{os.sep}skorch{os.sep}" in f
                   for f in frames), frames
    context = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    assert context is None or "torch" not in type(context).__module__, repr(context)


def _snapshot(X):
    return [np.array(seq, copy=True) for seq in X] if isinstance(X, list) else X.copy()


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("kind", ["float64", "float32", "ragged", "nan"])
def test_inputs_are_never_modified(name, kind):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((10, 6, 2))
    params = {}
    if kind == "float32":
        X = X.astype(np.float32)
    elif kind == "ragged":
        X = [X[i, :length] for i, length in enumerate((6, 4, 5, 6, 2, 3, 6, 1, 5, 6))]
    elif kind == "nan":
        X[rng.random(X.shape) < 0.2] = np.nan
        params["missing"] = "mask"
    before = _snapshot(X)
    ae = MODELS[name](max_epochs=1, **params).fit(X)
    codes = ae.transform(X)
    ae.score_samples(X)
    codes_before = codes.copy()
    ae.inverse_transform(codes)
    lengths = np.array([len(seq) for seq in X])
    lengths_before = lengths.copy()
    ae.inverse_transform(codes, lengths=lengths)
    np.testing.assert_array_equal(codes, codes_before)
    np.testing.assert_array_equal(lengths, lengths_before)
    for seq, seq_before in zip(X, before):
        np.testing.assert_array_equal(seq, seq_before)


# -- mistakes as users really make them --------------------------------------------------
# Each row: (the mistake, as the user guide's table names it; the action; the exception;
# a regex for what the message says is wrong; a regex for the fix it names). The user guide
# (docs/user_guide.rst, "Common input mistakes") lists every row.
RNG = np.random.default_rng(0)


def _frame(**columns):
    pd = pytest.importorskip("pandas")
    return pd.DataFrame(columns)


def _long_frame():
    return _frame(id=np.repeat(np.arange(20), 5), time=np.tile(np.arange(5), 20),
                  value=RNG.standard_normal(100))


def _nested_frame():
    pd = pytest.importorskip("pandas")
    return pd.DataFrame({"dim_0": [pd.Series(RNG.standard_normal(10)) for _ in range(4)]})


MISTAKES = [
    ("aeon/sktime array, channels first (univariate)",
     lambda _: fit(RNG.standard_normal((50, 1, 150)))(_), ValueError,
     r"50 sequences of 1 time step with 150 features.*channels-first",
     r"seqae\.interop\.from_channels_first\(X\).*channels_first_adapter\(\)"),
    ("aeon/sktime array, channels first (multivariate)",
     lambda _: fit(RNG.standard_normal((40, 6, 100)))(_), ValueError,
     r"40 sequences of 6 time steps with 100 features.*channels-first",
     r"from_channels_first\(X\).*set_config\(check_layout=False\)"),
    ("aeon unequal-length list of (channels, T_i) arrays",
     lambda _: fit([RNG.standard_normal((3, n)) for n in (20, 26, 15)])(_), ValueError,
     r"unequal-length collection, \(n_channels, n_timepoints_i\)",
     r"from_channels_first\(X\)"),
    ("channels-first array at transform", fitted_call("transform", np.swapaxes(X_OK, 1, 2)),
     ValueError, r"expecting 8 features", r"from_channels_first\(X\)"),
    ("long-format DataFrame (id, time, value)", lambda _: fit(_long_frame())(_), ValueError,
     r"long-format table",
     r"from_long_format\(X, id='id', time='time', value='value'\).*X\.pivot"),
    ("long-format DataFrame, Nixtla's names (unique_id, ds, y)",
     lambda _: fit(_long_frame().rename(columns={"id": "unique_id", "time": "ds",
                                                 "value": "y"}))(_),
     ValueError, r"long-format table", r"from_long_format\(X, id='unique_id', time='ds'"),
    ("one series as a table (a date column, one column per sensor)",
     lambda _: fit(_frame(date=np.arange(50).astype("datetime64[D]"),
                          s1=RNG.standard_normal(50), s2=RNG.standard_normal(50)))(_),
     ValueError, r"time column 'date' and no sequence id.*a single series",
     r"X\.drop\(columns=\['date'\]\)\.to_numpy\(\)\[np\.newaxis\]"),
    ("DataFrame with a label column", lambda _: fit(_frame(
        t0=[1.0, 2.0], t1=[0.5, 0.1], label=["walk", "run"]))(_), ValueError,
     r"column 'label' has dtype", r"X\.drop\(columns=\['label'\]\).*goes in y"),
    ("sktime nested DataFrame (a Series per cell)", lambda _: fit(_nested_frame())(_),
     ValueError, r"cells hold whole series.*nested",
     r"convert_to\(X, to_type='numpy3D'\).*from_channels_first"),
    ("pandas Series (one sequence)", lambda _: fit(
        pytest.importorskip("pandas").Series(RNG.standard_normal(30)))(_), ValueError,
     r"a pandas Series of shape \(30,\)", r"X\.to_numpy\(\)\.reshape\(1, -1\)"),
    ("one sequence as a 1-D array", fit(np.zeros(30)), ValueError, r"shape \(30,\)",
     r"X\.reshape\(1, -1\)"),
    ("one series as a column (T, 1)", fit(RNG.standard_normal((30, 1))), ValueError,
     r"30 sequences of 1 time step", r"X\.reshape\(1, -1\)"),
    ("one sample with a validation split",
     fit(RNG.standard_normal((1, 8, 2)), validation_fraction=0.2), ValueError,
     r"validation_fraction=0\.2 of 1 sequence\(s\) leaves none to train on",
     r"more sequences, or validation_fraction=0"),
    ("empty list", fit([]), ValueError, r"got an empty list", r"at least one sequence"),
    ("4-D array (e.g. with a trailing axis)", fit(np.zeros((2, 8, 2, 1))), ValueError,
     r"shape \(2, 8, 2, 1\)", r"X\.reshape\(X\.shape\[0\], X\.shape\[1\], -1\)"),
    ("list mixing channel counts", fit([np.zeros((5, 2)), np.zeros((7, 3))]), ValueError,
     r"same number of features.*\(2,\), \(3,\)", r"same channels, in the same order"),
    ("list mixing 1-D and 2-D sequences", fit([np.zeros(5), np.zeros((7, 1))]), ValueError,
     r"all 1D \(T_i,\) or all 2D", r"seq\.reshape\(-1, 1\)"),
    ("None in a list of sequences", fit([np.zeros((5, 2)), None]), ValueError,
     r"sequence 1 is None", r"Drop it"),
    ("empty sequence in a list", fit([np.zeros((3, 2)), np.zeros((0, 2))]), ValueError,
     r"sequence 1 has shape \(0, 2\)", r"Drop empty sequences"),
    ("strings", fit(np.array([["a", "b"], ["c", "d"]])), ValueError,
     r"expects numeric .* dtype <U1", r"X\.astype\(float\), pd\.to_numeric"),
    ("strings in a list", fit([np.zeros(3), np.array(["a", "b"])]), ValueError,
     r"sequence 1 has dtype <U1", r"np\.asarray\(seq, dtype=float\)"),
    ("complex values", fit(X_OK + 1j), ValueError, r"complex dtype complex128",
     r"np\.abs\(X\).*np\.stack\(\[X\.real, X\.imag\], axis=-1\)"),
    ("sparse matrix", fit(sparse.csr_matrix(np.ones((4, 8)))), TypeError,
     r"Sparse data", r"X\.toarray\(\)"),
    ("infinity", fit(_with(np.inf)), ValueError, r"containing infinity",
     r"clip X, or set them to NaN and pass missing='mask'"),
    ("NaN (missing values) without missing='mask'", fit(_with(np.nan)), ValueError,
     r"containing NaN", r"missing='mask'"),
    ("wrong feature count at transform", fitted_call("transform", X_OK[:, :, :1]),
     ValueError, r"X has 1 features per time step, but .* fitted on 2",
     r"same features \(channels\), in the same order"),
    ("array of another length at transform", fitted_call("transform", X_OK[:, :6]),
     ValueError, r"X has 6 features, but .* expecting 8 features",
     r"a list of sequences may hold sequences of any length"),
    ("decoding longer than trained", fitted_call("inverse_transform", np.zeros((2, 8)),
                                                 lengths=[3, 9]),
     ValueError, r"values \[3, 9\]", r"np\.minimum\(lengths, 8\)"),
]


@pytest.mark.parametrize("action,exc,problem,fix", [case[1:] for case in MISTAKES],
                         ids=[case[0] for case in MISTAKES])
def test_mistake_names_the_problem_and_the_fix(fitted, action, exc, problem, fix):
    test_bad_input_is_a_clear_error(fitted, action, exc, problem, fix)


# Inputs that look odd but are read right (the user guide's table says how).
READ_RIGHT = [
    ("int array", RNG.integers(0, 5, (10, 8)), (8, 1)),
    ("bool array (binary events, e.g. for likelihood='bernoulli')",
     RNG.standard_normal((10, 8)) > 0, (8, 1)),
    ("numeric strings", np.array([["1.5", "2"], ["3", "4"]] * 5), (2, 1)),
    ("object array of ragged sequences",
     np.array([RNG.standard_normal(n) for n in (3, 5, 4)], dtype=object), (5, 1)),
    ("nested Python lists of different lengths", [[1.0, 2.0], [1.0, 2.0, 3.0]], (3, 1)),
]


@pytest.mark.parametrize("X,layout", [case[1:] for case in READ_RIGHT],
                         ids=[case[0] for case in READ_RIGHT])
def test_odd_but_valid_input_is_read_right(X, layout):
    ae = RAETransformer(sigma=0.5, max_epochs=1, random_state=0).fit(X)
    assert (ae.n_timesteps_, ae.n_channels_) == layout
    codes = ae.transform(X)
    assert codes.dtype == np.float64 and np.isfinite(codes).all()
    as_float = ([np.asarray(seq, dtype=np.float64) for seq in X] if len(set(map(len, X))) > 1
                else np.asarray(X, dtype=np.float64))
    np.testing.assert_array_equal(codes, ae.transform(as_float))


def test_user_guide_lists_every_mistake():
    guide = (Path(__file__).parents[2] / "docs" / "user_guide.rst").read_text()
    section = guide.split("Common input mistakes", 1)[1]
    for label in [case[0] for case in MISTAKES] + [case[0] for case in READ_RIGHT]:
        assert label in section, label
    assert len(MISTAKES) >= 20
