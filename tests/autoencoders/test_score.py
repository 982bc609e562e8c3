"""``score``: the mean of ``score_samples``, so that model selection needs no labels."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

from seqae import RAESCTransformer, RAETransformer

from .._models import MODELS


@pytest.mark.parametrize("name", sorted(MODELS))
def test_score_is_the_mean_of_score_samples(name, sines):
    ae = MODELS[name]().fit(sines)
    score = ae.score(sines[:10])
    assert isinstance(score, float)
    assert score == pytest.approx(np.mean(ae.score_samples(sines[:10])), rel=1e-12)
    assert ae.score(sines[:10], y=np.ones(10)) == score  # y is ignored


def _by_hand(estimator, X, cv):
    return [clone(estimator).fit(X[train]).score(X[test]) for train, test in cv.split(X)]


def test_grid_search_over_sigma_runs_without_labels(sines):
    base = RAESCTransformer(max_epochs=2, batch_size=8, random_state=0)
    cv = KFold(2)
    search = GridSearchCV(base, {"sigma": [0.125, 0.5]}, cv=cv).fit(sines)
    for i, sigma in enumerate([0.125, 0.5]):
        expected = _by_hand(base.set_params(sigma=sigma), sines, cv)
        np.testing.assert_allclose(
            [search.cv_results_[f"split{k}_test_score"][i] for k in range(2)], expected)
    best = int(np.argmax(search.cv_results_["mean_test_score"]))
    assert search.best_params_ == {"sigma": [0.125, 0.5][best]}
    assert search.best_estimator_.n_components_ == round([0.125, 0.5][best] * 16)


def test_cross_val_score_runs_without_labels(sines):
    ae = RAETransformer(sigma=0.5, max_epochs=2, batch_size=8, random_state=0)
    scores = cross_val_score(ae, sines, cv=KFold(3))
    np.testing.assert_allclose(scores, _by_hand(ae, sines, KFold(3)))
    assert np.all(scores < 0)  # minus a mean squared error
