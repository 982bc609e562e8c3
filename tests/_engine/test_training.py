"""Training that fails loudly (non-finite losses/weights) and recovers (clipping, early
stopping), and the unscaled-data warning."""

import os
import warnings

import numpy as np
import pytest
import torch
from .._models import MODELS
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback, GradientNormClipping


def test_non_finite_loss_names_epoch_and_remedies(sines):
    ae = MODELS["rae"](max_epochs=3)
    with pytest.warns(UserWarning, match="unscaled"):
        with pytest.raises(FloatingPointError) as excinfo:
            ae.fit(sines * 1e30)
    message = str(excinfo.value)
    assert "training loss became inf at epoch 1, batch 1" in message
    assert "scaling the data" in message and "lr=0.001 now" in message
    assert "clip_grad_norm=1.0" in message
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__
    with pytest.raises(NotFittedError):  # no model with non-finite weights is kept
        ae.transform(sines)


def test_failed_refit_leaves_the_estimator_unfitted(sines):
    ae = MODELS["rae"]().fit(sines)
    with pytest.warns(UserWarning), pytest.raises(FloatingPointError):
        ae.fit(sines * 1e30)
    assert not hasattr(ae, "net_")
    with pytest.raises(NotFittedError):
        ae.transform(sines)


class PoisonGradients(Callback):
    """Make every gradient infinite: the loss stays finite, the weights become NaN."""

    def on_grad_computed(self, net, named_parameters, **kwargs):
        for _, param in named_parameters:
            param.grad.fill_(float("inf"))


def test_non_finite_weights_are_caught(sines):
    ae = MODELS["rae"](max_epochs=1, batch_size=len(sines), callbacks=[PoisonGradients()])
    with pytest.raises(FloatingPointError, match=r"the weights \(.*\) became non-finite at "
                                                 r"epoch 1;"):
        ae.fit(sines)
    assert not hasattr(ae, "net_")


class RecordGradientNorm(Callback):
    def on_train_begin(self, net, **kwargs):
        self.norms_ = []

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad for _, p in named_parameters if p.grad is not None]
        self.norms_.append(torch.linalg.vector_norm(torch.stack(
            [torch.linalg.vector_norm(g) for g in grads])).item())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_clip_grad_norm_bounds_the_gradients(name, sines):
    """User callbacks run after seqae's own, so they see the clipped gradients."""
    ae = MODELS[name](clip_grad_norm=1e-3, callbacks=[RecordGradientNorm()]).fit(sines)
    clipping = dict(ae.net_.callbacks_)["seqae_gradient_clipping"]
    assert isinstance(clipping, GradientNormClipping)
    recorder = [cb for _, cb in ae.net_.callbacks_ if isinstance(cb, RecordGradientNorm)][0]
    assert len(recorder.norms_) == 2 * 2  # 2 epochs of 2 batches
    assert max(recorder.norms_) <= 1e-3 * (1 + 1e-4)
    unclipped = MODELS[name](callbacks=[RecordGradientNorm()]).fit(sines)
    recorder = [cb for _, cb in unclipped.net_.callbacks_
                if isinstance(cb, RecordGradientNorm)][0]
    assert max(recorder.norms_) > 1e-2


def test_early_stopping_restores_best_weights_in_memory(sines, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ae = MODELS["rae"](max_epochs=40, lr=0.05, batch_size=4, validation_fraction=0.25,
                       patience=2).fit(sines)
    assert os.listdir(tmp_path) == []  # nothing written to the working directory
    history = ae.net_.history
    valid = np.array(history[:, "valid_loss"])
    assert len(history) < 40  # it stopped early
    best = int(np.argmin(valid))
    assert len(history) > best + 1  # the best epoch was not the last one ...
    stopper = dict(ae.net_.callbacks_)["seqae_early_stopping"]
    assert stopper.best_epoch_ == best + 1
    state = ae.net_.module_.state_dict()  # ... and its weights are the ones kept
    for key, value in stopper.best_model_weights_.items():
        assert torch.equal(state[key], value)
    # The restored weights reproduce the best validation loss, not the last epoch's.
    split = ae.net_.train_split
    _, valid_set = split(ae.net_.get_dataset(torch.as_tensor(sines, dtype=torch.float32)))
    X_valid = torch.as_tensor(sines, dtype=torch.float32)[valid_set.indices]
    with torch.no_grad():
        loss = torch.mean((ae.net_.module_.eval()(X_valid) - X_valid) ** 2).item()
    np.testing.assert_allclose(loss, valid[best], rtol=1e-5)


def test_patience_needs_a_validation_split(sines):
    with pytest.raises(ValueError, match=r"needs a validation split; got "
                                         r"validation_fraction=0"):
        MODELS["rae"](patience=3).fit(sines)


def test_unscaled_input_warns(sines):
    with pytest.warns(UserWarning, match=r"values up to \d.* in magnitude.*StandardScaler"):
        MODELS["rae"](max_epochs=1).fit(sines * 5000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MODELS["rae"](max_epochs=1).fit(sines * 100)
