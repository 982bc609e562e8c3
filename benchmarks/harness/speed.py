"""What the speed scripts time seqae against (the harness's speed module): a minimal
hand-written PyTorch training loop, and the "before" side of a speed change switched at run
time."""

import time
from contextlib import contextmanager

import torch
from torch import nn

from . import ROOT  # noqa: F401 (puts the checkout on sys.path)

from seqae.modules import RowwiseLinear  # noqa: E402


def plain_loop(module, X, epochs, batch_size, lr, seed, criterion=None):
    """Minimal hand-written training loop (Adam, shuffled batches, ``criterion``: mean
    squared error by default); returns each epoch's seconds."""
    optimizer = torch.optim.Adam(module.parameters(), lr=lr)
    criterion = nn.MSELoss() if criterion is None else criterion
    generator = torch.Generator().manual_seed(seed)
    module.train()
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(X), generator=generator).to(X.device)
        total = 0.0
        for begin in range(0, len(X), batch_size):
            batch = X[order[begin:begin + batch_size]]
            optimizer.zero_grad()
            loss = criterion(module(batch), batch)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        if X.device.type == "cuda":
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    return seconds


def _rowwise_forward(self, x):
    """The layer's forward before issue 15: row-wise in training mode too."""
    return (x[:, :, None] * self.weight.T).sum(dim=1) + self.bias


@contextmanager
def rowwise_in_training():
    """Run the "before" side: ``RowwiseLinear`` row-wise in every mode."""
    current = RowwiseLinear.forward
    RowwiseLinear.forward = _rowwise_forward
    try:
        yield
    finally:
        RowwiseLinear.forward = current
