"""Every bad input is a clear error: a ValueError/TypeError naming what was expected and what
was given, raised by seqae or scikit-learn (no torch/skorch traceback); inputs are never
modified in place."""

import os
import re
import traceback

import numpy as np
import pytest
import torch
from ._models import MODELS
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
    ("empty list", fit([]), ValueError, r"expects a 2D array .* or a 3D array", r"1-D input"),
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
    ("longer list sequence at transform", fitted_call("transform", [np.zeros((9, 2))]),
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
