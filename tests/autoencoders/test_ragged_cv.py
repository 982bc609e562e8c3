"""Ragged data in cross-validation: a test fold may hold a longer sequence than any training
sequence (``n_timesteps_`` is the longest *training* sequence); no method fails because of
length alone, so scikit-learn never turns such a fold into NaN."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from seqae import LSTMAutoencoder, RAESCTransformer

from .._models import MODELS


def _ragged(n=30, seed=0):
    """Two classes of noisy sines, lengths 6..14; the last (longest, 20 steps) is alone."""
    rng = np.random.default_rng(seed)
    lengths = list(rng.integers(6, 15, size=n - 1)) + [20]
    y = np.arange(n) % 2
    X = [np.stack([np.sin(np.arange(length) * (0.4 + 0.6 * label) + rng.uniform(0, 6)),
                   np.cos(np.arange(length) * 0.3)], axis=1) + 0.05 * rng.standard_normal(
                       (length, 2)) for length, label in zip(lengths, y)]
    return X, y


def _folds(X):
    """3 folds; the first test fold holds the longest sequence (absent from its training)."""
    order = np.argsort([len(seq) for seq in X])[::-1]
    test_folds = [order[0::3], order[1::3], order[2::3]]
    return [(np.setdiff1d(np.arange(len(X)), test), np.sort(test)) for test in test_folds]


def _score(estimator, X, y=None):
    """An unsupervised score: the mean of ``score_samples`` (higher is better)."""
    return float(np.mean(estimator.score_samples(X)))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_longer_sequences_encode_in_full_and_score_on_the_trained_steps(name):
    X, _ = _ragged()
    ae = MODELS[name](max_epochs=1).fit(X[:-1])
    n = ae.n_timesteps_
    longest = X[-1]
    assert len(longest) > n
    codes = ae.transform([longest, X[0]])
    assert codes.shape == (2, ae.n_components_) and np.isfinite(codes).all()
    # every step is read: the code of the whole sequence is not that of its first n steps
    assert not np.allclose(codes[0], ae.transform([longest[:n]])[0])
    # a code of a shorter sequence is unchanged by a longer one in the same call
    np.testing.assert_allclose(codes[1], ae.transform([X[0]])[0], rtol=1e-6, atol=1e-7)
    scores = ae.score_samples([longest, X[0]])
    assert np.isfinite(scores).all()
    # scored on its first n_timesteps_ steps, as a training-length sequence is
    np.testing.assert_allclose(scores[0], ae.score_samples([longest[:n]])[0], rtol=1e-6)
    # the decoder makes n_timesteps_ steps: a longer length is refused with the fix
    with pytest.raises(ValueError, match=r"np\.minimum\(lengths"):
        ae.inverse_transform(codes, lengths=[len(longest), len(X[0])])
    decoded = ae.inverse_transform(codes, lengths=np.minimum([len(longest), len(X[0])], n))
    assert decoded[0].shape == (n, 2)


def test_forecast_reads_the_last_steps_of_longer_sequences():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((12, 8, 2))
    ae = LSTMAutoencoder(hidden_size=4, mode="prediction", n_future=2, max_epochs=1,
                         random_state=0).fit(X)
    longer = [rng.standard_normal((11, 2)) for _ in range(3)]
    np.testing.assert_allclose(ae.forecast(longer), ae.forecast(np.stack(longer)[:, -8:]),
                               rtol=1e-6)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_cross_val_score_with_a_classifier_never_nan_for_length(name):
    X, y = _ragged()
    folds = _folds(X)
    longest = int(np.argmax([len(seq) for seq in X]))
    assert longest in folds[0][1] and longest not in folds[0][0]
    pipe = make_pipeline(MODELS[name](max_epochs=1), StandardScaler(),
                         LogisticRegression())
    scores = cross_val_score(pipe, X, y, cv=folds, error_score="raise")
    assert scores.shape == (3,) and np.isfinite(scores).all()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_unsupervised_score_never_nan_for_length(name):
    X, _ = _ragged()
    # the estimator's own score (the mean of score_samples), no labels
    scores = cross_val_score(MODELS[name](max_epochs=1), X, cv=_folds(X), error_score="raise")
    assert scores.shape == (3,) and np.isfinite(scores).all()


def test_grid_search_on_ragged_data():
    X, y = _ragged()
    pipe = make_pipeline(RAESCTransformer(max_epochs=1, random_state=0), StandardScaler(),
                         LogisticRegression())
    search = GridSearchCV(pipe, {"raesctransformer__sigma": [0.25, 0.5]}, cv=_folds(X),
                          error_score=np.nan).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    unsupervised = GridSearchCV(RAESCTransformer(max_epochs=1, random_state=0),
                                {"sigma": [0.25, 0.5]}, cv=_folds(X), scoring=_score,
                                error_score=np.nan).fit(X)
    assert np.isfinite(unsupervised.cv_results_["mean_test_score"]).all()


def test_longer_sequences_with_frames():
    """patch_size > 1: a longer sequence is read as more frames (the last one partial)."""
    X, _ = _ragged()
    ae = MODELS["rae"](max_epochs=1, patch_size=3).fit(X[:-1])
    codes = ae.transform(X[-1:])
    assert np.isfinite(codes).all()
    np.testing.assert_allclose(ae.score_samples(X[-1:]),
                               ae.score_samples([X[-1][:ae.n_timesteps_]]), rtol=1e-6)
