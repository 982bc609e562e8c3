"""Views of a batch for the contrastive objective, and that objective (InfoNCE)."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

__all__ = ["VIEWS", "VIEW_MODES", "INFO_NCE_GROUP", "RandomView", "info_nce"]

VIEWS = ("stretch", "crop", "mask")
#: Every view mode: a window ('stretch', 'crop'), masking ('mask'), or a window then masking.
VIEW_MODES = VIEWS + ("stretch+mask", "crop+mask")


class RandomView(nn.Module):
    """A random view of each sequence, for the contrastive term.

    ``mode='stretch'``: a window covering a fraction ``u ~ U(min_fraction, 1)`` of each
    sequence of length ``L`` (its ``lengths`` entry, else the batch's length), at a uniform
    random place, resampled (linear interpolation) back to ``L`` steps. ``mode='crop'``: the
    same window without resampling: the view is a shorter sequence (the window's steps, then
    zeros), of its own length. ``mode='mask'``: the whole sequence with each step zeroed with
    probability ``1 - keep``. ``'stretch+mask'`` and ``'crop+mask'``: the window, then each
    of its steps zeroed with probability ``1 - keep``. Then, in every mode, a random gain
    ``1 + gain * N(0, 1)`` per sequence and feature and Gaussian jitter
    ``jitter * N(0, 1)`` per entry. Steps past a sequence's length are left as they were:
    the encoder does not read them. Draws use torch's global generator, which the
    estimators seed per ``fit``.

    ``forward(x, lengths=None)`` returns ``(view, view_lengths)``; ``view_lengths`` is
    ``lengths`` except in mode ``'crop'``.

    Parameters
    ----------
    min_fraction : float
        Shortest window as a fraction of the sequence.
    gain, jitter : float
        Standard deviations of the gain and of the additive noise.
    mode : {'stretch', 'crop', 'mask', 'stretch+mask', 'crop+mask'}
    keep : float
        Probability that the masking keeps a step.
    """

    def __init__(self, min_fraction: float = 0.5, gain: float = 0.1, jitter: float = 0.03,
                 mode: str = "stretch", keep: float = 0.8) -> None:
        super().__init__()
        if mode not in VIEW_MODES:
            raise ValueError(f"unknown view mode {mode!r}; expected one of {VIEW_MODES}")
        parts = tuple(mode.split("+"))
        self.min_fraction = min_fraction
        self.gain = gain
        self.jitter = jitter
        self.mode = mode
        self.keep = keep
        self.window = None if parts[0] == "mask" else parts[0]
        self.mask = "mask" in parts

    def forward(self, x: Tensor, lengths: Tensor | None = None
                ) -> tuple[Tensor, Tensor | None]:
        batch, n_steps, n_features = x.shape
        steps = torch.arange(n_steps, device=x.device)
        length = (x.new_full((batch,), n_steps) if lengths is None
                  else lengths.to(x.device, x.dtype))
        view_lengths, view = lengths, x
        if self.window is not None:
            fraction = self.min_fraction + (1 - self.min_fraction) * torch.rand_like(length)
            if self.window == "stretch":
                view = self._stretched_window(x, length - 1, fraction)
            else:
                window = (fraction * length).round().clamp(min=1)
                start = (torch.rand_like(length) * (length - window + 1)).floor()
                index = torch.minimum(start[:, None] + steps, length[:, None] - 1).long()
                view = x.gather(1, index[:, :, None].expand(-1, -1, n_features))
                view = torch.where((steps < window[:, None])[:, :, None], view, 0)
                view_lengths = window.long()
        if self.mask:
            view = view * (torch.rand(batch, n_steps, 1, device=x.device) < self.keep)
        view = view * (1 + self.gain * torch.randn(batch, 1, n_features, device=x.device,
                                                   dtype=x.dtype))
        view = view + self.jitter * torch.randn_like(view)
        inside = steps < (length if view_lengths is None else view_lengths)[:, None]
        if self.window == "crop":  # the view's own padding is zeros
            return torch.where(inside[:, :, None], view, 0), view_lengths
        if lengths is not None:  # the padding stays as it was
            view = torch.where(inside[:, :, None], view, x)
        return view, view_lengths

    @staticmethod
    def _stretched_window(x, last, fraction):
        """A window of ``fraction`` of each sequence (whose last step is ``last``), linearly
        resampled to the sequence's length."""
        n_steps, n_features = x.shape[1:]
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

        return at(low) * (1 - weight) + at(high) * weight


#: :func:`info_nce` contrasts each sequence with the others of its group of at most this many
#: sequences of the batch: the similarities are ``batch x group`` values, not ``batch x batch``,
#: so that a large ``batch_size`` (e.g. for out-of-core data) does not cost memory and time
#: quadratic in it. Batches up to this size (every ``batch_size='auto'``) form one group.
INFO_NCE_GROUP = 256


def info_nce(code: Tensor, view_code: Tensor, temperature: float = 0.2,
             group_size: int = INFO_NCE_GROUP) -> Tensor:
    """Symmetric InfoNCE (NT-Xent) between two views' codes, ``(batch, n_components)`` each.

    Each sequence's two codes are a positive pair; the other sequences of its group are its
    negatives. The batch is cut into ``ceil(batch / group_size)`` consecutive groups of
    (nearly) equal size (training batches are shuffled, so the groups are random); a batch
    of at most ``group_size`` sequences is one group, i.e. every other sequence of the batch
    is a negative. Cosine similarities are divided by ``temperature``; the loss is the mean
    over the batch's sequences. A group of one sequence has no negatives and gives 0.
    """
    a, b = F.normalize(code, dim=1), F.normalize(view_code, dim=1)
    n_groups = max(1, -(-len(a) // group_size))
    total = a.new_zeros(())
    for a_group, b_group in zip(a.tensor_split(n_groups), b.tensor_split(n_groups)):
        logits = a_group @ b_group.T / temperature
        labels = torch.arange(len(a_group), device=a.device)
        total = total + 0.5 * len(a_group) * (F.cross_entropy(logits, labels)
                                              + F.cross_entropy(logits.T, labels))
    return total / max(1, len(a))
