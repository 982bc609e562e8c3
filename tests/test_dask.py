"""Hyperparameter search on a (local, loopback-only) Dask cluster through joblib."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from seqae import RAESCTransformer

distributed = pytest.importorskip("distributed")

from .conftest import FAST as _FAST

FAST = {**_FAST, "device": "cpu"}


def _search(sines):
    y = (sines[:, :4, 0].mean(axis=1) > sines[:, 4:, 0].mean(axis=1)).astype(int)
    pipe = Pipeline([("ae", RAESCTransformer(**FAST)), ("clf", SVC())])
    return GridSearchCV(pipe, {"ae__sigma": [0.125, 0.25], "clf__C": [1.0, 10.0]}, cv=2,
                        n_jobs=-1), y


def test_grid_search_over_sigma_on_a_dask_local_cluster(sines):
    search, y = _search(sines)
    # An in-process worker (no process start-up, no re-import of torch) talking TCP on the
    # loopback interface. Two threads, because joblib bypasses a one-thread cluster and runs
    # sequentially; fits in threads of one process run one at a time (PyTorch's RNG is global).
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as stream, parallel_config(backend="dask"):
            search.fit(sines, y)
        assert len(stream.data) > 0  # the fits ran as Dask tasks (joblib may batch them)
    assert search.best_estimator_.named_steps["ae"].n_components_ in (2, 4)
    # Same seeds, same folds: the cluster's results are the sequential run's.
    sequential, _ = _search(sines)
    sequential.set_params(n_jobs=None).fit(sines, y)
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"],
                                  sequential.cv_results_["mean_test_score"])
    assert search.best_params_ == sequential.best_params_
