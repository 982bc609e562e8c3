"""Frames: a long sequence read as a shorter sequence of frames of ``p`` consecutive steps.

A recurrent net over ``T`` steps runs ``T`` dependent steps, forwards and backwards; over
``ceil(T / p)`` frames of ``p * m`` features it runs ``p`` times fewer (and a frame's input
projection is one wider matrix product). The autoencoders read their input as frames
(:func:`to_frames`) and turn the decoder's frames back into steps (:func:`from_frames`), so
the loss and every output stay per time step. ``p = 1`` is the identity.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.nn import functional as F

__all__ = ["frame_count", "frame_lengths", "from_frames", "to_frames"]


def frame_count(n_steps: int, patch_size: int) -> int:
    """Frames that hold ``n_steps`` steps: ``ceil(n_steps / patch_size)``."""
    return -(-n_steps // patch_size)


def to_frames(x: Tensor, patch_size: int, lengths: Tensor | None = None) -> Tensor:
    """``(batch, T, m) -> (batch, ceil(T / p), p * m)``, frame ``i`` holding ``p`` steps.

    Frame ``i`` holds steps ``i * p`` to ``i * p + p - 1`` (the last frame is zero-padded).
    With ``lengths`` (a padded batch
    of ragged sequences) the steps past each sequence's length are zeroed first, so the
    partial last frame of a sequence is the same alone and in a batch."""
    if patch_size == 1:
        return x
    batch, n_steps, n_features = x.shape
    if lengths is not None:
        steps = torch.arange(n_steps, device=x.device)
        x = torch.where((steps < lengths.to(x.device)[:, None])[:, :, None], x, 0)
    padded = frame_count(n_steps, patch_size) * patch_size
    if padded != n_steps:
        x = F.pad(x, (0, 0, 0, padded - n_steps))
    return x.reshape(batch, padded // patch_size, patch_size * n_features)


def from_frames(frames: Tensor, patch_size: int, n_steps: int) -> Tensor:
    """Inverse of :func:`to_frames`: ``(batch, F, p * m) -> (batch, n_steps, m)``, the first
    ``n_steps <= F * p`` steps."""
    if patch_size == 1:
        return frames[:, :n_steps]
    batch, n_frames, width = frames.shape
    steps = frames.reshape(batch, n_frames * patch_size, width // patch_size)
    return steps[:, :n_steps]


def frame_lengths(lengths: Tensor | None, patch_size: int) -> Tensor | None:
    """Frames per sequence for sequences of ``lengths`` steps (``None`` stays ``None``)."""
    if lengths is None or patch_size == 1:
        return lengths
    return torch.div(lengths + patch_size - 1, patch_size, rounding_mode="floor")
