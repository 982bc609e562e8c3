"""Hyperparameter search on a (local, loopback-only) Dask cluster through joblib."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from seqae import RAESCTransformer

distributed = pytest.importorskip("distributed")

from ..conftest import FAST as _FAST

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


@pytest.mark.slow
def test_blockwise_transform_and_score_on_a_local_cluster_of_processes(sines):
    import dask.array as da

    import seqae.io.dask

    ae = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    X = da.from_array(sines, chunks=(7, 4, 2))  # rechunked to whole sequences per block
    codes = seqae.io.dask.transform(ae, X)
    assert codes.chunks == ((7, 7, 7, 3), (ae.n_components_,))
    assert codes.dtype == np.float64 and type(codes._meta) is np.ndarray
    assert codes._meta.ndim == 2 and codes._meta.dtype == np.float64
    # the estimator is one node of the graph, not copied into every block's task
    graph = dict(codes.__dask_graph__())
    assert sum(str(key).startswith("RAESCTransformer-") for key in graph) == 1
    assert sum("RAESCTransformer(" in repr(task) for task in graph.values()) == 1
    scores = seqae.io.dask.score_samples(ae, da.from_array(sines[:, :, 0].astype(np.float32),
                                                        chunks=(10, 8)))
    assert scores.chunks == ((10, 10, 4),) and scores.dtype == np.float32
    univariate = RAESCTransformer(sigma=0.25, **FAST).fit(sines[:, :, 0])
    scores = seqae.io.dask.score_samples(univariate,
                                      da.from_array(sines[:, :, 0], chunks=(10, 8)))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as stream:
            got_codes, got_scores = client.compute([codes, scores], sync=True)
        workers = {task["worker"] for task in stream.data
                   if "apply_block" in str(task["key"])}
        cluster_workers = set(client.scheduler_info()["workers"])
        # fit_incremental computes the blocks on the cluster, one at a time
        seen = []
        incremental = RAESCTransformer(sigma=0.25, **FAST)
        incremental.partial_fit = lambda block: seen.append(block.shape) or \
            RAESCTransformer.partial_fit(incremental, block)
        seqae.io.dask.fit_incremental(incremental, X, epochs=2, random_state=0)
    assert workers and workers <= cluster_workers  # the blocks ran in worker processes
    np.testing.assert_array_equal(got_codes, ae.transform(sines))  # bitwise, blockwise
    np.testing.assert_array_equal(got_scores, univariate.score_samples(sines[:, :, 0]))
    assert sorted(seen) == sorted([(7, 8, 2), (7, 8, 2), (7, 8, 2), (3, 8, 2)] * 2)
    assert len(incremental.net_.history) == 8


def test_dask_input_errors(sines):
    import dask.array as da

    import seqae.io.dask

    ae = RAESCTransformer(sigma=0.25, **FAST).fit(sines)
    with pytest.raises(TypeError, match="dask.array"):
        seqae.io.dask.transform(ae, sines)
    with pytest.raises(ValueError, match="2D array"):
        seqae.io.dask.transform(ae, da.zeros((4, 8, 2, 1)))
    with pytest.raises(ValueError, match="n_timesteps_=8"):
        seqae.io.dask.transform(ae, da.zeros((4, 5, 2))).compute()
    with pytest.raises(ValueError, match="epochs"):
        seqae.io.dask.fit_incremental(ae, da.from_array(sines), epochs=0)
