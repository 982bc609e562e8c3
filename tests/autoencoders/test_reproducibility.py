"""Reproducibility and state: seeded fits are bitwise identical, the global RNGs are left
alone, and a model pickled on CUDA loads and transforms on a CPU-only machine."""

import pickle
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
import torch
from .._models import MODELS
from ..conftest import assert_global_rng_untouched
from skorch.exceptions import DeviceWarning


def _ragged_with_gaps():
    rng = np.random.default_rng(4)
    X = [rng.standard_normal((length, 2)) for length in (8, 5, 7, 8, 3, 6)]
    X[0][2, 1] = np.nan
    return X


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("data", ["array", "ragged+nan"])
def test_same_seed_same_model_bitwise_and_global_rng_untouched(name, data, sines):
    X = sines if data == "array" else _ragged_with_gaps()
    params = {"validation_fraction": 0.25, "patience": 1, "max_epochs": 3}
    if data != "array":
        params["missing"] = "mask"
    ae = MODELS[name](**params)
    codes = []
    states = []
    for _ in range(2):  # fit twice: the same model
        assert_global_rng_untouched(lambda: ae.fit(X))
        codes.append(assert_global_rng_untouched(lambda: ae.transform(X)))
        states.append({k: v.clone() for k, v in ae.net_.module_.state_dict().items()})
    other = MODELS[name](**params).fit(X)  # and a fresh estimator with the same seed
    np.testing.assert_array_equal(codes[0], codes[1])
    np.testing.assert_array_equal(codes[0], other.transform(X))
    for key, value in states[0].items():
        assert torch.equal(value, states[1][key]), key
    different = MODELS[name](**{**params, "random_state": 1}).fit(X)
    assert not np.array_equal(codes[0], different.transform(X))


@contextmanager
def _storages_tagged_as_cuda():
    """Make ``torch.save`` record every tensor as living on ``cuda:0``.

    This writes the bytes a CUDA-trained model produces (the storage's location tag is the
    only device information in torch's format) on a machine without CUDA: loading them
    without a ``map_location`` fails exactly as it would on a CPU-only machine.
    """
    entry = (0, lambda storage: "cuda:0", lambda storage, location: None)
    registry = torch.serialization._package_registry
    registry.insert(0, entry)
    try:
        yield
    finally:
        registry.remove(entry)


@pytest.mark.skipif(torch.cuda.is_available(), reason="simulates a CPU-only machine")
def test_cuda_pickled_model_transforms_on_cpu(sines):
    ae = MODELS["rae"]().fit(sines)
    expected = ae.transform(sines)
    # Pretend the model was trained on CUDA: skorch pickles the device and the module's
    # tensors (tagged cuda:0 below).
    ae.net_.device = "cuda"
    ae.device_ = "cuda"
    with _storages_tagged_as_cuda():
        blob = pickle.dumps(ae)
    # The saved state really is a CUDA one: unpickled without skorch's map_location, its
    # tensors cannot be restored here.
    with _storages_tagged_as_cuda():
        state = ae.net_.__getstate__()["__cuda_dependent_attributes__"]
    with pytest.raises(RuntimeError, match="CUDA"):
        pickle.loads(state)

    with pytest.warns(DeviceWarning, match="(?i)cuda"):
        restored = pickle.loads(blob)
    assert str(restored.net_.device) == "cpu"
    assert all(p.device.type == "cpu" for p in restored.net_.module_.parameters())
    np.testing.assert_array_equal(restored.transform(sines), expected)
    restored.inverse_transform(expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a CPU refit is silent
        restored.set_params(device="auto").fit(sines)
