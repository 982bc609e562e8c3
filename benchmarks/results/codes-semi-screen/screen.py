"""Scratch screen (issue 23): heads on frozen codes that use the unlabelled sequences.

For each unreported set and seed: RAESC at its defaults pre-trained on the training split
(labels unused); its codes standardised with every training code (as SequenceClassifier
does); a labelled subset per fraction (harness.protocol.labelled_subset, as
semisupervised.py). Heads, scored on the test split:
* ``svm``: RBF SVC, C by stratified CV on the labelled codes (the protocol's grid), the
  classifier's frozen head today;
* ``self-training``: scikit-learn's SelfTrainingClassifier (its defaults: threshold 0.75)
  around that SVC (the C chosen above, probability=True), unlabelled codes included;
* ``spreading``: LabelSpreading(kernel='knn', n_neighbors=7) on the L2-normalised codes of
  every training sequence.

    python screen.py SEED FRACTION [FRACTION ...] -- SET [SET ...]
"""
import json
import sys
import time
import warnings

sys.path.insert(0, "/work/main/benchmarks")
import numpy as np  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import labelled_subset, svc_search  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402


def main():
    seed = int(sys.argv[1])
    cut = sys.argv.index("--")
    fractions, sets = [float(f) for f in sys.argv[2:cut]], sys.argv[cut + 1:]
    from sklearn.preprocessing import StandardScaler, normalize
    from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
    from sklearn.svm import SVC

    set_threads(1)
    for name in sets:
        X_train, y_train, X_test, y_test = load_splits(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ae = RAESCTransformer(random_state=seed).fit(X_train)
            scaler = StandardScaler().fit(ae.transform(X_train))
            train, test = scaler.transform(ae.transform(X_train)), scaler.transform(ae.transform(X_test))
            classes, y_codes = np.unique(y_train, return_inverse=True)
            test_codes = np.searchsorted(classes, y_test)
            for fraction in fractions:
                labelled = labelled_subset(y_train, fraction, seed)
                row = {"set": name, "seed": seed, "fraction": fraction, "n_labelled": len(labelled)}
                start = time.process_time()
                search = svc_search(seed).fit(train[labelled], y_codes[labelled])
                row["svm"] = float(np.mean(search.predict(test) == test_codes))
                C = search.best_params_[[k for k in search.best_params_ if k.endswith("C")][0]]
                y_partial = np.full(len(train), -1)
                y_partial[labelled] = y_codes[labelled]
                st = SelfTrainingClassifier(SVC(C=C, gamma="scale", probability=True,
                                                random_state=seed)).fit(train, y_partial)
                row["self-training"] = float(np.mean(st.predict(test) == test_codes))
                row["self-training_added"] = int((st.labeled_iter_ > 0).sum())
                sp = LabelSpreading(kernel="knn", n_neighbors=7).fit(normalize(train), y_partial)
                row["spreading"] = float(np.mean(sp.predict(normalize(test)) == test_codes))
                row["heads_cpu_s"] = time.process_time() - start
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
