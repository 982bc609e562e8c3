"""Shared test settings: tiny networks, few epochs, one torch thread per test process."""

import numpy as np
import pytest
import torch

from seqae.datasets import make_sine_sequences

# Tiny networks are dominated by per-op overhead, which extra threads only add to; and a
# second thread per test process would oversubscribe the 2-core CI machine.
torch.set_num_threads(1)

FAST = {"max_epochs": 2, "batch_size": 16, "random_state": 0}


def pytest_collection_modifyitems(config, items):
    """The tests marked ``slow`` run first, the rest in their usual order: with two xdist
    workers a test of 15 s that starts last leaves the other worker idle for its length
    (longest first, the classic fix for that tail)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def sines():
    """Small multivariate sum-of-sines data: (24, 8, 2), float64."""
    return make_sine_sequences(24, 8, 2, random_state=0)


@pytest.fixture(scope="session")
def sines_1d():
    """Small univariate data as a 2D array (24, 8)."""
    return make_sine_sequences(24, 8, 1, random_state=1)[:, :, 0]


def assert_global_rng_untouched(fn):
    """Run fn and check the global NumPy and torch random states did not move."""
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.get_rng_state().clone()
    out = fn()
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    assert torch.equal(torch.get_rng_state(), torch_state)
    return out


@pytest.fixture
def fast_default(monkeypatch):
    """seqae.tasks.anomaly's and seqae.tasks.impute's default autoencoder, trained for 2 epochs only
    (its sizes are tested in test_anomaly.py)."""
    from seqae.tasks import anomaly, impute

    default = anomaly.default_autoencoder

    def fast(n_values, n_sequences, random_state, **kwargs):
        return default(n_values, n_sequences, random_state, **kwargs).set_params(
            max_epochs=2)
    monkeypatch.setattr(anomaly, "default_autoencoder", fast)
    monkeypatch.setattr(impute, "default_autoencoder", fast)
