"""VRAETransformer: ELBO training, generation, interpolation, ELBO scores, warm-up,
likelihoods and sequence-aware layouts."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from seqae import VRAETransformer
from seqae.modules import ConvBridge, ELBOLoss, SequenceReshape, gaussian_kl

from ..conftest import FAST, assert_global_rng_untouched


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


@pytest.fixture(scope="module")
def vrae(sines):
    return VRAETransformer(n_components=3, **FAST).fit(sines)


def test_sample_decodes_standard_normal_draws(vrae):
    samples = assert_global_rng_untouched(lambda: vrae.sample(5, random_state=7))
    assert samples.shape == (5, 8, 2) and samples.dtype == np.float64
    z = np.random.default_rng(7).standard_normal((5, 3))
    np.testing.assert_allclose(samples, vrae.inverse_transform(z), atol=1e-6)
    np.testing.assert_array_equal(vrae.sample(5, random_state=7), samples)
    assert not np.allclose(vrae.sample(5, random_state=8), samples)


def test_sample_longer_than_training_continues_the_sequence(vrae):
    short = vrae.sample(4, random_state=0)
    long = vrae.sample(4, n_timesteps=20, random_state=0)
    assert long.shape == (4, 20, 2)
    np.testing.assert_allclose(long[:, :8], short, atol=1e-5)  # the decoder runs on
    with pytest.raises(ValueError, match="n_timesteps"):
        vrae.sample(2, n_timesteps=0)


def test_sample_keeps_the_2d_layout(sines_1d):
    vrae = VRAETransformer(n_components=2, conditional_decoder=True, **FAST).fit(sines_1d)
    long = vrae.sample(3, n_timesteps=12, random_state=0)
    assert long.shape == (3, 12)
    np.testing.assert_allclose(long[:, :8], vrae.sample(3, random_state=0), atol=1e-5)


def test_interpolate_decodes_the_path_between_means(vrae, sines):
    start, end = sines[:3], sines[3:6]
    paths = vrae.interpolate(start, end, n_points=5)
    assert paths.shape == (3, 5, 8, 2)
    mu_start, mu_end = vrae.transform(start), vrae.transform(end)
    np.testing.assert_allclose(paths[:, 0], vrae.inverse_transform(mu_start), atol=1e-6)
    np.testing.assert_allclose(paths[:, -1], vrae.inverse_transform(mu_end), atol=1e-6)
    np.testing.assert_allclose(paths[:, 2], vrae.inverse_transform((mu_start + mu_end) / 2),
                               atol=1e-6)
    with pytest.raises(ValueError, match="as many"):
        vrae.interpolate(sines[:2], sines[:3])


def test_score_samples_is_the_elbo(vrae, sines):
    scores = vrae.score_samples(sines)
    module = vrae.net_.module_
    with torch.no_grad():
        mu, logvar = module.latent_params(torch.as_tensor(sines, dtype=torch.float32))
    reconstruction = vrae.inverse_transform(mu.numpy().astype(np.float64))
    expected = -(((reconstruction - sines) ** 2).sum(axis=(1, 2))
                 + gaussian_kl(mu.double(), logvar.double()).numpy())
    np.testing.assert_allclose(scores, expected, rtol=1e-4)
    assert (vrae.score_samples(sines + 2.0) < scores).all()  # anomalies score lower


class KLProbe(Callback):
    def initialize(self):
        self.weights = []
        return self

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            self.weights.append(net.criterion_.kl_weight)


def test_kl_warmup_ramps_the_weight_the_criterion_uses(sines):
    vrae = VRAETransformer(n_components=2, beta=0.5, kl_warmup=2, max_epochs=4, batch_size=24,
                           random_state=0, callbacks=[("probe", KLProbe())]).fit(sines)
    np.testing.assert_allclose(vrae.net_.history[:, "kl_weight"], [0.0, 0.25, 0.5, 0.5])
    np.testing.assert_allclose(dict(vrae.net_.callbacks_)["probe"].weights,
                               [0.0, 0.25, 0.5, 0.5])
    plain = VRAETransformer(n_components=2, beta=0.5, **FAST).fit(sines)
    assert plain.net_.criterion_.kl_weight == 0.5
    assert "kl_weight" not in plain.net_.history[-1]


def test_bernoulli_likelihood_on_binary_data():
    X = (np.random.default_rng(0).random((24, 8, 3)) > 0.5).astype(np.float64)
    vrae = VRAETransformer(n_components=2, likelihood="bernoulli", **FAST).fit(X)
    assert vrae.net_.criterion_.likelihood == "bernoulli"
    decoded = vrae.inverse_transform(vrae.transform(X))
    samples = vrae.sample(4, random_state=0)
    assert ((decoded > 0) & (decoded < 1)).all() and ((samples > 0) & (samples < 1)).all()
    module = vrae.net_.module_
    mu = torch.as_tensor(vrae.transform(X[:4]), dtype=torch.float32)
    with torch.no_grad():
        logits = module.decode_output(mu).double().numpy()
    # the Bernoulli ELBO: binary cross-entropy of the decoded probabilities
    p = 1 / (1 + np.exp(-logits))
    bce = -(X[:4] * np.log(p) + (1 - X[:4]) * np.log(1 - p)).sum(axis=(1, 2))
    with torch.no_grad():
        kl = gaussian_kl(*[t.double() for t in module.latent_params(
            torch.as_tensor(X[:4], dtype=torch.float32))]).numpy()
    np.testing.assert_allclose(vrae.score_samples(X[:4]), -(bce + kl), rtol=1e-4)


@pytest.mark.parametrize("bridge, shape, cls", [("reshape", (8, 2), SequenceReshape),
                                                ("conv", (8, 16), ConvBridge)])
def test_sequence_aware_vrae_uses_the_shared_bridges(bridge, shape, cls, sines_1d):
    vrae = VRAETransformer(sigma=2.0, bridge=bridge, **FAST).fit(sines_1d)
    assert vrae.n_components_ == 16 and vrae.decoder_input_shape_ == shape
    assert type(vrae.net_.module_.bridge) is cls
    assert vrae.sample(2, random_state=0).shape == (2, 8)
    with pytest.raises(ValueError, match="'zeros'"):
        vrae.sample(2, n_timesteps=12)


def test_sequence_aware_vrae_needs_a_multiple(sines_1d):
    with pytest.raises(ValueError, match="stretch=True"):
        VRAETransformer(5, bridge="reshape", stretch=False, **FAST).fit(sines_1d)
    stretched = VRAETransformer(5, bridge="reshape", **FAST).fit(sines_1d)  # stretch=True
    assert stretched.decoder_input_shape_ == (8, 1)
    assert type(stretched.net_.module_.bridge).__name__ == "StretchReshape"


def test_vrae_conv_bridge_takes_kernel_and_pool_size(sines_1d):
    vrae = VRAETransformer(4, bridge="conv", kernel_size=5, pool_size=1, **FAST).fit(sines_1d)
    bridge = vrae.net_.module_.bridge
    assert bridge.conv.kernel_size == (5,) and bridge.pool_size == 1


def test_vrae_decoder_options_are_wired(sines):
    vrae = VRAETransformer(n_components=4, hidden_size=6, num_layers=2, bidirectional=True,
                           conditional_decoder=True, reverse_target=True, **FAST).fit(sines)
    module = vrae.net_.module_
    assert module.encoder.rnn.bidirectional and module.encoder.rnn.num_layers == 2
    assert module.decoder.conditional and module.reverse
    assert module.decoder.rnn.input_size == 1 + 2  # zero input + previous output
    assert vrae.transform(sines).shape == (24, 4)
    assert vrae.sample(2, n_timesteps=10, random_state=0).shape == (2, 10, 2)
