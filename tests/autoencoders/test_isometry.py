"""The estimators' ``isometry`` parameter: the distance-preserving term in training."""

import pytest

from seqae import LSTMAutoencoder, RAESCTransformer, RAETransformer


@pytest.mark.parametrize("Estimator", [RAETransformer, RAESCTransformer, LSTMAutoencoder])
def test_estimators_train_with_the_term(Estimator, sines):
    params = dict(max_epochs=2, batch_size=16, random_state=0, contrastive=0.0)
    ae = Estimator(isometry=1.0, **params).fit(sines)
    assert "train_isometry" in ae.net_.history[-1]
    assert ae.net_.history[-1]["train_isometry"] > 0
    plain = Estimator(**params).fit(sines)
    assert "train_isometry" not in plain.net_.history[-1]
    assert Estimator().isometry == 0.0
