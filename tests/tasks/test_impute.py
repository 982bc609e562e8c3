"""seqae.tasks.impute.SequenceImputer: every NaN filled, every observed value unchanged."""

import numpy as np
import pytest
from sklearn.base import clone

from seqae import RAESCTransformer
from seqae.datasets import make_sine_sequences
from seqae.tasks.impute import (SequenceImputer, _interpolate_gaps, blend_weights, gap_bins,
                                held_back_entries)

TINY = {"n_components": 4, "max_epochs": 3, "batch_size": 16, "lr": 1e-2}


def with_gaps(X, rate=0.3, seed=0):
    mask = np.random.default_rng(seed).random(X.shape) < rate
    mask[:, 0] = False  # every sequence keeps a value
    return np.where(mask, np.nan, X), mask


@pytest.mark.parametrize("correction", ["interpolate", "none"])
@pytest.mark.parametrize("layout", ["2d", "3d"])
def test_fills_every_nan_and_keeps_observed_values(layout, correction):
    X = make_sine_sequences(24, 12, 1 if layout == "2d" else 2, random_state=0)
    X = X[:, :, 0] if layout == "2d" else X
    X = 3 * X + 5  # unstandardised: the imputer scales internally
    X_missing, mask = with_gaps(X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), correction=correction,
                              random_state=0)
    filled = imputer.fit_transform(X_missing)
    assert filled.shape == X.shape and filled.dtype == X.dtype
    assert not np.isnan(filled).any()
    np.testing.assert_array_equal(filled[~mask], X_missing[~mask])
    assert np.isnan(X_missing[mask]).all()  # the input is not modified
    # the fills are on the data's scale (a missing un-standardisation would put them ~0)
    assert abs(filled[mask].mean() - 5) < 1.5


def test_fills_come_from_the_autoencoder_reconstruction():
    X = make_sine_sequences(24, 12, 1, random_state=0)[:, :, 0]
    X_missing, mask = with_gaps(X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), correction="none", blend=1.0,
                              random_state=0).fit(X_missing)
    ae = imputer.estimator_
    assert ae.missing == "mask"
    Z = (X_missing - imputer.mean_) / imputer.scale_
    expected = ae.inverse_transform(ae.transform(Z)) * imputer.scale_ + imputer.mean_
    np.testing.assert_allclose(imputer.transform(X_missing)[mask], expected[mask])


def test_interpolate_correction_joins_the_observed_neighbours():
    # the reconstruction's error at the observed entries, interpolated into the gap
    values = np.array([[0.0, np.nan, np.nan, 3.0, np.nan]])[:, :, None]
    observed = ~np.isnan(values)
    np.testing.assert_allclose(_interpolate_gaps(values, observed, None)[0, :, 0],
                               [0, 1, 2, 3, 3])
    X = make_sine_sequences(24, 12, 1, random_state=0)[:, :, 0]
    X_missing, mask = with_gaps(X)
    plain = SequenceImputer(RAESCTransformer(**TINY), correction="none", blend=1.0,
                            random_state=0)
    corrected = clone(plain).set_params(correction="interpolate")
    rough = plain.fit_transform(X_missing)
    smooth = corrected.fit_transform(X_missing)
    # same network (same seed): the difference is exactly the interpolated residual
    ae = plain.estimator_
    Z = (X_missing - plain.mean_) / plain.scale_
    rec = ae.inverse_transform(ae.transform(Z))
    residual = _interpolate_gaps((Z - rec)[:, :, None], ~mask[:, :, None], None)[:, :, 0]
    np.testing.assert_allclose((smooth - rough)[mask], (residual * plain.scale_)[mask],
                               rtol=1e-6, atol=1e-9)


def test_ragged_input_returns_a_list_with_gaps_filled():
    rng = np.random.default_rng(0)
    X = [np.sin(np.arange(n) / 2.0) + rng.normal(0, 0.01, n) for n in (8, 12, 10, 12)] * 4
    X_missing = [x.copy() for x in X]
    for x in X_missing:
        x[rng.random(len(x)) < 0.3] = np.nan
        x[0] = 1.0
    filled = SequenceImputer(RAESCTransformer(**TINY), random_state=0).fit_transform(
        X_missing)
    assert isinstance(filled, list) and [len(x) for x in filled] == [len(x) for x in X]
    for given, out in zip(X_missing, filled):
        observed = ~np.isnan(given)
        assert not np.isnan(out).any()
        np.testing.assert_array_equal(out[observed], given[observed])


def test_complete_input_is_returned_unchanged_and_clone_params():
    X = make_sine_sequences(16, 8, 1, random_state=0)[:, :, 0]
    X_missing, _ = with_gaps(X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=2)
    assert imputer.get_params()["estimator__n_components"] == 4
    imputer.fit(X_missing)
    assert imputer.estimator_.random_state == 2
    assert imputer.estimator.missing == "error"  # the user's estimator is not touched
    np.testing.assert_array_equal(imputer.transform(X), X)
    twin = clone(imputer).fit(X_missing)
    np.testing.assert_array_equal(twin.transform(X_missing), imputer.transform(X_missing))


def test_default_estimator_and_wrong_layout(fast_default):
    X = make_sine_sequences(16, 8, 1, random_state=0)[:, :, 0]
    X_missing, _ = with_gaps(X)
    imputer = SequenceImputer(random_state=0).fit(X_missing)
    assert isinstance(imputer.estimator_, RAESCTransformer)
    assert imputer.estimator_.n_components == 4
    with pytest.raises(ValueError):
        imputer.transform(X_missing[:, :6])


def test_dataframe_in_dataframe_out_with_its_index_and_columns():
    pd = pytest.importorskip("pandas")
    X = make_sine_sequences(24, 12, 1, random_state=0)[:, :, 0]
    X_missing, mask = with_gaps(X)
    columns = [f"t{i}" for i in range(12)]
    df = pd.DataFrame(X_missing, columns=columns, index=pd.RangeIndex(100, 124, name="day"))
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=0)
    filled = imputer.fit_transform(df)
    assert isinstance(filled, pd.DataFrame)
    assert filled.index.equals(df.index) and list(filled.columns) == columns
    assert not filled.isna().to_numpy().any()
    np.testing.assert_array_equal(filled.to_numpy()[~mask], X_missing[~mask])
    # the same numbers as for the array (which has no column names: sklearn warns)
    with pytest.warns(UserWarning, match="valid feature names"):
        np.testing.assert_array_equal(filled.to_numpy(), imputer.transform(df.to_numpy()))
    np.testing.assert_array_equal(imputer.get_feature_names_out(), columns)
    assert list(imputer.feature_names_in_) == columns
    with pytest.raises(ValueError, match="feature names"):
        imputer.transform(df.rename(columns={"t0": "other"}))


def test_set_output_pandas_and_feature_names_out():
    pd = pytest.importorskip("pandas")
    X = make_sine_sequences(24, 8, 1, random_state=0)[:, :, 0]
    X_missing, _ = with_gaps(X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=0)
    out = imputer.set_output(transform="pandas").fit_transform(X_missing)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [f"x{i}" for i in range(8)]
    np.testing.assert_array_equal(imputer.get_feature_names_out(), out.columns)
    np.testing.assert_array_equal(
        imputer.get_feature_names_out([f"s{i}" for i in range(8)]), [f"s{i}" for i in range(8)])
    df = pd.DataFrame(X_missing, index=np.arange(50, 74))
    assert out.shape == imputer.transform(df).shape
    assert imputer.transform(df).index.equals(df.index)
    imputer.set_output(transform="default")
    assert isinstance(imputer.transform(X_missing), np.ndarray)


def test_set_output_pandas_refuses_3d_and_ragged_output_with_a_hint():
    X = make_sine_sequences(24, 8, 2, random_state=0)
    X_missing, _ = with_gaps(X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=0).fit(X_missing)
    imputer.set_output(transform="pandas")
    with pytest.raises(ValueError, match="3D sequences.*transform='default'"):
        imputer.transform(X_missing)
    ragged = [x[:n] for x, n in zip(X_missing[:, :, 0], [8, 6] * 12)]
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=0).fit(ragged)
    with pytest.raises(ValueError, match="a list of sequences"):
        imputer.set_output(transform="pandas").transform(ragged)


def test_verbose_is_passed_to_the_autoencoder(capsys):
    X = make_sine_sequences(16, 8, 1, random_state=0)[:, :, 0]
    X_missing, _ = with_gaps(X)
    given = RAESCTransformer(**TINY, verbose=0)
    # verbose has one default everywhere ('auto'), and the imputer's replaces the clone's
    assert SequenceImputer(given, random_state=0).fit(X_missing).estimator_.verbose == "auto"
    capsys.readouterr()
    imputer = SequenceImputer(given, random_state=0, verbose=1).fit(X_missing)
    assert imputer.estimator_.verbose == 1 and given.verbose == 0
    assert "train_loss" in capsys.readouterr().out  # skorch's per-epoch table
    SequenceImputer(given, random_state=0, verbose=0).fit(X_missing)
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="verbose"):
        SequenceImputer(given, verbose="loud").fit(X_missing)


def test_blend_shrinks_to_interpolation_where_it_is_exact():
    """On straight lines with interior gaps linear interpolation is exact: the blend chosen
    on held-back entries must shrink the autoencoder's share to about 0, and the fill must
    then be (nearly) interpolation's; the autoencoder's own fill (blend=1) is worse."""
    rng = np.random.default_rng(0)
    t = np.arange(20)
    X = rng.normal(size=(60, 1)) + rng.normal(size=(60, 1)) * t / 10
    mask = rng.random(X.shape) < 0.3
    mask[:, [0, -1]] = False  # interior gaps only: interpolation is exact
    X_missing = np.where(mask, np.nan, X)
    imputer = SequenceImputer(RAESCTransformer(**TINY), random_state=0).fit(X_missing)
    assert imputer.n_held_back_ > 0
    assert imputer.blend_.shape == (1,) and imputer.blend_[0] < 0.05
    assert imputer.blend_by_gap_.shape == (6, 1) and imputer.blend_by_gap_.max() < 0.1
    error = np.abs(imputer.transform(X_missing) - X)[mask].mean()
    full = clone(imputer).set_params(blend=1.0).fit(X_missing)
    assert full.blend_[0] == 1.0 and full.n_held_back_ == 0
    assert (full.blend_by_gap_ == 1.0).all()
    assert error < 0.2 * np.abs(full.transform(X_missing) - X)[mask].mean()


def test_blend_keeps_the_autoencoder_where_it_beats_interpolation():
    """Sines of one shape with a long block missing in the middle: interpolation draws a
    straight line across half a period; the autoencoder knows the shape. The blend chosen
    on held-back entries must keep most of the autoencoder's fill and beat interpolation."""
    rng = np.random.default_rng(0)
    t = np.arange(16)
    X = np.sin(2 * np.pi * t / 16 + rng.uniform(0, 2 * np.pi, (80, 1)))
    mask = np.zeros(X.shape, dtype=bool)
    for row, start in zip(mask, rng.integers(2, 9, len(X))):
        row[start:start + 6] = True
    X_missing = np.where(mask, np.nan, X)
    imputer = SequenceImputer(RAESCTransformer(n_components=8, max_epochs=30, batch_size=16,
                                               lr=1e-2), random_state=0).fit(X_missing)
    assert imputer.blend_[0] > 0.5
    linear = _interpolate_gaps(X_missing[:, :, None], ~mask[:, :, None], None)[:, :, 0]
    error = np.abs(imputer.transform(X_missing) - X)[mask].mean()
    assert error < 0.95 * np.abs(linear - X)[mask].mean()
    zero = clone(imputer).set_params(blend=0.0).fit(X_missing)
    np.testing.assert_allclose(zero.transform(X_missing)[mask], linear[mask], atol=1e-9)


def test_held_back_entries_borrow_the_gaps_of_other_sequences():
    observed = np.ones((4, 10, 1), dtype=bool)
    observed[0, 2:5] = False
    held = held_back_entries(observed, np.random.default_rng(0))
    assert (held <= observed).all() and held.sum() > 0
    # every held-back step is missing in some other sequence (its partner's pattern)
    assert (~observed[:, :, 0]).any(axis=0)[held[:, :, 0].any(axis=0)].all()
    # complete data: a random fifth; each sequence and channel keeps an observed entry
    held = held_back_entries(np.ones((50, 3, 2), dtype=bool), np.random.default_rng(0))
    assert 0.1 < held.mean() < 0.3 and (~held).any(axis=1).all()
    # the weight with the least absolute error, in [0, 1]
    truth = np.zeros((1, 4, 1))
    keep = np.ones((1, 4, 1), dtype=bool)
    assert blend_weights(truth + 1, truth + 2, truth, keep)[0] == 1.0
    assert blend_weights(truth + 3, truth + 2, truth, keep)[0] == 0.0
    assert blend_weights(truth + 1, truth + 1.5, truth + 1.25, keep)[0] == pytest.approx(0.5)
    # absolute, not squared error: one large gain does not buy many small losses
    step = np.r_[np.full(20, 0.1), 1.0][None, :, None]
    gain = np.r_[np.full(20, -0.1), 1.0][None, :, None]
    held = np.ones_like(step, dtype=bool)
    assert blend_weights(step, 0 * step, gain, held)[0] == 0.0  # least squares: 0.67


def test_blend_weight_per_gap_distance_is_wired_into_transform():
    """Each missing entry takes the weight of its distance to the nearest observed entry."""
    observed = np.ones((1, 40, 1), dtype=bool)
    observed[0, 5] = False  # distance 1
    observed[0, 10:30] = False  # distances 1..10
    bins = gap_bins(observed)[0, :, 0]
    assert bins[5] == 0 and bins[10] == 0 and bins[11] == 1 and bins[12] == 2
    assert bins[15] == 3 and bins[19] == 4 and (bins[observed[0, :, 0]] == 0).all()
    # per bin: bin 0 wants 0, bin 1 wants 1; too few entries: pooled
    truth = np.zeros((1, 80, 1))
    linear = np.ones((1, 80, 1))
    model = np.ones((1, 80, 1))
    model[0, 40:] = 0.0  # the model is right on the second half only
    held = np.ones((1, 80, 1), dtype=bool)
    by_gap = np.zeros((1, 80, 1), dtype=int)
    by_gap[0, 40:] = 1
    weights = blend_weights(model, linear, truth, held, by_gap)
    assert weights.shape == (6, 1)
    assert weights[0, 0] == 0.0 and weights[1, 0] == 1.0
    assert weights[2, 0] == pytest.approx(blend_weights(model, linear, truth, held)[0])
    # transform uses them: set bin 0 (next to an observed value) to 0 and the rest to 1
    X = make_sine_sequences(24, 20, 1, random_state=0)[:, :, 0]
    X_missing = X.copy()
    X_missing[:, 5] = np.nan  # isolated: bin 0
    X_missing[:, 10:16] = np.nan  # a block: bins 0-2
    imputer = SequenceImputer(RAESCTransformer(**TINY), blend=1.0, random_state=0).fit(
        X_missing)
    full = imputer.transform(X_missing)
    imputer.blend_by_gap_[0] = 0.0
    mixed = imputer.transform(X_missing)
    linear = _interpolate_gaps(X_missing[:, :, None], ~np.isnan(X_missing)[:, :, None],
                               None)[:, :, 0]
    np.testing.assert_allclose(mixed[:, [5, 10, 15]], linear[:, [5, 10, 15]], atol=1e-9)
    np.testing.assert_allclose(mixed[:, 12:14], full[:, 12:14])
