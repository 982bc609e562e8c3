"""Anomaly detection on long series: sliding windows scored by a sequence autoencoder.

:class:`SlidingWindows` cuts one long series into overlapping windows (and maps per-window
values back to time points); :class:`AutoencoderAnomalyDetector` trains a seqae autoencoder
on the windows of a series and scores every time point by how badly the windows covering it
are reconstructed. The detector follows aeon's series anomaly-detector conventions:
``fit(X)``, ``predict(X)`` returning one score per time point (higher is more anomalous)
and ``fit_predict(X)``; a series is ``(n_timepoints,)`` or ``(n_timepoints, n_channels)``
(time first, aeon's ``axis=0``).
"""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_array, check_is_fitted

from .._engine.config import config_context
from .._engine.params import (DEFAULT_N_ESTIMATORS, DEFAULT_SCORE, DEFAULT_WINDOW_RANGE,
                             TableParams, rows)
from ._common import default_autoencoder, pass_verbose, seeded_clone
from .._engine.validation import resolve_seed

if TYPE_CHECKING:
    from typing_extensions import Self


__all__ = ["SlidingWindows", "AutoencoderAnomalyDetector", "dominant_period",
           "member_seeds", "robust_location_scale", "training_window_indices"]

#: The defaults of the detector's ``score`` and ``n_estimators`` and of the windows' range
#: live in the parameter table (:mod:`seqae._engine.params`).

#: The window of a series without an autocorrelation peak (clipped to a tenth of its length).
FALLBACK_WINDOW = 128

#: A peak at a whole fraction of the highest one is the fundamental when it reaches this
#: fraction of its height (:func:`dominant_period`).
FUNDAMENTAL_RATIO = 0.8


def _digest(X2):
    """A fingerprint of a series' values (to recognise the training series in predict)."""
    import hashlib

    return hashlib.sha1(np.ascontiguousarray(X2).tobytes()).hexdigest()


def _check_series(X, name, n_channels=None):
    """A series as a 2D float array ``(n_timepoints, n_channels)`` and its input ndim;
    given ``n_channels`` (the fitted count), a series with another count is an error."""
    if sparse.issparse(X):
        raise TypeError(f"{name} does not take sparse input (a series is dense); pass a "
                        "dense array, e.g. X.toarray().")
    X = np.asarray(X) if not hasattr(X, "ndim") else X
    ndim = getattr(X, "ndim", None)
    if ndim not in (1, 2):
        raise ValueError(
            f"{name} expects one series of shape (n_timepoints,) or (n_timepoints, "
            f"n_channels) (time first); got an array of shape {getattr(X, 'shape', None)}."
        )
    shape = getattr(X, "shape", ())
    if ndim == 2 and shape[0] == 1 and shape[1] > 1:
        raise ValueError(
            f"{name} expects one series of shape (n_timepoints,) or (n_timepoints, "
            f"n_channels), time first; got an array of shape {tuple(shape)}: one time point "
            f"of {shape[1]} channels. For a univariate series of {shape[1]} points, pass "
            f"series.ravel() (shape ({shape[1]},)) or series.reshape(-1, 1) (shape "
            f"({shape[1]}, 1))."
        )
    X2 = check_array(X if ndim == 2 else np.asarray(X).reshape(-1, 1),
                     dtype=(np.float64, np.float32), ensure_min_samples=2,
                     ensure_all_finite=False)
    if not np.isfinite(X2).all():
        if np.isinf(X2).any():
            raise ValueError(f"{name} expects finite values; the series contains infinity.")
        missing = int(np.isnan(X2).any(axis=1).sum())
        raise ValueError(
            f"{name} expects a series without missing values; it has NaN at {missing} "
            "time point(s). Fill them first: interpolate along time (e.g. pandas' "
            "Series.interpolate(), or numpy.interp over the observed points), or fill them "
            "with seqae.impute.SequenceImputer (which fills the NaN of a collection of "
            "sequences, e.g. of the series cut into pieces)."
        )
    if n_channels is not None and X2.shape[1] != n_channels:
        hint = ""
        if ndim == 2 and n_channels == 1:
            hint = (f" A 2D array is one series (n_timepoints, n_channels), time first; for a "
                    f"collection of {X2.shape[0]} series of {X2.shape[1]} points, call "
                    f"{name} on one series at a time (X[i]).")
        raise ValueError(f"X has {X2.shape[1]} channels, but {name} was fitted on "
                         f"{n_channels}.{hint}")
    return X2, ndim


def _check_not_a_collection(X2, name):
    """Refuse a 2D array that is more likely a collection of series than one series: more
    channels than half its time points (a series to be windowed has many more time points
    than channels, and windows of at least 8 steps)."""
    n_timepoints, n_channels = X2.shape
    if n_channels > 1 and 2 * n_channels > n_timepoints:
        raise ValueError(
            f"{name} expects one series (n_timepoints, n_channels), time first; got an array "
            f"of shape {X2.shape}, which would be {n_timepoints} time points of {n_channels} "
            f"channels. That looks like a collection of {n_timepoints} series (rows) of "
            f"{n_channels} points: {name} scores the time points of one series, so pass one "
            f"series at a time (X[i], shape ({n_channels},)) in a loop over the collection. "
            "For one series stored channels first (n_channels, n_timepoints), pass X.T."
        )


def _autocorrelation(X2):
    """Autocorrelation of a series ``(n, m)`` at lags ``0..n-1`` (FFT; each channel centred
    and divided by its energy, then averaged over the channels with any variance)."""
    n = len(X2)
    centred = X2 - X2.mean(axis=0)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(centred, n=size, axis=0)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, n=size, axis=0)[:n]
    energy = acf[0]
    if not (energy > 0).any():
        return np.zeros(n)
    return (acf[:, energy > 0] / energy[energy > 0]).mean(axis=1)


def _find_period(X2, min_period, max_period):
    """``(period or None, autocorrelation at it, searched upper lag)``: the fundamental
    period of a series (see :func:`dominant_period`), ``None`` without a peak."""
    n = len(X2)
    acf = _autocorrelation(X2)
    high = min(n // 3 if max_period is None else max_period, n - 2)
    lags = np.arange(max(min_period, 1), high + 1)
    if not len(lags):
        return None, 0.0, high
    peaks = lags[(acf[lags] > acf[lags - 1]) & (acf[lags] >= acf[lags + 1])]
    peaks = peaks[acf[peaks] > 0]
    if not len(peaks):
        return None, 0.0, high
    best = int(peaks[np.argmax(acf[peaks])])
    # the highest peak may be a multiple k * P of the fundamental P (the biased
    # autocorrelation decays slowly on clean series): take the smallest peak that divides
    # it and is nearly as high
    for peak in peaks[peaks < best]:
        k = round(best / peak)
        if (k >= 2 and abs(best - k * peak) <= max(2, 0.05 * best)
                and acf[peak] >= FUNDAMENTAL_RATIO * acf[best]):
            best = int(peak)
            break
    return best, float(acf[best]), high


def dominant_period(X: ArrayLike, min_period: int = DEFAULT_WINDOW_RANGE[0],
                    max_period: int | None = None) -> int:
    """The fundamental period of a series: the lag of its highest autocorrelation peak,
    or of the smallest peak that divides it.

    The autocorrelation (computed by FFT, averaged over channels, each channel centred) is
    searched for local maxima at lags between ``min_period`` and ``max_period``. The lag of
    the highest one is the dominant period, unless a lower peak at about a whole fraction
    of it (``P / k``, within 5 %) reaches at least 0.8 of its height: a clean periodic
    series peaks at every multiple of its period almost as high as at the period itself,
    and the fundamental is the smallest of them. A series without such a peak (no
    periodicity in range, e.g. noise or a trend) gives 128 clipped to a tenth of the
    series' length, but at least ``min_period``.

    Parameters
    ----------
    X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
        One series, time first.
    min_period : int, default=8
        The smallest lag searched.
    max_period : int or None, default=None
        The largest lag searched; ``None``: a third of the series' length, so that any
        period the series repeats at least three times is seen (a search capped below the
        period finds one of its harmonics instead: a beat of 140 steps searched up to 128
        gave 26).

    Returns
    -------
    period : int

    See Also
    --------
    SlidingWindows : Uses it for the default window, and says why in ``window_reason_``.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.anomaly import dominant_period
    >>> t = np.arange(2000)
    >>> dominant_period(np.sin(2 * np.pi * t / 50))
    50
    >>> dominant_period(np.sin(2 * np.pi * t / 140) + 0.5 * np.sin(2 * np.pi * t / 28))
    140
    """
    X2, _ = _check_series(X, "dominant_period")
    period, _, _ = _find_period(X2, min_period, max_period)
    if period is None:
        return int(max(min_period, min(FALLBACK_WINDOW, len(X2) // 10)))
    return period


def _choose_window(X2, window_size, window_range):
    """``(window size, period or None, reason)`` for :class:`SlidingWindows`."""
    if window_size is not None:
        return int(window_size), None, f"{window_size} steps: given (window_size)"
    low, high = window_range
    period, height, searched = _find_period(X2, low, None)
    if period is None:
        size = int(max(low, min(FALLBACK_WINDOW, high, len(X2) // 10)))
        return size, None, (
            f"{size} steps: no autocorrelation peak at lags {low} to {searched} (no "
            f"period), so {FALLBACK_WINDOW} clipped to a tenth of the series' length")
    found = (f"autocorrelation {height:.2f} at lag {period}; lags {low} to {searched} "
             "searched")
    if period > high:
        warnings.warn(
            f"The series' dominant period is {period} steps, longer than the largest "
            f"window {high} (window_range): each window sees {high / period:.0%} of a "
            "period. Pass window_size (or a larger window_range) to cover a whole period.",
            UserWarning, stacklevel=3)
        return high, period, (f"{high} steps: the largest window (window_range), below "
                              f"the dominant period of {period} ({found})")
    return period, period, f"{period} steps: the dominant period of the series ({found})"


class SlidingWindows(TableParams, TransformerMixin, BaseEstimator):
    """Cut one long series into overlapping windows, and map window values back to time.

    ``transform`` returns the windows starting at ``0, stride, 2 * stride, ...``, plus one
    window ending at the last time point when the stride does not reach it, so that every
    time point is covered by at least one window. :meth:`to_points` maps one value per
    window (e.g. an anomaly score) or one value per window step (e.g. a reconstruction)
    back to the time points by averaging over the windows that cover each point.

    {parameters}

    Attributes
    ----------
    window_size_ : int
        The window size used.
    window_reason_ : str
        How ``window_size_`` was chosen, e.g. ``"140 steps: the dominant period of the
        series (autocorrelation 0.83 at lag 140; lags 8 to 3333 searched)"``, or that it
        was given, or clipped below the period, or a fallback without a period.
    period_ : int or None
        The series' dominant period when ``window_size`` is ``None`` (``None`` when it has
        no autocorrelation peak, or when ``window_size`` is given).
    n_channels_ : int
        Channels of the series seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.anomaly import SlidingWindows
    >>> x = np.arange(10.0)
    >>> windows = SlidingWindows(window_size=4, stride=3).fit(x)
    >>> windows.transform(x)
    array([[0., 1., 2., 3.],
           [3., 4., 5., 6.],
           [6., 7., 8., 9.]])
    >>> windows.to_points(np.array([0.0, 3.0, 6.0]), n_timepoints=10)
    array([0. , 0. , 0. , 1.5, 3. , 3. , 4.5, 6. , 6. , 6. ])
    """

    _params = rows("window_size", "stride", "window_range")

    def __init__(self, window_size=None, *, stride=1, window_range=DEFAULT_WINDOW_RANGE):
        self.window_size = window_size
        self.stride = stride
        self.window_range = window_range

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: object = None) -> Self:
        """Set the window size (given, or the series' dominant period).

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            One series, time first.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        X2, ndim = _check_series(X, type(self).__name__)
        if (len(self.window_range) != 2
                or not all(isinstance(v, Integral) for v in self.window_range)
                or not 1 <= self.window_range[0] <= self.window_range[1]):
            raise ValueError(f"window_range must be (low, high) with 1 <= low <= high; got "
                             f"{self.window_range!r}.")
        if self.window_size is not None and self.window_size > len(X2):
            raise ValueError(
                f"window_size={self.window_size} is longer than the series ({len(X2)} time "
                f"points); the largest valid window_size is {len(X2)} (one window), and "
                "several windows need a smaller one. window_size=None picks the series' "
                "dominant period."
            )
        size, self.period_, self.window_reason_ = _choose_window(
            X2, self.window_size, self.window_range)
        self.window_size_ = int(min(size, len(X2)))
        if self.window_size_ < size:
            self.window_reason_ += f"; cut to the series' {len(X2)} points"
        self.n_channels_ = X2.shape[1]
        self.input_ndim_ = ndim
        return self

    def window_starts(self, n_timepoints: int) -> NDArray[np.intp]:
        """First time point of each window of a series of ``n_timepoints`` steps.

        Parameters
        ----------
        n_timepoints : int
            Length of the series, at least ``window_size_``.

        Returns
        -------
        starts : ndarray of int of shape (n_windows,)
        """
        check_is_fitted(self)
        last = n_timepoints - self.window_size_
        if last < 0:
            raise ValueError(
                f"{type(self).__name__}: the series has {n_timepoints} time points, fewer "
                f"than window_size_={self.window_size_}."
            )
        starts = np.arange(0, last + 1, self.stride)
        return starts if starts[-1] == last else np.append(starts, last)

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """The windows of a series.

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            One series, time first, with the channels seen in ``fit``.

        Returns
        -------
        windows : ndarray of shape (n_windows, window_size_) or (n_windows, window_size_, n_channels)
            Univariate (2D) for a 1D series, else 3D; copies, float32 for float32 input
            and float64 for any other dtype (float16 included).
        """
        check_is_fitted(self)
        X2, ndim = _check_series(X, type(self).__name__, self.n_channels_)
        index = self.window_starts(len(X2))[:, None] + np.arange(self.window_size_)
        windows = X2[index]
        return windows[:, :, 0] if ndim == 1 else windows

    def to_points(self, values: ArrayLike, n_timepoints: int) -> NDArray[np.float64]:
        """Average per-window values over the windows that cover each time point.

        Parameters
        ----------
        values : array-like of shape (n_windows,) or (n_windows, window_size_[, n_channels])
            One value per window (in the order of :meth:`window_starts`), or one value per
            window step (and channel), e.g. reconstructed windows.
        n_timepoints : int
            Length of the series the windows were cut from.

        Returns
        -------
        points : ndarray of shape (n_timepoints,) or (n_timepoints[, n_channels])
            For each time point, the mean of the values (of the steps) of the windows that
            cover it.
        """
        starts = self.window_starts(n_timepoints)
        values = np.asarray(values, dtype=np.float64)
        if values.shape[0] != len(starts):
            raise ValueError(f"values has {values.shape[0]} rows; a series of {n_timepoints} "
                             f"time points has {len(starts)} windows.")
        size = self.window_size_
        per_step = values.ndim > 1
        if not per_step:  # every step of a window carries the window's value
            values = np.repeat(values[:, None], size, axis=1)
        tail = values.shape[2:]
        total = np.zeros((n_timepoints,) + tail)
        index = (starts[:, None] + np.arange(size)).ravel()
        np.add.at(total, index, values.reshape((-1,) + tail))
        count = np.bincount(index, minlength=n_timepoints).reshape((-1,) + (1,) * len(tail))
        return total / count

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = True
        return tags


def training_window_indices(n_windows, max_windows, seed):
    """Indices (sorted) of the windows that train the autoencoder: all of them when there
    are at most ``max_windows``, else ``max_windows`` drawn at random without replacement
    (seeded by ``seed``).

    A random draw, not every k-th window: windows k steps apart share their phase whenever k
    divides the series' period (e.g. every 10th window of a series of period 20 holds only 2
    of its 20 phases), and an autoencoder trained on a few phases reconstructs every other
    phase badly, anomalous or not. That aliasing is what made the strided draw score the
    anomalies of ecg-diff-count-3 as *more* normal than the rest (benchmarks/README.md,
    section 5).
    """
    if n_windows <= max_windows:
        return np.arange(n_windows)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_windows, size=max_windows, replace=False))


#: At most this many training windows' codes are kept as the reference of
#: ``score='nearest-code'`` (a seeded random draw beyond that).
MAX_REFERENCE_WINDOWS = 10_000


def nearest_distances(queries, reference, query_starts=None, reference_starts=None,
                      exclusion=0, block=256):
    """Euclidean distance of each query row to its nearest reference row.

    With ``exclusion > 0`` (a self-join: the queries are windows of the series the reference
    was cut from), a reference window whose start lies less than ``exclusion`` steps from
    the query window's start is skipped, as the matrix profile skips trivial matches: a
    window's own neighbourhood would otherwise match it at distance ~0. Computed in blocks
    of ``block`` queries, so memory stays at ``block x len(reference)`` distances.

    Returns
    -------
    distances : ndarray of shape (n_queries,)
        ``inf`` where every reference window is excluded.
    """
    queries = np.asarray(queries, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    reference_norms = (reference ** 2).sum(axis=1)
    out = np.empty(len(queries))
    for first in range(0, len(queries), block):
        chunk = queries[first:first + block]
        squared = ((chunk ** 2).sum(axis=1)[:, None] + reference_norms[None, :]
                   - 2.0 * chunk @ reference.T)
        if exclusion > 0:
            near = np.abs(np.asarray(query_starts)[first:first + block, None]
                          - np.asarray(reference_starts)[None, :]) < exclusion
            squared[near] = np.inf
        out[first:first + block] = np.sqrt(np.maximum(squared.min(axis=1), 0.0))
    return out


def robust_location_scale(scores):
    """``(median, scale)`` of scores: the scale is the median absolute deviation times
    1.4826 (the standard deviation of normal scores); where that is 0 (more than half the
    scores equal, e.g. an under-trained model that scores every window of a clean periodic
    series alike), the mean absolute deviation times 1.2533 (the same for normal scores);
    where that is 0 too, 1."""
    scores = np.asarray(scores, dtype=np.float64)
    median = float(np.median(scores))
    deviation = np.abs(scores - median)
    scale = 1.4826 * float(np.median(deviation))
    if not scale > 1e-12 * max(1.0, abs(median)):
        scale = 1.2533 * float(deviation.mean())
    if not scale > 1e-12 * max(1.0, abs(median)):
        scale = 1.0
    return median, scale


def _threshold(scores, contamination):
    """The labelling threshold from training scores: the ``1 - contamination`` quantile,
    or (``'auto'``) the median plus three robust standard deviations
    (:func:`robust_location_scale`)."""
    if contamination == "auto":
        median, scale = robust_location_scale(scores)
        return float(median + 3 * scale)
    return float(np.quantile(scores, 1 - contamination))


def member_seeds(seed, n_members):
    """The seeds of an ensemble's members: ``seed`` itself first (so one member is the
    single model of the same seed), then seeds spawned from it (``numpy.random.SeedSequence``;
    members of different ``seed`` share none)."""
    spawned = np.random.SeedSequence(seed).spawn(max(n_members - 1, 0))
    return [int(seed)] + [int(child.generate_state(1)[0] % (2 ** 31 - 1)) for child in spawned]


class AutoencoderAnomalyDetector(TableParams, BaseEstimator):
    """Series anomaly detector: sliding windows scored through sequence autoencoders.

    ``fit`` standardises the series, cuts it into windows (:class:`SlidingWindows`; by
    default one window is the series' fundamental period, ``window_reason_`` says how it
    was found) and trains ``n_estimators`` clones of ``estimator``, each on its own random
    draw of the windows and with its own seed. ``predict`` cuts a series the same way,
    gives each window a score and every time point the mean score of the windows that cover
    it; higher is more anomalous. By default (``score='combined'``) a window's score is the
    mean, over the autoencoders, of two robust z-scores: its reconstruction error and the
    distance of its code to the nearest code of a training window (the matrix profile's
    nearest-neighbour distance, in code space), each centred and scaled on the training
    series. Averaging several autoencoders on a common scale, as an isolation forest
    averages its trees, makes the ranking depend little on the seed; the two kinds see
    different anomalies (the reconstruction error misses a window that is *easier* to
    reconstruct than normal data, the nearest code does not). Fit on a clean training
    series and predict on new data (semi-supervised), or ``fit_predict`` one series
    (unsupervised: the anomalies, being rare, are learnt less well than the rest). The
    conventions are aeon's for series anomaly detectors, with time first (aeon's
    ``axis=0``). ``predict`` returns scores (higher is more anomalous, the opposite of the
    autoencoders' ``score_samples``). :meth:`predict_labels` turns them into 0/1 labels (1:
    anomalous) with the threshold ``threshold_`` that ``fit`` sets from the training
    series' own scores (``contamination``).

    {parameters}

    Attributes
    ----------
    estimators_ : list of seqae autoencoders
        The fitted clones, one per member.
    estimator_ : seqae autoencoder
        The first of them (the only one with ``n_estimators=1``).
    train_scores_ : ndarray of shape (n_timepoints,)
        The scores of the training series, as :meth:`predict` gives them.
    threshold_ : float
        Score above which :meth:`predict_labels` labels a time point 1 (``contamination``).
    windows_ : SlidingWindows
        The fitted window cutter (``windows_.window_size_`` is the window size used).
    window_size_ : int
        Steps per window.
    window_reason_ : str
        How ``window_size_`` was chosen, e.g. ``"140 steps: the dominant period of the
        series (autocorrelation 0.97 at lag 140; lags 8 to 2000 searched)"``; read it
        before trusting the scores: a window far below the period of the series' pattern
        sees parts of it only.
    mean_, scale_ : ndarray of shape (n_channels,)
        Per-channel standardisation of ``normalize='series'`` (0 and 1 otherwise).
    score_location_, score_scale_ : ndarray of shape (n_estimators, n_kinds)
        Median and robust standard deviation of each member's window scores of each kind
        on the training series (kinds: reconstruction, then nearest code, as ``score``
        uses them).
    reference_codes_ : list of ndarray of shape (n_reference, n_components)
        With a nearest-code score: per member, the codes of the training windows scored
        against.
    reference_starts_ : list of ndarray of int of shape (n_reference,)
        With a nearest-code score: per member, the first time point of each of those
        windows.

    See Also
    --------
    SlidingWindows : The windowing alone.
    dominant_period : The default window.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import RAESCTransformer
    >>> from seqae.anomaly import AutoencoderAnomalyDetector
    >>> t = np.arange(600)
    >>> x = np.sin(2 * np.pi * t / 20)
    >>> x[400] = 4.0  # a spike
    >>> detector = AutoencoderAnomalyDetector(
    ...     RAESCTransformer(n_components=8, max_epochs=5, lr=1e-2), random_state=0)
    >>> scores = detector.fit_predict(x)
    >>> scores.shape
    (600,)
    >>> detector.window_reason_[:46]
    '20 steps: the dominant period of the series (a'
    >>> labels = detector.predict_labels(x)  # 1: anomalous (score above threshold_)
    >>> int(labels[400]), bool(labels.mean() < 0.1)
    (1, True)
    """

    _params = rows(
        "estimator", "window_size", "stride", "normalize", "max_fit_windows", "score",
        "n_estimators", "contamination", "random_state", "verbose",
        estimator={"constraints": [HasMethods(["fit", "transform", "score_samples"]), None],
                   "note": "It needs ``transform`` for the nearest code (``score='combined'`` "
                           "or ``'nearest-code'``) and ``score_samples`` for the "
                           "reconstruction error (``'combined'`` or ``'reconstruction'``)."})

    def __init__(self, estimator=None, *, window_size=None, stride=1, normalize="series",
                 max_fit_windows=1000, score=DEFAULT_SCORE, n_estimators=DEFAULT_N_ESTIMATORS,
                 contamination="auto", random_state=None, verbose="auto"):
        self.estimator = estimator
        self.window_size = window_size
        self.stride = stride
        self.normalize = normalize
        self.max_fit_windows = max_fit_windows
        self.score = score
        self.n_estimators = n_estimators
        self.contamination = contamination
        self.random_state = random_state
        self.verbose = verbose

    def _normalized_windows(self, X2, windows):
        cut = windows.transform((X2 - self.mean_) / self.scale_)
        cut = cut[:, :, None] if cut.ndim == 2 else cut
        if self.normalize == "window":
            std = cut.std(axis=1, keepdims=True)
            cut = (cut - cut.mean(axis=1, keepdims=True)) / np.where(std > 0, std, 1.0)
        return cut if self.n_channels_ > 1 else cut[:, :, 0]

    @property
    def estimator_(self):
        """The first fitted autoencoder (a view of ``estimators_[0]``, not a copy, so that a
        saved detector stores each network once)."""
        check_is_fitted(self, "estimators_")
        return self.estimators_[0]

    def _components(self):
        """The window scores each member contributes (``score``)."""
        if self.score == "combined":
            return ("reconstruction", "nearest-code")
        return (self.score,)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y: object = None) -> Self:
        """Train the autoencoder(s) on the windows of a (normal, or mostly normal) series.

        After training, the training series is scored as :meth:`predict` scores a series
        (``train_scores_``), and ``threshold_`` is set from those scores
        (``contamination``).

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            The training series, time first, without missing values.
        y : None
            Ignored (unsupervised).

        Returns
        -------
        self : object
        """
        X2, _ = _check_series(X, type(self).__name__)
        _check_not_a_collection(X2, type(self).__name__)
        self.n_channels_ = X2.shape[1]
        if self.normalize == "series":
            self.mean_ = X2.mean(axis=0)
            std = X2.std(axis=0)
            self.scale_ = np.where(std > 0, std, 1.0)
        else:
            self.mean_ = np.zeros(self.n_channels_)
            self.scale_ = np.ones(self.n_channels_)
        # the stride of fit is 1 before the draw of the training windows
        self.windows_ = SlidingWindows(self.window_size, stride=1).fit(X2)
        self.window_size_ = self.windows_.window_size_
        self.window_reason_ = self.windows_.window_reason_
        train = self._normalized_windows(X2, self.windows_)
        seed = resolve_seed(self.random_state)
        seeds = member_seeds(seed, self.n_estimators)
        n_train = min(len(train), self.max_fit_windows)
        self.estimators_, self.reference_codes_, self.reference_starts_ = [], [], []
        for index, member_seed in enumerate(seeds):
            if self.estimator is None:
                estimator = default_autoencoder(self.window_size_ * self.n_channels_,
                                                n_train, member_seed,
                                                n_timesteps=self.window_size_)
            else:
                given = self.random_state is not None or index > 0
                estimator = seeded_clone(self.estimator, member_seed if given else None)
            drawn = training_window_indices(len(train), self.max_fit_windows, member_seed)
            # the windows are (n, window, channels) by construction: no layout check on
            # them (many channels and a short window would look channels-first)
            with config_context(check_layout=False):
                fitted = pass_verbose(estimator, self.verbose).fit(train[drawn])
                self.estimators_.append(fitted)
                if "nearest-code" in self._components():
                    keep = training_window_indices(len(train), MAX_REFERENCE_WINDOWS,
                                                   member_seed)
                    self.reference_codes_.append(
                        np.asarray(fitted.transform(train[keep]), dtype=np.float64))
                    self.reference_starts_.append(keep)  # stride 1: window i starts at i
        if "nearest-code" not in self._components():
            del self.reference_codes_, self.reference_starts_
        self._train_digest = _digest(X2)
        self.windows_.set_params(stride=self.stride)
        raw = self._raw_window_scores(X2)
        # each member's score of each kind on the training series' windows: the scale its
        # scores are put on before they are averaged
        self.score_location_ = np.median(raw, axis=2)
        self.score_scale_ = np.ones_like(self.score_location_)
        for index in np.ndindex(*raw.shape[:2]):
            self.score_location_[index], self.score_scale_[index] = \
                robust_location_scale(raw[index])
        self.train_scores_ = self.windows_.to_points(self._combine(raw), len(X2))
        self.threshold_ = _threshold(self.train_scores_, self.contamination)
        return self

    def _raw_window_scores(self, X2):
        """Window scores ``(n_members, n_kinds, n_windows)`` of ``X2``, higher is more
        anomalous: per member, its reconstruction error and/or nearest-code distance."""
        windows = self._normalized_windows(X2, self.windows_)
        self_join = _digest(X2) == self._train_digest
        starts = self.windows_.window_starts(len(X2))
        out = np.empty((len(self.estimators_), len(self._components()), len(windows)))
        with config_context(check_layout=False):  # windows: (n, window, channels) as built
            for m, member in enumerate(self.estimators_):
                for k, kind in enumerate(self._components()):
                    if kind == "reconstruction":
                        out[m, k] = -np.asarray(member.score_samples(windows),
                                                dtype=np.float64)
                        continue
                    codes = member.transform(windows)
                    # scoring the training series itself: skip each window's own
                    # neighbourhood (a quarter of a window on either side, stumpy's default
                    # exclusion zone)
                    out[m, k] = nearest_distances(
                        codes, self.reference_codes_[m], starts, self.reference_starts_[m],
                        exclusion=int(np.ceil(self.window_size_ / 4)) if self_join else 0)
        return out

    def _combine(self, raw):
        """One score per window from the members' scores: the score itself for one member
        and one kind, else the mean of robust z-scores (each member's each kind centred and
        scaled by its median and robust spread on the training series)."""
        if raw.shape[0] * raw.shape[1] == 1:
            return raw[0, 0]
        z = (raw - self.score_location_[:, :, None]) / self.score_scale_[:, :, None]
        return z.mean(axis=(0, 1))

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Anomaly score of every time point; higher is more anomalous.

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            A series with the channels seen in ``fit``, at least ``window_size_`` long.

        Returns
        -------
        scores : ndarray of shape (n_timepoints,)
            The mean, over the windows covering each time point, of the window's score.
            With one member (``n_estimators=1``) and one score kind, that is the
            autoencoder's negated ``score_samples`` (reconstruction error; for the VRAE the
            negative ELBO) or the distance of the window's code to the nearest training
            window's code. Otherwise the mean, over members and kinds, of their robust
            z-scores (see ``score`` and ``n_estimators``): 0 is a typical training window,
            3 is three robust standard deviations above it.
        """
        check_is_fitted(self)
        X2, _ = _check_series(X, type(self).__name__, self.n_channels_)
        return self.windows_.to_points(self._combine(self._raw_window_scores(X2)), len(X2))

    def fit_predict(self, X: ArrayLike, y: object = None) -> NDArray[np.float64]:
        """Fit on a series and score the same series (unsupervised use).

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            The series, time first.
        y : None
            Ignored.

        Returns
        -------
        scores : ndarray of shape (n_timepoints,)
            As for :meth:`predict` (``train_scores_``, computed once).
        """
        return self.fit(X).train_scores_.copy()

    def predict_labels(self, X: ArrayLike) -> NDArray[np.int_]:
        """0/1 label of every time point: 1 where the score is above ``threshold_``.

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            A series with the channels seen in ``fit``, at least ``window_size_`` long.

        Returns
        -------
        labels : ndarray of int of shape (n_timepoints,)
            1 for an anomalous time point (``predict(X) > threshold_``), 0 for a normal one,
            as aeon's detectors with binary output label them.
        """
        check_is_fitted(self)
        return (self.predict(X) > self.threshold_).astype(np.int64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = True
        return tags
