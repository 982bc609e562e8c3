import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from seqae.modules import (ActivationLSTM, ELBOLoss, RecurrentAutoencoder, RowwiseLinear,
                           VariationalRecurrentAutoencoder, gaussian_kl, make_rnn)


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 5), n_timesteps=st.integers(1, 9), n_features=st.integers(1, 3),
       lam=st.integers(1, 3), bridge=st.sampled_from(["repeat", "reshape", "stretch", "conv"]),
       cell=st.sampled_from(["gru", "lstm"]))
def test_autoencoder_shapes(batch, n_timesteps, n_features, lam, bridge, cell):
    n_components = n_timesteps * lam
    model = RecurrentAutoencoder(n_features, n_timesteps, n_components, bridge=bridge, cell=cell)
    x = torch.randn(batch, n_timesteps, n_features)
    code = model.encode(x)
    assert code.shape == (batch, n_components)
    assert model.decode(code).shape == (batch, n_timesteps, n_features)
    torch.testing.assert_close(model(x), model.decode(code))


def test_decoder_length_may_differ_from_input_length():
    model = RecurrentAutoencoder(2, 6, 12, bridge="reshape")
    assert model.encode(torch.randn(3, 10, 2)).shape == (3, 12)
    assert model(torch.randn(3, 10, 2)).shape == (3, 6, 2)


def test_activation_lstm_with_tanh_equals_torch_lstm():
    torch.manual_seed(0)
    reference = torch.nn.LSTM(3, 5, batch_first=True)
    custom = ActivationLSTM(3, 5, activation="tanh")
    with torch.no_grad():
        custom.input_proj.weight.copy_(reference.weight_ih_l0)
        custom.input_proj.bias.copy_(reference.bias_ih_l0 + reference.bias_hh_l0)
        custom.hidden_proj.weight.copy_(reference.weight_hh_l0)
    x = torch.randn(4, 7, 3)
    out_ref, (h_ref, c_ref) = reference(x)
    out, (h, c) = custom(x)
    torch.testing.assert_close(out, out_ref)
    torch.testing.assert_close(h, h_ref)
    torch.testing.assert_close(c, c_ref)
    custom.activation = "relu"
    assert not torch.allclose(custom(x)[0], out_ref)


def test_make_rnn_picks_the_layer():
    assert isinstance(make_rnn("gru", 2, 3), torch.nn.GRU)
    assert isinstance(make_rnn("lstm", 2, 3), torch.nn.LSTM)
    assert isinstance(make_rnn("lstm", 2, 3, activation="relu"), ActivationLSTM)
    with pytest.raises(ValueError, match="GRU"):
        make_rnn("gru", 2, 3, activation="relu")
    with pytest.raises(ValueError, match="unknown cell"):
        make_rnn("rnn", 2, 3)


def test_vrae_samples_in_training_and_uses_the_mean_in_eval():
    torch.manual_seed(0)
    model = VariationalRecurrentAutoencoder(2, 5, 3)
    x = torch.randn(4, 5, 2)
    model.train()
    (a, mu, logvar), (b, _, _) = model(x), model(x)
    assert mu.shape == logvar.shape == (4, 3)
    assert not torch.allclose(a, b)  # a fresh sample each call
    model.eval()
    (c, mu, _), (d, _, _) = model(x), model(x)
    torch.testing.assert_close(c, d)
    torch.testing.assert_close(c, model.decode(mu))
    torch.testing.assert_close(model.encode(x), mu)


def test_elbo_loss_sums_per_sequence_and_averages_over_batch():
    torch.manual_seed(0)
    recon, target = torch.randn(4, 6, 2), torch.randn(4, 6, 2)
    mu, logvar = torch.randn(4, 3), torch.randn(4, 3)
    expected_kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum(1)
    torch.testing.assert_close(gaussian_kl(mu, logvar), expected_kl)
    squared = ((recon - target) ** 2).sum(dim=(1, 2))
    for beta in (0.0, 1.0, 2.5):
        loss = ELBOLoss(beta)((recon, mu, logvar), target)
        torch.testing.assert_close(loss, (squared + beta * expected_kl).mean())
    assert gaussian_kl(torch.zeros(2, 3), torch.zeros(2, 3)).abs().max() == 0


def test_rowwise_linear_is_rowwise_in_eval_and_a_plain_linear_in_training():
    torch.manual_seed(0)
    layer = RowwiseLinear(37, 11)
    x = torch.randn(64, 37)
    plain = torch.nn.functional.linear(x, layer.weight, layer.bias)
    assert torch.equal(layer.train()(x), plain)  # training: the matrix product itself
    layer.eval()
    batch = layer(x)
    for i in (0, 5, 63):  # evaluation: a row's result does not depend on the others
        assert torch.equal(batch[i], layer(x[i:i + 1])[0])
        assert torch.equal(batch[i], layer(x.flip(0))[63 - i])
    torch.testing.assert_close(batch, plain)  # the same function, rounded differently
    # the same parameters in both modes (a saved model does not depend on the mode)
    assert list(layer.state_dict()) == list(torch.nn.Linear(37, 11).state_dict())
