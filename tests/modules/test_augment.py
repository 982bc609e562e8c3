"""The contrastive term's views and InfoNCE."""

import math

import torch

from seqae.modules import RandomView, info_nce


def test_view_is_a_stretched_sub_series_of_each_sequence_own_steps():
    torch.manual_seed(0)
    view = RandomView(min_fraction=0.5, gain=0.0, jitter=0.0)
    x = torch.arange(40.0).view(4, 10, 1).repeat(1, 1, 2)  # increasing in time
    lengths = torch.tensor([10, 6, 3, 10])
    x_padded = x.clone()
    for i, length in enumerate(lengths):
        x_padded[i, length:] = 1e6  # padding must not leak into the view
    out, out_lengths = view(x_padded, lengths)
    assert out_lengths is lengths
    for i, length in enumerate(lengths.tolist()):
        inside = out[i, :length, 0]
        low, high = x[i, 0, 0], x[i, length - 1, 0]
        assert (inside >= low).all() and (inside <= high).all()  # within the sequence
        assert (inside[1:] >= inside[:-1]).all()  # order kept (a stretched window)
        span = inside[-1] - inside[0]
        assert span >= 0.5 * (high - low) - 1e-4  # covers at least min_fraction
        assert torch.equal(out[i, length:], x_padded[i, length:])  # padding untouched
    torch.testing.assert_close(out[..., 0], out[..., 1])  # same window for every feature


def test_view_gain_and_jitter_change_the_values():
    torch.manual_seed(0)
    x = torch.ones(3, 50, 1)
    out, _ = RandomView(min_fraction=1.0, gain=0.5, jitter=0.1)(x)
    per_sequence_level = out.mean(dim=1)
    assert per_sequence_level.std() > 0.05  # a gain per sequence (and feature)
    assert (out - per_sequence_level[:, None]).std() > 0.05  # and jitter per entry


def test_info_nce_rewards_matching_pairs():
    torch.manual_seed(0)
    code = torch.randn(8, 5)
    matched = info_nce(code, code)
    shuffled = info_nce(code, code[torch.randperm(8)])
    assert matched < shuffled
    assert info_nce(code, -code) > math.log(8)  # opposite views are worse than chance
    assert info_nce(code[:1], code[:1]) == 0  # no negatives, nothing to learn


def test_crop_view_is_an_unstretched_window_of_its_own_length():
    torch.manual_seed(0)
    view = RandomView(min_fraction=0.5, gain=0.0, jitter=0.0, mode="crop")
    x = torch.arange(30.0).view(3, 10, 1)
    lengths = torch.tensor([10, 6, 3])
    out, out_lengths = view(x, lengths)
    for i, (length, window) in enumerate(zip(lengths.tolist(), out_lengths.tolist())):
        assert (length + 1) // 2 <= window <= length  # at least min_fraction of it
        steps = out[i, :window, 0]
        assert torch.equal(steps[1:] - steps[:-1], torch.ones(window - 1))  # consecutive
        assert x[i, 0, 0] <= steps[0] and steps[-1] <= x[i, length - 1, 0]  # inside it
        assert (out[i, window:] == 0).all()  # then zeros


def test_mask_view_zeroes_steps_and_keeps_the_rest():
    torch.manual_seed(0)
    view = RandomView(keep=0.7, gain=0.0, jitter=0.0, mode="mask")
    x = torch.ones(4, 200, 2)
    out, out_lengths = view(x)
    assert out_lengths is None
    kept = out[..., 0] != 0
    assert torch.equal(out[..., 0], out[..., 1])  # whole steps are masked
    assert 0.6 < kept.float().mean() < 0.8
    assert (out[kept] == 1).all()  # the kept steps are unchanged


def test_info_nce_groups_large_batches():
    torch.manual_seed(0)
    code, view_code = torch.randn(10, 4), torch.randn(10, 4)
    # a batch up to the group size is one group: every other sequence is a negative
    assert torch.allclose(info_nce(code, view_code, group_size=10),
                          info_nce(code, view_code, group_size=256))
    # larger batches: the mean over groups of (nearly) equal size, weighted by their size
    groups = (slice(0, 4), slice(4, 7), slice(7, 10))
    expected = sum((g.stop - g.start) * info_nce(code[g], view_code[g]) for g in groups) / 10
    assert torch.allclose(info_nce(code, view_code, group_size=4), expected)
