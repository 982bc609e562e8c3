"""Training objectives (criteria for the skorch net)."""

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["AutoencoderLoss", "ELBOLoss", "LOSSES", "LIKELIHOODS", "gaussian_kl",
           "negative_elbo"]

LOSSES = {"mse": F.mse_loss, "mae": F.l1_loss}
LIKELIHOODS = ("gaussian", "bernoulli")


def gaussian_kl(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, 1)) summed over latent dimensions, per sample."""
    return 0.5 * torch.sum(mu.pow(2) + logvar.exp() - 1.0 - logvar, dim=1)


def negative_elbo(output, mu, logvar, target, likelihood="gaussian", kl_weight=1.0):
    """Per-sequence negative ELBO: reconstruction term + ``kl_weight`` x KL.

    ``'gaussian'``: squared error summed over time and features (the negative log-likelihood
    of a unit-variance Gaussian up to a factor 1/2 and a constant); ``output`` is the mean.
    ``'bernoulli'``: binary cross-entropy summed over time and features (the exact negative
    log-likelihood, for data in [0, 1] such as piano rolls); ``output`` holds logits.

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
    return error.flatten(1).sum(dim=1) + kl_weight * gaussian_kl(mu, logvar)


class ELBOLoss(nn.Module):
    """Negative ELBO: reconstruction term + ``beta`` x KL, averaged over the batch.

    Both terms are summed over time and features (resp. latent dimensions) per sequence and
    averaged over the batch, so that neither silently dominates the other as the sequence
    length or the latent size changes. ``kl_weight`` (initially ``beta``) is the weight in
    use; a KL warm-up changes it between epochs.

    Parameters
    ----------
    beta : float
        Weight of the KL term.
    likelihood : {'gaussian', 'bernoulli'}
        See :func:`negative_elbo`.
    """

    def __init__(self, beta=1.0, likelihood="gaussian"):
        super().__init__()
        self.beta = beta
        self.likelihood = likelihood
        self.kl_weight = beta

    def forward(self, y_pred, target):
        output, mu, logvar = y_pred
        return torch.mean(negative_elbo(output, mu, logvar, target, self.likelihood,
                                        self.kl_weight))


class AutoencoderLoss(nn.Module):
    """Loss of the deterministic autoencoders: reconstruction, prediction and sparsity terms.

    ``y_pred`` is either the reconstruction (a tensor: the plain autoencoder, whose loss is
    then exactly ``torch.nn.MSELoss`` / ``L1Loss``) or a
    ``(reconstruction, prediction, code)`` triple whose entries may be ``None``. The target
    is the whole training sequence ``x`` of ``n_X`` steps: a reconstruction of ``r`` steps
    is compared with its first ``r`` steps and a prediction of ``k`` steps with its last
    ``k`` steps (the future), so the composite loss is
    ``reconstruction_weight * L(rec, x[:, :r]) + prediction_weight * L(pred, x[:, -k:])``;
    a code adds ``sparsity`` x its L1 norm (summed over the code, averaged over the batch;
    the slides' sparse autoencoder, ``||x - x'||^2 + lambda ||h||_1``).

    Parameters
    ----------
    loss : {'mse', 'mae'}
        Mean squared or mean absolute error, averaged over batch, time and features.
    sparsity : float
        Weight ``lambda`` of the code's L1 norm.
    reconstruction_weight, prediction_weight : float
        Weights of the two terms of the composite model.
    """

    def __init__(self, loss="mse", sparsity=0.0, reconstruction_weight=1.0,
                 prediction_weight=1.0):
        super().__init__()
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}")
        self.loss = loss
        self.sparsity = sparsity
        self.reconstruction_weight = reconstruction_weight
        self.prediction_weight = prediction_weight

    def forward(self, y_pred, target):
        error = LOSSES[self.loss]
        if isinstance(y_pred, torch.Tensor):
            return error(y_pred, target)
        reconstruction, prediction, code = y_pred
        total = target.new_zeros(())
        if reconstruction is not None:
            n_steps = reconstruction.shape[1]
            total = total + self.reconstruction_weight * error(reconstruction,
                                                               target[:, :n_steps])
        if prediction is not None:
            n_future = prediction.shape[1]
            total = total + self.prediction_weight * error(
                prediction, target[:, target.shape[1] - n_future:])
        if code is not None:
            total = total + self.sparsity * code.abs().sum(dim=1).mean()
        return total
