"""make_code_clustering: the documented clustering step (codes -> L2 -> spectral) in one line."""

import numpy as np
from sklearn.cluster import SpectralClustering
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import FunctionTransformer, Normalizer

import seqae
from seqae import RAESCTransformer, make_code_clustering


def rays(n_per_ray=20):
    """Codes on two rays from the origin 20 degrees apart, lengths 0.1 to 10: the direction is
    the class, the length is noise (as in pooled codes of series of different energy); codes
    of the same length on the two rays are nearer than neighbours along a ray."""
    rng = np.random.default_rng(0)
    lengths = np.linspace(0.1, 10, n_per_ray)
    angles = np.r_[np.zeros(n_per_ray), np.full(n_per_ray, np.radians(20))]
    angles = angles + 0.01 * rng.standard_normal(2 * n_per_ray)
    radii = np.r_[lengths, lengths]
    return (np.c_[radii * np.cos(angles), radii * np.sin(angles)],
            np.repeat([0, 1], n_per_ray))


def test_steps_are_the_documented_ones():
    model = make_code_clustering(3, random_state=4)
    assert [name for name, _ in model.steps] == ["autoencoder", "normalize", "cluster"]
    assert isinstance(model["autoencoder"], RAESCTransformer)
    assert model["autoencoder"].random_state == 4
    assert isinstance(model["normalize"], Normalizer) and model["normalize"].norm == "l2"
    cluster = model["cluster"]
    assert isinstance(cluster, SpectralClustering)
    assert (cluster.n_clusters, cluster.affinity, cluster.n_neighbors,
            cluster.random_state) == (3, "nearest_neighbors", 10, 4)
    assert seqae.make_code_clustering is make_code_clustering


def test_normalising_the_codes_is_what_finds_the_directions():
    codes, y = rays()
    identity = FunctionTransformer()  # stands in for a fitted autoencoder: X are the codes
    model = make_code_clustering(2, identity, random_state=0)
    assert adjusted_rand_score(y, model.fit_predict(codes)) == 1.0
    # the same clusterer without the L2 step mixes the short codes of both rays
    model.set_params(normalize="passthrough")
    assert adjusted_rand_score(y, model.fit_predict(codes)) < 0.5


def test_clusters_sequences_end_to_end():
    rng = np.random.default_rng(0)
    t = np.linspace(0, 2 * np.pi, 16)
    y = np.arange(40) % 2
    X = np.sin(np.where(y[:, None] == 1, 3.0, 1.0) * t + rng.uniform(0, 6, (40, 1)))
    ae = RAESCTransformer(n_components=8, max_epochs=2, random_state=0)
    model = make_code_clustering(2, ae, n_neighbors=5, random_state=0)
    labels = model.fit_predict(X)
    assert labels.shape == (40,) and set(labels) <= {0, 1}
    np.testing.assert_array_equal(labels, model["cluster"].labels_)
    assert model["autoencoder"].n_components_ == 8  # fitted on X inside the pipeline
