"""Training glue: the one private skorch net every estimator builds in ``fit``."""

import math

import torch
from skorch import NeuralNet
from torch import nn

__all__ = ["TensorBatches", "SeqAENet"]


def _dataset_tensor(dataset):
    """The whole tensor behind a skorch ``Dataset`` or a ``Subset`` of one (a split)."""
    if isinstance(dataset, torch.utils.data.Subset):
        return _dataset_tensor(dataset.dataset)[torch.as_tensor(dataset.indices)]
    return torch.as_tensor(dataset.X)


class TensorBatches:
    """Mini-batches sliced from one in-memory tensor (a drop-in for skorch's ``DataLoader``).

    The data are moved to ``device`` once, when the iterator is made (skorch makes it once
    per ``fit``), instead of collating ``batch_size`` single samples per step. Each batch is
    ``(X_batch, X_batch)``: the target of an autoencoder is its input, and handing the same
    on-device tensor twice means skorch's own ``to_tensor`` calls move nothing.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or torch.utils.data.Subset
    batch_size : int
    shuffle : bool
        Draw a new permutation every epoch.
    device : str or torch.device
    seed : int or None
        Seed of this iterator's own generator for the shuffling (no global RNG is used).
    """

    def __init__(self, dataset, batch_size, shuffle=False, device="cpu", seed=None):
        self.X = _dataset_tensor(dataset).to(device)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = None
        if seed is not None:
            self.generator = torch.Generator().manual_seed(seed)

    def __len__(self):
        return math.ceil(len(self.X) / self.batch_size)

    def __iter__(self):
        n_samples = len(self.X)
        if self.shuffle:
            order = torch.randperm(n_samples, generator=self.generator).to(self.X.device)
            for start in range(0, n_samples, self.batch_size):
                batch = self.X[order[start:start + self.batch_size]]
                yield batch, batch
        else:
            for start in range(0, n_samples, self.batch_size):
                batch = self.X[start:start + self.batch_size]
                yield batch, batch


class SeqAENet(NeuralNet):
    """skorch ``NeuralNet`` for sequence autoencoders.

    Differences from the stock net, all through skorch's public hooks:

    * batches come from :class:`TensorBatches` (in-memory slicing, data moved once);
    * ``get_loss`` falls back to the input as the target when no ``y`` is given, so
      ``net.fit(X)`` trains an autoencoder;
    * :meth:`apply_module` runs any module method (``encode``, ``decode``, ...) batch-wise in
      evaluation mode, in batches of a fixed shape, which is what ``transform`` and friends
      need.
    """

    def __init__(self, module, *args, criterion=nn.MSELoss, iterator_train=TensorBatches,
                 iterator_valid=TensorBatches, **kwargs):
        super().__init__(module, *args, criterion=criterion, iterator_train=iterator_train,
                         iterator_valid=iterator_valid, **kwargs)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return super().get_loss(y_pred, X if y_true is None else y_true, X=X, training=training)

    def apply_module(self, fn, X):
        """Apply ``fn(module, batch)`` to ``X`` batch by batch, in eval mode, without gradients.

        Every batch holds exactly ``batch_size`` rows: the last one is padded with zeros and
        the padding's results are dropped. Float32 kernels (MKL, cuDNN) pick their blocking
        by the matrix shapes, so a fixed batch shape is what makes a sequence's result
        independent of how many other sequences were passed along with it.

        Parameters
        ----------
        fn : callable
            ``fn(module, X_batch) -> torch.Tensor`` with the batch in the first dimension.
        X : torch.Tensor
            Float32 tensor, batch first.

        Returns
        -------
        torch.Tensor on the CPU: the batches' results concatenated.
        """
        self.check_is_fitted()
        self.module_.eval()
        X = X.to(self.device)
        n_samples, batch_size = len(X), self.batch_size
        results = []
        with torch.inference_mode():
            for start in range(0, n_samples, batch_size):
                batch = X[start:start + batch_size]
                n_rows = len(batch)
                if n_rows < batch_size:
                    padding = batch.new_zeros((batch_size - n_rows, *batch.shape[1:]))
                    batch = torch.cat([batch, padding])
                results.append(fn(self.module_, batch)[:n_rows].cpu())
        return torch.cat(results)
