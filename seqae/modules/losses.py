"""Training objectives (criteria for the skorch net)."""

import torch
from torch import nn

__all__ = ["ELBOLoss", "gaussian_kl"]


def gaussian_kl(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, 1)) summed over latent dimensions, per sample."""
    return 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1.0 - logvar, dim=1)


class ELBOLoss(nn.Module):
    """Negative ELBO with a Gaussian likelihood: squared error + ``beta`` x KL.

    Both terms are summed over time and features (resp. latent dimensions) per sequence and
    averaged over the batch, so that neither silently dominates the other as the sequence
    length or the latent size changes.
    """

    def __init__(self, beta=1.0):
        super().__init__()
        self.beta = beta

    def forward(self, y_pred, target):
        reconstruction, mu, logvar = y_pred
        squared_error = (reconstruction - target).pow(2).flatten(1).sum(dim=1)
        return torch.mean(squared_error + self.beta * gaussian_kl(mu, logvar))
