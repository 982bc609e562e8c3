"""MiniRocket's features as a fixed layer (``seqae.modules.rocket``)."""

import numpy as np
import pytest
import torch

from seqae.modules.rocket import KERNEL_POSITIONS, MiniRocketFeatures, _dilations, resample


def _ppv_by_hand(series, positions, dilation, bias, padded):
    """The PPV of one univariate kernel, computed step by step with numpy."""
    weights = -np.ones(9)
    weights[list(positions)] = 2.0
    n, half = len(series), 4 * dilation
    padded_series = np.r_[np.zeros(half), series, np.zeros(half)]
    outputs = np.array([sum(weights[j] * padded_series[t + j * dilation] for j in range(9))
                        for t in range(n)])
    if not padded:
        outputs = outputs[half:n - half]
    return np.mean(outputs > bias)


def test_features_are_the_papers_ppv():
    """Each feature is the proportion of the kernel's output above its bias, on the padded
    output or its valid part by turns (kernel and dilation), as the paper computes it."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 40, 1)).cumsum(1)
    layer = MiniRocketFeatures(40, 1, n_features=840).fit(
        torch.as_tensor(X, dtype=torch.float32), torch.Generator().manual_seed(0))
    assert layer.dilations == [1, 2, 3, 4] and layer.counts == [4, 3, 1, 2]
    with torch.no_grad():
        features = layer(torch.as_tensor(X, dtype=torch.float32)).numpy()
    assert features.shape == (6, 840) == (6, layer.n_features_out)
    assert ((features >= 0) & (features <= 1)).all() and features.std() > 0.1
    # the layout: per dilation, the padded kernels' biases then the valid kernels'
    column = 0
    for i, (dilation, count) in enumerate(zip(layer.dilations, layer.counts)):
        biases = getattr(layer, f"biases_{i}").numpy()
        first = 0 if i % 2 == 0 else 1
        for padded, kernels in ((True, range(first, 84, 2)), (False, range(1 - first, 84, 2))):
            for j in range(count):
                for k in kernels:
                    if k in (0, 83) or (k == 41 and j == 0):  # a sample of the columns
                        expected = [_ppv_by_hand(x[:, 0], KERNEL_POSITIONS[k], dilation,
                                                 biases[k, j], padded) for x in X]
                        ordinal = list(kernels).index(k)
                        np.testing.assert_allclose(features[:, column + ordinal], expected,
                                                   atol=1e-6)
                column += len(kernels)
    assert column == 840


def test_dilations_follow_the_length():
    """Dilations spaced exponentially up to (n_steps - 1) / 8, features per kernel shared
    out by how often each dilation is drawn; 9,996 features for the paper's 10,000."""
    dilations, counts = _dilations(500, 10_000, 32)
    assert dilations[0] == 1 and dilations[-1] == 62 == (500 - 1) // 8
    assert sum(counts) == 119 and counts[0] > counts[-1]
    assert MiniRocketFeatures(500, 1).n_features_out == 9996
    with pytest.raises(ValueError, match="at least 9"):
        MiniRocketFeatures(8, 1)


def test_fit_draws_from_its_generator_and_reads_channel_subsets():
    """The biases are quantiles of training outputs drawn with the generator: the same seed
    gives the same layer, another seed another; with several channels each kernel reads
    a random subset of them (at most 9)."""
    X = torch.as_tensor(np.random.default_rng(1).standard_normal((10, 30, 12)),
                        dtype=torch.float32)

    def fitted(seed):
        return MiniRocketFeatures(30, 12, n_features=168).fit(
            X, torch.Generator().manual_seed(seed)).state_dict()

    same, again, other = fitted(0), fitted(0), fitted(1)
    assert all(torch.equal(same[k], again[k]) for k in same)
    assert not torch.equal(same["biases_0"], other["biases_0"])
    channels = same["channels_0"].sum(1)
    assert channels.min() >= 1 and channels.max() <= 9 and len(set(channels.tolist())) > 1


def test_resample_is_numpy_interp_of_each_sequence():
    """Each sequence's first ``length`` steps (the rest padding) linearly resampled to
    ``n_steps``, as numpy.interp on an even grid; a sequence of one step is constant."""
    rng = np.random.default_rng(0)
    lengths, padded = [5, 9, 12, 1], np.zeros((4, 12, 2))
    sequences = [rng.standard_normal((n, 2)) for n in lengths]
    for i, x in enumerate(sequences):
        padded[i, :len(x)] = x
    out = resample(torch.as_tensor(padded), torch.as_tensor(lengths), 20).numpy()
    grid = np.linspace(0, 1, 20)
    expected = np.stack([np.stack([np.interp(grid, np.linspace(0, 1, len(x)), x[:, j])
                                   for j in range(2)], 1) for x in sequences])
    np.testing.assert_allclose(out, expected, atol=1e-12)
