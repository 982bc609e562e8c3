"""make_code_clustering: the documented clustering step (neighbour graph of the codes and of
MiniRocket's features -> spectral) in one line; SequenceNeighbors, its first step."""

import numpy as np
import pytest
from sklearn.cluster import SpectralClustering
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import FunctionTransformer, Normalizer

import seqae
from seqae import RAESCTransformer, make_code_clustering
from seqae.tasks.clustering import SequenceNeighbors


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
    assert [name for name, _ in model.steps] == ["graph", "cluster"]
    graph = model["graph"]
    assert isinstance(graph, SequenceNeighbors) and graph.autoencoder is None
    assert (graph.n_neighbors, graph.normalize, graph.series_graph, graph.n_clusters,
            graph.random_state) == (10, True, "auto", 3, 4)
    cluster = model["cluster"]
    assert isinstance(cluster, SpectralClustering)
    assert (cluster.n_clusters, cluster.affinity, cluster.assign_labels,
            cluster.random_state) == (3, "precomputed", "cluster_qr", 4)
    assert seqae.make_code_clustering is make_code_clustering


def test_the_codes_graph_is_scikit_learns_nearest_neighbour_affinity():
    """series_graph=None: the same labels as the section-9 pipeline (L2 codes ->
    SpectralClustering(affinity='nearest_neighbors')), and its affinity matrix."""
    codes, y = rays()
    identity = FunctionTransformer()  # stands in for an autoencoder: X are the codes
    model = make_code_clustering(2, identity, series_graph=None, random_state=0)
    labels = model.fit_predict(codes)
    reference = SpectralClustering(2, affinity="nearest_neighbors", n_neighbors=10,
                                   assign_labels="cluster_qr", random_state=0)
    np.testing.assert_array_equal(labels, reference.fit_predict(Normalizer().fit_transform(
        codes)))
    np.testing.assert_allclose(model["graph"].transform(codes).toarray(),
                               reference.affinity_matrix_.toarray())
    assert adjusted_rand_score(y, labels) == 1.0
    # without the L2 step the same clusterer mixes the short codes of both rays
    model.set_params(graph__normalize=False)
    assert adjusted_rand_score(y, model.fit_predict(codes)) < 0.5


def _two_shapes(n=40, n_timesteps=32):
    """Noisy waves of random phase whose class is their shape: a sine, or a sine to the
    ninth power (narrow peaks)."""
    rng = np.random.default_rng(0)
    y = np.arange(n) % 2
    wave = np.sin(np.linspace(0, 4 * np.pi, n_timesteps) + rng.uniform(0, 2 * np.pi, (n, 1)))
    X = np.where(y[:, None] == 1, wave ** 9, wave) + 0.1 * rng.standard_normal(wave.shape)
    return X, y


def test_the_series_graph_is_averaged_in():
    """series_graph='minirocket': the affinity is the mean of the codes' graph and the graph
    of the standardised MiniRocket features of the same sequences; with a barely trained
    2-value code the codes' graph alone mixes the two shapes, the mean separates them."""
    X, y = _two_shapes()
    ae = RAESCTransformer(n_components=2, max_epochs=1, batch_size=16, random_state=0)
    graph = SequenceNeighbors(ae, series_graph="minirocket", random_state=0).fit(X)
    assert graph.rocket_ is not None and graph.rocket_.n_features_out == 9996
    assert graph.graph_ == "mean" and graph.eigengaps_ is None
    codes_only = SequenceNeighbors(ae, series_graph=None, random_state=0).fit(X)
    assert codes_only.rocket_ is None
    features = graph._features(X[:, :, None])
    series = (features - features.mean(0)) / graph.series_scale_
    from seqae.tasks.clustering import _affinity
    expected = 0.5 * codes_only.transform(X) + 0.5 * _affinity(series, 10)
    np.testing.assert_allclose(graph.transform(X).toarray(), expected.toarray(), atol=1e-12)
    both = make_code_clustering(2, ae, series_graph="minirocket",
                                random_state=0).fit_predict(X)
    alone = make_code_clustering(2, ae, series_graph=None, random_state=0).fit_predict(X)
    assert adjusted_rand_score(y, both) > 0.85 > 0.75 > adjusted_rand_score(y, alone)


def test_eigengap_is_the_normalised_laplacians():
    """eigengap: lambda_{k+1} - lambda_k of scipy's normalised Laplacian (diagonal ignored),
    by dense eigenvalues up to 1000 nodes and ARPACK beyond; large for k clear groups."""
    from scipy.sparse.csgraph import laplacian

    from seqae.tasks.clustering import _affinity, eigengap

    rng = np.random.default_rng(0)
    for n in (90, 1200):
        points = rng.standard_normal((n, 3)) + 8 * np.repeat(np.eye(3), n // 3, axis=0)
        graph = _affinity(points, 10)
        reference = np.linalg.eigvalsh(laplacian(graph.toarray(), normed=True))
        for k in (2, 3, 4):
            assert eigengap(graph, k) == pytest.approx(reference[k] - reference[k - 1],
                                                       abs=1e-8)
        assert eigengap(graph, 3) > 10 * max(eigengap(graph, 2), eigengap(graph, 4))


def test_auto_takes_the_graph_of_the_largest_eigengap():
    """series_graph='auto' (the default): fit measures the eigengap of the codes' graph,
    MiniRocket's and their mean at n_clusters, keeps the largest (graph_), and transform
    builds that graph; here MiniRocket's features separate the shapes that a barely trained
    code mixes, and the choice clusters them."""
    from seqae.tasks.clustering import GRAPHS, eigengap

    X, y = _two_shapes()
    ae = RAESCTransformer(n_components=2, max_epochs=1, batch_size=16, random_state=0)
    graph = SequenceNeighbors(ae, n_clusters=2, random_state=0).fit(X)
    assert set(graph.eigengaps_) == set(GRAPHS) == {"mean", "codes", "minirocket"}
    assert graph.graph_ == max(GRAPHS, key=graph.eigengaps_.get) != "codes"
    fixed = {name: SequenceNeighbors(ae, series_graph=option, random_state=0).fit(X)
             for name, option in (("mean", "minirocket"), ("codes", None))}
    for name, fitted in fixed.items():
        assert graph.eigengaps_[name] == pytest.approx(eigengap(fitted.transform(X), 2))
    if graph.graph_ == "mean":
        expected = fixed["mean"].transform(X)
    else:
        series = (graph._features(X[:, :, None]) - graph.series_mean_) / graph.series_scale_
        from seqae.tasks.clustering import _affinity
        expected = _affinity(series, 10)
    np.testing.assert_allclose(graph.transform(X).toarray(), expected.toarray())
    # fit_transform hands back the graph fit built (the codes and features computed once)
    again = SequenceNeighbors(ae, n_clusters=2, random_state=0).fit_transform(X)
    np.testing.assert_allclose(again.toarray(), expected.toarray())
    labels = make_code_clustering(2, ae, random_state=0).fit_predict(X)
    assert adjusted_rand_score(y, labels) > 0.85
    # ragged sequences: the codes' graph, nothing to choose
    ragged = [x[:n] for x, n in zip(X, np.random.default_rng(0).integers(24, 33, len(X)))]
    fitted = SequenceNeighbors(ae, n_clusters=2, random_state=0).fit(ragged)
    assert fitted.graph_ == "codes" and fitted.eigengaps_ is None


def test_ragged_or_short_sequences_keep_the_codes_graph():
    X, y = _two_shapes()
    ae = RAESCTransformer(n_components=2, max_epochs=1, batch_size=16, random_state=0)
    ragged = [x[:n] for x, n in zip(X, np.random.default_rng(0).integers(24, 33, len(X)))]
    assert SequenceNeighbors(ae, random_state=0).fit(ragged).rocket_ is None
    assert SequenceNeighbors(ae, random_state=0).fit(X[:, :8]).rocket_ is None
    with pytest.raises(ValueError):
        SequenceNeighbors(ae, n_neighbors=50).fit_transform(X)


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
    # a clone of the autoencoder is fitted on X inside the pipeline
    assert model["graph"].autoencoder_.n_components_ == 8 and not hasattr(ae, "net_")
