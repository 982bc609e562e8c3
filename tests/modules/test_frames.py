"""Frames (patch_size): the reshape of a sequence into frames of p steps and back."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from seqae.modules import (RecurrentAutoencoder, VariationalRecurrentAutoencoder, frame_count,
                           frame_lengths, from_frames, to_frames)


@settings(max_examples=40, deadline=None)
@given(batch=st.integers(1, 3), n_steps=st.integers(1, 20), n_features=st.integers(1, 3),
       patch=st.integers(1, 6))
def test_frames_hold_consecutive_steps_and_round_trip(batch, n_steps, n_features, patch):
    x = torch.randn(batch, n_steps, n_features)
    frames = to_frames(x, patch)
    assert frames.shape == (batch, frame_count(n_steps, patch), patch * n_features)
    for t in range(n_steps):  # step t is in frame t // p, at position t % p
        i, j = divmod(t, patch)
        assert torch.equal(frames[:, i, j * n_features:(j + 1) * n_features], x[:, t])
    assert frames.shape[1] * patch - n_steps < patch  # the padding fills one frame at most
    assert torch.equal(from_frames(frames, patch, n_steps), x)


def test_frame_lengths_count_partial_frames():
    lengths = torch.tensor([1, 3, 4, 5, 8])
    assert frame_lengths(lengths, 4).tolist() == [1, 1, 1, 2, 2]
    assert frame_lengths(lengths, 1) is lengths and frame_lengths(None, 3) is None


def test_autoencoder_runs_on_frames_and_returns_steps():
    torch.manual_seed(0)
    model = RecurrentAutoencoder(2, 10, 6, bridge="reshape", patch_size=4,
                                 readout="last").eval()
    assert model.encoder.rnn.input_size == 8  # frames of 4 steps x 2 features
    assert model.bridge.n_steps == 3  # ceil(10 / 4) frames: Eq. 1 over the frames
    x = torch.randn(5, 10, 2)
    assert model.reconstruct(x).shape == (5, 10, 2)
    # the code is the encoder's state over the frames
    _, state = model.encoder.rnn(to_frames(x, 4))
    torch.testing.assert_close(model.encode(x), state[-1])
    # a ragged batch: a sequence of 5 steps is 2 frames, its code that of the 2 frames alone
    lengths = torch.tensor([10, 5, 10, 10, 10])
    alone = model.encode(x[1:2, :5])
    torch.testing.assert_close(model.encode(x, lengths)[1:2], alone, rtol=0, atol=1e-6)


def test_variational_autoencoder_runs_on_frames():
    model = VariationalRecurrentAutoencoder(1, 9, 3, bridge="repeat", patch_size=2).eval()
    x = torch.randn(4, 9, 1)
    assert model.encoder.rnn.input_size == 2
    assert model.reconstruct(x).shape == (4, 9, 1)
    assert model.decode(torch.zeros(2, 3), n_steps=13).shape == (2, 13, 1)
    np.testing.assert_equal(model.decode(torch.zeros(1, 3), n_steps=4).shape, (1, 4, 1))
