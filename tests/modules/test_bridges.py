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


def eq2_by_hand(code, weight, bias, pool_size):
    """RAESC's bridge written out from the paper, with loops, in float64.

    Eq. 2 (cross-correlation, as Keras' Conv1D): filter ``f`` at position ``i`` of the
    one-channel code ``c`` (length n_C) is ``b_f + sum_k c[i + k - before] w_f[k]``, with the
    code zero outside ``0 .. n_C - 1`` ('same' padding: ``before = (K - 1) // 2``, TensorFlow's
    split of the ``K - 1`` padded values). Max-pooling, stride 1, 'same': position ``i`` is the
    maximum of the positions ``i - (P - 1) // 2 .. i + P // 2`` that exist. The paper then
    *transposes* the (n_C, n_Y) channels-last result, so that decoder step ``f`` holds filter
    ``f``'s n_C values ("each channel becomes an element of the sequence").
    The paper fixes neither padding nor pooling stride; both are chosen to keep n_C values.
    """
    code, weight, bias = (np.asarray(a, dtype=np.float64) for a in (code, weight, bias))
    n_batch, n_c = code.shape
    n_y, kernel = weight.shape
    before = (kernel - 1) // 2
    out = np.empty((n_batch, n_y, n_c))
    for b in range(n_batch):
        channels_last = np.zeros((n_c, n_y))  # C'' of Eq. 2 in Keras' layout
        for i in range(n_c):
            for f in range(n_y):
                total = bias[f]
                for k in range(kernel):
                    j = i + k - before
                    if 0 <= j < n_c:
                        total += code[b, j] * weight[f, k]
                channels_last[i, f] = total
        pooled = np.empty_like(channels_last)
        for i in range(n_c):
            window = range(max(0, i - (pool_size - 1) // 2), min(n_c, i + pool_size // 2 + 1))
            pooled[i] = channels_last[list(window)].max(axis=0)
        out[b] = pooled.T  # the paper's transpose: (n_C, n_Y) -> (n_Y, n_C)
    return out


@pytest.mark.parametrize("n_components,n_steps,kernel_size,pool_size",
                         [(9, 4, 3, 3), (9, 4, 2, 4), (7, 5, 1, 1), (6, 3, 5, 2), (5, 8, 4, 3)])
def test_conv_bridge_is_eq2_then_the_papers_transpose(n_components, n_steps, kernel_size,
                                                      pool_size):
    torch.manual_seed(0)
    bridge = ConvBridge(n_components, n_steps, kernel_size=kernel_size, pool_size=pool_size)
    code = torch.randn(3, n_components)
    out = bridge(code).detach().double().numpy()
    assert out.shape == (3, n_steps, n_components)  # n_Y steps of n_C features
    assert bridge.n_step_features == n_components
    weight = bridge.conv.weight.detach()[:, 0, :].numpy()  # (n_Y, 1, K) -> (n_Y, K)
    expected = eq2_by_hand(code.numpy(), weight, bridge.conv.bias.detach().numpy(), pool_size)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    # not the authors' Keras code, which reshapes the (n_C, n_Y) result instead of
    # transposing it (mixing filters within a decoder step)
    reshaped = expected.transpose(0, 2, 1).reshape(3, n_steps, n_components)
    assert not np.allclose(out, reshaped)


def test_zero_input_and_factory():
    assert torch.count_nonzero(ZeroInput(4, 6)(torch.randn(2, 4))) == 0
    assert isinstance(make_bridge("conv", 5, 3, kernel_size=2), ConvBridge)
    with pytest.raises(ValueError, match="unknown bridge"):
        make_bridge("nope", 5, 3)
