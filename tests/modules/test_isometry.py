"""The distance-preserving term (``isometry``): its value, and the criterion's use of it."""

import numpy as np
import pytest
import torch

from seqae.modules import AutoencoderLoss, RecurrentAutoencoder
from seqae.modules import losses
from seqae.modules.losses import isometry_loss, shape_based_distances


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


def _sbd_reference(a, b):
    """sqrt(SBD) of two (time, features) arrays by brute force over every lag."""
    a = (a - a.mean(0)) / a.std(0)
    b = (b - b.mean(0)) / b.std(0)
    # every lag at once ('full'), the features' cross-correlations summed
    best = sum(np.correlate(a[:, c], b[:, c], mode="full") for c in range(a.shape[1])).max()
    return np.sqrt(max(0.0, 1 - best / (np.linalg.norm(a) * np.linalg.norm(b))))


def test_shape_based_distances_match_a_brute_force_reference(monkeypatch):
    x = _batch(4, steps=7).double()
    d = shape_based_distances(x)
    expected = np.array([[_sbd_reference(x[i].numpy(), x[j].numpy()) for j in range(4)]
                         for i in range(4)])
    np.testing.assert_allclose(d.numpy(), expected, atol=1e-7)
    assert d.dtype == torch.float64 and not d.requires_grad
    # blocks of rows give the same distances as one block
    monkeypatch.setattr(losses, "_SBD_BLOCK", 1)
    np.testing.assert_allclose(shape_based_distances(x).numpy(), expected, atol=1e-7)


def test_shape_based_distances_ignore_offset_scale_and_shift_and_read_the_mask():
    x = _batch(3, steps=12, features=1).double()
    shifted = torch.zeros_like(x)
    shifted[:, 3:] = x[:, :-3]  # the same shape three steps later
    both = torch.cat([x, 5.0 * x - 2.0, shifted])
    d = shape_based_distances(both)
    assert float(d[0, 3]) < 1e-6  # offset and scale
    assert float(torch.linalg.eigvalsh(d[:3, :3]).abs().min()) > 0  # different shapes differ
    # shifted[0] is x[0] cut by three steps: close to x[0], unlike x[1]
    assert float(d[0, 6]) < 0.5 * float(d[0, 1])
    # a ragged batch (padding masked out): the distances of the sequences cut to their length
    mask = torch.ones_like(x, dtype=torch.bool)
    mask[1, 8:] = False
    padded = torch.where(mask, x, torch.full_like(x, 9.0))
    ragged = shape_based_distances(padded, mask)
    assert float(ragged[0, 1]) == pytest.approx(
        _sbd_reference(x[0].numpy(), x[1, :8].numpy()), abs=1e-7)


def test_isometry_loss_with_sbd():
    x = _batch(5, steps=9)
    codes = torch.randn(5, 3, generator=torch.Generator().manual_seed(4))
    d_x = shape_based_distances(x)
    pairs = ~torch.eye(5, dtype=torch.bool)
    d_z = torch.cdist(codes.double(), codes.double())[pairs]
    expected = ((d_z / d_z.mean() - d_x[pairs] / d_x[pairs].mean()) ** 2).mean()
    sbd = isometry_loss(codes, x, metric="sbd")
    assert float(sbd) == pytest.approx(float(expected), rel=1e-5)
    assert float(sbd) != pytest.approx(float(isometry_loss(codes, x)), rel=1e-3)
    # offset and scale of each sequence do not change the term
    assert float(isometry_loss(codes, 3.0 * x + 1.0, metric="sbd")) == pytest.approx(
        float(sbd), rel=1e-5)
    with pytest.raises(ValueError, match="unknown metric"):
        isometry_loss(codes, x, metric="dtw")


def test_criterion_reads_isometry_metric():
    x = _batch()
    output = RecurrentAutoencoder(2, 5, 4, isometry=1.0)(x)
    plain = float(AutoencoderLoss()(output, x).detach())
    total = AutoencoderLoss(isometry=2.0, isometry_metric="sbd")(output, x).detach()
    assert float(total) == pytest.approx(
        plain + 2.0 * float(isometry_loss(output.code, x, metric="sbd").detach()), rel=1e-6)
    with pytest.raises(ValueError, match="unknown isometry_metric"):
        AutoencoderLoss(isometry_metric="dtw")


def test_sbd_is_finite_for_constant_and_unobserved_sequences():
    x = _batch(4, steps=6)
    x[1] = 2.5  # constant: nothing to z-normalise
    mask = torch.ones_like(x, dtype=torch.bool)
    mask[2] = False  # no observed step at all
    d = shape_based_distances(x, mask)
    assert torch.isfinite(d).all()
    assert float(d[0, 1]) == pytest.approx(1.0)  # no shape in common: sqrt(1 - 0)
    codes = torch.zeros(4, 3, requires_grad=True)
    isometry_loss(codes, x, mask, metric="sbd").backward()
    assert torch.isfinite(codes.grad).all()


def test_distance_cache_matches_the_direct_computation_and_computes_each_pair_once(
        monkeypatch):
    """Batches that share sequences (as a fit's shuffled batches do): the cached distances
    equal the direct ones off the diagonal (0 on it), with and without a mask, and a pair
    already met is not computed again."""
    generator = torch.Generator().manual_seed(5)
    x = torch.randn(40, 12, 2, generator=generator)
    mask = torch.rand(40, 12, 2, generator=generator) > 0.25
    cache = losses.ShapeDistanceCache()
    computed = []
    spectra = losses._sbd_spectra
    monkeypatch.setattr(losses, "_sbd_spectra",
                        lambda rows, m: computed.append(len(rows)) or spectra(rows, m))
    off = ~torch.eye(15, dtype=torch.bool)
    for trial in range(4):
        rows = torch.randperm(40, generator=generator)[:15]
        for batch_mask in (None, mask[rows]):
            direct = shape_based_distances(x[rows], batch_mask)
            cached = cache(x[rows], batch_mask)
            assert cached.dtype == torch.float64
            torch.testing.assert_close(cached[off], direct[off], rtol=1e-12, atol=1e-12)
            assert (cached.diagonal() == 0).all()
    # a sequence is known by its values and its mask: 40 x 2 of them met at most
    assert len(cache._slots) <= 80
    computed.clear()
    rows = torch.randperm(40, generator=generator)[:15]
    cache(x[rows])
    before = len(computed)
    again = cache(x[rows.flip(0)])  # the same sequences in another order: nothing computed
    assert len(computed) == before
    torch.testing.assert_close(again, cache(x[rows]).flip(0).flip(1))
    cache.clear()
    assert cache._slots == {} and cache._distances.numel() == 0


def test_distance_cache_beyond_its_capacity_computes_directly():
    x = _batch(12, steps=7)
    cache = losses.ShapeDistanceCache(capacity=8)
    first = cache(x[:6])
    assert len(cache._slots) == 6
    over = cache(x[4:12])  # 6 new sequences would make 12 > 8: the whole batch directly
    assert len(cache._slots) == 6
    torch.testing.assert_close(over, shape_based_distances(x[4:12]))
    torch.testing.assert_close(first[~torch.eye(6, dtype=torch.bool)],
                               shape_based_distances(x[:6])[~torch.eye(6, dtype=torch.bool)])


def test_criterion_uses_its_cache_and_drops_it_when_pickled():
    import pickle

    x = _batch(6, steps=8)
    output = RecurrentAutoencoder(2, 8, 4, isometry=1.0)(x)
    criterion = AutoencoderLoss(isometry=2.0, isometry_metric="sbd")
    plain = float(AutoencoderLoss()(output, x).detach())
    total = criterion(output, x).detach()
    assert len(criterion.distance_cache._slots) == 6  # the batch went through the cache
    assert float(total) == pytest.approx(
        plain + 2.0 * float(isometry_loss(output.code, x, metric="sbd").detach()), rel=1e-6)
    restored = pickle.loads(pickle.dumps(criterion))
    assert restored.distance_cache._slots == {}  # not state: recomputed when needed
    assert float(restored(output, x).detach()) == pytest.approx(float(total), rel=1e-6)
