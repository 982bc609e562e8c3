import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from seqae.modules.bridges import (ConvBridge, RepeatVector, SequenceReshape, StretchReshape,
                                   ZeroInput, make_bridge, sequence_reshape,
                                   sequence_unreshape, stretch_matrix)


@settings(max_examples=50, deadline=None)
@given(batch=st.integers(1, 4), n_steps=st.integers(1, 12), lam=st.integers(1, 6))
def test_eq1_reshape_matches_definition_and_inverts(batch, n_steps, lam):
    code = torch.randn(batch, n_steps * lam)
    seq = sequence_reshape(code, n_steps)
    assert seq.shape == (batch, n_steps, lam)
    for i in range(n_steps):
        for j in range(lam):  # c'(i)_j = c(i * lambda + j)
            assert torch.equal(seq[:, i, j], code[:, i * lam + j])
    assert torch.equal(sequence_unreshape(seq), code)
    assert torch.equal(sequence_reshape(sequence_unreshape(seq), n_steps), seq)


def test_eq1_rejects_non_multiple():
    with pytest.raises(ValueError, match="multiple"):
        sequence_reshape(torch.zeros(2, 7), 3)
    with pytest.raises(ValueError, match="multiple"):
        SequenceReshape(7, 3)


@settings(max_examples=50, deadline=None)
@given(n_components=st.integers(1, 30), extra=st.integers(0, 30))
def test_stretch_matrix_places_values_and_fills_gaps_with_averages(n_components, extra):
    length = n_components + extra
    matrix = stretch_matrix(n_components, length).numpy()
    assert matrix.shape == (length, n_components)
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)  # every slot is an average
    code = np.random.default_rng(0).normal(size=n_components)
    stretched = matrix @ code
    if n_components > 1:
        # every value appears, in order, at its own slot; the ends are kept
        slots = [int(np.flatnonzero(matrix[:, k] == 1.0)[0]) for k in range(n_components)]
        assert slots == sorted(slots) and slots[0] == 0 and slots[-1] == length - 1
        np.testing.assert_allclose(stretched[slots], code)
        for k in range(n_components - 1):  # gaps hold the neighbours' average
            gap = stretched[slots[k] + 1:slots[k + 1]]
            np.testing.assert_allclose(gap, (code[k] + code[k + 1]) / 2)
    else:
        np.testing.assert_allclose(stretched, code[0])


def test_stretch_reshape_equals_eq1_for_multiples():
    code = torch.randn(3, 12)
    assert torch.equal(StretchReshape(12, 4)(code), SequenceReshape(12, 4)(code))
    out = StretchReshape(10, 4)(code[:, :10])
    assert out.shape == (3, 4, 3)


def test_repeat_vector_repeats_without_copy():
    code = torch.randn(2, 5)
    seq = RepeatVector(5, 7)(code)
    assert seq.shape == (2, 7, 5)
    assert all(torch.equal(seq[:, t], code) for t in range(7))
    assert seq.data_ptr() == code.data_ptr()


@pytest.mark.parametrize("kernel_size,pool_size", [(3, 3), (2, 4), (1, 1), (5, 2)])
def test_conv_bridge_transposes_channels_into_steps(kernel_size, pool_size):
    torch.manual_seed(0)
    bridge = ConvBridge(9, 4, kernel_size=kernel_size, pool_size=pool_size)
    code = torch.randn(3, 9)
    out = bridge(code)
    assert out.shape == (3, 4, 9)  # n_Y = 4 steps, n_C = 9 features each
    assert bridge.n_step_features == 9
    # step i is filter i alone (Eq. 2 then the paper's transpose), here with a ones-weight
    # filter on step 2 only: max-pooling of a moving sum
    with torch.no_grad():
        bridge.conv.weight.zero_()
        bridge.conv.bias.zero_()
        bridge.conv.weight[2] = 1.0
    out = bridge(code).detach()
    assert torch.count_nonzero(out[:, [0, 1, 3]]) == 0
    padded = torch.nn.functional.pad(code, ((kernel_size - 1) // 2, kernel_size // 2))
    summed = padded.unfold(1, kernel_size, 1).sum(-1)
    left = (pool_size - 1) // 2
    pooled = torch.nn.functional.pad(summed, (left, pool_size - 1 - left), value=-np.inf)
    expected = pooled.unfold(1, pool_size, 1).max(-1).values
    torch.testing.assert_close(out[:, 2], expected)


def test_zero_input_and_factory():
    assert torch.count_nonzero(ZeroInput(4, 6)(torch.randn(2, 4))) == 0
    assert isinstance(make_bridge("conv", 5, 3, kernel_size=2), ConvBridge)
    with pytest.raises(ValueError, match="unknown bridge"):
        make_bridge("nope", 5, 3)
