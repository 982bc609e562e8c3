"""The contractive autoencoder (``jacobian_penalty``) through the estimators."""

import numpy as np
import pytest
import torch

from seqae import LSTMAutoencoder, RAESCTransformer, RAETransformer
from seqae.datasets import make_sine_sequences
from seqae.modules import jacobian_norm_sq


def _encoder_jacobian(ae, X):
    module = ae.net_.module_.eval()
    x = torch.as_tensor(X, dtype=torch.float32).requires_grad_()
    return jacobian_norm_sq(module.encode(x), x, exact=True).mean().item()


def test_penalty_makes_the_code_less_sensitive_to_the_input():
    X = make_sine_sequences(64, 10, 1, random_state=0)
    common = dict(n_components=4, contrastive=0.0, isometry=0.0, max_epochs=5, batch_size=16,
                  lr=1e-2, random_state=0)
    plain = RAETransformer(**common).fit(X)
    contractive = RAETransformer(jacobian_penalty=1.0, **common).fit(X)
    assert contractive.net_.criterion_.jacobian_penalty == 1.0
    assert _encoder_jacobian(contractive, X) < 0.5 * _encoder_jacobian(plain, X)


@pytest.mark.parametrize("cls", [RAESCTransformer, LSTMAutoencoder])
def test_penalty_takes_ragged_and_missing_input_and_sees_the_mask(cls):
    rng = np.random.default_rng(0)
    X = make_sine_sequences(12, 8, 2, random_state=0)
    X[rng.random(X.shape) < 0.2] = np.nan
    ragged = [x[:length] for x, length in zip(X, rng.integers(4, 9, size=12))]
    ae = cls(4, jacobian_penalty=0.1, missing="mask", max_epochs=1, batch_size=6,
             random_state=0)
    ae.fit(ragged)
    seen = []
    ae.net_.module_.register_forward_hook(
        lambda module, args, kwargs, out: seen.append((kwargs.get("mask"), out)),
        with_kwargs=True)
    ae.partial_fit(ragged)
    assert seen and all(mask is not None and out.jacobian is not None for mask, out in seen)
    assert np.isfinite(ae.net_.history[:, "train_loss"]).all()
    assert ae.transform(ragged).shape == (12, 4)
