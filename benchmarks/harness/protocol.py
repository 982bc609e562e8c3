"""The measurement protocol the benchmarks share (the harness's protocol module).

- **Codes and raw series go through one classifier**: ``StandardScaler -> SVC(kernel='rbf',
  gamma='scale')``, ``C`` chosen by stratified k-fold CV *inside the training split* over
  ``C_GRID`` (k = min(5, smallest class), at least 2): :func:`svc_search`,
  :func:`svc_accuracy`.
- **Choices on training data only**: :func:`outer_folds` cuts the training split into
  stratified folds that are the same for every configuration; :func:`cv_accuracy` scores
  features on them (the inner search again inside each outer training fold).
- **Label fractions**: :func:`labelled_subset`.
- **Baselines at their own defaults**, in the same run: the raw-series SVC (the protocol
  above on one column per step and feature), 1-NN with the Euclidean distance, MiniRocket +
  ``RidgeClassifierCV`` (its paper's setup): :func:`classification_baselines`,
  :func:`minirocket_accuracy`; for clustering, k-means on the raw series and k-Shape:
  :func:`clustering_baseline`, scored by :func:`clustering_scores` (NMI, ARI).
- **Seeds**: every learnt method runs over at least three seeds (:data:`SEEDS`, the
  scripts' ``--seeds`` default), reported as :func:`mean_std` over the per-seed figures;
  ``--set PARAM=VALUE`` overrides: :func:`parse_overrides`.
"""

import json
import time
import warnings

import numpy as np

from .data import as_matrix, equal_length, flatten, take
from .models import MODELS

#: The seeds a learnt method runs with by default (means over at least 3, with the spread).
SEEDS = (0, 1, 2)

#: The SVC's ``C`` grid, searched by CV inside the training split.
C_GRID = np.logspace(-3, 4, 8)

#: The clustering baselines on the raw (z-normalised) series.
CLUSTERING_BASELINES = ("k-means raw", "k-Shape")


def _n_inner_folds(y):
    return max(int(min(5, np.unique(y, return_counts=True)[1].min())), 2)


def svc_search(random_state=0):
    """The protocol as an estimator: scaler -> RBF SVC, ``C`` by inner stratified CV on the
    data it is fitted on (the number of folds is set at ``fit`` from the smallest class)."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    class _Search(GridSearchCV):
        def fit(self, X, y=None, **params):
            self.cv = StratifiedKFold(_n_inner_folds(y), shuffle=True,
                                      random_state=random_state)
            return super().fit(X, y, **params)

    return _Search(make_pipeline(StandardScaler(), SVC()), {"svc__C": C_GRID})


def svc_accuracy(F_train, y_train, F_test, y_test, random_state=0):
    """The protocol: StandardScaler -> RBF SVC, C by stratified k-fold CV on the train split;
    the accuracy on the test features."""
    search = svc_search(random_state).fit(F_train, y_train)
    return float(search.score(F_test, y_test))


def outer_folds(y, n_folds):
    """Stratified folds of the training split, the same for every configuration."""
    from sklearn.model_selection import StratifiedKFold

    k = int(min(n_folds, np.unique(y, return_counts=True)[1].min()))
    return list(StratifiedKFold(max(k, 2), shuffle=True, random_state=0).split(
        np.zeros(len(y)), y))


def cv_accuracy(F, y, folds):
    """Mean outer-fold accuracy of the SVC protocol on features ``F``."""
    scores = []
    for train, test in folds:
        scores.append(svc_search().fit(F[train], y[train]).score(F[test], y[test]))
    return float(np.mean(scores))


def labelled_subset(y, fraction, seed):
    """Indices of ``fraction`` of each class's sequences (at least 2; all at ``1.0``)."""
    rng = np.random.default_rng(seed)
    rows = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n = len(members) if fraction >= 1 else max(2, int(round(fraction * len(members))))
        rows.append(rng.choice(members, min(n, len(members)), replace=False))
    return np.sort(np.concatenate(rows))


def minirocket_accuracy(X_train, y_train, X_test, y_test, seed):
    """aeon's MiniRocket + ``RidgeClassifierCV`` (its paper's setup) on equal-length arrays
    ``(n, T, m)``: the test accuracy."""
    from sklearn.linear_model import RidgeClassifierCV
    try:
        from aeon.transformations.collection.convolution_based import MiniRocket
    except ImportError:  # older aeon
        from aeon.transformations.collection.rocket import MiniRocket
    rocket = MiniRocket(random_state=seed)
    features = rocket.fit_transform(X_train.transpose(0, 2, 1))
    ridge = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)).fit(features, y_train)
    return float(ridge.score(rocket.transform(X_test.transpose(0, 2, 1)), y_test))


def classification_baselines(X_train, y_train, X_test, y_test):
    """Accuracy of the raw-series SVC, 1-NN ED and MiniRocket, and their fit seconds (ragged
    sets resampled to the longest training length first)."""
    from sklearn.neighbors import KNeighborsClassifier

    X_train, X_test = equal_length(X_train, X_test)
    flat_train, flat_test = flatten(X_train), flatten(X_test)
    results = {}
    start = time.perf_counter()
    results["raw SVC"] = svc_accuracy(flat_train, y_train, flat_test, y_test)
    results["raw SVC_s"] = time.perf_counter() - start
    knn = KNeighborsClassifier(n_neighbors=1).fit(flat_train, y_train)
    results["1-NN ED"] = float(knn.score(flat_test, y_test))
    start = time.perf_counter()
    results["MiniRocket"] = minirocket_accuracy(X_train, y_train, X_test, y_test, seed=0)
    results["MiniRocket_s"] = time.perf_counter() - start
    return results


def kmeans(features, k, seed):
    """k-means labels (scikit-learn's, 10 initialisations)."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(features)


def clustering_baseline(name, X, k, seed):
    """Labels of one clustering baseline (:data:`CLUSTERING_BASELINES`) on the z-normalised
    series, and its CPU seconds."""
    matrix = as_matrix(X)
    start = time.process_time()
    if name == "k-means raw":
        labels = kmeans(matrix.reshape(len(matrix), -1), k, seed)
    elif name == "k-Shape":
        from tslearn.clustering import KShape

        labels = KShape(n_clusters=k, random_state=seed).fit_predict(matrix)
    else:
        raise ValueError(f"unknown baseline {name!r}; expected one of {CLUSTERING_BASELINES}")
    return labels, time.process_time() - start


def clustering_scores(y, labels):
    """``{'nmi', 'ari'}`` of cluster ``labels`` against the classes ``y``."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {"nmi": float(normalized_mutual_info_score(y, labels)),
            "ari": float(adjusted_rand_score(y, labels))}


def mean_std(values):
    """``(mean, standard deviation)`` over seeds, as floats."""
    return float(np.mean(values)), float(np.std(values))


def parse_overrides(pairs):
    """``['max_epochs=5', 'readout=last']`` -> ``{'max_epochs': 5, 'readout': 'last'}``."""
    params = {}
    for pair in pairs or []:
        key, _, value = pair.partition("=")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def fit_codes(model, overrides, seed, X_fit, X_all):
    """A seqae model (:data:`harness.models.MODELS`) with ``overrides`` fitted on ``X_fit``;
    ``(estimator, codes of X_all)``."""
    estimator = MODELS[model](random_state=seed).set_params(**overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        estimator.fit(X_fit)
    return estimator, estimator.transform(X_all)


def run_one(model, overrides, seed, X, y, folds, strict):
    """CV accuracy of one configuration and seed; ``(accuracy, fit seconds, resolved)``."""
    start, cpu = time.perf_counter(), time.process_time()
    if not strict:
        estimator, codes = fit_codes(model, overrides, seed, X, X)
        seconds = time.perf_counter() - start
        accuracy = cv_accuracy(codes, y, folds)
    else:
        scores = []
        for train, test in folds:
            estimator, codes = fit_codes(model, overrides, seed, take(X, train), X)
            search = svc_search().fit(codes[train], y[train])
            scores.append(search.score(codes[test], y[test]))
        seconds = time.perf_counter() - start
        accuracy = float(np.mean(scores))
    resolved = {key: getattr(estimator, key) for key in
                ("n_components_", "max_epochs_", "batch_size_", "patch_size_")}
    resolved["cpu_seconds"] = time.process_time() - cpu
    return accuracy, seconds, resolved


def set_budget(name):
    """Set the training budget of ``'auto'`` (``seqae._engine.budget``'s constants) from
    ``'STEPS/RECURRENT[/RAGGED[/MAX_EPOCHS]]'``: ``AUTO_STEPS`` optimizer steps,
    ``AUTO_MAX_STEPS`` recurrent steps, ragged input's frames from its ``'longest'``
    (default) or ``'median'`` length, at most ``MAX_EPOCHS`` epochs (default: no cap); e.g.
    ``'2000/8'``, ``'250/64'`` (the default), ``'2000/8/median'``, ``'2000/8/longest/200'``."""
    from seqae._engine import budget

    steps, recurrent, *rest = name.split("/")
    budget.AUTO_STEPS, budget.AUTO_MAX_STEPS = int(steps), int(recurrent)
    budget.AUTO_RAGGED_LENGTH = rest[0] if rest else "longest"
    budget.AUTO_MAX_EPOCHS = int(rest[1]) if len(rest) > 1 else None
