"""Clustering sequences by their codes: the documented step as one scikit-learn pipeline.

``benchmarks/README.md`` (section 9) chose, on training splits only, L2-normalised codes
clustered by spectral clustering on a nearest-neighbour graph; standardising the codes first
(the scikit-learn habit in front of k-means) loses most of the codes' lead over k-means on the
raw series. :func:`make_code_clustering` builds that step, so that it takes one line.
"""

from sklearn.cluster import SpectralClustering
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer

from ..autoencoders.rae import RAESCTransformer

__all__ = ["make_code_clustering"]


def make_code_clustering(n_clusters=8, autoencoder=None, *, n_neighbors=10,
                         random_state=None):
    """A pipeline that clusters sequences by their codes: autoencoder -> L2 -> spectral.

    The steps are ``("autoencoder", autoencoder)``, ``("normalize", Normalizer())`` (each
    code scaled to unit Euclidean length, no centring) and ``("cluster",
    SpectralClustering(affinity='nearest_neighbors', assign_labels='cluster_qr'))``: the step
    chosen on training splits in ``benchmarks/README.md`` (section 9). Call
    ``fit_predict(X)`` for the cluster labels (``labels_`` of the last step after ``fit``);
    spectral clustering has no ``predict``, so new sequences need a new ``fit_predict``.
    Every step stays a plain scikit-learn estimator: ``set_params(cluster__n_clusters=...)``
    and ``GridSearchCV`` work as usual.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters (``SpectralClustering``'s ``n_clusters``).
    autoencoder : seqae autoencoder or None, default=None
        The autoencoder whose codes are clustered (fitted on the sequences passed to
        ``fit``). ``None``: ``RAESCTransformer(random_state=random_state)``, the defaults
        that ``benchmarks/features/clustering.py`` measures.
    n_neighbors : int, default=10
        Neighbours of each code in the affinity graph; must be less than the number of
        sequences.
    random_state : int, RandomState instance or None, default=None
        Seeds the spectral embedding (and the default autoencoder).

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Unfitted.

    See Also
    --------
    sklearn.cluster.SpectralClustering : The clusterer of the last step.

    Examples
    --------
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.tasks.clustering import make_code_clustering
    >>> X = make_sine_sequences(30, 16, 1, random_state=0)
    >>> model = make_code_clustering(2, RAESCTransformer(max_epochs=2, random_state=0),
    ...                              random_state=0)
    >>> [name for name, _ in model.steps]
    ['autoencoder', 'normalize', 'cluster']
    >>> model.fit_predict(X).shape
    (30,)
    """
    if autoencoder is None:
        autoencoder = RAESCTransformer(random_state=random_state)
    return Pipeline([
        ("autoencoder", autoencoder),
        ("normalize", Normalizer()),
        ("cluster", SpectralClustering(n_clusters=n_clusters, affinity="nearest_neighbors",
                                       n_neighbors=n_neighbors, assign_labels="cluster_qr",
                                       random_state=random_state)),
    ])
