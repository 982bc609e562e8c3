"""scikit-learn's estimator checks over every seqae estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer, RAETransformer,
                   SequenceClassifier, SequenceRegressor, VRAETransformer)

TINY = {"max_epochs": 2, "batch_size": 16, "random_state": 0}
ESTIMATORS = [
    RAETransformer(sigma=0.5, **TINY),
    # scikit-learn's checks force n_components=1, for which Eq. 1 cannot hold when n_X > 1
    # (fit rightly raises); stretch=True is the paper's own remedy and keeps every check on.
    RAESTransformer(sigma=1.0, stretch=True, **TINY),
    RAESCTransformer(sigma=0.5, **TINY),
    VRAETransformer(sigma=0.5, **TINY),
    LSTMAutoencoder(hidden_size=4, **TINY),
    # scikit-learn's classifier checks want > 83% training accuracy on 3 blobs read as
    # 2-step sequences: a short pre-training, and 30 fine-tuning epochs with nothing frozen
    SequenceClassifier(RAESCTransformer(sigma=0.5, **TINY), max_epochs=30, freeze_epochs=0,
                       random_state=0),
    SequenceRegressor(RAESCTransformer(sigma=0.5, **TINY), max_epochs=30, freeze_epochs=0,
                      random_state=0),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
