"""The distance-preserving term (``isometry``): its value, and the criterion's use of it."""

import numpy as np
import pytest
import torch

from seqae.modules import AutoencoderLoss, RecurrentAutoencoder
from seqae.modules.losses import isometry_loss


def _batch(n=6, steps=5, features=2, seed=0):
    return torch.randn(n, steps, features, generator=torch.Generator().manual_seed(seed))


def test_zero_where_the_codes_keep_the_distances_up_to_scale():
    x = _batch()
    rotation = torch.linalg.qr(torch.randn(10, 10, generator=torch.Generator().manual_seed(1)))[0]
    codes = 3.0 * x.flatten(1) @ rotation + 7.0  # an isometry, scaled and shifted
    assert float(isometry_loss(codes, x)) < 1e-10
    assert float(isometry_loss(torch.randn(6, 4), x)) > 1e-2
    assert float(isometry_loss(torch.randn(1, 4), x[:1])) == 0.0


def test_hand_computed_value_and_mask():
    x = _batch(4)
    codes = torch.randn(4, 3, generator=torch.Generator().manual_seed(2))
    pairs = [(i, j) for i in range(4) for j in range(4) if i != j]
    dx = np.array([float((x[i] - x[j]).norm()) for i, j in pairs])
    dz = np.array([float((codes[i] - codes[j]).norm()) for i, j in pairs])
    expected = np.mean((dz / dz.mean() - dx / dx.mean()) ** 2)
    assert float(isometry_loss(codes, x)) == pytest.approx(expected, rel=1e-5)
    # masked entries count as 0: the same as zeroing them
    mask = torch.rand(x.shape, generator=torch.Generator().manual_seed(3)) > 0.3
    assert float(isometry_loss(codes, x, mask)) == pytest.approx(
        float(isometry_loss(codes, torch.where(mask, x, 0.0))), rel=1e-6)


def test_gradient_is_finite_with_equal_codes():
    codes = torch.zeros(3, 4, requires_grad=True)
    isometry_loss(codes, _batch(3)).backward()
    assert torch.isfinite(codes.grad).all()


def test_criterion_adds_the_weighted_term():
    x = _batch()
    module = RecurrentAutoencoder(2, 5, 4, isometry=1.0)
    output = module(x)  # the code comes back because the term needs it
    assert output.code is not None
    plain = AutoencoderLoss()(output, x)
    loss = AutoencoderLoss(isometry=2.0)
    total = loss(output, x).detach()
    assert float(total) == pytest.approx(
        float(plain.detach()) + 2.0 * float(isometry_loss(output.code, x).detach()), rel=1e-6)
    assert set(loss.terms_) == {"reconstruction", "isometry"}
    assert isinstance(RecurrentAutoencoder(2, 5, 4)(x), torch.Tensor)
    # a training term only: in evaluation (validation loss) the plain reconstruction
    assert isinstance(module.eval()(x), torch.Tensor)
