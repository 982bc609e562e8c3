"""What the head screens of issue 23's session 13 share (``head-gamma``, ``head-mix``,
``raw-gate``, ``raw-nogate`` and ``raw-weights`` under ``benchmarks/results/``): the cells
(codes of the classifier's default pre-training, cached per set and seed, and the raw
series, both standardised with every training row's statistics) and the summary table."""
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks")]
import numpy as np  # noqa: E402

from sklearn.model_selection import RepeatedStratifiedKFold  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import labelled_subset  # noqa: E402,F401 (for the screens)
from seqae.tasks._common import pretraining_autoencoder  # noqa: E402
from seqae.tasks.classifier import SVM_CV_REPEATS  # noqa: E402

CACHE = "/tmp/seqae-codes-lr3e-3"


def codes_of(name, seed, cache=CACHE):
    """``(train codes, test codes, fit CPU s)`` of ``pretraining_autoencoder()`` with
    ``random_state=seed`` fitted on the set's training split, cached in ``cache``."""
    import time

    path = Path(cache) / f"{name}_{seed}.npz"
    if path.exists():
        saved = np.load(path)
        return saved["train"], saved["test"], float(saved["fit_s"])
    X_train, _, X_test, _ = load_splits(name)
    start = time.process_time()
    model = pretraining_autoencoder().set_params(random_state=seed).fit(X_train)
    fit_s = time.process_time() - start
    train, test = model.transform(X_train), model.transform(X_test)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, train=train, test=test, fit_s=fit_s)
    return train, test, fit_s


def folds(targets, seed):
    """The SVM head's CV (``seqae.tasks.classifier._svm``): a stratified k-fold, k = min(5,
    smallest class), repeated ``SVM_CV_REPEATS`` times; ``None`` below 2 labels per class."""
    smallest = int(np.unique(targets, return_counts=True)[1].min())
    if smallest < 2:
        return None
    return RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=SVM_CV_REPEATS,
                                   random_state=seed)


def _standardised(train, test):
    mean, scale = train.mean(0), train.std(0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    return (train - mean) / scale, (test - mean) / scale


def cell(name, seed, cache=CACHE):
    """A dict of the set's standardised codes and flattened raw series (``train``,
    ``test``, ``raw_train``, ``raw_test``), class indices (``targets``, ``truth``), the raw
    training labels ``y_train`` and the pre-training's CPU seconds ``fit_s``."""
    X_train, y_train, X_test, y_test = load_splits(name)
    train, test, fit_s = codes_of(name, seed, cache)
    train, test = _standardised(train, test)
    raw_train, raw_test = _standardised(X_train.reshape(len(X_train), -1),
                                        X_test.reshape(len(X_test), -1))
    classes, targets = np.unique(y_train, return_inverse=True)
    return {"train": train, "test": test, "raw_train": raw_train, "raw_test": raw_test,
            "targets": targets, "truth": np.searchsorted(classes, y_test),
            "y_train": y_train, "fit_s": fit_s}


def summarise(runs, heads):
    """Print, per fraction, each head's per-set mean (std) test accuracy over seeds, the
    mean over sets, the sets at or above the first head and the median CPU seconds."""
    rows = [json.loads(line) for line in Path(runs).open()]
    base = heads[0]
    for fraction in sorted({r["fraction"] for r in rows}):
        cells = defaultdict(lambda: defaultdict(list))
        for r in rows:
            if r["fraction"] == fraction:
                for head in heads:
                    cells[r["set"]][head].append(r[head])
        print(f"\n## {fraction:.0%} of the labels (mean over seeds; std in brackets)\n")
        print("| set | " + " | ".join(heads) + " |")
        print("|---" * (len(heads) + 1) + "|")
        for name in sorted(cells):
            print(f"| {name} | " + " | ".join(
                f"{np.mean(cells[name][h]):.3f} ({np.std(cells[name][h]):.3f})"
                for h in heads) + " |")
        means = {h: np.mean([np.mean(cells[n][h]) for n in cells]) for h in heads}
        print("| **mean** | " + " | ".join(f"**{means[h]:.4f}**" for h in heads) + " |")
        wins = {h: sum(np.mean(cells[n][h]) >= np.mean(cells[n][base]) for n in cells)
                for h in heads}
        print(f"| sets >= {base} | "
              + " | ".join(f"{wins[h]}/{len(cells)}" for h in heads) + " |")
        cpu = {h: np.median([r[f"{h}_cpu_s"] for r in rows if r["fraction"] == fraction])
               for h in heads}
        print("| median CPU s | " + " | ".join(f"{cpu[h]:.2f}" for h in heads) + " |")


def arguments():
    """The screens' command line (``--seeds``, ``--fractions``, ``--sets``, ``--cache``),
    parsed; torch on one thread and warnings off, as every screen runs."""
    import argparse
    import warnings

    from harness.report import set_threads

    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--fractions", type=float, nargs="+")
    parser.add_argument("--sets", nargs="+")
    parser.add_argument("--cache", default=CACHE)
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    return args


def run_constants(variants):
    """The ``raw-gate`` and ``raw-weights`` screens: for each cell of the command line
    (``--seeds``, ``--fractions``, ``--sets``, ``--cache``), one JSON line with the test
    accuracy of ``seqae.tasks.classifier._svm`` with ``n_codes`` (the raw kernel's weight
    chosen with ``C``) under each variant ``{head: (constant, value)}``: a constant of
    ``seqae.tasks.classifier`` set to ``value`` for that head, and restored after it."""
    import time

    import seqae.tasks.classifier as classifier

    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            targets, truth = c["targets"], c["truth"]
            inputs = np.hstack([c["train"], c["raw_train"]])
            inputs_test = np.hstack([c["test"], c["raw_test"]])
            for fraction in args.fractions:
                rows = labelled_subset(c["y_train"], fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)),
                       "smallest_class": int(np.bincount(targets[rows]).min())}
                for head, (constant, value) in variants.items():
                    saved = getattr(classifier, constant)
                    setattr(classifier, constant, value)
                    start = time.process_time()
                    fitted = classifier._svm(True, inputs[rows], targets[rows], seed,
                                             n_codes=c["train"].shape[1])[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(inputs_test) == truth))
                    row[f"{head}_weight"] = float(fitted.weight)
                    setattr(classifier, constant, saved)
                print(json.dumps(row), flush=True)
