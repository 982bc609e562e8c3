import numpy as np

from seqae import LSTMAutoencoder
from seqae.modules import ActivationLSTM

from .conftest import FAST


def test_sizes_follow_hidden_size_and_n_components(sines):
    ae = LSTMAutoencoder(hidden_size=7, **FAST).fit(sines)
    assert ae.n_components_ == 7 and ae.transform(sines).shape == (24, 7)
    assert isinstance(ae.net_.module_.encoder.rnn, torch_lstm())
    assert ae.net_.module_.decoder.rnn.hidden_size == 7
    ae = LSTMAutoencoder(hidden_size=7, n_components=3, **FAST).fit(sines)
    assert ae.transform(sines).shape == (24, 3)
    assert ae.net_.module_.decoder.rnn.hidden_size == 7


def torch_lstm():
    import torch
    return torch.nn.LSTM


def test_activation_selects_the_lstm_cell(sines):
    relu = LSTMAutoencoder(hidden_size=4, activation="relu", **FAST).fit(sines)
    assert isinstance(relu.net_.module_.encoder.rnn, ActivationLSTM)
    assert relu.net_.module_.encoder.rnn.activation == "relu"
    tanh = LSTMAutoencoder(hidden_size=4, **FAST).fit(sines)
    assert not np.allclose(relu.transform(sines), tanh.transform(sines))


def test_tutorial_sequence_is_reconstructed():
    X = np.linspace(0.1, 0.9, 9)[np.newaxis, :, np.newaxis]
    ae = LSTMAutoencoder(activation="relu", max_epochs=300, lr=1e-2, random_state=0).fit(X)
    np.testing.assert_allclose(ae.inverse_transform(ae.transform(X)), X, atol=0.05)
