"""DTCR's clustering terms: the k-means term, the fake samples, the real-vs-fake head."""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from seqae.modules import (AutoencoderLoss, KMeansAutoencoderLoss, RealFakeHead,
                           SeqAEOutput, cluster_indicator, fake_sequences, kmeans_loss)


def _grouped_codes(n_groups, per_group, n_components, spread, seed=0):
    generator = torch.Generator().manual_seed(seed)
    centres = torch.randn(n_groups, n_components, generator=generator)
    codes = centres.repeat_interleave(per_group, dim=0)
    return codes + spread * torch.randn(codes.shape, generator=generator)


def test_kmeans_loss_is_zero_on_codes_along_k_directions_and_grows_with_the_spread():
    tight = _grouped_codes(3, 8, 6, spread=0.0)
    loose = _grouped_codes(3, 8, 6, spread=0.5)
    assert kmeans_loss(tight, 3).item() < 1e-5
    assert kmeans_loss(loose, 3).item() > 0.01
    # Too few clusters for three groups: energy is left outside the subspace.
    assert kmeans_loss(tight, 2).item() > 0.01


def test_kmeans_loss_ignores_the_scale_of_the_codes():
    codes = _grouped_codes(2, 10, 4, spread=0.3)
    torch.testing.assert_close(kmeans_loss(codes, 2), kmeans_loss(10.0 * codes, 2))


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 12), n_components=st.integers(1, 6), n_clusters=st.integers(1, 5),
       seed=st.integers(0, 1000))
def test_kmeans_loss_is_a_share_in_0_1(batch, n_components, n_clusters, seed):
    codes = torch.randn(batch, n_components, generator=torch.Generator().manual_seed(seed))
    value = kmeans_loss(codes, n_clusters).item()
    assert -1e-5 <= value <= 1 + 1e-5
    if batch <= n_clusters:
        assert value == 0.0


def test_cluster_indicator_has_orthonormal_columns_spanning_the_groups():
    codes = _grouped_codes(3, 5, 6, spread=0.0)
    indicator = cluster_indicator(codes, 3)
    assert indicator.shape == (15, 3)
    torch.testing.assert_close(indicator.T @ indicator, torch.eye(3), atol=1e-5, rtol=0)
    assert not indicator.requires_grad


def test_kmeans_loss_gradient_pulls_codes_of_a_group_together():
    codes = _grouped_codes(2, 6, 4, spread=0.4).requires_grad_(True)
    optimizer = torch.optim.SGD([codes], lr=0.5)
    before = kmeans_loss(codes, 2).item()
    for _ in range(20):
        optimizer.zero_grad()
        kmeans_loss(codes, 2).backward()
        optimizer.step()
    assert kmeans_loss(codes, 2).item() < 0.5 * before


def test_fake_sequences_permute_steps_within_each_sequence_only():
    torch.manual_seed(0)
    x = torch.arange(60.0).view(3, 20, 1).repeat(1, 1, 2)
    lengths = torch.tensor([20, 12, 5])
    fake = fake_sequences(x, fraction=0.5, lengths=lengths)
    for i, length in enumerate(lengths.tolist()):
        # The same values (a permutation of the sequence's own steps) ...
        assert torch.equal(fake[i, :length, 0].sort().values, x[i, :length, 0])
        assert torch.equal(fake[i, length:], x[i, length:])  # padding untouched
    assert not torch.equal(fake[0], x[0])  # ... in another order
    torch.testing.assert_close(fake[..., 0], fake[..., 1])  # every feature alike
    assert torch.equal(fake_sequences(x, fraction=0.0), x)


def test_real_fake_head_learns_to_tell_real_from_fake_codes():
    torch.manual_seed(0)
    head = RealFakeHead(4, hidden_size=16)
    real, fake = torch.randn(32, 4) + 2.0, torch.randn(32, 4) - 2.0
    optimizer = torch.optim.Adam(head.parameters(), lr=1e-2)
    first = head(real, fake).item()
    for _ in range(100):
        optimizer.zero_grad()
        loss = head(real, fake)
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.1 < first


def test_kmeans_autoencoder_loss_adds_the_weighted_term_to_the_plain_loss():
    torch.manual_seed(0)
    target = torch.randn(8, 5, 2)
    reconstruction = target + 0.1 * torch.randn_like(target)
    code = torch.randn(8, 4)
    y_pred = SeqAEOutput(reconstruction, None, code, None)
    plain = AutoencoderLoss()(y_pred, target)
    extended = KMeansAutoencoderLoss(kmeans=0.5, n_clusters=2)(y_pred, target)
    torch.testing.assert_close(extended, plain + 0.5 * kmeans_loss(code, 2))
    # No code in the output (e.g. validation without return_code): the plain loss.
    torch.testing.assert_close(KMeansAutoencoderLoss(kmeans=0.5)(reconstruction, target),
                               AutoencoderLoss()(reconstruction, target))
    torch.testing.assert_close(KMeansAutoencoderLoss(kmeans=0.0)(y_pred, target), plain)
