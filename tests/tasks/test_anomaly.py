"""seqae.tasks.anomaly: sliding windows, the dominant period and the series anomaly detector."""

import numpy as np
import pytest
from sklearn.base import clone

from seqae import RAESCTransformer, VRAETransformer
from seqae.tasks.anomaly import (AutoencoderAnomalyDetector, SlidingWindows, default_autoencoder,
                           dominant_period, member_seeds, nearest_distances,
                           robust_location_scale, training_window_indices)

TINY = {"n_components": 4, "max_epochs": 3, "batch_size": 32, "lr": 1e-2}


def periodic(n_timepoints=400, period=16, n_channels=None, seed=0):
    t = np.arange(n_timepoints)
    x = np.sin(2 * np.pi * t / period) + 0.01 * np.random.default_rng(seed).normal(
        size=n_timepoints)
    if n_channels is None:
        return x
    return np.stack([np.roll(x, 3 * c) for c in range(n_channels)], axis=1)


@pytest.mark.parametrize("period", [12, 30, 75])
def test_dominant_period_finds_the_period(period):
    assert dominant_period(periodic(3000, period), 8, 128) == period


def test_dominant_period_without_a_peak_falls_back():
    trend = np.arange(500.0)
    assert dominant_period(trend, 8, 128) == 50  # a tenth of the length, within the range


def test_windows_cover_every_point_and_end_at_the_last():
    x = np.arange(11.0)
    windows = SlidingWindows(window_size=4, stride=3).fit(x)
    np.testing.assert_array_equal(windows.window_starts(11), [0, 3, 6, 7])
    cut = windows.transform(x)
    np.testing.assert_array_equal(cut[:, 0], [0, 3, 6, 7])
    np.testing.assert_array_equal(cut[-1], [7, 8, 9, 10])


def test_to_points_is_the_mean_over_covering_windows():
    windows = SlidingWindows(window_size=3, stride=1).fit(np.zeros(5))
    # windows [0-2], [1-3], [2-4] with values 1, 2, 6
    np.testing.assert_allclose(windows.to_points([1.0, 2.0, 6.0], 5),
                               [1, 1.5, 3, 4, 6])
    # per-step values: the overlap average of the windows themselves gives the series back
    x = np.random.default_rng(0).normal(size=(9, 2))
    windows = SlidingWindows(window_size=4, stride=2).fit(x)
    np.testing.assert_allclose(windows.to_points(windows.transform(x), 9), x)


def test_windows_multivariate_layout_and_default_size():
    x = periodic(600, 20, n_channels=3)
    windows = SlidingWindows().fit(x)
    assert windows.window_size_ == 20
    assert windows.transform(x).shape == (600 - 20 + 1, 20, 3)
    with pytest.raises(ValueError, match="channels"):
        windows.transform(x[:, :2])


def spiked(n_timepoints=300, position=200, n_channels=None):
    x = periodic(n_timepoints, 16, n_channels)
    x[position] += 5.0
    return x


@pytest.mark.parametrize("n_channels", [None, 2])
def test_detector_one_score_per_point_and_spike_scores_highest(n_channels):
    x = spiked(n_channels=n_channels)
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, n_estimators=1,
                                          random_state=0)
    scores = detector.fit(periodic(300, 16, n_channels)).predict(x)
    assert scores.shape == (300,)
    assert np.isfinite(scores).all()
    # windows covering the spike reconstruct worst: the highest scores sit within a
    # window of the spike (a shifted or reversed window-to-point mapping fails this)
    assert abs(int(np.argmax(scores)) - 200) < 16
    assert scores[185:216].mean() > 2 * np.median(scores)


def test_detector_unsupervised_fit_predict_and_vrae():
    x = spiked()
    detector = AutoencoderAnomalyDetector(
        VRAETransformer(n_components=16, bridge="reshape", beta=0.01, max_epochs=3,
                        batch_size=32, lr=1e-2), window_size=16, random_state=0)
    scores = detector.fit_predict(x)
    assert scores.shape == (300,)
    assert abs(int(np.argmax(scores)) - 200) < 16


def test_detector_stride_and_window_normalisation():
    x = spiked()
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, n_estimators=1,
                                          stride=5, normalize="window",
                                          score="reconstruction", random_state=0)
    scores = detector.fit_predict(x)
    assert scores.shape == (300,)
    assert detector.windows_.stride == 5
    # per-window z-normalisation: a shifted copy of the series scores the same
    np.testing.assert_allclose(detector.predict(x + 10.0), scores, rtol=1e-5, atol=1e-6)


def test_detector_series_normalisation_uses_the_training_statistics():
    x = periodic(300, 16)
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, n_estimators=1,
                                          score="reconstruction",
                                          random_state=0).fit(3 * x + 1)
    np.testing.assert_allclose(detector.mean_, [(3 * x + 1).mean()])
    np.testing.assert_allclose(detector.scale_, [3 * x.std()])
    # a level shift stays visible: shifted data score higher everywhere
    assert (detector.predict(3 * x + 4) > detector.predict(3 * x + 1)).all()


def test_default_autoencoder_sizes_and_steps():
    small = default_autoencoder(16, 49, 0)
    assert isinstance(small, RAESCTransformer) and small.n_components == 4
    assert small.max_epochs == 300  # one batch per epoch: 300 steps
    large = default_autoencoder(400, 1000, 0)
    assert large.n_components == 32 and large.max_epochs == 19  # 16 batches per epoch
    # a reconstruction model, as benchmarked: final-state code, no contrastive term, frames
    # 'auto' where the caller does not give the length (see the next test)
    params = large.get_params()
    assert (params["readout"], params["contrastive"], params["patch_size"]) == ("last", 0,
                                                                             "auto")
    assert default_autoencoder(400, 1000, 0, n_steps=100).max_epochs == 6


@pytest.mark.parametrize("n_timesteps, patch_size", [(20, 1), (64, 1), (65, 2), (400, 7)])
def test_default_autoencoder_frames_do_not_follow_the_feature_budget(
        n_timesteps, patch_size, monkeypatch):
    """The detector's and imputer's default reads frames of at most 64 recurrent steps (what
    their benchmarks measured), whatever the feature estimators' ``patch_size='auto'``."""
    from seqae._engine import budget

    monkeypatch.setattr(budget, "AUTO_MAX_STEPS", 4)
    ae = default_autoencoder(n_timesteps, 100, 0, n_timesteps=n_timesteps)
    assert ae.patch_size == patch_size


def test_detector_and_imputer_pass_their_length_to_the_default(fast_default, monkeypatch):
    """Fitted defaults of the detector (on windows) and the imputer (on whole sequences) read
    frames of at most 64 recurrent steps, whatever ``patch_size='auto'`` would read."""
    from seqae._engine import budget
    from seqae.impute import SequenceImputer

    monkeypatch.setattr(budget, "AUTO_MAX_STEPS", 4)

    x = np.sin(np.linspace(0, 60, 600))[:, None]
    detector = AutoencoderAnomalyDetector(window_size=100, n_estimators=1,
                                          max_fit_windows=64, random_state=0).fit(x)
    assert detector.estimator_.patch_size_ == 2  # ceil(100 / 64)
    X = np.sin(np.linspace(0, 8, 130))[None, :, None] + np.arange(8)[:, None, None]
    imputer = SequenceImputer(random_state=0).fit(X)
    assert imputer.estimator_.patch_size_ == 3  # ceil(130 / 64)


def test_detector_default_estimator_and_max_fit_windows(fast_default):
    x = periodic(500, 16)
    detector = AutoencoderAnomalyDetector(max_fit_windows=50, random_state=0)
    detector.fit(x)
    assert detector.window_size_ == 16
    assert isinstance(detector.estimator_, RAESCTransformer)
    assert detector.estimator_.n_components == 4  # 16 values // 4
    # 50 of the 485 windows, drawn at random
    assert detector.estimator_.net_.history[0, "batches", 0, "train_batch_size"] == 50


def test_detector_clone_params_and_random_state():
    base = RAESCTransformer(**TINY)
    detector = AutoencoderAnomalyDetector(base, window_size=16, random_state=3)
    params = detector.get_params()
    assert params["estimator__n_components"] == 4 and params["window_size"] == 16
    twin = clone(detector)
    assert twin.get_params()["estimator"] is not base
    x = periodic(200, 16)
    a, b = detector.fit_predict(x), twin.fit_predict(x)
    np.testing.assert_array_equal(a, b)
    assert detector.estimator_.random_state == 3
    assert base.random_state is None and not hasattr(base, "net_")  # cloned, not fitted


def test_detector_rejects_bad_input():
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16)
    with pytest.raises(ValueError, match="one series"):
        detector.fit(np.zeros((2, 3, 4)))
    detector.fit(periodic(100, 16))
    with pytest.raises(ValueError, match="fewer than window_size_"):
        detector.predict(np.zeros(10))
    with pytest.raises(ValueError, match="channels"):
        detector.predict(np.zeros((100, 2)))


def test_training_windows_are_a_seeded_draw_that_covers_every_phase():
    np.testing.assert_array_equal(training_window_indices(40, 100, 0), np.arange(40))
    drawn = training_window_indices(10_000, 1000, 0)
    assert len(np.unique(drawn)) == 1000 and (np.diff(drawn) > 0).all()
    np.testing.assert_array_equal(drawn, training_window_indices(10_000, 1000, 0))
    assert not np.array_equal(drawn, training_window_indices(10_000, 1000, 1))
    # every k-th window (k = 10) would hold 2 of the 20 phases of a period-20 series; the
    # draw holds all of them, each about as often
    counts = np.bincount(drawn % 20, minlength=20)
    assert counts.min() > 25


def test_nearest_code_scores_an_easier_anomaly_above_normal_points():
    """The score's direction on the failure seen on ecg-diff-count-3: a stretch of beats at
    half amplitude, easier to reconstruct than the rest for a model that learnt little, must
    score above the normal points. The reconstruction score of this briefly trained model
    ranks it lowest (ROC-AUC ~0, benchmarks/tasks/anomaly_diagnosis); the nearest-code score does
    not depend on how easy a window is to reconstruct."""
    rng = np.random.default_rng(0)
    t = np.arange(2400)
    beat = np.exp(-0.5 * ((t % 20) - 10) ** 2) * 4 - 0.5  # one narrow peak per period
    x = beat + 0.05 * rng.normal(size=len(t))
    train, test = x[:1200], x[1200:].copy()
    test[600:700] *= 0.5  # five beats at half amplitude
    labels = np.zeros(len(test), dtype=bool)
    labels[600:700] = True
    detector = AutoencoderAnomalyDetector(
        default_autoencoder(20, 60, 0).set_params(max_epochs=10), window_size=20,
        max_fit_windows=60, score="nearest-code", n_estimators=1, random_state=0)
    scores = detector.fit(train).predict(test)
    assert scores[labels].mean() > np.percentile(scores[~labels], 90)
    scores = detector.fit_predict(test)  # unsupervised: a self-join of the codes
    assert scores[labels].mean() > np.percentile(scores[~labels], 90)


def test_nearest_distances_skip_the_exclusion_zone():
    rng = np.random.default_rng(0)
    queries, reference = rng.normal(size=(30, 3)), rng.normal(size=(40, 3))
    full = np.sqrt(((queries[:, None] - reference[None]) ** 2).sum(-1))
    np.testing.assert_allclose(nearest_distances(queries, reference, block=7),
                               full.min(axis=1), atol=1e-9)
    starts, ref_starts = np.arange(30) * 2, np.arange(40)
    near = np.abs(starts[:, None] - ref_starts[None]) < 5
    np.testing.assert_allclose(
        nearest_distances(queries, reference, starts, ref_starts, exclusion=5, block=7),
        np.where(near, np.inf, full).min(axis=1), atol=1e-9)


def test_nearest_code_score_self_join_and_reconstruction_score():
    x = spiked()
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, 
                                          score="nearest-code", n_estimators=1,
                                          random_state=0)
    scores = detector.fit_predict(x)
    assert len(detector.reference_codes_) == 1
    assert detector.reference_codes_[0].shape == (300 - 16 + 1, 4)
    # predict on the training series is the self-join too (not distance 0 everywhere)
    np.testing.assert_allclose(detector.predict(x), scores)
    assert scores.min() > 0 and abs(int(np.argmax(scores)) - 200) < 16
    # scored by reconstruction error (the default): no reference is kept
    other = clone(detector).set_params(score="reconstruction").fit(x)
    assert AutoencoderAnomalyDetector().score == "combined"
    assert not hasattr(other, "reference_codes_")
    assert abs(int(np.argmax(other.predict(x))) - 200) < 16


def test_predict_labels_flag_the_spike_with_the_auto_threshold():
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, n_estimators=1,
                                          random_state=0).fit(periodic(300, 16))
    train = detector.train_scores_
    assert train.shape == (300,)
    np.testing.assert_array_equal(train, detector.predict(periodic(300, 16)))
    median, scale = robust_location_scale(train)
    assert detector.threshold_ == pytest.approx(median + 3 * scale)
    x = spiked()
    labels = detector.predict_labels(x)
    assert labels.shape == (300,) and labels.dtype == np.int64
    assert set(np.unique(labels)) <= {0, 1}
    np.testing.assert_array_equal(labels, detector.predict(x) > detector.threshold_)
    assert labels[200] == 1  # the spike
    assert labels[:150].sum() == 0  # the clean first half, far from the spike's windows


@pytest.mark.parametrize("contamination", [0.02, 0.1])
def test_contamination_is_the_fraction_labelled_in_the_training_series(contamination):
    x = spiked()
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16, n_estimators=1,
                                          contamination=contamination, random_state=0)
    scores = detector.fit_predict(x)  # unsupervised: fit and score one series
    np.testing.assert_array_equal(scores, detector.train_scores_)
    assert detector.threshold_ == pytest.approx(np.quantile(scores, 1 - contamination))
    fraction = detector.predict_labels(x).mean()
    assert contamination - 1 / 300 <= fraction <= contamination
    assert detector.predict_labels(x)[200] == 1
    with pytest.raises(ValueError, match="contamination"):
        clone(detector).set_params(contamination=0.7).fit(x)


def test_detector_nan_and_infinity_errors_say_how_to_fix_them():
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16)
    x = periodic(200, 16)
    x[[10, 50]] = np.nan
    for bad in (x, x[:, None]):
        with pytest.raises(ValueError, match=r"NaN at 2 time point.*interpolate.*"
                                             r"seqae\.impute\.SequenceImputer"):
            detector.fit(bad)
    detector.fit(periodic(200, 16))
    with pytest.raises(ValueError, match="NaN at 2 time point"):
        detector.predict(x)
    x[[10, 50]] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        detector.predict(x)


def test_detector_refuses_a_collection_read_as_one_series():
    collection = np.stack([periodic(30, 8, seed=i) for i in range(40)])  # (40, 30)
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=8)
    with pytest.raises(ValueError, match=r"collection of 40 series.*X\[i\].*X\.T"):
        detector.fit(collection)
    with pytest.raises(ValueError, match="collection"):
        detector.fit(collection.T)  # (30, 40): more channels than time points
    # a multivariate series with many more time points than channels is one series
    detector.fit(periodic(200, 8, n_channels=3))
    # fitted on a univariate series, a collection gets the channel error with the hint
    detector.fit(periodic(200, 8))
    with pytest.raises(ValueError, match=r"30 channels.*one series at a time \(X\[i\]\)"):
        detector.predict(collection)


def test_detector_verbose_is_passed_to_the_autoencoder(capsys):
    x = periodic(200, 16)
    given = RAESCTransformer(**TINY, verbose=0)
    detector = AutoencoderAnomalyDetector(given, window_size=16, random_state=0).fit(x)
    # verbose has one default everywhere ('auto'), and the detector's replaces the clone's
    assert detector.estimator_.verbose == "auto" and given.verbose == 0
    capsys.readouterr()
    detector.set_params(verbose=1).fit(x)
    assert detector.estimator_.verbose == 1 and given.verbose == 0
    assert "train_loss" in capsys.readouterr().out
    detector.set_params(verbose=0).fit(x)
    assert capsys.readouterr().out == ""


def beats(n_timepoints=6000, period=140, seed=0):
    """An ECG-like series: a beat of ``period`` steps with a sharp peak and two smaller
    waves (inner structure whose autocorrelation peaks at a fraction of the period)."""
    phase = np.arange(n_timepoints) % period
    x = (3 * np.exp(-0.5 * ((phase - 30) / 3) ** 2) + np.exp(-0.5 * ((phase - 56) / 4) ** 2)
         + 0.5 * np.exp(-0.5 * ((phase - 90) / 8) ** 2))
    return x + 0.05 * np.random.default_rng(seed).normal(size=n_timepoints)


def test_dominant_period_finds_the_beat_not_a_harmonic_below_the_old_cap():
    x = beats()
    assert dominant_period(x, 8, 128) != 140  # searched below the period: a harmonic
    assert dominant_period(x) == 140  # searched to a third of the series: the beat
    t = np.arange(3000)
    assert dominant_period(np.sin(2 * np.pi * t / 140) + 0.5 * np.sin(2 * np.pi * t / 28)) == 140


def test_window_reason_says_what_was_chosen_and_why():
    x = beats()
    windows = SlidingWindows().fit(x)
    assert windows.window_size_ == 140 and windows.period_ == 140
    assert windows.window_reason_.startswith("140 steps: the dominant period")
    with pytest.warns(UserWarning, match="dominant period is 140 steps, longer than the "
                                         "largest window 100"):
        capped = SlidingWindows(window_range=(8, 100)).fit(x)
    assert capped.window_size_ == 100 and capped.period_ == 140
    assert "below the dominant period of 140" in capped.window_reason_
    assert SlidingWindows(30).fit(x).window_reason_ == "30 steps: given (window_size)"
    assert "no autocorrelation peak" in SlidingWindows().fit(np.arange(500.0)).window_reason_
    with pytest.raises(ValueError, match="window_range"):
        SlidingWindows(window_range=(8, 4)).fit(x)
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), n_estimators=1,
                                          max_fit_windows=50, random_state=0).fit(x[:2000])
    assert detector.window_size_ == 140
    assert detector.window_reason_ == detector.windows_.window_reason_


def test_robust_scale_falls_back_when_most_scores_are_equal():
    assert robust_location_scale([0.0, 1.0, 2.0, 3.0, 10.0]) == (2.0, pytest.approx(1.4826))
    tied = np.r_[np.ones(90), np.full(10, 5.0)]  # MAD 0: the mean absolute deviation
    assert robust_location_scale(tied) == (1.0, pytest.approx(1.2533 * 0.4))
    assert robust_location_scale(np.ones(10)) == (1.0, 1.0)


def test_ensemble_members_and_combined_score_wiring():
    x = spiked()
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16,
                                          n_estimators=3, random_state=5).fit(periodic(300, 16))
    assert detector.score == "combined"
    assert len(detector.estimators_) == 3 and detector.estimator_ is detector.estimators_[0]
    seeds = [member.random_state for member in detector.estimators_]
    assert seeds == member_seeds(5, 3) and seeds[0] == 5 and len(set(seeds)) == 3
    assert set(member_seeds(5, 3)).isdisjoint(member_seeds(6, 3)[1:])
    assert detector.score_location_.shape == detector.score_scale_.shape == (3, 2)
    # predict: the mean over members and kinds of robust z-scores of the window scores
    windows = detector.windows_.transform((x - detector.mean_[0]) / detector.scale_[0])
    z = []
    for m, member in enumerate(detector.estimators_):
        recon = -member.score_samples(windows)
        codes = member.transform(windows)
        nearest = nearest_distances(codes, detector.reference_codes_[m])
        for k, raw in enumerate((recon, nearest)):
            z.append((raw - detector.score_location_[m, k]) / detector.score_scale_[m, k])
    expected = detector.windows_.to_points(np.mean(z, axis=0), len(x))
    np.testing.assert_allclose(detector.predict(x), expected, rtol=1e-5, atol=1e-6)
    assert abs(int(np.argmax(detector.predict(x))) - 200) < 16
    # on the training series the members' z-scores are centred: median about 0
    assert abs(np.median(detector.train_scores_)) < 0.5
    # one member, one kind: the raw reconstruction error (seqae 0.x's detector)
    single = clone(detector).set_params(n_estimators=1, score="reconstruction").fit(
        periodic(300, 16))
    raw = -single.estimator_.score_samples(windows)
    np.testing.assert_allclose(single.predict(x), single.windows_.to_points(raw, len(x)),
                               rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="n_estimators"):
        clone(detector).set_params(n_estimators=0).fit(x)


def test_score_directions_autoencoder_higher_is_normal_detector_higher_is_anomalous():
    """The two conventions the user guide states: an autoencoder's ``score_samples``
    follows scikit-learn (higher: more normal), the detector's ``predict`` follows aeon
    (higher: more anomalous)."""
    x = spiked()
    detector = AutoencoderAnomalyDetector(RAESCTransformer(**TINY), window_size=16,
                                          n_estimators=1, score="reconstruction",
                                          random_state=0).fit(periodic(300, 16))
    windows = detector.windows_.transform((x - detector.mean_[0]) / detector.scale_[0])
    starts = detector.windows_.window_starts(len(x))
    spiked_windows = (starts <= 200) & (starts + 16 > 200)
    normality = detector.estimator_.score_samples(windows)
    assert normality[spiked_windows].max() < normality[~spiked_windows].min()
    scores = detector.predict(x)
    assert scores[200] > np.percentile(scores, 90)
    labels = detector.predict_labels(x)
    assert labels[200] == 1 and labels.mean() < 0.2
