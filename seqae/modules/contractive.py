"""The contractive autoencoder's penalty: the squared Frobenius norm of the code's Jacobian.

Eq. 4 of the Oxford slides regularises an autoencoder by ``lambda * ||d h / d x||_F^2``, the
derivatives of the code ``h`` with respect to the input ``x``. For a recurrent encoder the
exact Jacobian costs one backward pass per code value; :func:`jacobian_norm_sq` estimates
its squared norm from random projections instead (Hutchinson): for ``v ~ N(0, I)``,
``E ||v^T J||^2 = trace(J J^T) = ||J||_F^2``, and ``v^T J`` is one vector-Jacobian product
(``torch.autograd.grad`` with ``create_graph=True``, so that the penalty is trained
through: double backpropagation).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["jacobian_norm_sq"]


def jacobian_norm_sq(code: Tensor, x: Tensor, mask: Tensor | None = None,
                     n_projections: int = 1, exact: bool = False) -> Tensor:
    """Per-sequence ``||d code[b] / d x[b]||_F^2`` of a batch.

    Parameters
    ----------
    code : torch.Tensor of shape (batch, n_components)
        Computed from ``x`` (which must require gradients), each row from its own sequence
        only (as the encoders do), so that one vector-Jacobian product of the batch gives
        every sequence's.
    x : torch.Tensor of shape (batch, time, features)
    mask : torch.Tensor of bool, ``x``'s shape, or None
        The observed entries: derivatives with respect to the others (padding, missing
        values) are left out of the norm.
    n_projections : int
        Random projections averaged (Hutchinson's estimator, unbiased).
    exact : bool
        Compute the exact norm instead: one vector-Jacobian product per code value.

    Returns
    -------
    torch.Tensor of shape (batch,)
        Differentiable (the graph of the products is kept).
    """
    if exact:
        eye = torch.eye(code.shape[1], dtype=code.dtype, device=code.device)
        directions = [eye[k].expand_as(code) for k in range(code.shape[1])]
    else:
        directions = [torch.randn_like(code) for _ in range(n_projections)]
    total = code.new_zeros(code.shape[0])
    for direction in directions:
        (grad,) = torch.autograd.grad(code, x, grad_outputs=direction, create_graph=True,
                                      retain_graph=True)
        if mask is not None:
            grad = torch.where(mask, grad, grad.new_zeros(()))
        total = total + grad.pow(2).flatten(1).sum(dim=1)
    return total if exact else total / len(directions)
