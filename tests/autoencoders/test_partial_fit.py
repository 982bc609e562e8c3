"""partial_fit: incremental training chunk by chunk, on every estimator."""

import numpy as np
import pytest
import torch

from .._models import MODELS


def _adam_steps(ae):
    """Optimizer steps taken so far (Adam keeps a step count per parameter)."""
    state = ae.net_.optimizer_.state
    return {int(state[p]["step"]) for p in ae.net_.module_.parameters() if p in state}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_partial_fit_trains_one_epoch_per_call_and_keeps_the_optimizer(name, sines):
    ae = MODELS[name]()
    first = ae.partial_fit(sines[:12])
    assert first is ae and ae.n_timesteps_ == 8 and ae.n_channels_ == 2
    weights = {k: v.clone() for k, v in ae.net_.module_.state_dict().items()}
    ae.partial_fit(sines[12:])
    assert len(ae.net_.history) == 2  # one epoch per call, not max_epochs
    # 12 rows in batches of 16: one step per call; the Adam state carried over
    assert _adam_steps(ae) == {2}
    assert any(not torch.equal(weights[k], v) for k, v in ae.net_.module_.state_dict().items())
    assert ae.transform(sines).shape == (24, ae.n_components_)
    # fit starts afresh: max_epochs epochs, a new optimizer
    ae.fit(sines)
    assert len(ae.net_.history) == ae.max_epochs
    assert _adam_steps(ae) == {ae.max_epochs * 2}


def test_partial_fit_after_fit_continues_training(sines):
    ae = MODELS["raesc"]().fit(sines)
    steps = _adam_steps(ae)
    ae.partial_fit(sines)
    assert len(ae.net_.history) == ae.max_epochs + 1
    assert _adam_steps(ae) == {s + 2 for s in steps}


def test_partial_fit_is_reproducible_and_seeds_each_call_differently(sines):
    def run():
        ae = MODELS["rae"](noise=0.1)
        for chunk in (sines[:12], sines[12:], sines[:12]):
            ae.partial_fit(chunk)
        return ae

    a, b = run(), run()
    for (k, va), vb in zip(a.net_.module_.state_dict().items(),
                           b.net_.module_.state_dict().values()):
        assert torch.equal(va, vb), k
    # the calls' shuffling seeds differ (call k seeds from (random_state, k))
    once = MODELS["rae"]().partial_fit(sines)
    assert a.net_.iterator_train__seed != once.net_.iterator_train__seed


@pytest.mark.parametrize("bad, match", [
    (lambda X: X[:, :6], "n_timesteps_=8"),          # other number of time steps
    (lambda X: X[:, :, :1], "fitted on 2"),           # other number of features
    (lambda X: [np.zeros((9, 2))], "up to n_timesteps_=8"),  # ragged, too long
])
def test_a_later_chunk_of_another_layout_is_a_value_error(sines, bad, match):
    ae = MODELS["raesc"]().partial_fit(sines)
    with pytest.raises(ValueError, match=match):
        ae.partial_fit(bad(sines))
    assert len(ae.net_.history) == 1


@pytest.mark.parametrize("name", ["raesc", "vrae"])
def test_partial_fit_takes_ragged_chunks_and_missing_values(name, sines):
    rng = np.random.default_rng(0)
    ragged = [seq[:rng.integers(3, 9)] for seq in sines]
    ragged[0] = sines[0]  # the first chunk's longest sequence fixes n_timesteps_ = 8
    holes = sines.copy()
    holes[rng.random(holes.shape) < 0.2] = np.nan
    ae = MODELS[name](missing="mask")
    ae.partial_fit(ragged).partial_fit(holes).partial_fit(ragged[:5])
    assert ae.n_timesteps_ == 8 and len(ae.net_.history) == 3
    assert np.isfinite(ae.net_.history[:, "train_loss"]).all()
    assert np.isfinite(ae.transform(holes)).all()


def test_partial_fit_non_finite_loss_leaves_the_estimator_unfitted(sines):
    ae = MODELS["rae"](lr=1e30)
    with pytest.raises(FloatingPointError, match="left unfitted"):
        for _ in range(3):
            ae.partial_fit(sines * 1e3)
    assert not hasattr(ae, "net_")
