"""The LSTM autoencoder of the 'Gentle Introduction to LSTM Autoencoders' tutorial."""

from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from . import _docs
from ._base import BaseSequenceAutoencoder
from .modules import RecurrentAutoencoder
from .modules.rnn import ACTIVATIONS

__all__ = ["LSTMAutoencoder"]


class LSTMAutoencoder(BaseSequenceAutoencoder):
    __doc__ = f"""LSTM autoencoder: LSTM encoder -> repeat vector -> LSTM decoder -> dense.

    The reconstruction model of the tutorial (``LSTM(100) -> RepeatVector -> LSTM(100,
    return_sequences=True) -> TimeDistributed(Dense)``); the encoder's final hidden state is
    the code, usable as features for classification, clustering or anomaly detection. Its
    size is set by ``hidden_size`` (or ``n_components``), not by ``sigma``.

    Parameters
    ----------
    hidden_size : int, default=100
        Units of the decoder LSTM, and of the encoder LSTM (the code size) unless
        ``n_components`` is set.
    n_components : int or None, default=None
        Code size (the encoder's units); ``None`` uses ``hidden_size``.
    activation : {{'tanh', 'relu', 'sigmoid', 'identity'}}, default='tanh'
        Cell and output activation of both LSTMs (Keras' ``activation``; the gates keep the
        sigmoid). ``'tanh'`` runs PyTorch's fused LSTM kernels; any other value runs a
        step-by-step LSTM, which is much slower on long sequences. The tutorial uses
        ``'relu'``.
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import LSTMAutoencoder
    >>> X = np.linspace(0.1, 0.9, 9)[np.newaxis, :, np.newaxis]  # the tutorial's sequence
    >>> ae = LSTMAutoencoder(activation="relu", max_epochs=2, random_state=0).fit(X)
    >>> ae.transform(X).shape, ae.inverse_transform(ae.transform(X)).shape
    ((1, 100), (1, 9, 1))
    """

    _module = RecurrentAutoencoder
    _parameter_constraints = {
        **BaseSequenceAutoencoder._parameter_constraints,
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
    }

    def __init__(self, hidden_size=100, *, n_components=None, activation="tanh",
                 max_epochs=100, batch_size=100, lr=1e-3, validation_fraction=0.0,
                 device="auto", random_state=None, verbose=0, callbacks=None,
                 missing="error", clip_grad_norm=None, patience=None):
        self.hidden_size = hidden_size
        self.n_components = n_components
        self.activation = activation
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.validation_fraction = validation_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.missing = missing
        self.clip_grad_norm = clip_grad_norm
        self.patience = patience

    def _resolve_n_components(self, n_timesteps, n_channels):
        return self.n_components if self.n_components is not None else self.hidden_size

    def _module_params(self, n_components):
        return {
            "bridge": "repeat",
            "cell": "lstm",
            "decoder_hidden_size": self.hidden_size,
            "activation": self.activation,
        }
