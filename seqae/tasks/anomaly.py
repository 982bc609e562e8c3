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

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_array, check_is_fitted

from .._engine.config import config_context
from .._engine.params import DEFAULT_SCORE, DEFAULT_WINDOW_RANGE, TableParams, rows
from ._common import default_autoencoder, pass_verbose, seeded_clone
from .._engine.validation import resolve_seed

if TYPE_CHECKING:
    from typing_extensions import Self


__all__ = ["SlidingWindows", "AutoencoderAnomalyDetector", "dominant_period",
           "training_window_indices"]

#: The detector's default window score and the range of window sizes the data-derived
#: default is clipped to live in the parameter table (:mod:`seqae._engine.params`).


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


def dominant_period(X: ArrayLike, min_period: int = DEFAULT_WINDOW_RANGE[0], max_period: int = DEFAULT_WINDOW_RANGE[1]) -> int:
    """The dominant period of a series: the lag of its highest autocorrelation peak.

    The autocorrelation (computed by FFT, averaged over channels, each channel centred) is
    searched for local maxima at lags between ``min_period`` and ``max_period``; the lag of
    the highest one is returned. A series without such a peak (no periodicity in range, e.g.
    noise or a trend) gives ``max_period`` clipped to a tenth of the series' length, but at
    least ``min_period``.

    Parameters
    ----------
    X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
        One series, time first.
    min_period, max_period : int, default=8, 128
        The range of lags searched (inclusive).

    Returns
    -------
    period : int

    Examples
    --------
    >>> import numpy as np
    >>> from seqae.anomaly import dominant_period
    >>> t = np.arange(2000)
    >>> dominant_period(np.sin(2 * np.pi * t / 50))
    50
    """
    X2, _ = _check_series(X, "dominant_period")
    n = len(X2)
    centred = X2 - X2.mean(axis=0)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(centred, n=size, axis=0)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, n=size, axis=0)[:n]
    energy = acf[0]
    acf = (acf[:, energy > 0] / energy[energy > 0]).mean(axis=1) if (energy > 0).any() \
        else np.zeros(n)
    high = min(max_period, n - 2)
    lags = np.arange(max(min_period, 1), high + 1)
    if len(lags):
        peaks = lags[(acf[lags] > acf[lags - 1]) & (acf[lags] >= acf[lags + 1])]
        peaks = peaks[acf[peaks] > 0]
        if len(peaks):
            return int(peaks[np.argmax(acf[peaks])])
    return int(max(min_period, min(max_period, n // 10)))


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
        low, high = self.window_range
        if not 1 <= low <= high:
            raise ValueError(f"window_range must be (low, high) with 1 <= low <= high; got "
                             f"{self.window_range!r}.")
        if self.window_size is not None and self.window_size > len(X2):
            raise ValueError(
                f"window_size={self.window_size} is longer than the series ({len(X2)} time "
                f"points); the largest valid window_size is {len(X2)} (one window), and "
                "several windows need a smaller one. window_size=None picks the series' "
                "dominant period."
            )
        size = self.window_size or dominant_period(X2, low, high)
        # the dominant period is searched up to window_range's high end, which a short
        # series may not reach: the automatic size is then the series' length
        self.window_size_ = int(min(size, len(X2)))
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


def _threshold(scores, contamination):
    """The labelling threshold from training scores: the ``1 - contamination`` quantile,
    or (``'auto'``) the median plus three scaled median absolute deviations."""
    if contamination == "auto":
        median = np.median(scores)
        return float(median + 3 * 1.4826 * np.median(np.abs(scores - median)))
    return float(np.quantile(scores, 1 - contamination))


class AutoencoderAnomalyDetector(TableParams, BaseEstimator):
    """Series anomaly detector: sliding windows scored through a sequence autoencoder.

    ``fit`` standardises the series, cuts it into windows (:class:`SlidingWindows`) and
    trains a clone of ``estimator`` on (a random draw of) them; ``predict`` cuts a series
    the same way, gives each window a score and every time point the mean score of the
    windows that cover it; higher is more anomalous. The window score (``score``) is by
    default the autoencoder's reconstruction error; ``score='nearest-code'`` uses the
    distance of the window's code to the nearest code of a training window instead (the
    matrix profile's nearest-neighbour distance, in the autoencoder's code space). Fit on a
    clean training series and predict on new data (semi-supervised), or ``fit_predict``
    one series (unsupervised: the anomalies, being rare, are learnt less well than the
    rest). The conventions are aeon's for series anomaly detectors, with time first
    (aeon's ``axis=0``).
    ``predict`` returns scores. :meth:`predict_labels` turns them into 0/1 labels (1:
    anomalous) with the threshold ``threshold_`` that ``fit`` sets from the training
    series' own scores (``contamination``).

    {parameters}

    Attributes
    ----------
    estimator_ : seqae autoencoder
        The fitted clone.
    train_scores_ : ndarray of shape (n_timepoints,)
        The scores of the training series, as :meth:`predict` gives them.
    threshold_ : float
        Score above which :meth:`predict_labels` labels a time point 1 (``contamination``).
    windows_ : SlidingWindows
        The fitted window cutter (``windows_.window_size_`` is the window size used).
    window_size_ : int
        Steps per window.
    mean_, scale_ : ndarray of shape (n_channels,)
        Per-channel standardisation of ``normalize='series'`` (0 and 1 otherwise).
    reference_codes_ : ndarray of shape (n_reference, n_components)
        With ``score='nearest-code'``: the codes of the training windows scored against.
    reference_starts_ : ndarray of int of shape (n_reference,)
        With ``score='nearest-code'``: the first time point of each of those windows.

    See Also
    --------
    SlidingWindows : The windowing alone.

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
    >>> detector.window_size_
    20
    >>> labels = detector.predict_labels(x)  # 1: anomalous (score above threshold_)
    >>> int(labels[400]), bool(labels.mean() < 0.1)
    (1, True)
    """

    _params = rows(
        "estimator", "window_size", "stride", "normalize", "max_fit_windows", "score",
        "contamination", "random_state", "verbose",
        estimator={"constraints": [HasMethods(["fit", "transform", "score_samples"]), None],
                   "note": "It needs ``transform`` for ``score='nearest-code'`` and "
                           "``score_samples`` for ``'reconstruction'``."})

    def __init__(self, estimator=None, *, window_size=None, stride=1, normalize="series",
                 max_fit_windows=1000, score=DEFAULT_SCORE, contamination="auto",
                 random_state=None, verbose="auto"):
        self.estimator = estimator
        self.window_size = window_size
        self.stride = stride
        self.normalize = normalize
        self.max_fit_windows = max_fit_windows
        self.score = score
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

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y: object = None) -> Self:
        """Train the autoencoder on the windows of a (normal, or mostly normal) series.

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
        train = self._normalized_windows(X2, self.windows_)
        seed = resolve_seed(self.random_state)
        n_train = min(len(train), self.max_fit_windows)
        if self.estimator is None:
            estimator = default_autoencoder(self.window_size_ * self.n_channels_, n_train,
                                            seed)
        else:
            estimator = seeded_clone(self.estimator, seed if self.random_state is not None
                                     else None)
        # the windows are (n, window, channels) by construction: no layout check on them
        # (many channels and a short window would look channels-first)
        with config_context(check_layout=False):
            self.estimator_ = pass_verbose(estimator, self.verbose).fit(
                train[training_window_indices(len(train), self.max_fit_windows, seed)])
            if self.score == "nearest-code":
                self._set_reference(train, seed)
        self._train_digest = _digest(X2)
        self.windows_.set_params(stride=self.stride)
        self.train_scores_ = self.predict(X2)
        self.threshold_ = _threshold(self.train_scores_, self.contamination)
        return self

    def _set_reference(self, train, seed):
        """The codes of (at most MAX_REFERENCE_WINDOWS of) the training windows and their
        starts, for ``score='nearest-code'``."""
        keep = training_window_indices(len(train), MAX_REFERENCE_WINDOWS, seed)
        self.reference_codes_ = np.asarray(self.estimator_.transform(train[keep]),
                                           dtype=np.float64)
        self.reference_starts_ = keep  # stride 1 in fit: window i starts at step i

    def _window_scores(self, X2, windows):
        """One anomaly score per window of ``X2`` (higher is more anomalous)."""
        if self.score == "reconstruction":
            return -np.asarray(self.estimator_.score_samples(windows), dtype=np.float64)
        codes = self.estimator_.transform(windows)
        self_join = _digest(X2) == self._train_digest
        # scoring the training series itself: skip each window's own neighbourhood (a
        # quarter of a window on either side, stumpy's default exclusion zone)
        return nearest_distances(
            codes, self.reference_codes_, self.windows_.window_starts(len(X2)),
            self.reference_starts_,
            exclusion=int(np.ceil(self.window_size_ / 4)) if self_join else 0)

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Anomaly score of every time point; higher is more anomalous.

        Parameters
        ----------
        X : array-like of shape (n_timepoints,) or (n_timepoints, n_channels)
            A series with the channels seen in ``fit``, at least ``window_size_`` long.

        Returns
        -------
        scores : ndarray of shape (n_timepoints,)
            The mean, over the windows covering each time point, of the window's score:
            with ``score='reconstruction'`` (the default) its negated ``score_samples``
            (reconstruction error; for the VRAE the negative ELBO), with
            ``score='nearest-code'`` the distance of its code to the nearest training
            window's code.
        """
        check_is_fitted(self)
        X2, _ = _check_series(X, type(self).__name__, self.n_channels_)
        windows = self._normalized_windows(X2, self.windows_)
        with config_context(check_layout=False):  # windows: (n, window, channels) as built
            window_scores = self._window_scores(X2, windows)
        return self.windows_.to_points(window_scores, len(X2))

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
