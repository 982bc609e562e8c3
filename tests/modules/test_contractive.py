"""The contractive penalty (``jacobian_penalty``): each test fails if it is mis-wired."""

import torch

from seqae.modules import AutoencoderLoss, RecurrentAutoencoder, SeqAEOutput, jacobian_norm_sq


def _tiny(**kwargs):
    torch.manual_seed(0)
    return RecurrentAutoencoder(2, 5, 3, readout="mean+max", **kwargs).double()


def _finite_difference_norm_sq(encode, x, mask=None, eps=1e-6):
    """Per-sequence ||d code / d x||_F^2 by central differences, one input entry at a time
    (only the entries where mask is True)."""
    total = torch.zeros(len(x), dtype=torch.float64)
    for index in range(x[0].numel()):
        step = torch.zeros_like(x).view(len(x), -1)
        step[:, index] = eps
        step = step.view_as(x)
        column = (encode(x + step) - encode(x - step)) / (2 * eps)  # (batch, n_C)
        observed = (torch.ones(len(x), dtype=torch.bool) if mask is None
                    else mask.view(len(x), -1)[:, index])
        total += torch.where(observed, column.pow(2).sum(1), 0.0)
    return total


def test_exact_norm_equals_finite_differences_with_masks_and_ragged_sequences():
    model = _tiny().eval()
    x = torch.randn(3, 5, 2, dtype=torch.float64)
    lengths = torch.tensor([5, 3, 4])
    mask = torch.rand(3, 5, 2) > 0.3
    for given_lengths, given_mask in [(None, None), (lengths, None), (None, mask),
                                      (lengths, mask)]:
        def encode(inputs):
            return model.encode(inputs, given_lengths)
        leaf = x.clone().requires_grad_()
        exact = jacobian_norm_sq(encode(leaf), leaf, given_mask, exact=True)
        expected = _finite_difference_norm_sq(encode, x, given_mask)
        torch.testing.assert_close(exact, expected, rtol=1e-6, atol=1e-9)
        assert (exact > 0).all()
    # a sequence's padded steps do not move its code: the ragged norm needs no mask
    leaf = x.clone().requires_grad_()
    code = model.encode(leaf, lengths)
    (grad,) = torch.autograd.grad(code, leaf, torch.ones_like(code))
    assert (grad[1, 3:] == 0).all() and (grad[2, 4:] == 0).all()


def test_hutchinson_estimate_is_unbiased():
    model = _tiny().eval()
    x = torch.randn(2, 5, 2, dtype=torch.float64).requires_grad_()
    code = model.encode(x)
    exact = jacobian_norm_sq(code, x, exact=True)
    torch.manual_seed(1)
    estimate = jacobian_norm_sq(code, x, n_projections=300)
    # relative standard deviation at most sqrt(2 / 300) = 0.08 (a rank-one Jacobian)
    torch.testing.assert_close(estimate, exact, rtol=0.3, atol=0)
    assert not torch.allclose(estimate, exact, rtol=1e-3)  # an estimate, not the norm


def test_forward_returns_the_penalty_of_the_observed_inputs_and_it_trains():
    model = _tiny(jacobian_penalty=0.5, jacobian_projections=300).train()
    x = torch.randn(3, 5, 2, dtype=torch.float64)
    mask = torch.rand(3, 5, 2) > 0.3
    torch.manual_seed(2)
    out = model(x, mask=mask)
    assert isinstance(out, SeqAEOutput) and out.jacobian.shape == (3,)
    model.eval()
    expected = _finite_difference_norm_sq(model.encode, x, mask)
    torch.testing.assert_close(out.jacobian.detach(), expected, rtol=0.3, atol=0)
    # the criterion adds jacobian_penalty times its batch mean, differentiably
    criterion = AutoencoderLoss(jacobian_penalty=0.5)
    plain = AutoencoderLoss()(out, x)
    torch.testing.assert_close(criterion(out, x), plain + 0.5 * out.jacobian.mean())
    out.jacobian.mean().backward()
    assert model.encoder.rnn.weight_hh_l0.grad.abs().sum() > 0
    # off by default, and never at inference: no extra output, no extra work
    assert isinstance(_tiny().train()(x), torch.Tensor)
    assert isinstance(model.eval()(x), torch.Tensor)
