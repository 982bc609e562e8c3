"""seqae.save / seqae.load: safetensors + JSON, no pickle, bitwise round trips."""

import json
import pickle

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError

import seqae
from seqae.io.persist import FORMAT_VERSION, _digest

from .._models import MODELS

safetensors_torch = pytest.importorskip("safetensors.torch")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_round_trip_is_bitwise(name, sines, tmp_path):
    ae = MODELS[name]().fit(sines)
    path = tmp_path / "ae.safetensors"
    seqae.save(ae, path)
    loaded = seqae.load(path, device="cpu")
    assert type(loaded) is type(ae) and loaded is not ae
    params = ae.get_params()
    assert loaded.get_params() == {**params, "device": "cpu"}
    for key in ("n_features_in_", "n_timesteps_", "n_channels_", "input_ndim_",
                "n_components_", "sigma_", "decoder_input_shape_"):
        assert getattr(loaded, key) == getattr(ae, key), key
    assert isinstance(loaded.decoder_input_shape_, tuple)
    np.testing.assert_array_equal(loaded.transform(sines), ae.transform(sines))
    np.testing.assert_array_equal(loaded.score_samples(sines), ae.score_samples(sines))
    codes = ae.transform(sines)
    np.testing.assert_array_equal(loaded.inverse_transform(codes), ae.inverse_transform(codes))
    assert loaded.net_.history[:, "train_loss"] == ae.net_.history[:, "train_loss"]
    # the optimizer's state is saved too: partial_fit continues identically
    ae.partial_fit(sines)
    loaded.partial_fit(sines)
    np.testing.assert_array_equal(loaded.transform(sines), ae.transform(sines))


def test_round_trip_keeps_feature_names_and_ragged_layout(sines_1d, tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sines_1d, columns=[f"t{i}" for i in range(8)])
    ae = MODELS["raesc"]().fit(frame)
    seqae.save(ae, tmp_path / "a.safetensors")
    loaded = seqae.load(tmp_path / "a.safetensors", device="cpu")
    np.testing.assert_array_equal(loaded.feature_names_in_, ae.feature_names_in_)
    np.testing.assert_array_equal(loaded.transform(frame), ae.transform(frame))
    ragged = [seq[:n] for seq, n in zip(sines_1d, [8, 5, 3, 7] * 6)]
    ae = MODELS["rae"]().fit(ragged)
    seqae.save(ae, tmp_path / "r.safetensors")
    loaded = seqae.load(tmp_path / "r.safetensors", device="cpu")
    np.testing.assert_array_equal(loaded.transform(ragged), ae.transform(ragged))
    assert loaded.input_ndim_ == 2 and loaded.inverse_transform(ae.transform(sines_1d)).ndim == 2


def test_save_needs_a_fitted_seqae_estimator_and_drops_callbacks(sines, tmp_path):
    with pytest.raises(NotFittedError):
        seqae.save(MODELS["rae"](), tmp_path / "x.safetensors")
    from skorch.callbacks import PrintLog

    ae = MODELS["rae"](callbacks=[("log", PrintLog())], verbose=0).fit(sines)
    with pytest.warns(UserWarning, match="callbacks"):
        seqae.save(ae, tmp_path / "x.safetensors")
    assert seqae.load(tmp_path / "x.safetensors", device="cpu").callbacks is None


@pytest.fixture(scope="module")
def saved(tmp_path_factory, sines):
    path = tmp_path_factory.mktemp("saved") / "ae.safetensors"
    seqae.save(MODELS["raesc"]().fit(sines), path)
    return path


def _rewrite(saved, path, edit_metadata=None, edit_tensors=None, resign=False):
    from safetensors import safe_open

    with safe_open(str(saved), framework="pt") as f:
        metadata = f.metadata()
        tensors = {key: f.get_tensor(key) for key in f.keys()}
    if edit_tensors:
        edit_tensors(tensors)
    if edit_metadata:
        edit_metadata(metadata)
    if resign:
        metadata["sha256"] = _digest(metadata["estimator"], tensors)
    safetensors_torch.save_file(tensors, str(path), metadata=metadata)
    return path


def test_truncated_file_is_a_value_error(saved, tmp_path):
    data = saved.read_bytes()
    for size in (0, 7, 100, len(data) // 2, len(data) - 1):
        (tmp_path / "t.safetensors").write_bytes(data[:size])
        with pytest.raises(ValueError, match="not a readable safetensors file"):
            seqae.load(tmp_path / "t.safetensors")


def test_edited_file_is_a_value_error(saved, tmp_path):
    def weights(tensors):
        key = next(k for k in tensors if k.startswith("module."))
        tensors[key] = tensors[key] + 1e-3

    def params(metadata):
        document = json.loads(metadata["estimator"])
        document["params"]["sigma"] = 0.75
        metadata["estimator"] = json.dumps(document)

    for edit in ({"edit_tensors": weights}, {"edit_metadata": params}):
        path = _rewrite(saved, tmp_path / "e.safetensors", **edit)
        with pytest.raises(ValueError, match="SHA-256"):
            seqae.load(path)
    # a byte flipped in the raw data (no re-serialisation)
    data = bytearray(saved.read_bytes())
    data[-3] ^= 0xFF
    (tmp_path / "b.safetensors").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="SHA-256"):
        seqae.load(tmp_path / "b.safetensors")


def test_foreign_files_are_value_errors_and_run_no_code(saved, tmp_path):
    safetensors_torch.save_file({"w": torch.zeros(2)}, str(tmp_path / "f.safetensors"))
    with pytest.raises(ValueError, match="not one written by seqae.save"):
        seqae.load(tmp_path / "f.safetensors")
    marker = tmp_path / "executed"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    (tmp_path / "p.safetensors").write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ValueError, match="not a readable safetensors file"):
        seqae.load(tmp_path / "p.safetensors")
    assert not marker.exists()

    def version(metadata):
        metadata["format_version"] = str(FORMAT_VERSION + 1)

    with pytest.raises(ValueError, match="format version"):
        seqae.load(_rewrite(saved, tmp_path / "v.safetensors", edit_metadata=version))

    def other_class(metadata):
        document = json.loads(metadata["estimator"])
        document["class"] = "os.system"
        metadata["estimator"] = json.dumps(document)

    path = _rewrite(saved, tmp_path / "c.safetensors", edit_metadata=other_class, resign=True)
    with pytest.raises(ValueError, match="loads only"):
        seqae.load(path)

    def wrong_shape(tensors):
        key = next(k for k in tensors if k.startswith("module."))
        tensors[key] = torch.zeros(3, 3)

    path = _rewrite(saved, tmp_path / "s.safetensors", edit_tensors=wrong_shape, resign=True)
    with pytest.raises(ValueError, match="does not describe a valid"):
        seqae.load(path)


def test_a_cuda_trained_model_loads_on_the_cpu(saved, sines, tmp_path):
    # A file written on a GPU machine differs only in its device fields (the tensors are
    # always stored from CPU copies); no CUDA is needed to load it with device='cpu'.
    def on_cuda(metadata):
        document = json.loads(metadata["estimator"])
        document["params"]["device"] = "cuda"
        document["attributes"]["device_"] = "cuda"
        metadata["estimator"] = json.dumps(document)

    path = _rewrite(saved, tmp_path / "cuda.safetensors", edit_metadata=on_cuda, resign=True)
    loaded = seqae.load(path, device="cpu")
    assert loaded.device == loaded.device_ == "cpu" and loaded.net_.device == "cpu"
    reference = seqae.load(saved, device="cpu")
    np.testing.assert_array_equal(loaded.transform(sines), reference.transform(sines))


def test_registry_holds_exactly_the_public_estimators():
    from seqae.io import persist
    from seqae.autoencoders.base import BaseSequenceAutoencoder

    from seqae.tasks.classifier import _EncoderHeadEstimator

    public = {name: getattr(seqae, name) for name in seqae.__all__
              if isinstance(getattr(seqae, name), type)
              and issubclass(getattr(seqae, name),
                             (BaseSequenceAutoencoder, _EncoderHeadEstimator))}
    assert len(public) == 7 and persist.ESTIMATORS == public
