"""The five sequence autoencoders, thin estimators on the engine (:mod:`seqae._engine`)."""

from .lstm import LSTMAutoencoder
from .rae import RAESCTransformer, RAESTransformer, RAETransformer
from .vrae import VRAETransformer

__all__ = ["LSTMAutoencoder", "RAESCTransformer", "RAESTransformer", "RAETransformer",
           "VRAETransformer"]
