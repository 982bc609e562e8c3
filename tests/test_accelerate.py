"""The documented multi-GPU recipe: seqae's modules under skorch's Accelerate integration.

On the CPU this checks the wiring (the module trains through ``AccelerateMixin`` with
bf16 autocast, is unwrapped after training, and encodes); the data-parallel part needs
several GPUs and ``accelerate launch``.
"""

import numpy as np
import pytest
import torch
from torch import nn

from seqae.modules import RecurrentAutoencoder

accelerate = pytest.importorskip("accelerate")
from skorch import NeuralNet  # noqa: E402
from skorch.hf import AccelerateMixin  # noqa: E402


class AcceleratedNet(AccelerateMixin, NeuralNet):
    """A skorch net trained by Hugging Face Accelerate (the user guide's recipe)."""


def test_seqae_module_trains_under_accelerate_on_cpu(sines):
    X = torch.tensor(sines, dtype=torch.float32)
    net = AcceleratedNet(
        RecurrentAutoencoder,
        module__n_features=2, module__n_timesteps=8, module__n_components=4,
        module__bridge="conv",
        criterion=nn.MSELoss, optimizer=torch.optim.Adam, lr=1e-2, max_epochs=4,
        batch_size=8, train_split=None, iterator_train__shuffle=False,
        accelerator=accelerate.Accelerator(cpu=True, mixed_precision="bf16"),
        verbose=0,
    )
    with torch.random.fork_rng():
        torch.manual_seed(0)
        net.fit(X, X)
    losses = net.history[:, "train_loss"]
    assert len(losses) == 4 and losses[-1] < losses[0]
    # Unwrapped after training: the plain seqae module, ready for encode (or export).
    assert type(net.module_) is RecurrentAutoencoder
    with torch.no_grad():
        codes = net.module_.encode(X)
    assert codes.shape == (len(sines), 4) and codes.dtype == torch.float32
    assert np.isfinite(codes.numpy()).all()
