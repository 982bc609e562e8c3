"""Clustering terms for an autoencoder's training objective (DTCR's, Ma et al., NeurIPS 2019).

DTCR ("Learning Representations for Time Series Clustering") adds two terms to a recurrent
autoencoder's reconstruction loss: a k-means term, the spectral relaxation of the k-means
objective on the codes, and an auxiliary real-vs-fake classification of sequences whose time
steps were partly shuffled. Both are here as pure functions and modules; the criterion
:class:`KMeansAutoencoderLoss` adds the first to :class:`~seqae.modules.AutoencoderLoss`.
"""

import torch
from torch import nn
from torch.nn import functional as F

from .losses import AutoencoderLoss

__all__ = ["KMeansAutoencoderLoss", "RealFakeHead", "cluster_indicator", "fake_sequences",
           "kmeans_loss"]


def cluster_indicator(code, n_clusters):
    """The relaxed cluster indicator of k-means: the ``n_clusters`` leading eigenvectors of
    the Gram matrix of the L2-normalised codes, ``(batch, n_clusters)``, orthonormal columns.

    DTCR (Sec. 3.2) updates this ``F`` in closed form from the codes (by the Ky Fan theorem
    the maximiser of ``Tr(F^T H^T H F)`` over orthonormal ``F``); here it is computed from
    the batch's own codes, without gradient.
    """
    with torch.no_grad():
        unit = F.normalize(code.detach().double(), dim=1)
        _, vectors = torch.linalg.eigh(unit @ unit.T)  # eigenvalues in ascending order
        return vectors[:, -n_clusters:].to(code.dtype)


def kmeans_loss(code, n_clusters, indicator=None):
    """DTCR's k-means term on the L2-normalised codes of a batch, per sequence.

    With ``H`` the batch's L2-normalised codes (one row per sequence) and ``F`` the relaxed
    cluster indicator (:func:`cluster_indicator`, unless given), the term is
    ``(Tr(H H^T) - Tr(F^T H H^T F)) / batch``: the share of the codes' energy outside the
    ``n_clusters``-dimensional subspace that the relaxed k-means assignment spans. It is 0
    when the codes fall on ``n_clusters`` directions, so it pulls the codes of a batch
    towards ``n_clusters`` groups. DTCR uses the raw codes; they are L2-normalised here (the
    same cosine geometry as the contrastive term) so that the term cannot be lowered by
    shrinking the codes and lies in [0, 1].

    Returns 0 for a batch of at most ``n_clusters`` sequences (any batch then fits exactly).
    """
    batch = code.shape[0]
    if batch <= n_clusters:
        return code.new_zeros(())
    if indicator is None:
        indicator = cluster_indicator(code, n_clusters)
    unit = F.normalize(code, dim=1)
    projected = indicator.T @ unit  # (n_clusters, n_components)
    return (unit.pow(2).sum() - projected.pow(2).sum()) / batch


def fake_sequences(x, fraction=0.2, lengths=None):
    """DTCR's fake samples: in each sequence, a random ``fraction`` of its time steps are
    shuffled among themselves (the other steps stay where they are).

    ``x`` is ``(batch, time, features)``; with ``lengths``, only the first ``lengths[i]``
    steps of sequence ``i`` are touched. Draws use torch's global generator.
    """
    batch, n_steps, _ = x.shape
    length = (torch.full((batch,), n_steps, device=x.device) if lengths is None
              else lengths.to(x.device))
    steps = torch.arange(n_steps, device=x.device)
    chosen = (torch.rand(batch, n_steps, device=x.device) < fraction) & (steps < length[:, None])
    index = steps.repeat(batch, 1)
    for i in range(batch):  # a permutation of the chosen steps of each sequence
        where = chosen[i].nonzero().squeeze(1)
        index[i, where] = where[torch.randperm(len(where), device=x.device)]
    return x.gather(1, index[:, :, None].expand_as(x))


class RealFakeHead(nn.Module):
    """DTCR's auxiliary classifier: is a code that of a real sequence or of a fake one?

    A hidden layer of ``hidden_size`` ReLU units, then one logit. ``forward(code,
    fake_code)`` returns the binary cross-entropy of calling the first codes real and the
    others fake (averaged over both).
    """

    def __init__(self, n_components, hidden_size=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_components, hidden_size), nn.ReLU(),
                                 nn.Linear(hidden_size, 1))

    def forward(self, code, fake_code):
        logits = self.net(torch.cat([code, fake_code])).squeeze(1)
        target = torch.cat([torch.ones(len(code)), torch.zeros(len(fake_code))]).to(logits)
        return F.binary_cross_entropy_with_logits(logits, target)


class KMeansAutoencoderLoss(AutoencoderLoss):
    """:class:`~seqae.modules.AutoencoderLoss` plus ``kmeans`` x :func:`kmeans_loss` of the
    code (training batches that carry the code only: set the module's ``return_code``).

    Parameters
    ----------
    kmeans : float
        Weight of the k-means term (0: the plain loss).
    n_clusters : int
        Number of clusters of the term.
    **kwargs
        :class:`~seqae.modules.AutoencoderLoss`'s parameters.
    """

    def __init__(self, kmeans=0.0, n_clusters=2, **kwargs):
        super().__init__(**kwargs)
        self.kmeans = kmeans
        self.n_clusters = n_clusters

    def forward(self, y_pred, target, mask=None):
        total = super().forward(y_pred, target, mask)
        if self.kmeans and not isinstance(y_pred, torch.Tensor) and y_pred[2] is not None:
            total = total + self.kmeans * kmeans_loss(y_pred[2], self.n_clusters)
        return total
