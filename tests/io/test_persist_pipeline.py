"""seqae.save / seqae.load of compositions: Pipelines of seqae and scikit-learn steps, the
detector, the imputer, the classifier and the regressor inside a pipeline; file modes."""

import json
import os
import stat

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC

import seqae
from seqae.anomaly import AutoencoderAnomalyDetector
from seqae.impute import SequenceImputer
from seqae.interop import channels_first_adapter, to_channels_first

from .._models import MODELS
from ..conftest import FAST

pytest.importorskip("safetensors.torch")


def _labels(n):
    return np.arange(n) % 2


def test_a_pipeline_of_seqae_and_sklearn_steps_round_trips(sines, tmp_path):
    y = _labels(len(sines))
    pipe = make_pipeline(channels_first_adapter(), MODELS["raesc"](), StandardScaler(),
                         PCA(3), SVC()).fit(to_channels_first(sines), y)
    path = tmp_path / "pipe.safetensors"
    seqae.save(pipe, path)
    loaded = seqae.load(path, device="cpu")
    assert [name for name, _ in loaded.steps] == [name for name, _ in pipe.steps]
    assert loaded is not pipe and loaded.steps[1][1] is not pipe.steps[1][1]
    X = to_channels_first(sines)
    np.testing.assert_array_equal(loaded.decision_function(X), pipe.decision_function(X))
    np.testing.assert_array_equal(loaded[:-1].transform(X), pipe[:-1].transform(X))
    assert loaded[-1].get_params() == pipe[-1].get_params()


def test_the_tasks_round_trip(sines, sines_1d, tmp_path, fast_default):
    path = tmp_path / "task.safetensors"
    series = np.sin(np.arange(200) / 3.0)
    detector = AutoencoderAnomalyDetector(window_size=12, random_state=0).fit(series)
    seqae.save(detector, path)
    loaded = seqae.load(path, device="cpu")
    np.testing.assert_array_equal(loaded.predict(series), detector.predict(series))
    assert loaded.threshold_ == detector.threshold_

    X = sines_1d.copy()
    X[::3, 2] = np.nan
    imputer = SequenceImputer(MODELS["raesc"](), random_state=0).fit(X)
    seqae.save(imputer, path)
    np.testing.assert_array_equal(seqae.load(path, device="cpu").transform(X),
                                  imputer.transform(X))

    y = _labels(len(sines))
    classifier = seqae.SequenceClassifier(MODELS["rae"](), **FAST).fit(sines, y)
    regressor = seqae.SequenceRegressor(MODELS["rae"](), **FAST).fit(sines, y * 1.5)
    pipe = make_pipeline(StandardScaler().set_output(transform="default"), classifier)
    for estimator, method in ((classifier, "predict_proba"), (regressor, "predict")):
        seqae.save(estimator, path)
        np.testing.assert_array_equal(getattr(seqae.load(path, device="cpu"), method)(sines),
                                      getattr(estimator, method)(sines))
    seqae.save(make_pipeline(classifier), path)
    np.testing.assert_array_equal(seqae.load(path, device="cpu").predict_proba(sines),
                                  classifier.predict_proba(sines))
    del pipe


def _rewrite_document(path, out, edit):
    """The file at ``path`` with its JSON document edited and its digest recomputed."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    from seqae.io.persist import _digest

    with safe_open(str(path), framework="pt") as f:
        metadata = dict(f.metadata())
        tensors = {key: f.get_tensor(key) for key in f.keys()}
    document = json.loads(metadata["estimator"])
    edit(document)
    metadata["estimator"] = json.dumps(document)
    metadata["sha256"] = _digest(metadata["estimator"], tensors)
    save_file(tensors, str(out), metadata=metadata)
    return out


@pytest.mark.parametrize("target", ["os:system", "builtins:eval", "subprocess:Popen",
                                    "sklearn.utils:Bunch", "sklearn.base:clone",
                                    "sklearn.pipeline:Pipeline.__init__",
                                    "sklearn.svm:__import__"])
def test_loading_instantiates_estimator_classes_only(sines, tmp_path, target):
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(
        sines[:, :, 0], _labels(len(sines)))
    path = tmp_path / "p.safetensors"
    seqae.save(pipe, path)

    def swap(document):
        document["object"]["params"]["steps"][1]["__tuple__"][1]["__object__"] = target

    edited = _rewrite_document(path, tmp_path / "e.safetensors", swap)
    with pytest.raises(ValueError, match="not a scikit-learn or seqae estimator"):
        seqae.load(edited)


def test_code_is_refused_at_save_and_named(sines_1d, tmp_path):
    pipe = make_pipeline(FunctionTransformer(np.log1p), StandardScaler()).fit(sines_1d + 2)
    with pytest.raises(TypeError, match=r"steps\[0\].*func is code"):
        seqae.save(pipe, tmp_path / "f.safetensors")
    with pytest.raises(TypeError, match="scikit-learn and seqae estimators"):
        seqae.save({"a": 1}, tmp_path / "f.safetensors")
    assert not (tmp_path / "f.safetensors").exists()


def test_a_file_saved_with_another_sklearn_warns(sines_1d, tmp_path):
    path = tmp_path / "p.safetensors"
    seqae.save(make_pipeline(StandardScaler()).fit(sines_1d), path)

    def old(document):
        document["sklearn_version"] = "0.1"

    with pytest.warns(UserWarning, match="scikit-learn 0.1"):
        seqae.load(_rewrite_document(path, tmp_path / "o.safetensors", old))


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_follow_the_umask(sines, tmp_path, umask):
    ae = MODELS["rae"]().fit(sines)
    for name, estimator in (("ae.safetensors", ae), ("pipe.safetensors", make_pipeline(ae))):
        old = os.umask(umask)
        try:
            seqae.save(estimator, tmp_path / name)
        finally:
            os.umask(old)
        mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
        assert mode == 0o666 & ~umask, (name, oct(mode))


def test_scikit_learn_compositions_round_trip_and_masked_arrays_are_refused(tmp_path):
    from sklearn.cluster import KMeans
    from sklearn.compose import ColumnTransformer

    X = np.random.default_rng(0).normal(size=(30, 5))
    y = _labels(30)
    path = tmp_path / "c.safetensors"
    columns = ColumnTransformer([("a", StandardScaler(), slice(0, 3)),
                                 ("b", "passthrough", [3, 4])])
    for estimator, method in ((make_pipeline(columns, LogisticRegression()).fit(X, y),
                               "predict_proba"),
                              (make_pipeline(StandardScaler(), KMeans(3, n_init=2,
                                                                      random_state=0)).fit(X),
                               "transform")):
        seqae.save(estimator, path)
        np.testing.assert_array_equal(getattr(seqae.load(path), method)(X),
                                      getattr(estimator, method)(X))
    scaler = StandardScaler().fit(X)
    scaler.mean_ = np.ma.masked_array(scaler.mean_, mask=[True] + [False] * 4)
    with pytest.raises(TypeError, match="mean_ is a numpy.ma"):
        seqae.save(scaler, path)
