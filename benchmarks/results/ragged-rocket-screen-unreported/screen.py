"""Scratch screen (issue 23, session 14): MiniRocket's view for sequences of different
lengths, each resampled to the longest training length.

For each ragged unreported set and seed S: the classifier's default pre-training codes
(``../head-gamma-screen-unreported/heads.py``'s ``codes_of``, cached), standardised with
every training code's statistics; MiniRocket's PPV features of every training sequence,
each resampled to the longest training length (``seqae.tasks.classifier._series_features``
with ``lengths``: ``seqae.modules.rocket.resample``, the layer fitted with seed S), and of
every test sequence resampled the same way through the fitted layer, standardised with the
training statistics; ``labelled_subset(y_train, fraction, S)``. Heads, on the test split:

* ``codes``: today's head for ragged input, ``_svm`` on the codes alone;
* ``rocket-mix``: ``_svm`` on ``[codes | ppv]`` with ``SERIES_KERNELS['minirocket']`` (the
  even mix, ``C`` by the head's CV);
* ``minirocket`` (evidence): the benchmarks' baseline, aeon's MiniRocket + ridge on the
  labelled rows of both splits resampled to the longest training length
  (``harness.data.equal_length``).

    python screen.py --seeds 0 1 2 --fractions 0.05 0.1 0.25 1.0 \
        --sets AllGestureWiimoteX GesturePebbleZ1
"""
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
import numpy as np  # noqa: E402
import torch  # noqa: E402
from heads import _standardised, arguments, codes_of, labelled_subset  # noqa: E402

from harness.data import equal_length, load_splits  # noqa: E402
from harness.protocol import minirocket_accuracy  # noqa: E402
from seqae.modules.rocket import resample  # noqa: E402
from seqae.tasks.classifier import (SERIES_KERNELS, _series_features,  # noqa: E402
                                    _SeriesMix, _svm)


def padded(X, n_steps=None):
    n_steps = n_steps or max(len(x) for x in X)
    out = np.zeros((len(X), n_steps, X[0].shape[1]))
    for i, x in enumerate(X):
        out[i, :len(x)] = x[:n_steps]
    return out, np.array([min(len(x), n_steps) for x in X])


def main():
    args = arguments()
    for seed in args.seeds:
        for name in args.sets:
            X_train, y_train, X_test, y_test = load_splits(name)
            train, test, fit_s = codes_of(name, seed, args.cache)
            train, test = _standardised(train, test)
            X3, lengths = padded(X_train)
            start = time.process_time()
            series = _series_features("minirocket", X3, seed, 64, lengths)
            X3_test, lengths_test = padded(X_test, max(len(x) for x in X_test))
            inputs = resample(torch.as_tensor(X3_test, dtype=torch.float32),
                              lengths_test, X3.shape[1])
            with torch.no_grad():
                ppv_test = torch.cat([series.rocket(inputs[i:i + 64])
                                      for i in range(0, len(inputs), 64)]).double().numpy()
            ppv_test = (ppv_test - series.mean) / series.scale
            ppv_s = time.process_time() - start
            classes, targets = np.unique(y_train, return_inverse=True)
            truth = np.searchsorted(classes, y_test)
            k, p = train.shape[1], series.values.shape[1]
            mix = _SeriesMix(k, (("minirocket", k, k + p),), SERIES_KERNELS["minirocket"])
            both, both_test = np.hstack([train, series.values]), np.hstack([test, ppv_test])
            equal_train, equal_test = equal_length(X_train, X_test)
            for fraction in args.fractions:
                rows = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction,
                       "n_labelled": int(len(rows)), "ppv_cpu_s": ppv_s,
                       "smallest_class": int(np.bincount(targets[rows]).min())}
                for head, features, features_test, head_mix in (
                        ("codes", train, test, None), ("rocket-mix", both, both_test, mix)):
                    start = time.process_time()
                    fitted = _svm(True, features[rows], targets[rows], seed, mix=head_mix)[0]
                    row[f"{head}_cpu_s"] = time.process_time() - start
                    row[head] = float(np.mean(fitted.predict(features_test) == truth))
                start = time.process_time()
                row["minirocket"] = minirocket_accuracy(equal_train[rows], y_train[rows],
                                                        equal_test, y_test, seed)
                row["minirocket_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
