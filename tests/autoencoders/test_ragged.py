"""Variable-length input: padding, packing, masked losses and per-sequence decoding."""

import numpy as np
import pytest
import torch
from .._models import MODELS

from seqae import LSTMAutoencoder, RAESCTransformer, RAESTransformer
from seqae.modules import RecurrentEncoder

LENGTHS = (5, 8, 3, 8, 6, 7, 2, 8)


@pytest.fixture(scope="module")
def ragged():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((length, 2)) for length in LENGTHS]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_code_does_not_depend_on_batch_padding(name, ragged):
    ae = MODELS[name](batch_size=4).fit(ragged)
    assert ae.n_timesteps_ == max(LENGTHS)
    codes = ae.transform(ragged)
    assert codes.shape == (len(ragged), ae.n_components_)
    assert np.isfinite(codes).all()
    # The 3-step sequence alone, and in a batch of full-length ones: the same code, bitwise.
    short = ragged[2]
    alone = ae.transform([short])
    with_longer = ae.transform([ragged[1], short, ragged[3]])
    np.testing.assert_array_equal(alone[0], codes[2])
    np.testing.assert_array_equal(with_longer[1], codes[2])
    # ... and the same as the code of the sequence itself, unpadded (a length-3 model input).
    direct = ae.net_.module_.encode(torch.as_tensor(short[None], dtype=torch.float32))
    np.testing.assert_allclose(codes[2], direct.detach().numpy()[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell,activation", [("gru", "tanh"), ("lstm", "tanh"),
                                             ("lstm", "relu")])
@pytest.mark.parametrize("training", [True, False])
def test_encoder_ignores_padded_steps(cell, activation, training):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 5, cell, activation).train(training)
    x = torch.randn(3, 7, 2)
    lengths = torch.tensor([7, 4, 2])
    garbage = x.clone()
    garbage[1, 4:] = 1e3
    garbage[2, 2:] = -1e3
    with torch.no_grad():
        padded = encoder(x, lengths)
        other_padding = encoder(garbage, lengths)
        own = [encoder(x[i:i + 1, :length]) for i, length in enumerate(lengths.tolist())]
    np.testing.assert_allclose(padded.numpy(), other_padding.numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(padded.numpy(), torch.cat(own).numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["rae", "vrae"])
def test_masked_loss_ignores_padding_and_missing(name, ragged):
    # the plain reconstruction output
    params = {"contrastive": 0.0, "isometry": 0.0} if name == "rae" else {}
    ae = MODELS[name](max_epochs=1, **params).fit(ragged)
    net = ae.net_
    x = torch.randn(3, 8, 2)
    lengths = torch.tensor([8, 5, 2])
    mask = torch.arange(8)[None, :, None] < lengths[:, None, None]
    mask = mask.expand(-1, -1, 2).clone()
    mask[0, 3, 1] = False  # a missing value
    batch = {"x": x, "lengths": lengths, "mask": mask}
    net.module_.train()
    torch.manual_seed(0)
    y_pred = net.infer(batch)
    reconstruction = y_pred[0] if isinstance(y_pred, tuple) else y_pred

    def loss(target):
        return net.get_loss(y_pred, target, X=batch, training=True)

    base = loss(x)
    # Unobserved target entries (padding, the missing value) do not change the loss ...
    changed = x.clone()
    changed[~mask] = 1e6
    assert torch.equal(loss(changed), base)
    # ... observed ones do.
    moved = x.clone()
    moved[1, 4, 0] += 1.0
    assert not torch.allclose(loss(moved), base)
    # No gradient reaches the reconstruction at unobserved entries.
    (grad,) = torch.autograd.grad(base, reconstruction, retain_graph=True)
    assert torch.all(grad[~mask] == 0)
    assert torch.any(grad[mask] != 0)
    if name == "rae":  # mean squared error over the observed entries only
        expected = (reconstruction - x)[mask].pow(2).mean()
        torch.testing.assert_close(base, expected)


def test_inverse_transform_lengths(ragged):
    ae = MODELS["rae"]().fit(ragged)
    codes = ae.transform(ragged)
    full = ae.inverse_transform(codes)
    assert full.shape == (len(ragged), max(LENGTHS), 2)
    cut = ae.inverse_transform(codes, lengths=[len(seq) for seq in ragged])
    assert [seq.shape for seq in cut] == [seq.shape for seq in ragged]
    for i, seq in enumerate(cut):
        np.testing.assert_array_equal(seq, full[i, :len(seq)])
    with pytest.raises(ValueError, match=r"between 1 and n_timesteps_=8; got int64 array"):
        ae.inverse_transform(codes, lengths=[9] * len(ragged))
    with pytest.raises(ValueError, match=r"lengths must be 8 integers .* shape \(2,\)"):
        ae.inverse_transform(codes, lengths=[3, 4])


def test_univariate_ragged_list_round_trip():
    rng = np.random.default_rng(1)
    X = [rng.standard_normal(length).astype(np.float32) for length in (4, 6, 3)]
    ae = MODELS["lstm"]().fit(X)
    assert ae.input_ndim_ == 2 and ae.n_channels_ == 1
    codes = ae.transform(X)
    assert codes.dtype == np.float32
    out = ae.inverse_transform(codes, lengths=[len(seq) for seq in X])
    assert [seq.shape for seq in out] == [(4,), (6,), (3,)]
    assert all(seq.dtype == np.float32 for seq in out)


def test_equal_length_list_matches_array(sines):
    as_list = [seq for seq in sines]
    codes_list = MODELS["rae"]().fit(as_list).transform(as_list)
    codes_array = MODELS["rae"]().fit(sines).transform(sines)
    np.testing.assert_array_equal(codes_list, codes_array)


@pytest.mark.parametrize("estimator,lam", [
    (RAESTransformer(sigma=1.0, max_epochs=1, random_state=0), 2),
    (RAESCTransformer(sigma=0.5, max_epochs=1, random_state=0), 8),
])
def test_raes_raesc_ragged_use_the_longest_training_length(estimator, lam, ragged):
    """RAES/RAESC lay the context out over n_X decoder steps: n_X is the padded length."""
    estimator.fit(ragged)
    assert estimator.n_timesteps_ == 8
    assert estimator.n_components_ == round(estimator.sigma * 2 * 8)
    assert estimator.decoder_input_shape_ == (8, lam)
    decoded = estimator.inverse_transform(estimator.transform(ragged[:3]), lengths=[5, 8, 3])
    assert [seq.shape for seq in decoded] == [(5, 2), (8, 2), (3, 2)]
    # a longer sequence than any in training is encoded in full (see test_cross_validation)
    assert estimator.transform([np.zeros((9, 2))]).shape == (1, estimator.n_components_)


def test_score_samples_ignores_padding(ragged):
    ae = LSTMAutoencoder(4, max_epochs=1, random_state=0).fit(ragged)
    scores = ae.score_samples(ragged)
    short = ae.score_samples([ragged[2]])
    np.testing.assert_array_equal(short[0], scores[2])
    reconstruction = ae.inverse_transform(ae.transform([ragged[2]]), lengths=[3])[0]
    expected = -np.mean((reconstruction.astype(np.float32) - ragged[2]) ** 2)
    np.testing.assert_allclose(short[0], expected, rtol=1e-5)
