"""Scratch screen (issue 23): clustering the codes of two LSTM autoencoders at once.

For each set and seed S: ``RAESCTransformer(cell='lstm', random_state=S)`` and
``RAESCTransformer(cell='lstm', random_state=100 + S)``, fitted apart; each model's codes
L2-normalised, the two side by side and scaled by 1/sqrt(2) (unit length again: the cosine
of two sequences is the mean of the two models' cosines); then the documented step (10-NN
spectral clustering, ``assign_labels='cluster_qr'``, as ``clustering.py``'s ``L2 +
spectral``). Data as ``clustering.py`` (splits merged, series z-normalised, k = classes).
With ``--ucr``: the ucr.py protocol on the two models' codes side by side (fitted on the
training split; StandardScaler -> RBF SVC, C by CV), for information.

    python screen.py --seeds 0 1 2 --sets BME ...            # NMI, one JSON line each
    python screen.py --ucr --seeds 0 1 2 --sets Adiac ...    # accuracy
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "benchmarks" / "features")]
import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from clustering import _spectral, load  # noqa: E402
from harness.data import load_splits  # noqa: E402
from harness.protocol import svc_accuracy  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402


def pair(seed):
    return [RAESCTransformer(cell="lstm", random_state=s) for s in (seed, 100 + seed)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--sets", nargs="+")
    parser.add_argument("--ucr", action="store_true")
    args = parser.parse_args()
    set_threads(1)
    warnings.simplefilter("ignore")
    for seed in args.seeds:
        for name in args.sets:
            start = time.process_time()
            if args.ucr:
                X_train, y_train, X_test, y_test = load_splits(name)
                models = [m.fit(X_train) for m in pair(seed)]
                train = np.hstack([m.transform(X_train) for m in models])
                test = np.hstack([m.transform(X_test) for m in models])
                row = {"set": name, "seed": seed,
                       "accuracy": svc_accuracy(train, y_train, test, y_test, seed)}
            else:
                X, y = load(name)
                codes = [normalize(m.fit_transform(X)) for m in pair(seed)]
                features = np.hstack(codes) / np.sqrt(2.0)
                labels = _spectral(features, len(np.unique(y)), seed)
                row = {"set": name, "seed": seed,
                       "nmi": normalized_mutual_info_score(y, labels),
                       "ari": adjusted_rand_score(y, labels)}
            row["cpu_s"] = time.process_time() - start
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
