"""seqae: recurrent sequence autoencoders as scikit-learn transformers.

Estimators: :class:`RAETransformer`, :class:`RAESTransformer`, :class:`RAESCTransformer`,
:class:`VRAETransformer` and :class:`LSTMAutoencoder`. With scarce labels, pre-trained and
fine-tuned: :class:`SequenceClassifier` and :class:`SequenceRegressor`. Built-in data:
:func:`seqae.datasets.make_sine_sequences`. Pure PyTorch modules: :mod:`seqae.modules`.
Clustering by the codes: :func:`make_code_clustering`. Saving without pickle: :func:`save` and :func:`load`.
"""

from ._engine.config import config_context, get_config, set_config
from .autoencoders import (LSTMAutoencoder, RAESCTransformer, RAESTransformer, RAETransformer,
                           VRAETransformer)
from .datasets import make_sine_sequences
from .io.persist import load, save
from .tasks import SequenceClassifier, SequenceRegressor, make_code_clustering

__version__ = "0.1.0"

__all__ = [
    "LSTMAutoencoder",
    "RAESCTransformer",
    "RAESTransformer",
    "RAETransformer",
    "SequenceClassifier",
    "SequenceRegressor",
    "VRAETransformer",
    "config_context",
    "get_config",
    "load",
    "make_code_clustering",
    "make_sine_sequences",
    "save",
    "set_config",
]
