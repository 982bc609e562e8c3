"""Pure PyTorch modules (batch-first ``(batch, time, features)``); no scikit-learn here."""

from .augment import VIEW_MODES, RandomView, info_nce
from .autoencoder import (MODES, RecurrentAutoencoder, RowwiseLinear, SeqAEOutput,
                          VariationalRecurrentAutoencoder, run_decoder)
from .bridges import (BRIDGES, ConvBridge, RepeatVector, SequenceReshape, StretchReshape,
                      ZeroInput, apply_bridge, check_sequence_aware_size, make_bridge,
                      sequence_reshape, sequence_unreshape)
from .clustering import (KMeansAutoencoderLoss, RealFakeHead, cluster_indicator,
                         fake_sequences, kmeans_loss)
from .contractive import jacobian_norm_sq
from .frames import frame_count, frame_lengths, from_frames, to_frames
from .losses import (ISOMETRY_METRICS, LIKELIHOODS, LOSSES, AutoencoderLoss, ELBOLoss,
                     gaussian_kl, masked_mean, negative_elbo, shape_based_distances)
from .noise import GaussianNoise
from .rocket import MiniRocketFeatures
from .rnn import (READOUTS, ActivationLSTM, RecurrentDecoder, RecurrentEncoder, make_rnn,
                  parse_readout)

__all__ = [
    "ActivationLSTM", "AutoencoderLoss", "BRIDGES", "ConvBridge", "ELBOLoss",
    "GaussianNoise", "ISOMETRY_METRICS", "KMeansAutoencoderLoss", "LIKELIHOODS", "LOSSES", "MODES", "MiniRocketFeatures",
    "READOUTS",
    "RandomView", "RealFakeHead", "RecurrentAutoencoder", "RecurrentDecoder",
    "RecurrentEncoder", "RepeatVector", "RowwiseLinear", "SeqAEOutput", "SequenceReshape",
    "StretchReshape", "VIEW_MODES", "VariationalRecurrentAutoencoder", "ZeroInput",
    "apply_bridge", "check_sequence_aware_size", "cluster_indicator", "fake_sequences",
    "frame_count", "frame_lengths", "from_frames", "gaussian_kl", "info_nce",
    "jacobian_norm_sq", "kmeans_loss", "make_bridge", "make_rnn", "masked_mean",
    "negative_elbo", "parse_readout", "run_decoder", "sequence_reshape",
    "sequence_unreshape", "shape_based_distances", "to_frames",
]
