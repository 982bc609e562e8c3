"""Pure PyTorch modules (batch-first ``(batch, time, features)``); no scikit-learn here."""

from .autoencoder import (MODES, RecurrentAutoencoder, SeqAEOutput,
                          VariationalRecurrentAutoencoder, run_decoder)
from .bridges import (BRIDGES, ConvBridge, RepeatVector, SequenceReshape, StretchReshape,
                      ZeroInput, apply_bridge, make_bridge, sequence_reshape,
                      sequence_unreshape)
from .losses import (LIKELIHOODS, LOSSES, AutoencoderLoss, ELBOLoss, gaussian_kl,
                     masked_mean, negative_elbo)
from .noise import GaussianNoise
from .rnn import ActivationLSTM, RecurrentDecoder, RecurrentEncoder, make_rnn

__all__ = [
    "ActivationLSTM", "AutoencoderLoss", "BRIDGES", "ConvBridge", "ELBOLoss", "GaussianNoise",
    "LIKELIHOODS", "LOSSES", "MODES", "RecurrentAutoencoder", "RecurrentDecoder",
    "RecurrentEncoder", "RepeatVector", "SeqAEOutput", "SequenceReshape", "StretchReshape",
    "VariationalRecurrentAutoencoder", "ZeroInput", "apply_bridge", "gaussian_kl",
    "make_bridge", "make_rnn", "masked_mean", "negative_elbo", "run_decoder", "sequence_reshape",
    "sequence_unreshape",
]
