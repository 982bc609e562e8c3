"""The prediction heads' layers."""

import numpy as np
import torch
from sklearn.kernel_approximation import Nystroem

from seqae.modules.heads import EncoderHead, OneVsOneVotes, RBFFeatures


def test_rbf_features_are_the_nystroem_map():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))
    nystroem = Nystroem(gamma=0.3, n_components=40, random_state=0).fit(X)
    layer = RBFFeatures(40, 5)
    with torch.no_grad():
        layer.anchors.copy_(torch.as_tensor(nystroem.components_))
        layer.gamma.fill_(0.3)
        layer.normalization.copy_(torch.as_tensor(nystroem.normalization_.T))
    new = rng.standard_normal((7, 5))
    np.testing.assert_allclose(layer(torch.as_tensor(new, dtype=torch.float32)).numpy(),
                               nystroem.transform(new), atol=1e-4)
    # buffers, not parameters: fine-tuning does not move the kernel
    assert not list(layer.parameters()) and len(list(layer.buffers())) == 3


class _Encoder(torch.nn.Module):
    def encode(self, x, lengths=None):
        return x[:, :, 0]


def test_encoder_head_reads_the_kernel_features():
    head = EncoderHead(_Encoder(), n_components=3, n_outputs=2, n_kernel_features=4,
                       reconstruct=False).eval()
    assert head.head.in_features == 4 and head.kernel.anchors.shape == (4, 3)
    x = torch.randn(6, 3, 1)
    np.testing.assert_allclose(head.predict(x).detach(),
                               head.head(head.kernel(x[:, :, 0])).detach())
    assert EncoderHead(_Encoder(), 3, 2).kernel is None


def test_one_vs_one_votes_are_the_svc_decision_function():
    """OneVsOneVotes turns an SVC's one-vs-one decision values into its one-vs-rest
    decision_function, whose argmax is SVC(break_ties=True)'s prediction."""
    from sklearn.svm import SVC

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = rng.integers(0, 4, 120)
    X[:, 0] += y
    ovo = SVC(decision_function_shape="ovo").fit(X, y).decision_function(X)
    ovr = SVC(break_ties=True).fit(X, y)
    scores = OneVsOneVotes(4).double()(torch.as_tensor(ovo)).numpy()
    np.testing.assert_allclose(scores, ovr.decision_function(X), atol=1e-12)
    np.testing.assert_array_equal(scores.argmax(1), ovr.predict(X))
