"""Anomaly series and simple detectors shared by the anomaly benchmarks
(``tasks/anomaly.py`` reports them, ``tasks/anomaly_select.py`` chooses on them)."""

import numpy as np

from seqae.anomaly import SlidingWindows

from .data import load_splits


#: Real-derived series reported here (semi-supervised): normal-class sequences of an allowed
#: set joined end to end, with other-class sequences and injected changes as anomalies.
DERIVED_REPORTED = ("ECGFiveDays", "FreezerSmallTrain", "ChlorineConcentration",
                    "DistalPhalanxOutlineCorrect")

#: The changes injected into one normal sequence of a derived series (besides
#: ``other-class``: a sequence of another class, a real anomaly).
INJECTED_KINDS = ("level-shift", "noise", "flat", "frequency", "amplitude")


def inject(sequence, kind, scale, rng):
    """One normal sequence with one change of ``kind``: ``level-shift`` (+1 standard
    deviation of the series), ``noise`` (Gaussian, 0.3 of it), ``flat`` (held at its first
    value), ``frequency`` (played twice as fast: twice in its own length) or ``amplitude``
    (half its deviation from its mean)."""
    x = np.asarray(sequence, dtype=np.float64).copy()
    if kind == "level-shift":
        return x + scale
    if kind == "noise":
        return x + rng.normal(0, 0.3 * scale, len(x))
    if kind == "flat":
        return np.full_like(x, x[0])
    if kind == "frequency":
        steps = np.arange(len(x))
        return np.interp((2 * steps) % len(x), steps, x)
    if kind == "amplitude":
        return x.mean() + 0.5 * (x - x.mean())
    raise ValueError(kind)


def derived_series(name, seed=0, n_train_points=4000, n_test_points=6000,
                   kinds=("other-class",) + INJECTED_KINDS):
    """A real-derived semi-supervised series from the allowed set ``name``
    (:mod:`harness.data`): ``(train, test, labels)``.

    The normal class is the set's most frequent training class. Its sequences (both splits
    pooled, first channel) are shuffled (``seed``) and joined end to end: disjoint ones into
    a clean training series of at least ``n_train_points`` points and a test series of at
    least ``n_test_points`` (and at least 8 normal sequences per anomaly, so that at most
    about a ninth of its points are anomalous). One test sequence per entry of ``kinds``, at evenly spread
    places after the first fifth, is replaced: ``other-class`` by a sequence of another
    class, the rest by the normal sequence with that change (:func:`inject`). Labels are 1
    on the replaced sequences' points."""
    X_train, y_train, X_test, y_test = load_splits(name)
    sequences = [np.asarray(x, dtype=np.float64)[:, 0] for x in list(X_train) + list(X_test)]
    classes = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    values, counts = np.unique(np.asarray(y_train), return_counts=True)
    normal = values[np.argmax(counts)]
    rng = np.random.default_rng(seed)
    normal_ids = rng.permutation(np.flatnonzero(classes == normal))
    other_ids = rng.permutation(np.flatnonzero(classes != normal))
    train, used = [], 0
    while sum(map(len, train)) < n_train_points and used < len(normal_ids) // 2:
        train.append(sequences[normal_ids[used]])
        used += 1
    test = []
    while sum(map(len, test)) < n_test_points and used < len(normal_ids):
        test.append(sequences[normal_ids[used]])
        used += 1
    n_test_points = max(n_test_points,
                        8 * len(kinds) * int(np.median([len(x) for x in train])))
    while sum(map(len, test)) < n_test_points and used < len(normal_ids):
        test.append(sequences[normal_ids[used]])
        used += 1
    joined_train = np.concatenate(train)
    scale = joined_train.std()
    slots = np.linspace(len(test) // 5, len(test) - 1, len(kinds)).astype(int)
    labels = [np.zeros(len(x), dtype=int) for x in test]
    for slot, kind in zip(slots, kinds):
        if kind == "other-class":
            test[slot] = sequences[other_ids[0]]
        else:
            test[slot] = inject(test[slot], kind, scale, rng)
        labels[slot] = np.ones(len(test[slot]), dtype=int)
    return joined_train, np.concatenate(test), np.concatenate(labels)


def standardise(train, test):
    mean, std = train.mean(), train.std()
    return (train - mean) / std, (test - mean) / std


def window_method(model_fn):
    """A baseline scoring windows with ``model_fn(train_windows, test_windows, seed)``."""
    def score(train, test, window, seed):
        train, test = standardise(train, test)
        cut = SlidingWindows(window).fit(train)
        scores = model_fn(cut.transform(train), cut.transform(test), seed)
        return cut.to_points(scores, len(test))
    return score


def _iforest(train_windows, test_windows, seed):
    from pyod.models.iforest import IForest
    return IForest(random_state=seed).fit(train_windows).decision_function(test_windows)


def rolling_median(train, test, window):
    half = window // 2
    padded = np.pad(test, half, mode="edge")
    medians = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)
    return np.abs(test - medians)
