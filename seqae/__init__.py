"""seqae: recurrent sequence autoencoders as scikit-learn transformers.

Estimators: :class:`RAETransformer`, :class:`RAESTransformer`, :class:`RAESCTransformer`,
:class:`VRAETransformer` and :class:`LSTMAutoencoder`. With scarce labels, pre-trained and
fine-tuned: :class:`SequenceClassifier` and :class:`SequenceRegressor`. Built-in data:
:func:`seqae.datasets.make_sine_sequences`. Pure PyTorch modules: :mod:`seqae.modules`.
Saving without pickle: :func:`save` and :func:`load`.
"""

from .classifier import SequenceClassifier, SequenceRegressor
from .datasets import make_sine_sequences
from .lstm import LSTMAutoencoder
from .persist import load, save
from .rae import PAPER_PARAMS, RAESCTransformer, RAESTransformer, RAETransformer
from .vrae import VRAETransformer

__version__ = "0.1.0"

__all__ = [
    "PAPER_PARAMS",
    "LSTMAutoencoder",
    "RAESCTransformer",
    "RAESTransformer",
    "RAETransformer",
    "SequenceClassifier",
    "SequenceRegressor",
    "VRAETransformer",
    "load",
    "make_sine_sequences",
    "save",
]
