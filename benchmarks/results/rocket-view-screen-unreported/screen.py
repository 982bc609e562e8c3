"""Scratch screen (issue 23, session 14): the SVM head's second kernel on MiniRocket's
features of the series (``seqae.modules.rocket.MiniRocketFeatures``) instead of the raw
series.

Cells as ``../head-gamma-screen-unreported/heads.py`` (``cell``: the classifier's default
pre-training codes, cached per set and seed, and the raw series, both standardised with
every training row's statistics; ``labelled_subset(y_train, fraction, S)``). New here:
``ppv``, MiniRocket's 9,996 PPV features of every training and test series, the module
fitted (channels, biases) on every training series with ``torch.Generator().manual_seed(S)``
(the classifier sees its unlabelled sequences in ``fit``), standardised with every training
row's mean and scale. Heads, scored on the test split:

* ``default``: today's head, ``seqae.tasks.classifier._svm`` on ``[codes | raw]`` with
  ``n_codes`` (the raw series' kernel, weights ``(1, 0.5)`` by CV, gated at 10 labels in
  every class);
* ``minirocket`` (evidence): the benchmarks' baseline, aeon's MiniRocket + ridge fitted on
  the labelled rows (``harness.protocol.minirocket_accuracy``, seed S);
* ``ppv-svm`` (evidence): ``_svm`` on the standardised PPV features alone;
* ``ppv-ridge`` (evidence): ``RidgeClassifierCV(alphas=logspace(-3, 3, 10))`` on the
  (unstandardised) PPV features of the labelled rows;
* ``rmix-cv``: ``_svm`` on ``[codes | ppv]`` with ``n_codes``, no gate
  (``MIN_LABELS_FOR_RAW_KERNEL = 0``) and ``RAW_KERNEL_WEIGHTS = (0.5, 1.0, 0.0)``: the
  codes' weight chosen with ``C`` by the head's repeated CV, ties to the even mix, then to
  the codes alone;
* ``rmix-half``: the same with ``RAW_KERNEL_WEIGHTS = (0.5,)``: the even mix, ``C`` by CV.

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 --sets Adiac ...
"""
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
from heads import _standardised, arguments, cell, labelled_subset  # noqa: E402
from sklearn.linear_model import RidgeClassifierCV  # noqa: E402

import seqae.tasks.classifier as classifier  # noqa: E402
from harness.data import load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.modules.rocket import MiniRocketFeatures  # noqa: E402

PPV_CACHE = "/tmp/seqae-ppv"


def ppv_of(name, seed):
    """``(train, test, fit CPU s)``: the PPV features of the set's splits, cached."""
    path = Path(PPV_CACHE) / f"{name}_{seed}.npz"
    if path.exists():
        saved = np.load(path)
        return saved["train"], saved["test"], float(saved["fit_s"])
    X_train, _, X_test, _ = load_splits(name)
    start = time.process_time()
    module = MiniRocketFeatures(X_train.shape[1], X_train.shape[2])
    module.fit(torch.as_tensor(X_train, dtype=torch.float32),
               torch.Generator().manual_seed(seed))
    with torch.no_grad():
        train = module(torch.as_tensor(X_train, dtype=torch.float32)).numpy()
        fit_s = time.process_time() - start
        test = module(torch.as_tensor(X_test, dtype=torch.float32)).numpy()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, train=train, test=test, fit_s=fit_s)
    return train, test, fit_s


def mixed(inputs, inputs_test, targets, truth, seed, n_codes, weights):
    saved = classifier.RAW_KERNEL_WEIGHTS, classifier.MIN_LABELS_FOR_RAW_KERNEL
    classifier.RAW_KERNEL_WEIGHTS, classifier.MIN_LABELS_FOR_RAW_KERNEL = weights, 0
    try:
        fitted = classifier._svm(True, inputs, targets, seed, n_codes=n_codes)[0]
    finally:
        classifier.RAW_KERNEL_WEIGHTS, classifier.MIN_LABELS_FOR_RAW_KERNEL = saved
    return float(np.mean(fitted.predict(inputs_test) == truth)), float(fitted.weight)


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            c = cell(name, seed, args.cache)
            X_train, y_train, X_test, y_test = load_splits(name)
            ppv_raw, ppv_raw_test, ppv_s = ppv_of(name, seed)
            ppv, ppv_test = _standardised(ppv_raw, ppv_raw_test)
            targets, truth, n_codes = c["targets"], c["truth"], c["train"].shape[1]
            default_in = np.hstack([c["train"], c["raw_train"]])
            default_test = np.hstack([c["test"], c["raw_test"]])
            rmix_in, rmix_test = np.hstack([c["train"], ppv]), np.hstack([c["test"], ppv_test])
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "ppv_fit_s": ppv_s,
                       "smallest_class": int(np.bincount(targets[rows]).min())}

                def timed(head, run):
                    start = time.process_time()
                    row[head] = run()
                    row[f"{head}_cpu_s"] = time.process_time() - start

                timed("default", lambda: float(np.mean(classifier._svm(
                    True, default_in[rows], targets[rows], seed, n_codes=n_codes)[0].predict(
                        default_test) == truth)))
                timed("minirocket", lambda: minirocket_accuracy(
                    X_train[rows], y_train[rows], X_test, y_test, seed))
                timed("ppv-svm", lambda: float(np.mean(classifier._svm(
                    True, ppv[rows], targets[rows], seed)[0].predict(ppv_test) == truth)))
                timed("ppv-ridge", lambda: float(RidgeClassifierCV(
                    alphas=np.logspace(-3, 3, 10)).fit(ppv_raw[rows], targets[rows]).score(
                        ppv_raw_test, truth)))
                for head, weights in (("rmix-cv", (0.5, 1.0, 0.0)), ("rmix-half", (0.5,))):
                    start = time.process_time()
                    row[head], row[f"{head}_weight"] = mixed(
                        rmix_in[rows], rmix_test, targets[rows], truth, seed, n_codes, weights)
                    row[f"{head}_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
