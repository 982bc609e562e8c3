"""seqae.plotting: each plot draws what its docstring says, from the fitted model's data."""

import numpy as np
import pytest

from seqae import RAESCTransformer

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from seqae.plotting import plot_history, plot_latent, plot_reconstructions  # noqa: E402

from .conftest import FAST as _FAST  # noqa: E402

FAST = {**_FAST, "max_epochs": 3}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_history_draws_the_recorded_losses(sines):
    ae = RAESCTransformer(sigma=0.25, validation_fraction=0.25, **FAST).fit(sines)
    ax = plot_history(ae)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"train_loss", "valid_loss"}
    np.testing.assert_allclose(lines["train_loss"].get_ydata(), ae.net_.history[:, "train_loss"])
    np.testing.assert_allclose(lines["valid_loss"].get_ydata(), ae.net_.history[:, "valid_loss"])
    np.testing.assert_array_equal(lines["train_loss"].get_xdata(), [1, 2, 3])
    # Without a validation split there is only the training curve.
    no_valid = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    _, ax2 = plt.subplots()
    assert plot_history(no_valid, ax=ax2, log_scale=False) is ax2
    assert [line.get_label() for line in ax2.get_lines()] == ["train_loss"]
    assert ax2.get_yscale() == "linear"


def test_plot_reconstructions_per_sequence_and_feature(sines):
    ae = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    axes = plot_reconstructions(ae, sines, n_sequences=2, features=[1])
    assert axes.shape == (2, 1)
    recon = ae.inverse_transform(ae.transform(sines[:2]))
    for i in range(2):
        inp, rec = axes[i, 0].get_lines()
        np.testing.assert_array_equal(inp.get_ydata(), sines[i, :, 1])
        np.testing.assert_allclose(rec.get_ydata(), recon[i, :, 1])


def test_plot_reconstructions_univariate_2d(sines_1d):
    ae = RAESCTransformer(sigma=0.5, **FAST).fit(sines_1d)
    axes = plot_reconstructions(ae, sines_1d, n_sequences=3)
    assert axes.shape == (3, 1)
    np.testing.assert_array_equal(axes[2, 0].get_lines()[0].get_ydata(), sines_1d[2])


def test_plot_latent_colours_by_label_and_projects_wide_codes():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(30, 2))
    y = np.repeat([0, 1, 2], 10)
    ax = plot_latent(codes, y)
    assert [c.get_label() for c in ax.collections] == ["0", "1", "2"]
    np.testing.assert_array_equal(ax.collections[1].get_offsets(), codes[10:20])
    wide = plot_latent(rng.normal(size=(30, 5)), y)
    assert wide.get_xlabel() == "PC 1"
    assert len(wide.collections) == 3
    with pytest.raises(ValueError, match="method"):
        plot_latent(rng.normal(size=(30, 5)), method="umap")


def test_plot_anomalies_shades_the_flagged_ranges_and_draws_the_threshold():
    from seqae.anomaly import AutoencoderAnomalyDetector
    from seqae.plotting import plot_anomalies

    x = np.sin(2 * np.pi * np.arange(300) / 20)
    x[200] = 4.0
    detector = AutoencoderAnomalyDetector(RAESCTransformer(n_components=4, max_epochs=3),
                                          window_size=20, random_state=0).fit(x)
    scores = detector.predict(x)
    labels = np.zeros(300, dtype=int)
    labels[200] = 1
    top, bottom = plot_anomalies(detector, x, scores=scores, labels=labels)
    lines = {line.get_label(): line for line in bottom.get_lines()}
    np.testing.assert_allclose(lines["score"].get_ydata(), scores)
    assert lines["threshold"].get_ydata()[0] == pytest.approx(detector.threshold_)
    # one shaded span per run of flagged points, covering exactly those points
    flagged = detector.predict_labels(x).astype(bool)
    runs = np.flatnonzero(np.diff(np.r_[0, flagged.astype(int), 0]))
    spans = [p for p in top.patches]
    assert len(spans) == len(runs) // 2 >= 1
    starts = sorted(round(p.get_x() + 0.5) for p in spans)
    np.testing.assert_array_equal(starts, runs[::2])
    assert any(p.get_x() <= 200 <= p.get_x() + p.get_width() for p in spans)
    assert [line.get_label() for line in top.get_lines()] == ["series", "labelled anomaly"]
    with pytest.raises(ValueError, match="one score each"):
        plot_anomalies(detector, x, scores=scores[:10])


def test_plot_history_of_a_classifier_that_trained_no_epoch(sines):
    """A classifier that kept the frozen codes without fine-tuning has no history to draw:
    the error says so and points to the autoencoder's."""
    from seqae import SequenceClassifier

    y = (sines[:, :, 0].mean(axis=1) > np.median(sines[:, :, 0].mean(axis=1))).astype(int)
    clf = SequenceClassifier(RAESCTransformer(sigma=0.25, **FAST), patience=None,
                             random_state=0).fit(sines, y)
    assert clf.n_epochs_ == 0
    with pytest.raises(ValueError, match="autoencoder_"):
        plot_history(clf)
    assert plot_history(clf.autoencoder_).get_lines()
