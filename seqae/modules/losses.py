"""Training objectives (criteria for the skorch net)."""

from __future__ import annotations

import hashlib
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from .augment import info_nce


__all__ = ["AutoencoderLoss", "ELBOLoss", "ISOMETRY_METRICS", "LOSSES", "LIKELIHOODS",
           "ShapeDistanceCache", "gaussian_kl", "isometry_loss", "masked_mean",
           "negative_elbo", "shape_based_distances"]

LOSSES = {"mse": F.mse_loss, "mae": F.l1_loss}
LIKELIHOODS = ("gaussian", "bernoulli")


def _observed(error, mask):
    """``error`` with the entries where ``mask`` is False set to 0 (no loss, no gradient)."""
    return error if mask is None else torch.where(mask, error, error.new_zeros(()))


def masked_mean(error: Tensor, mask: Tensor | None = None, *, per_sequence: bool = False
                ) -> Tensor:
    """Mean of the elementwise ``error`` over the entries where ``mask`` is True.

    ``mask`` (boolean, ``error``'s shape) marks the observed entries of a padded batch
    (ragged sequences) or of one with missing values; ``None`` means all are observed.
    ``per_sequence=True`` averages over all but the first (batch) dimension, giving one
    value per sequence; else over everything. A sequence with nothing observed averages to 0.
    """
    if per_sequence:
        if mask is None:
            return error.flatten(1).mean(dim=1)
        return (_observed(error, mask).flatten(1).sum(dim=1)
                / mask.flatten(1).sum(dim=1).clamp(min=1))
    if mask is None:
        return error.mean()
    return _observed(error, mask).sum() / mask.sum().clamp(min=1)


def gaussian_kl(mu: Tensor, logvar: Tensor) -> Tensor:
    """KL(N(mu, exp(logvar)) || N(0, 1)) summed over latent dimensions, per sample."""
    return 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1.0 - logvar, dim=1)


def negative_elbo(output: Tensor, mu: Tensor, logvar: Tensor, target: Tensor,
                  likelihood: str = "gaussian", kl_weight: float = 1.0,
                  mask: Tensor | None = None) -> Tensor:
    """Per-sequence negative ELBO: reconstruction term + ``kl_weight`` x KL.

    ``'gaussian'``: squared error summed over time and features (the negative log-likelihood
    of a unit-variance Gaussian up to a factor 1/2 and a constant); ``output`` is the mean.
    ``'bernoulli'``: binary cross-entropy summed over time and features (the exact negative
    log-likelihood, for data in [0, 1] such as piano rolls); ``output`` holds logits.
    ``mask`` (boolean, ``target``'s shape) keeps only the observed entries in the sum (the
    log-likelihood of the observed part of a padded or incomplete sequence).

    Returns
    -------
    torch.Tensor of shape (batch,)
    """
    if likelihood == "bernoulli":
        error = F.binary_cross_entropy_with_logits(output, target, reduction="none")
    elif likelihood == "gaussian":
        error = (output - target).pow(2)
    else:
        raise ValueError(f"unknown likelihood {likelihood!r}; expected one of {LIKELIHOODS}")
    return _observed(error, mask).flatten(1).sum(dim=1) + kl_weight * gaussian_kl(mu, logvar)


#: The input distances the isometry term can keep (``isometry_metric``).
ISOMETRY_METRICS = ("euclidean", "sbd")

# the most complex entries one block of shape_based_distances holds (its cross-correlations)
_SBD_BLOCK = 1 << 22


def _sbd_spectra(x: Tensor, mask: Tensor | None) -> tuple[Tensor, Tensor, int]:
    """``(spectrum, norm, size)`` of the sequences ``x`` for :func:`shape_based_distances`:
    the FFT (``size`` points: every lag, no circular overlap) of each series z-normalised
    per feature over its observed steps, and each normalised series' Euclidean norm."""
    # float64 where the device has it (Apple's MPS has no float64: float32 there)
    x = _observed(x.detach().to(torch.float32 if x.device.type == "mps"
                                else torch.float64), mask)
    count = (x.new_full((1, 1, 1), x.shape[1]) if mask is None
             else mask.sum(1, keepdim=True).clamp(min=1))
    x = x - x.sum(1, keepdim=True) / count
    if mask is not None:
        x = torch.where(mask, x, x.new_zeros(()))
    std = (x.pow(2).sum(1, keepdim=True) / count).sqrt()
    x = x / torch.where(std > 0, std, torch.ones_like(std))  # a constant feature: 0
    norm = x.flatten(1).norm(dim=1).clamp(min=1e-12)
    size = 1 << (2 * x.shape[1] - 1).bit_length()
    return torch.fft.rfft(x, n=size, dim=1), norm, size  # (batch, frequencies, features)


def _sbd_of(cross: Tensor, size: int, norms: Tensor) -> Tensor:
    """``sqrt(SBD)`` from the cross-spectra ``cross`` (``(..., frequencies, features)``) of
    pairs of :func:`_sbd_spectra` and the products ``norms`` of their norms: the
    cross-correlation summed over the features, maximised over the lags, normalised."""
    best = torch.fft.irfft(cross.sum(-1), n=size, dim=-1).amax(-1)
    return (1 - best / norms).clamp(min=0).sqrt()


def shape_based_distances(x: Tensor, mask: Tensor | None = None) -> Tensor:
    """``sqrt(SBD)`` between every pair of sequences ``x`` (``(batch, time, features)``):
    the shape-based distance of k-Shape (Paparrizos & Gravano, SIGMOD 2015),
    ``SBD = 1 - max_w NCC_w``, the normalised cross-correlation maximised over every lag
    ``w`` (zero padding), of the series z-normalised per feature over their observed steps;
    with several features their cross-correlations are summed at each lag. ``sqrt(SBD)``
    is proportional to the Euclidean distance of the z-normalised series at their best
    alignment, so it stands where the Euclidean distance stood. With ``mask``, the entries
    where it is False are left out of the z-normalisation and count as 0. Computed in
    float64 without gradient (a target of the term, not a function of the parameters), by
    FFT, in blocks of rows so that memory stays bounded for large batches.

    Returns
    -------
    torch.Tensor of shape (batch, batch), float64 (float32 on MPS)
    """
    with torch.no_grad():
        spectrum, norm, size = _sbd_spectra(x, mask)
        rows = max(1, _SBD_BLOCK // max(1, len(x) * spectrum.shape[1] * spectrum.shape[2]))
        return torch.cat([
            _sbd_of(spectrum[start:start + rows, None] * spectrum[None].conj(), size,
                    norm[start:start + rows, None] * norm[None, :])
            for start in range(0, len(x), rows)])


class ShapeDistanceCache:
    """:func:`shape_based_distances` of a batch, each pair of sequences computed once per fit.

    The isometry term's target distances depend on the training sequences only, not on
    the parameters, yet every batch of every epoch computed them again: at 500 sequences x
    500 steps that was a third of the default fit's time (``benchmarks/README.md`` section
    16). This cache recognises a sequence by its content (a hash of its values and mask
    in the batch's layout) and keeps the distance of every pair of sequences it has met in
    a matrix of at most ``capacity`` sequences (float64: 32 MiB at the default 2048); a
    batch computes only its pairs not met before, so an epoch of a data set that fits
    costs nothing after every pair has met once. Batches with a sequence beyond
    ``capacity``, and tensors not on the CPU (where hashing would copy them over), are
    computed in full as before. Equal to :func:`shape_based_distances` up to float64
    rounding (a pair is computed in one order and mirrored). :meth:`clear` frees it.

    Parameters
    ----------
    capacity : int, default=2048
        The most sequences whose distances are kept.

    Examples
    --------
    >>> import torch
    >>> from seqae.modules.losses import ShapeDistanceCache, shape_based_distances
    >>> x = torch.randn(6, 20, 1, generator=torch.Generator().manual_seed(0))
    >>> cache = ShapeDistanceCache()
    >>> d = cache(x[:4])            # 6 pairs computed
    >>> d = cache(x[2:])            # 5 new pairs computed, the pair (2, 3) read back
    >>> off = ~torch.eye(4, dtype=torch.bool)
    >>> bool(torch.allclose(d[off], shape_based_distances(x[2:])[off]))
    True
    """

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        """Forget every sequence and distance (and free the matrix)."""
        self._slots: dict[bytes, int] = {}
        self._distances = torch.empty(0, 0, dtype=torch.float64)

    def __call__(self, x: Tensor, mask: Tensor | None = None) -> Tensor:
        if x.device.type != "cpu":
            return shape_based_distances(x, mask)
        slots = self._slots_of(x, mask)
        if slots is None:  # beyond the capacity
            return shape_based_distances(x, mask)
        index = torch.as_tensor(slots)
        known = self._distances[index[:, None], index[None, :]]
        first, second = torch.triu_indices(len(x), len(x), offset=1)
        todo = torch.isnan(known[first, second]).nonzero().flatten()
        if len(todo):
            with torch.no_grad():
                spectrum, norm, size = _sbd_spectra(x, mask)
                first, second = first[todo], second[todo]
                per_block = max(1, _SBD_BLOCK // max(1, spectrum.shape[1] * spectrum.shape[2]))
                value = torch.cat([
                    _sbd_of(spectrum[a] * spectrum[b].conj(), size, norm[a] * norm[b])
                    for a, b in zip(first.split(per_block), second.split(per_block))])
            self._distances[index[first], index[second]] = value
            self._distances[index[second], index[first]] = value
            known = self._distances[index[:, None], index[None, :]]
        return known

    def _slots_of(self, x, mask):
        """Each row's slot in the matrix (new rows get the next free ones), or ``None``
        when they do not all fit."""
        values = x.detach().contiguous().numpy().reshape(len(x), -1)
        observed = (None if mask is None
                    else mask.detach().contiguous().numpy().reshape(len(x), -1))
        keys = []
        for i in range(len(x)):
            digest = hashlib.blake2b(values[i].tobytes(), digest_size=16)
            digest.update(str((x.shape[1:], x.dtype)).encode())
            if observed is not None:
                digest.update(observed[i].tobytes())
            keys.append(digest.digest())
        new = [key for key in dict.fromkeys(keys) if key not in self._slots]
        if len(self._slots) + len(new) > self.capacity:
            return None
        if new:
            self._grow(len(self._slots) + len(new))
            for key in new:
                self._slots[key] = len(self._slots)
        return [self._slots[key] for key in keys]

    def _grow(self, size):
        """A matrix of at least ``size`` slots (doubling, up to ``capacity``); the diagonal
        is 0, every other unknown pair NaN."""
        current = len(self._distances)
        if size <= current:
            return
        grown = min(self.capacity, max(size, 2 * current, 64))
        distances = torch.full((grown, grown), float("nan"), dtype=torch.float64)
        distances[:current, :current] = self._distances
        distances.fill_diagonal_(0.0)
        self._distances = distances


def isometry_loss(code: Tensor, x: Tensor, mask: Tensor | None = None,
                  metric: str = "euclidean", cache: ShapeDistanceCache | None = None
                  ) -> Tensor:
    """The distance-preserving term: the mean over the batch's pairs ``i != j`` of
    ``(d(z_i, z_j) / mean d(z) - d(x_i, x_j) / mean d(x))^2``, ``d(z)`` the Euclidean
    distance between the codes ``z`` (``(batch, n_components)``) and ``d(x)`` the
    ``metric`` distance between the sequences ``x`` (``(batch, time, features)``; with
    ``mask``, the entries where it is False count as 0), each scaled by its mean over the
    pairs (so the term ignores the codes' overall scale). ``metric``: ``'euclidean'``, or
    ``'sbd'``, the square root of k-Shape's shape-based distance
    (:func:`shape_based_distances`: z-normalised, the best lag; through ``cache``, a
    :class:`ShapeDistanceCache`, when given). A batch of one sequence, or of identical
    ones, gives 0."""
    if metric not in ISOMETRY_METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {ISOMETRY_METRICS}")
    if len(code) < 2:
        return code.new_zeros(())
    pairs = ~torch.eye(len(code), dtype=torch.bool, device=code.device)
    if metric == "sbd":
        d_x = (shape_based_distances(x, mask) if cache is None else cache(x, mask))[pairs]
    else:
        flat = _observed(x, mask).flatten(1)
        # the term is scale-free: dividing by the largest magnitude first keeps the
        # distances of huge (unscaled) inputs finite in float32
        flat = flat / flat.detach().abs().max().clamp(min=1e-12)
        # the pairwise distances, the diagonal left out (its zero distance has no gradient)
        d_x = torch.cdist(flat, flat)[pairs]
    d_z = (code[:, None, :] - code[None, :, :])[pairs].pow(2).sum(-1).clamp(min=1e-12).sqrt()
    d_x = d_x / d_x.mean().clamp(min=1e-12)
    return (d_z / d_z.mean().clamp(min=1e-12) - d_x.to(d_z)).pow(2).mean()


class ELBOLoss(nn.Module):
    """Negative ELBO: reconstruction term + ``beta`` x KL, averaged over the batch.

    Both terms are summed over time and features (resp. latent dimensions) per sequence and
    averaged over the batch, so that neither silently dominates the other as the sequence
    length or the latent size changes. ``kl_weight`` (initially ``beta``) is the weight in
    use; a KL warm-up changes it between epochs. ``mask`` (see :func:`negative_elbo`) leaves
    the unobserved entries out.

    Parameters
    ----------
    beta : float
        Weight of the KL term.
    likelihood : {'gaussian', 'bernoulli'}
        See :func:`negative_elbo`.
    """

    def __init__(self, beta: float = 1.0, likelihood: str = "gaussian") -> None:
        super().__init__()
        self.beta = beta
        self.likelihood = likelihood
        self.kl_weight = beta

    def forward(self, y_pred: Any, target: Tensor, mask: Tensor | None = None) -> Tensor:
        output, mu, logvar = y_pred
        return torch.mean(negative_elbo(output, mu, logvar, target, self.likelihood,
                                        self.kl_weight, mask))


class AutoencoderLoss(nn.Module):
    """Loss of the deterministic autoencoders: reconstruction, prediction and sparsity terms.

    ``y_pred`` is either the reconstruction (a tensor: the plain autoencoder, whose loss is
    then exactly ``torch.nn.MSELoss`` / ``L1Loss``) or a
    :class:`~seqae.modules.autoencoder.SeqAEOutput` whose entries may be ``None``. The target
    is the whole training sequence ``x`` of ``n_X`` steps: a reconstruction of ``r`` steps
    is compared with its first ``r`` steps and a prediction of ``k`` steps with its last
    ``k`` steps (the future), so the composite loss is
    ``reconstruction_weight * L(rec, x[:, :r]) + prediction_weight * L(pred, x[:, -k:])``;
    a code adds ``sparsity`` x its L1 norm (summed over the code, averaged over the batch;
    the slides' sparse autoencoder, ``||x - x'||^2 + lambda ||h||_1``). ``mask`` (boolean,
    the target's shape; padding and missing values are False) makes each error term the
    mean over the observed entries it compares (see :func:`masked_mean`).

    When the loss has several terms, ``terms_`` holds the last batch's unweighted terms
    (``reconstruction``, ``prediction``, ``sparsity``, ``contrastive``, ``jacobian``, those
    present), detached; the training history records their epoch means.

    Parameters
    ----------
    loss : {'mse', 'mae'}
        Mean squared or mean absolute error, averaged over batch, time and features.
    sparsity : float
        Weight ``lambda`` of the code's L1 norm.
    reconstruction_weight, prediction_weight : float
        Weights of the two terms of the composite model.
    jacobian_penalty : float
        Weight of the contractive term: the mean over the batch of ``y_pred.jacobian``,
        each sequence's squared Frobenius norm of the code's Jacobian (the slides' Eq. 4,
        ``lambda ||d h / d x||_F^2``).
    contrastive : float
        Weight of the contrastive term: :func:`~seqae.modules.augment.info_nce` between the
        code and the code of a random view of the same sequence (``view_code``), which pulls
        the codes of two views of a sequence together and pushes those of different
        sequences apart.
    temperature : float
        Temperature of the contrastive term.
    isometry : float
        Weight of the distance-preserving term :func:`isometry_loss` between the code and
        the target sequences.
    isometry_metric : {'euclidean', 'sbd'}
        The distance between sequences that the isometry term keeps (``metric`` of
        :func:`isometry_loss`).
    """

    def __init__(self, loss="mse", sparsity=0.0, reconstruction_weight=1.0,
                 prediction_weight=1.0, contrastive=0.0, temperature=0.2,
                 jacobian_penalty=0.0, isometry=0.0, isometry_metric="euclidean"):
        super().__init__()
        if isometry_metric not in ISOMETRY_METRICS:
            raise ValueError(f"unknown isometry_metric {isometry_metric!r}; expected one of "
                             f"{ISOMETRY_METRICS}")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}")
        self.loss = loss
        self.sparsity = sparsity
        self.reconstruction_weight = reconstruction_weight
        self.prediction_weight = prediction_weight
        self.contrastive = contrastive
        self.temperature = temperature
        self.jacobian_penalty = jacobian_penalty
        self.isometry = isometry
        self.isometry_metric = isometry_metric
        # the SBD targets of the sequences met so far (see ShapeDistanceCache); not state:
        # left out of pickles, emptied at the end of training (seqae._engine.callbacks)
        self.distance_cache = ShapeDistanceCache()

    def __getstate__(self):
        # a copy of the instance's dict, with an empty cache in place of the filled one
        return {**super().__getstate__(), "distance_cache": ShapeDistanceCache()}

    def _error(self, output, target, mask):
        if mask is None:
            return LOSSES[self.loss](output, target)
        return masked_mean(LOSSES[self.loss](output, target, reduction="none"), mask)

    def forward(self, y_pred: Any, target: Tensor, mask: Tensor | None = None) -> Tensor:
        if isinstance(y_pred, torch.Tensor):
            return self._error(y_pred, target, mask)
        reconstruction, prediction, code, view_code, jacobian = (*y_pred, None)[:5]
        terms = {}  # name: (weight, unweighted value)
        if reconstruction is not None:
            steps = slice(0, reconstruction.shape[1])
            terms["reconstruction"] = (self.reconstruction_weight, self._error(
                reconstruction, target[:, steps], None if mask is None else mask[:, steps]))
        if prediction is not None:
            steps = slice(target.shape[1] - prediction.shape[1], None)
            terms["prediction"] = (self.prediction_weight, self._error(
                prediction, target[:, steps], None if mask is None else mask[:, steps]))
        if code is not None and self.sparsity:
            terms["sparsity"] = (self.sparsity, code.abs().sum(dim=1).mean())
        if view_code is not None:
            terms["contrastive"] = (self.contrastive,
                                    info_nce(code, view_code, self.temperature))
        if jacobian is not None:
            terms["jacobian"] = (self.jacobian_penalty, jacobian.mean())
        if code is not None and self.isometry:
            terms["isometry"] = (self.isometry, isometry_loss(
                code, target, mask, self.isometry_metric, self.distance_cache))
        total = target.new_zeros(())
        for weight, value in terms.values():
            total = total + weight * value
        # the unweighted terms of the last batch, when the loss has several (the training
        # history records their epoch means: train_reconstruction, train_contrastive, ...)
        self.terms_ = ({name: value.detach() for name, (_, value) in terms.items()}
                       if len(terms) > 1 else {})
        return total
