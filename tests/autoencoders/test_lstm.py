"""LSTMAutoencoder: sizes, activations, and the reconstruction/prediction/composite modes."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from seqae import LSTMAutoencoder
from seqae.modules import ActivationLSTM

from ..conftest import FAST


def test_sizes_follow_n_components_and_hidden_size(sines):
    ae = LSTMAutoencoder(7, **FAST).fit(sines)  # hidden_size=None: the decoder has n_C
    assert ae.n_components_ == 7 and ae.transform(sines).shape == (24, 7)
    assert isinstance(ae.net_.module_.encoder.rnn, torch_lstm())
    assert ae.net_.module_.encoder.rnn.hidden_size == 7
    assert ae.net_.module_.decoder.rnn.hidden_size == 7
    ae = LSTMAutoencoder(3, hidden_size=7, **FAST).fit(sines)
    assert ae.transform(sines).shape == (24, 3)
    assert ae.net_.module_.encoder.rnn.hidden_size == 3
    assert ae.net_.module_.decoder.rnn.hidden_size == 7


def torch_lstm():
    import torch
    return torch.nn.LSTM


def test_activation_selects_the_lstm_cell(sines):
    relu = LSTMAutoencoder(4, activation="relu", **FAST).fit(sines)
    assert isinstance(relu.net_.module_.encoder.rnn, ActivationLSTM)
    assert relu.net_.module_.encoder.rnn.activation == "relu"
    tanh = LSTMAutoencoder(4, **FAST).fit(sines)
    assert not np.allclose(relu.transform(sines), tanh.transform(sines))


def test_tutorial_sequence_is_reconstructed():
    X = np.linspace(0.1, 0.9, 9)[np.newaxis, :, np.newaxis]
    ae = LSTMAutoencoder(activation="relu", max_epochs=300, lr=1e-2, random_state=0).fit(X)
    np.testing.assert_allclose(ae.inverse_transform(ae.transform(X)), X, atol=0.05)


@pytest.mark.parametrize("mode", ["prediction", "composite"])
def test_forecast_reads_the_last_window_and_continues_it(mode, sines_1d):
    ae = LSTMAutoencoder(8, mode=mode, n_future=3, **FAST).fit(sines_1d)
    future = ae.forecast(sines_1d)
    assert future.shape == (len(sines_1d), 3)
    changed_head = sines_1d.copy()
    changed_head[:, :3] += 1.0  # outside the last n_X - k = 5 steps
    np.testing.assert_allclose(ae.forecast(changed_head), future, atol=1e-6)
    changed_tail = sines_1d.copy()
    changed_tail[:, -1] += 1.0
    assert not np.allclose(ae.forecast(changed_tail), future)


@pytest.mark.parametrize("mode", ["prediction", "composite"])
def test_prediction_modes_encode_the_window_and_score_the_future(mode, sines):
    k = 2
    ae = LSTMAutoencoder(8, mode=mode, n_future=k, **FAST).fit(sines)
    changed_future = sines.copy()
    changed_future[:, -k:] += 1.0
    np.testing.assert_allclose(ae.transform(changed_future), ae.transform(sines), atol=1e-6)
    # the last k steps of each sequence are the prediction target
    history = np.concatenate([np.zeros_like(sines[:, :k]), sines[:, :-k]], axis=1)
    errors = [(ae.forecast(history) - sines[:, -k:]) ** 2]
    if mode == "composite":
        errors.append((ae.inverse_transform(ae.transform(sines)) - sines[:, :-k]) ** 2)
    expected = -np.concatenate(errors, axis=1).mean(axis=(1, 2))
    np.testing.assert_allclose(ae.score_samples(sines), expected, rtol=1e-4, atol=1e-6)
    decoded = ae.inverse_transform(ae.transform(sines))
    assert decoded.shape == (len(sines), k if mode == "prediction" else 8 - k, 2)


class InitialWeights(Callback):
    def on_train_begin(self, net, **kwargs):
        self.state = {k: v.clone() for k, v in net.module_.state_dict().items()}


@pytest.mark.parametrize("prediction_weight", [0.0, 1.0])
def test_composite_loss_has_both_terms(prediction_weight, sines):
    ae = LSTMAutoencoder(8, mode="composite", n_future=2, prediction_weight=prediction_weight,
                         callbacks=[("init", InitialWeights())], **FAST).fit(sines)
    initial = dict(ae.net_.callbacks_)["init"].state
    final = ae.net_.module_.state_dict()

    def moved(prefix):
        return any(not torch.equal(initial[k], final[k]) for k in final if k.startswith(prefix))

    assert moved("decoder.")  # the reconstruction term always trains its decoder
    assert moved("future_decoder.") == (prediction_weight > 0)  # the prediction term


def test_prediction_mode_errors(sines):
    with pytest.raises(ValueError, match="n_future"):
        LSTMAutoencoder(8, mode="prediction", n_future=8, **FAST).fit(sines)
    ae = LSTMAutoencoder(8, **FAST).fit(sines)
    with pytest.raises(ValueError, match="mode='prediction'"):
        ae.forecast(sines)
