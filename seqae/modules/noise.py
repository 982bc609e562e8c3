"""Input corruption for denoising autoencoders."""

from __future__ import annotations

import torch
from torch import Tensor, nn


__all__ = ["GaussianNoise"]


class GaussianNoise(nn.Module):
    """Adds ``N(0, std^2)`` noise in training mode only (Keras' ``GaussianNoise``).

    A denoising autoencoder corrupts what its encoder reads while its target stays the clean
    sequence (the slides' ``||x' - g(f(x))||^2``). ``std=0`` is the identity and draws no
    random numbers, so an autoencoder without noise trains exactly as before.
    """

    def __init__(self, std: float = 0.0) -> None:
        super().__init__()
        self.std = std

    def forward(self, x: Tensor) -> Tensor:
        if self.training and self.std > 0:
            return x + self.std * torch.randn_like(x)
        return x
