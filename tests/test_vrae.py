import numpy as np
import pytest
import torch

from seqae import VRAETransformer
from seqae.modules import ELBOLoss

from .conftest import FAST


def test_trains_on_the_elbo_with_beta(sines):
    ae = VRAETransformer(n_components=3, beta=0.5, **FAST).fit(sines)
    assert isinstance(ae.net_.criterion_, ELBOLoss) and ae.net_.criterion_.beta == 0.5
    # the recorded loss is the batch-mean ELBO: compare the last epoch to a hand computation
    module = ae.net_.module_
    module.eval()
    with torch.no_grad():
        x = torch.as_tensor(sines, dtype=torch.float32)
        recon, mu, logvar = module(x)
        kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(1)
        elbo = (((recon - x) ** 2).sum(dim=(1, 2)) + 0.5 * kl).mean()
    assert elbo.item() == pytest.approx(ae.net_.get_loss((recon, mu, logvar), x).item())


def test_transform_is_the_posterior_mean_and_deterministic(sines):
    ae = VRAETransformer(n_components=3, **FAST).fit(sines)
    codes = ae.transform(sines)
    np.testing.assert_array_equal(codes, ae.transform(sines))
    with torch.no_grad():
        mu, _ = ae.net_.module_.latent_params(torch.as_tensor(sines, dtype=torch.float32))
    np.testing.assert_allclose(codes, mu.numpy(), rtol=1e-5, atol=1e-6)


def test_hidden_size_is_independent_of_latent_size(sines):
    ae = VRAETransformer(n_components=2, hidden_size=9, **FAST).fit(sines)
    assert ae.net_.module_.encoder.rnn.hidden_size == 9
    assert ae.transform(sines).shape == (24, 2)
    assert ae.inverse_transform(np.zeros((2, 2))).shape == (2, 8, 2)
