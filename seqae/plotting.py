"""Plots of a fitted model: training history, reconstructions and the latent space.

matplotlib is an optional dependency (the ``plot`` extra); it is imported when a
function here is called, not when seqae is imported. Every function draws on the axes it is
given (or on new ones) and returns them, so plots compose with the rest of a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils.validation import check_is_fitted

if TYPE_CHECKING:
    from matplotlib.axes import Axes


__all__ = ["plot_history", "plot_reconstructions", "plot_latent", "plot_anomalies"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "seqae.plotting needs matplotlib; install seqae's `plot` extra (pip install "
            "'.[plot]' in a checkout)."
        ) from exc
    return plt


def plot_history(estimator: Any, ax: Axes | None = None, *, log_scale: bool = True) -> Axes:
    """Training (and validation) loss per epoch of a fitted estimator.

    Parameters
    ----------
    estimator : fitted seqae estimator
        Its ``net_.history`` is read; the validation curve is drawn when it was fitted with
        ``validation_fraction > 0``.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; ``None`` makes a new figure.
    log_scale : bool, default=True
        Logarithmic loss axis.

    Returns
    -------
    ax : matplotlib Axes
        With one line per recorded loss, labelled ``'train_loss'`` and ``'valid_loss'``.

    Raises
    ------
    ValueError
        For an estimator that trained no epoch (a classifier or regressor that kept the
        frozen codes without fine-tuning).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.plotting import plot_history
    >>> X = make_sine_sequences(20, 16, random_state=0)
    >>> ae = RAESCTransformer(sigma=0.5, max_epochs=3, validation_fraction=0.25,
    ...                       random_state=0).fit(X)
    >>> [line.get_label() for line in plot_history(ae).get_lines()]
    ['train_loss', 'valid_loss']
    """
    check_is_fitted(estimator)
    history = estimator.net_.history
    if len(history) == 0:
        raise ValueError(
            f"{type(estimator).__name__} trained no epoch: its network is the pre-trained "
            "autoencoder's with a head fitted on the frozen codes (fine_tuned_=False, "
            "keep_frozen without a validation split); plot_history(estimator.autoencoder_) "
            "shows the pre-training.")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots()
    epochs = history[:, "epoch"]
    for key in ("train_loss", "valid_loss"):
        values = [row.get(key) for row in history]
        if all(value is not None for value in values):
            ax.plot(epochs, values, marker="." if len(epochs) < 30 else None, label=key)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(f"{type(estimator).__name__} training history")
    ax.legend()
    return ax


def plot_reconstructions(estimator: Any, X: ArrayLike, *, n_sequences: int = 3,
                         features: Sequence[int] | None = None, axes: Any = None) -> Any:
    """Input sequences beside their reconstructions, one panel per sequence and feature.

    Parameters
    ----------
    estimator : fitted seqae estimator
    X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
        Sequences in the layout the estimator was fitted on; the first ``n_sequences`` are
        drawn.
    n_sequences : int, default=3
        Number of sequences (rows of panels).
    features : list of int or None, default=None
        Features to draw (columns of panels); ``None`` draws all of them.
    axes : array of matplotlib Axes of shape (n_sequences, n_features) or None, default=None
        Axes to draw on; ``None`` makes a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_sequences, len(features))
        Each panel has two lines: ``'input'`` and ``'reconstruction'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from seqae import RAESCTransformer, make_sine_sequences
    >>> from seqae.plotting import plot_reconstructions
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)  # 2 features per step
    >>> ae = RAESCTransformer(sigma=0.5, max_epochs=2, random_state=0).fit(X)
    >>> plot_reconstructions(ae, X, n_sequences=2).shape
    (2, 2)
    """
    check_is_fitted(estimator)
    plt = _pyplot()
    X = np.asarray(X)[:n_sequences]
    reconstruction = estimator.inverse_transform(estimator.transform(X))
    X3 = X if X.ndim == 3 else X[:, :, np.newaxis]
    R3 = reconstruction if reconstruction.ndim == 3 else reconstruction[:, :, np.newaxis]
    features = list(range(X3.shape[2])) if features is None else list(features)
    if axes is None:
        _, axes = plt.subplots(len(X3), len(features), squeeze=False, sharex=True,
                               figsize=(3.2 * len(features), 1.8 * len(X3)))
    axes = np.asarray(axes).reshape(len(X3), len(features))
    for i in range(len(X3)):
        for j, feature in enumerate(features):
            ax = axes[i, j]
            ax.plot(X3[i, :, feature], label="input", color="0.3")
            ax.plot(R3[i, :, feature], label="reconstruction", linestyle="--")
            if i == 0:
                ax.set_title(f"feature {feature}")
            if j == 0:
                ax.set_ylabel(f"sequence {i}")
    axes[0, -1].legend(loc="best", fontsize="small")
    return axes


def plot_latent(codes: ArrayLike, y: ArrayLike | None = None, ax: Axes | None = None, *,
                method: str = "pca") -> Axes:
    """2-D scatter of codes, coloured by label (as in the VRAE paper's latent plots).

    Parameters
    ----------
    codes : array-like of shape (n_samples, n_components)
        Codes, e.g. ``estimator.transform(X)``. With more than two columns they are
        projected to two first.
    y : array-like of shape (n_samples,) or None, default=None
        Labels for the colours and the legend.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; ``None`` makes a new figure.
    method : {'pca', 'tsne'}, default='pca'
        Projection used when there are more than two columns: principal components or
        t-SNE (both from scikit-learn; t-SNE with ``random_state=0``).

    Returns
    -------
    ax : matplotlib Axes
        One scatter collection per label (labelled with it), or one without labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from seqae.plotting import plot_latent
    >>> codes = np.random.default_rng(0).normal(size=(30, 4))
    >>> ax = plot_latent(codes, y=np.repeat(["a", "b", "c"], 10))
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['a', 'b', 'c']
    """
    plt = _pyplot()
    codes = np.asarray(codes, dtype=float)
    if codes.ndim != 2:
        raise ValueError(f"codes must be 2D (n_samples, n_components); got {codes.shape}.")
    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne'; got {method!r}.")
    xlabel, ylabel = "code 0", "code 1"
    if codes.shape[1] == 1:
        codes = np.column_stack([codes[:, 0], np.zeros(len(codes))])
        ylabel = ""
    elif codes.shape[1] > 2:
        if method == "pca":
            from sklearn.decomposition import PCA
            codes = np.asarray(PCA(n_components=2).fit_transform(codes))
            xlabel, ylabel = "PC 1", "PC 2"
        else:
            from sklearn.manifold import TSNE
            perplexity = min(30.0, (len(codes) - 1) / 3)
            codes = np.asarray(TSNE(2, perplexity=perplexity,
                                    random_state=0).fit_transform(codes))
            xlabel, ylabel = "t-SNE 1", "t-SNE 2"
    if ax is None:
        _, ax = plt.subplots()
    if y is None:
        ax.scatter(codes[:, 0], codes[:, 1], s=12)
    else:
        y = np.asarray(y)
        for label in np.unique(y):
            mask = y == label
            ax.scatter(codes[mask, 0], codes[mask, 1], s=12, label=str(label), alpha=0.8)
        ax.legend(title="label", fontsize="small")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def _ranges(flags):
    """``[(start, stop), ...]`` of the runs of True in a 1D boolean array (stop exclusive)."""
    flags = np.asarray(flags, dtype=bool).astype(np.int8)
    edges = np.diff(np.concatenate([[0], flags, [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def plot_anomalies(detector: Any, X: ArrayLike, *, scores: ArrayLike | None = None,
                   labels: ArrayLike | None = None, axes: Any = None) -> Any:
    """A series above its anomaly scores, with the threshold and the flagged ranges.

    The top panel draws the series (each channel) and shades every range of time points
    that the detector flags (score above ``detector.threshold_``, as
    :meth:`~seqae.anomaly.AutoencoderAnomalyDetector.predict_labels` labels them); the
    bottom panel draws the scores (higher is more anomalous) and the threshold as a
    horizontal line. Known anomalies (``labels``) are marked along the top panel's lower
    edge, so flagged and true ranges can be compared.

    Parameters
    ----------
    detector : fitted AutoencoderAnomalyDetector
        Any fitted detector with ``predict`` and ``threshold_``.
    X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
        The series, time first.
    scores : array-like of shape (n_timepoints,) or None, default=None
        The detector's scores of ``X``, if already computed (``None``: ``predict(X)``).
    labels : array-like of shape (n_timepoints,) or None, default=None
        Known 0/1 labels (1: anomalous), drawn as marks under the series.
    axes : pair of matplotlib Axes or None, default=None
        The series' and the scores' axes; ``None`` makes a new figure with two rows
        sharing the time axis.

    Returns
    -------
    axes : ndarray of two matplotlib Axes
        The series' axes (its shaded ranges are rectangles in ``patches``, the first labelled
        ``'flagged'``), then the scores' axes (lines ``'score'`` and ``'threshold'``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from seqae import RAESCTransformer
    >>> from seqae.anomaly import AutoencoderAnomalyDetector
    >>> from seqae.plotting import plot_anomalies
    >>> x = np.sin(2 * np.pi * np.arange(300) / 20)
    >>> x[200] = 4.0
    >>> detector = AutoencoderAnomalyDetector(
    ...     RAESCTransformer(n_components=4, max_epochs=3), random_state=0).fit(x)
    >>> top, bottom = plot_anomalies(detector, x)
    >>> [line.get_label() for line in bottom.get_lines()]
    ['score', 'threshold']
    """
    check_is_fitted(detector, "threshold_")
    plt = _pyplot()
    values = np.asarray(X, dtype=np.float64)
    values = values.reshape(len(values), -1)
    scores = detector.predict(X) if scores is None else np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(values),):
        raise ValueError(f"scores has shape {scores.shape}; the series has {len(values)} "
                         "time points, one score each.")
    if axes is None:
        _, axes = plt.subplots(2, 1, sharex=True, figsize=(10, 4.5),
                               gridspec_kw={"height_ratios": [2, 1]})
    top, bottom = axes
    steps = np.arange(len(values))
    for c in range(values.shape[1]):
        top.plot(steps, values[:, c], linewidth=0.8,
                 label="series" if values.shape[1] == 1 else f"channel {c}")
    flagged = scores > detector.threshold_
    for i, (start, stop) in enumerate(_ranges(flagged)):
        top.axvspan(start - 0.5, stop - 0.5, color="tab:red", alpha=0.25,
                    label="flagged" if i == 0 else "_flagged")
    if labels is not None:
        low = values.min() - 0.05 * (np.ptp(values) or 1.0)
        for i, (start, stop) in enumerate(_ranges(np.asarray(labels) > 0)):
            top.plot([start, stop - 1], [low, low], color="black", linewidth=3,
                     label="labelled anomaly" if i == 0 else "_labelled")
    top.set_ylabel("value")
    top.legend(loc="upper right", fontsize="small")
    bottom.plot(steps, scores, color="tab:purple", linewidth=0.8, label="score")
    bottom.axhline(detector.threshold_, color="tab:red", linestyle="--", label="threshold")
    bottom.set_ylabel("score (higher: more anomalous)")
    bottom.set_xlabel("time step")
    bottom.legend(loc="upper right", fontsize="small")
    window = getattr(detector, "window_size_", None)
    if window is not None:
        top.set_title(f"{type(detector).__name__}: window {window} steps, "
                      f"{int(flagged.sum())} of {len(values)} points flagged")
    return np.asarray([top, bottom], dtype=object)
