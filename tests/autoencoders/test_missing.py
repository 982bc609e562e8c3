"""Missing values (NaN): an error by default; masked training and imputation on request."""

import numpy as np
import pytest
from .._models import MODELS


@pytest.fixture(scope="module")
def gappy(sines):
    X = sines.copy()
    rng = np.random.default_rng(0)
    X[rng.random(X.shape) < 0.15] = np.nan
    X[0, 2:5] = np.nan  # a gap across both features
    return X


def test_nan_is_an_error_by_default(gappy):
    with pytest.raises(ValueError, match=r"expects finite values; got X containing NaN\. "
                                         r"Pass missing='mask'"):
        MODELS["rae"]().fit(gappy)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_mask_trains_and_imputes(name, gappy):
    ae = MODELS[name](missing="mask").fit(gappy)
    assert np.isfinite(ae.net_.history[:, "train_loss"]).all()
    codes = ae.transform(gappy)
    assert np.isfinite(codes).all()
    imputed = ae.inverse_transform(codes)
    assert imputed.shape == gappy.shape
    assert np.isfinite(imputed).all()
    filled = np.where(np.isnan(gappy), imputed, gappy)
    assert np.isfinite(filled).all()
    assert np.isfinite(ae.score_samples(gappy)).all()


def test_observed_entries_drive_the_loss(sines, gappy):
    """Changing the observed values changes training; the masked loss is not the loss of the
    complete data (the entries behind the NaN are not used). See also
    test_ragged.test_masked_loss_ignores_padding_and_missing for the loss itself."""
    missing = np.isnan(gappy)
    other = np.where(missing, np.nan, sines + 1.0)  # observed values changed, gaps the same
    a = MODELS["rae"](missing="mask").fit(gappy)
    b = MODELS["rae"](missing="mask").fit(other)
    assert not np.allclose(a.net_.history[:, "train_loss"], b.net_.history[:, "train_loss"])
    complete = MODELS["rae"]().fit(sines)
    assert not np.allclose(a.net_.history[:, "train_loss"],
                           complete.net_.history[:, "train_loss"])
    # An entirely missing step contributes nothing: its score uses the observed steps only.
    assert np.isfinite(a.score_samples(gappy[:1])).all()


def test_mask_with_ragged_sequences():
    rng = np.random.default_rng(2)
    X = [rng.standard_normal((length, 2)) for length in (6, 4, 5)]
    X[1][1, 0] = np.nan
    ae = MODELS["vrae"](missing="mask").fit(X)
    decoded = ae.inverse_transform(ae.transform(X), lengths=[6, 4, 5])
    assert np.isfinite(decoded[1]).all() and decoded[1].shape == (4, 2)


def test_infinity_is_an_error_even_with_mask(sines):
    X = sines.copy()
    X[1, 1, 1] = np.inf
    with pytest.raises(ValueError, match="expects finite values; got X containing infinity"):
        MODELS["rae"](missing="mask").fit(X)
    with pytest.raises(ValueError, match="sequence 1 contains infinity"):
        MODELS["rae"](missing="mask").fit([X[0], X[1, :5]])
