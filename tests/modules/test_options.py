"""Decoder and objective options of the modules: each test fails if the option is mis-wired."""

import pytest
import torch
from torch.nn import functional as F

from seqae.modules import (AutoencoderLoss, ELBOLoss, GaussianNoise, RecurrentAutoencoder,
                           RecurrentDecoder, RecurrentEncoder, SeqAEOutput, SequenceReshape,
                           VariationalRecurrentAutoencoder, apply_bridge, gaussian_kl,
                           make_bridge)


class Recorder:
    """Forward hook that keeps the first positional input and the output of each call."""

    def __init__(self, module):
        self.inputs, self.outputs = [], []
        self.handle = module.register_forward_hook(self)

    def __call__(self, module, args, output):
        self.inputs.append(args[0].detach().clone())
        self.outputs.append(output)


def test_conditioned_decoder_teacher_forcing_reads_the_previous_target_step():
    torch.manual_seed(0)
    decoder = RecurrentDecoder(2, 5, 3, conditional=True)
    inputs, teacher = torch.randn(4, 6, 2), torch.randn(4, 6, 3)
    rec = Recorder(decoder.rnn)
    decoder(inputs, teacher=teacher)
    (seen,) = rec.inputs  # one call over all steps
    torch.testing.assert_close(seen[..., :2], inputs)
    assert torch.equal(seen[:, 0, 2:], torch.zeros(4, 3))
    torch.testing.assert_close(seen[:, 1:, 2:], teacher[:, :-1])


def test_conditioned_decoder_feeds_back_its_own_output_without_teacher():
    torch.manual_seed(0)
    decoder = RecurrentDecoder(1, 5, 2, conditional=True, feedback="sigmoid")
    inputs = torch.zeros(3, 4, 1)
    rec = Recorder(decoder.rnn)
    out = decoder(inputs)
    assert out.shape == (3, 4, 2) and len(rec.inputs) == 4  # step by step
    assert torch.equal(rec.inputs[0][:, 0, 1:], torch.zeros(3, 2))
    for t in range(1, 4):
        torch.testing.assert_close(rec.inputs[t][:, 0, 1:], torch.sigmoid(out[:, t - 1]))
    # unconditioned: the RNN never sees an output
    plain = RecurrentDecoder(1, 5, 2)
    assert plain.rnn.input_size == 1


def test_reversed_target_reverses_decoder_output_and_teacher():
    torch.manual_seed(0)
    model = RecurrentAutoencoder(1, 5, 5, conditional_decoder=True, reverse_target=True)
    x = torch.randn(2, 5, 1)
    rec = Recorder(model.decoder)
    model.train()
    out = model(x)
    raw = rec.outputs[0]
    torch.testing.assert_close(out, raw.flip(1))  # output flipped back to natural order
    rnn_rec = Recorder(model.decoder.rnn)
    model(x)
    teacher = rnn_rec.inputs[0][..., -1:]  # previous-step part of the decoder's input
    torch.testing.assert_close(teacher[:, 1], x[:, -1])  # the first target is the last step
    torch.testing.assert_close(teacher[:, 1:], x.flip(1)[:, :-1])
    model.eval()
    code = model.encode(x)
    torch.testing.assert_close(model.decode(code),
                               model.decoder(model.bridge(code)).flip(1))


def test_bidirectional_code_is_last_forward_then_first_backward_state():
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 3, num_layers=2, bidirectional=True)
    x = torch.randn(4, 6, 2)
    outputs, _ = encoder.rnn(x)
    code = encoder(x)
    assert code.shape == (4, 6) and encoder.output_size == 6
    torch.testing.assert_close(code[:, :3], outputs[:, -1, :3])
    torch.testing.assert_close(code[:, 3:], outputs[:, 0, 3:])


def test_stacked_bidirectional_autoencoder_keeps_the_code_size():
    model = RecurrentAutoencoder(2, 5, 10, num_layers=2, bidirectional=True)
    assert model.encoder.rnn.num_layers == 2 and model.encoder.rnn.hidden_size == 5
    assert model.decoder.rnn.num_layers == 2 and model.decoder.rnn.hidden_size == 10
    assert model.encode(torch.randn(3, 5, 2)).shape == (3, 10)
    with pytest.raises(ValueError, match="even"):
        RecurrentAutoencoder(2, 5, 7, bidirectional=True)


def test_gaussian_noise_only_in_training():
    noise = GaussianNoise(0.5)
    x = torch.zeros(200, 10)
    torch.manual_seed(0)
    noisy = noise(x)
    assert 0.45 < noisy.std() < 0.55
    noise.eval()
    assert noise(x) is x
    state = torch.get_rng_state()
    GaussianNoise(0.0)(x)
    assert torch.equal(torch.get_rng_state(), state)  # std=0 draws nothing


def test_denoising_encoder_reads_noisy_input_teacher_stays_clean():
    torch.manual_seed(0)
    model = RecurrentAutoencoder(1, 6, 4, conditional_decoder=True, noise=0.3)
    x = torch.randn(8, 6, 1)
    enc, dec = Recorder(model.encoder), Recorder(model.decoder.rnn)
    model.train()
    model(x)
    assert not torch.allclose(enc.inputs[0], x)
    assert 0.15 < (enc.inputs[0] - x).std() < 0.45
    torch.testing.assert_close(dec.inputs[0][:, 1:, -1:], x[:, :-1])  # clean teacher
    model.eval()
    model(x)
    torch.testing.assert_close(enc.inputs[1], x)


@pytest.mark.parametrize("mode", ["prediction", "composite"])
def test_prediction_modes_split_window_and_future(mode):
    torch.manual_seed(0)
    model = RecurrentAutoencoder(1, 7, 4, mode=mode, n_future=2)
    x = torch.randn(3, 7, 1)
    enc = Recorder(model.encoder)
    out = model(x)
    assert isinstance(out, SeqAEOutput)
    torch.testing.assert_close(enc.inputs[0], x[:, :5])
    assert out.prediction.shape == (3, 2, 1)
    if mode == "composite":
        assert out.reconstruction.shape == (3, 5, 1)
        assert model.future_decoder is not model.decoder
    else:
        assert out.reconstruction is None
    model.forecast(x)
    torch.testing.assert_close(enc.inputs[1], x[:, 2:])  # forecast reads the last window
    with pytest.raises(ValueError, match="n_future"):
        RecurrentAutoencoder(1, 7, 4, mode=mode, n_future=7)


def test_autoencoder_loss_terms():
    torch.manual_seed(0)
    target = torch.randn(4, 7, 2)
    rec, pred, code = torch.randn(4, 5, 2), torch.randn(4, 2, 2), torch.randn(4, 3)
    plain = AutoencoderLoss()(rec, target[:, :5])
    torch.testing.assert_close(plain, torch.nn.MSELoss()(rec, target[:, :5]))
    torch.testing.assert_close(AutoencoderLoss("mae")(rec, target[:, :5]),
                               (rec - target[:, :5]).abs().mean())
    loss = AutoencoderLoss(prediction_weight=0.5)(SeqAEOutput(rec, pred, None), target)
    expected = F.mse_loss(rec, target[:, :5]) + 0.5 * F.mse_loss(pred, target[:, 5:])
    torch.testing.assert_close(loss, expected)
    sparse = AutoencoderLoss(sparsity=0.1)(SeqAEOutput(rec, None, code), target)
    expected = F.mse_loss(rec, target[:, :5]) + 0.1 * code.abs().sum(1).mean()
    torch.testing.assert_close(sparse, expected)
    with pytest.raises(ValueError, match="unknown loss"):
        AutoencoderLoss("huber")


def test_sparse_autoencoder_returns_its_code():
    torch.manual_seed(0)
    model = RecurrentAutoencoder(1, 5, 3, sparsity=0.1)
    x = torch.randn(2, 5, 1)
    out = model(x)
    torch.testing.assert_close(out.code, model.encode(x))
    torch.testing.assert_close(out.reconstruction, model.reconstruct(x))


def test_elbo_bernoulli_and_kl_weight():
    torch.manual_seed(0)
    logits, target = torch.randn(4, 6, 2), torch.randint(0, 2, (4, 6, 2)).float()
    mu, logvar = torch.randn(4, 3), torch.randn(4, 3)
    loss = ELBOLoss(2.0, likelihood="bernoulli")
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").sum((1, 2))
    torch.testing.assert_close(loss((logits, mu, logvar), target),
                               (bce + 2.0 * gaussian_kl(mu, logvar)).mean())
    loss.kl_weight = 0.0  # what the warm-up changes
    torch.testing.assert_close(loss((logits, mu, logvar), target), bce.mean())


def test_vrae_bernoulli_decodes_probabilities_and_feeds_them_back():
    torch.manual_seed(0)
    model = VariationalRecurrentAutoencoder(2, 5, 3, likelihood="bernoulli",
                                            conditional_decoder=True)
    assert model.decoder.feedback == "sigmoid"
    z = torch.randn(4, 3) * 5
    torch.testing.assert_close(model.decode(z), torch.sigmoid(model.decode_output(z)))


def test_sequence_aware_vrae_feeds_the_decoder_a_sequence_of_lambda_features():
    torch.manual_seed(0)
    model = VariationalRecurrentAutoencoder(1, 4, 8, bridge="reshape").eval()
    assert isinstance(model.bridge, SequenceReshape)  # the shared RAES bridge
    rec = Recorder(model.decoder.rnn)
    x = torch.randn(3, 4, 1)
    model(x)
    mu = model.encode(x)
    assert rec.inputs[0].shape == (3, 4, 2)  # (n_X, lambda = n_C / n_X)
    torch.testing.assert_close(rec.inputs[0], mu.reshape(3, 4, 2))
    conv = VariationalRecurrentAutoencoder(1, 4, 6, bridge="conv")
    assert conv.bridge(torch.randn(3, 6)).shape == (3, 4, 6)


def test_vrae_stacked_decoder_initial_state_per_layer():
    torch.manual_seed(0)
    model = VariationalRecurrentAutoencoder(2, 5, 3, hidden_size=4, num_layers=2,
                                            bidirectional=True, cell="lstm")
    assert model.to_latent.in_features == 8 and model.to_state.out_features == 8
    z = torch.randn(6, 3)
    state = model._initial_hidden(z)
    assert state.shape == (2, 6, 4)
    torch.testing.assert_close(state[1, 2], torch.tanh(model.to_state(z))[2, 4:])
    assert model.decode(z).shape == (6, 5, 2)


def test_any_length_bridges():
    code = torch.randn(2, 6)
    assert apply_bridge(make_bridge("zeros", 6, 3), code, 9).shape == (2, 9, 1)
    assert apply_bridge(make_bridge("repeat", 6, 3), code, 9).shape == (2, 9, 6)
    with pytest.raises(ValueError, match="exactly 3 steps"):
        apply_bridge(make_bridge("reshape", 6, 3), code, 9)
