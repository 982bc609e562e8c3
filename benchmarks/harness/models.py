"""The seqae estimators the benchmark scripts run, by the names their tables use."""

from . import ROOT  # noqa: F401 (puts the checkout on sys.path)

from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer,  # noqa: E402
                   RAETransformer, VRAETransformer)

#: Every autoencoder with its default parameters.
MODELS = {
    "RAE": RAETransformer,
    "RAES": RAESTransformer,
    "RAESC": RAESCTransformer,
    "VRAE": VRAETransformer,
    "LSTM-AE": LSTMAutoencoder,
}

#: The paper's models and setting (``paper()``; arguments given at the call override them).
PAPER_MODELS = {
    "RAE": RAETransformer.paper,
    "RAES": RAESTransformer.paper,
    "RAESC": RAESCTransformer.paper,
}

#: The estimators' resolved sizes a results file records.
RESOLVED = ("n_components_", "max_epochs_", "batch_size_", "patch_size_")


def resolved(estimator):
    """``{name: value}`` of the :data:`RESOLVED` attributes the fitted ``estimator`` has."""
    return {key: getattr(estimator, key) for key in RESOLVED if hasattr(estimator, key)}
