"""Views of a batch for the contrastive objective, and that objective (InfoNCE)."""

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["RandomCropView", "info_nce"]


class RandomCropView(nn.Module):
    """A random view of each sequence: a random sub-series stretched back to the sequence's
    length, with a random gain per feature and Gaussian jitter.

    For each sequence of length ``L`` (its ``lengths`` entry, else the batch's length), a
    window covering a fraction ``u ~ U(min_fraction, 1)`` of it at a uniform random place is
    resampled (linear interpolation) to ``L`` steps, multiplied by ``1 + gain * N(0, 1)`` per
    feature and added ``jitter * N(0, 1)`` per entry. Steps past ``L`` (padding) are left as
    they were: the encoder does not read them. Draws use torch's global generator, which the
    estimators seed per ``fit``.

    Parameters
    ----------
    min_fraction : float
        Shortest window, as a fraction of the sequence.
    gain, jitter : float
        Standard deviations of the gain and of the additive noise.
    """

    def __init__(self, min_fraction=0.5, gain=0.1, jitter=0.03):
        super().__init__()
        self.min_fraction = min_fraction
        self.gain = gain
        self.jitter = jitter

    def forward(self, x, lengths=None):
        batch, n_steps, n_features = x.shape
        if lengths is None:
            last = x.new_full((batch,), n_steps - 1)
        else:
            last = (lengths.to(x.device, x.dtype) - 1)
        fraction = self.min_fraction + (1 - self.min_fraction) * torch.rand_like(last)
        span = fraction * last  # window length, in steps
        start = torch.rand_like(last) * (last - span)
        steps = torch.arange(n_steps, device=x.device, dtype=x.dtype)
        where = start[:, None] + steps * (span / last.clamp(min=1))[:, None]  # (batch, time)
        where = torch.minimum(where, last[:, None])
        low = where.floor()
        weight = (where - low)[:, :, None]
        low = low.long()
        high = torch.minimum(low + 1, last.long()[:, None])

        def at(index):
            return x.gather(1, index[:, :, None].expand(-1, -1, n_features))

        view = at(low) * (1 - weight) + at(high) * weight
        view = view * (1 + self.gain * torch.randn(batch, 1, n_features, device=x.device,
                                                   dtype=x.dtype))
        view = view + self.jitter * torch.randn_like(view)
        if lengths is not None:  # the padding stays as it was
            inside = steps < lengths.to(x.device)[:, None]
            view = torch.where(inside[:, :, None], view, x)
        return view


def info_nce(code, view_code, temperature=0.2):
    """Symmetric InfoNCE (NT-Xent) between two views' codes, ``(batch, n_components)`` each.

    Each sequence's two codes are a positive pair; the other sequences of the batch are its
    negatives. Cosine similarities are divided by ``temperature``. A batch of one sequence has
    no negatives and gives 0.
    """
    a, b = F.normalize(code, dim=1), F.normalize(view_code, dim=1)
    logits = a @ b.T / temperature
    labels = torch.arange(len(a), device=a.device)
    return 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels))
