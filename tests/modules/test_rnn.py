"""The recurrent blocks: the decoder's repeated-input path (RAE's repeat vector) against
PyTorch's own GRU/LSTM, and the encoder's readouts."""

import pytest
import torch

from seqae.modules import (RecurrentAutoencoder, RecurrentDecoder, RecurrentEncoder,
                           RepeatVector, parse_readout)
from seqae.modules import rnn


def _spy_on_repeated_path(monkeypatch):
    calls = []
    original = rnn._run_repeated_input

    def spy(*args, **kwargs):
        calls.append(args[2])  # n_steps
        return original(*args, **kwargs)

    monkeypatch.setattr(rnn, "_run_repeated_input", spy)
    return calls


@pytest.mark.parametrize("cell", ["gru", "lstm"])
@pytest.mark.parametrize("with_state", [False, True])
def test_repeated_input_matches_pytorch_rnn(cell, with_state, monkeypatch):
    calls = _spy_on_repeated_path(monkeypatch)
    torch.manual_seed(0)
    decoder = RecurrentDecoder(input_size=5, hidden_size=6, n_features=3, cell=cell)
    code = torch.randn(4, 5, requires_grad=True)
    initial = torch.randn(4, 6) if with_state else None
    repeated = RepeatVector(5, n_steps=7)(code)
    assert rnn._repeats_over_time(repeated)

    fast = decoder(repeated, initial)
    assert calls == [7]
    # The same values as a contiguous copy go through nn.GRU / nn.LSTM unchanged.
    reference = decoder(repeated.contiguous(), initial)
    torch.testing.assert_close(fast, reference, rtol=1e-5, atol=1e-6)

    grad_fast = torch.autograd.grad(fast.square().sum(), [code, *decoder.parameters()])
    grad_ref = torch.autograd.grad(reference.square().sum(), [code, *decoder.parameters()])
    for g_fast, g_ref in zip(grad_fast, grad_ref):
        torch.testing.assert_close(g_fast, g_ref, rtol=1e-4, atol=1e-5)


def test_rae_decoder_takes_the_repeated_path(monkeypatch):
    calls = _spy_on_repeated_path(monkeypatch)
    torch.manual_seed(0)
    model = RecurrentAutoencoder(n_features=2, n_timesteps=6, n_components=4, bridge="repeat")
    code = torch.randn(3, 4)
    expected = model.decoder.output(rnn._run_repeated_input(model.decoder.rnn, code, 6))
    calls.clear()
    assert torch.equal(model.decode(code), expected)
    assert calls == [6]


def test_non_repeated_inputs_keep_pytorch_kernel(monkeypatch):
    calls = _spy_on_repeated_path(monkeypatch)
    torch.manual_seed(0)
    model = RecurrentAutoencoder(n_features=2, n_timesteps=6, n_components=12,
                                 bridge="reshape")
    code = torch.randn(3, 12)
    sequence = model.bridge(code)
    assert not rnn._repeats_over_time(sequence)
    hidden, _ = model.decoder.rnn(sequence)
    assert torch.equal(model.decode(code), model.decoder.output(hidden))
    assert calls == []


@pytest.mark.parametrize("bidirectional", [False, True])
def test_pooled_readouts_are_the_outputs_mean_and_max(bidirectional):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 3, bidirectional=bidirectional,
                               readout="max+last+mean").eval()
    x = torch.randn(4, 7, 2)
    outputs, state = encoder.rnn(x)
    last = torch.cat([state[-2], state[-1]], 1) if bidirectional else state[-1]
    expected = torch.cat([outputs.amax(1), last, outputs.mean(1)], dim=1)  # in the order given
    torch.testing.assert_close(encoder(x), expected)
    assert encoder.output_size == expected.shape[1] == 3 * (6 if bidirectional else 3)


@pytest.mark.parametrize("training", [False, True])
def test_pooled_readout_of_a_ragged_batch_skips_the_padding(training):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 3, readout="last+mean+max").train(training)
    x = torch.randn(3, 6, 2)
    lengths = torch.tensor([6, 2, 4])
    x[1, 2:] = 100.0  # padding that must not reach the readout
    batch = encoder(x, lengths)
    for i, length in enumerate(lengths.tolist()):
        torch.testing.assert_close(batch[i], encoder(x[i:i + 1, :length])[0])


def test_quarters_readout_is_the_mean_of_each_quarter():
    """Quarter q of L steps runs from floor(q L / 4) to ceil((q + 1) L / 4) - 1: with L = 7,
    steps 0-1, 1-3, 3-5 and 5-6; with L = 8, four disjoint pairs."""
    torch.manual_seed(0)
    for n_steps, bounds in [(7, [(0, 2), (1, 4), (3, 6), (5, 7)]),
                            (8, [(0, 2), (2, 4), (4, 6), (6, 8)])]:
        encoder = RecurrentEncoder(2, 3, readout="mean+quarters").eval()
        x = torch.randn(4, n_steps, 2)
        outputs, _ = encoder.rnn(x)
        expected = torch.cat([outputs.mean(1)] + [outputs[:, a:b].mean(1) for a, b in bounds], 1)
        torch.testing.assert_close(encoder(x), expected)
        assert encoder.output_size == expected.shape[1] == 5 * 3


@pytest.mark.parametrize("training", [False, True])
def test_quarters_of_a_ragged_batch_are_each_sequences_own(training):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 3, readout="quarters+max").train(training)
    x = torch.randn(4, 9, 2)
    lengths = torch.tensor([9, 1, 3, 6])  # shorter than 4 steps: quarters overlap, none empty
    x[1, 1:] = 100.0
    x[2, 3:] = 100.0
    x[3, 6:] = 100.0
    batch = encoder(x, lengths)
    assert torch.isfinite(batch).all()
    for i, length in enumerate(lengths.tolist()):
        torch.testing.assert_close(batch[i], encoder(x[i:i + 1, :length])[0])
    # one step: every quarter is that step's output
    one = encoder(x[1:2, :1])[0, :12].view(4, 3)
    torch.testing.assert_close(one, one[:1].expand(4, 3))


def test_readout_names_are_checked():
    assert parse_readout("mean+last") == ("mean", "last")
    for bad in ["", "median", "mean+mean", "last+"]:
        with pytest.raises(ValueError, match="readout"):
            parse_readout(bad)
