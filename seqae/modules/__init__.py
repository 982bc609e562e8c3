"""Pure PyTorch modules (batch-first ``(batch, time, features)``); no scikit-learn here."""

from .autoencoder import RecurrentAutoencoder, VariationalRecurrentAutoencoder
from .bridges import (BRIDGES, ConvBridge, RepeatVector, SequenceReshape, StretchReshape,
                      ZeroInput, make_bridge, sequence_reshape, sequence_unreshape)
from .losses import ELBOLoss, gaussian_kl
from .rnn import ActivationLSTM, RecurrentDecoder, RecurrentEncoder, make_rnn

__all__ = [
    "ActivationLSTM", "BRIDGES", "ConvBridge", "ELBOLoss", "RecurrentAutoencoder",
    "RecurrentDecoder", "RecurrentEncoder", "RepeatVector", "SequenceReshape",
    "StretchReshape", "VariationalRecurrentAutoencoder", "ZeroInput", "gaussian_kl",
    "make_bridge", "make_rnn", "sequence_reshape", "sequence_unreshape",
]
