"""Training glue: the one private skorch net every estimator builds in ``fit``."""

import functools
import inspect
import math
from collections.abc import Mapping

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback
from skorch.utils import to_tensor

from torch.nn import functional as F

from .callbacks import EpochTable
from ..modules import AutoencoderLoss, masked_mean

__all__ = ["TensorBatches", "SequenceStream", "StreamBatches", "make_batches", "SeqAENet",
           "NonFiniteTraining", "StopOnNonFinite", "observed_mask", "HeadNet"]

#: A streamed epoch reads this many mini-batches of consecutive rows at a time and shuffles
#: within them (and the order of these windows): random access to single rows of a file is
#: slow, and h5py/zarr read contiguous slices best.
STREAM_WINDOW_BATCHES = 16


def _map(fn, X):
    """``fn`` applied to a tensor, or to each tensor of a dict of them."""
    return {key: fn(value) for key, value in X.items()} if isinstance(X, Mapping) else fn(X)


def _dataset_tensor(dataset):
    """The whole tensor (or dict of tensors) behind a skorch ``Dataset`` or a ``Subset``."""
    if isinstance(dataset, torch.utils.data.Subset):
        indices = torch.as_tensor(dataset.indices)
        return _map(lambda t: t[indices], _dataset_tensor(dataset.dataset))
    return _map(torch.as_tensor, dataset.X)


def observed_mask(X):
    """Boolean ``(batch, time, features)`` mask of the entries a loss may use.

    ``X`` is a dict batch: ``'x'`` the zero-padded, zero-filled sequences, and ``'mask'``
    (missing values) and/or ``'lengths'`` (ragged sequences) saying what was observed.
    """
    if "mask" in X:
        return X["mask"]
    x, lengths = X["x"], X["lengths"].to(X["x"].device)
    steps = torch.arange(x.shape[1], device=x.device)
    return (steps < lengths[:, None])[:, :, None].expand_as(x)


class TensorBatches:
    """Mini-batches sliced from one in-memory tensor (a drop-in for skorch's ``DataLoader``).

    The data are moved to ``device`` once, when the iterator is made (skorch makes it once
    per ``fit``), instead of collating ``batch_size`` single samples per step. Each batch is
    ``(X_batch, X_batch)``: the target of an autoencoder is its input, and handing the same
    on-device tensor twice means skorch's own ``to_tensor`` calls move nothing. The data may
    also be a dict of tensors (ragged or missing data: ``'x'``, ``'lengths'``, ``'mask'``),
    sliced alike; its batches are ``(dict_batch, dict_batch['x'])``.

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
        self.X = _map(lambda t: t.to(device), _dataset_tensor(dataset))
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = None
        if seed is not None:
            self.generator = torch.Generator().manual_seed(seed)

    def _data(self):
        return self.X["x"] if isinstance(self.X, Mapping) else self.X

    def __len__(self):
        return math.ceil(len(self._data()) / self.batch_size)

    def __iter__(self):
        n_samples = len(self._data())
        order = None
        if self.shuffle:
            order = torch.randperm(n_samples, generator=self.generator).to(self._data().device)
        for start in range(0, n_samples, self.batch_size):
            rows = slice(start, start + self.batch_size)
            batch = _map(lambda t: t[rows] if order is None else t[order[rows]], self.X)
            yield batch, (batch["x"] if isinstance(batch, Mapping) else batch)


class SequenceStream(torch.utils.data.Dataset):
    """A dataset over an array that is read slice by slice (``numpy.memmap``, h5py, zarr).

    Nothing is read when it is made. :class:`StreamBatches` reads it in windows of
    consecutive rows and hands each mini-batch's raw rows to ``convert``, which validates
    them and turns them into what the net reads (a float32 tensor or a dict batch), so that
    validation and conversion happen per mini-batch and never on the whole array.

    Parameters
    ----------
    source : array-like with ``shape``, ``dtype`` and slicing ``source[start:stop]``
    convert : callable
        ``convert(rows: ndarray) -> torch.Tensor or dict of torch.Tensor``.
    """

    def __init__(self, source, convert):
        self.source = source
        self.convert = convert

    def __len__(self):
        return int(self.source.shape[0])

    def __getitem__(self, i):
        batch = self.convert(np.asarray(self.source[i:i + 1]))
        return _map(lambda t: t[0], batch)


def _stream_rows(dataset):
    """``(stream, rows)``: the :class:`SequenceStream` behind ``dataset`` and the sorted rows
    of it that ``dataset`` holds (``None``: all), or ``(None, None)`` for other datasets."""
    if isinstance(dataset, torch.utils.data.Subset):
        stream, rows = _stream_rows(dataset.dataset)
        if stream is None:
            return None, None
        indices = np.asarray(dataset.indices, dtype=np.int64)
        rows = np.sort(indices if rows is None else rows[indices])
        return stream, rows
    if isinstance(dataset, SequenceStream):
        return dataset, None
    return None, None


def read_rows(source, rows):
    """The (sorted) ``rows`` of ``source`` as an in-memory array.

    NumPy arrays (memory maps too) are indexed directly. Other arrays (h5py, zarr) are read
    in contiguous slices, none longer than ``len(rows)``, from which the rows are picked."""
    if isinstance(source, np.ndarray):
        return np.asarray(source[rows])
    parts, start = [], 0
    while start < len(rows):
        first = int(rows[start])
        stop = int(np.searchsorted(rows, first + len(rows)))
        parts.append(np.asarray(source[first:int(rows[stop - 1]) + 1])[rows[start:stop] - first])
        start = stop
    return np.concatenate(parts)


class StreamBatches:
    """Mini-batches read from a :class:`SequenceStream` (a drop-in for skorch's ``DataLoader``).

    The streamed counterpart of :class:`TensorBatches`: each epoch reads windows of
    ``STREAM_WINDOW_BATCHES * batch_size`` consecutive rows (of the rows the dataset holds,
    e.g. a train/validation ``Subset``), in a random order of windows and rows within each
    window when shuffling; each mini-batch is converted (validated, cast to float32) by the
    stream's ``convert`` and moved to ``device`` on its own. Memory use is one window of raw
    rows plus one batch, whatever the data's size. Parameters as for :class:`TensorBatches`.
    """

    def __init__(self, dataset, batch_size, shuffle=False, device="cpu", seed=None):
        self.stream, self.rows = _stream_rows(dataset)
        if self.stream is None:
            raise TypeError("StreamBatches reads a SequenceStream (or a Subset of one).")
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = device
        self.rng = np.random.default_rng(seed)

    def _n_rows(self):
        return len(self.stream) if self.rows is None else len(self.rows)

    def __len__(self):
        return math.ceil(self._n_rows() / self.batch_size)

    def __iter__(self):
        n_rows = self._n_rows()
        window = STREAM_WINDOW_BATCHES * self.batch_size
        starts = np.arange(0, n_rows, window)
        if self.shuffle:
            starts = self.rng.permutation(starts)
        for start in starts:
            stop = min(start + window, n_rows)
            if self.rows is None:
                block = np.asarray(self.stream.source[start:stop])
            else:
                block = read_rows(self.stream.source, self.rows[start:stop])
            if self.shuffle:
                block = block[self.rng.permutation(len(block))]
            for first in range(0, len(block), self.batch_size):
                batch = self.stream.convert(block[first:first + self.batch_size])
                batch = _map(lambda t: t.to(self.device), batch)
                yield batch, (batch["x"] if isinstance(batch, Mapping) else batch)


def make_batches(dataset, batch_size, shuffle=False, device="cpu", seed=None):
    """The net's iterator: :class:`StreamBatches` for a streamed dataset, else
    :class:`TensorBatches` (the in-memory fast path)."""
    kind = StreamBatches if _stream_rows(dataset)[0] is not None else TensorBatches
    return kind(dataset, batch_size, shuffle=shuffle, device=device, seed=seed)


class NonFiniteTraining(FloatingPointError):
    """Raised by :class:`StopOnNonFinite`; the estimator turns it into a user-facing error."""

    def __init__(self, what, epoch, batch=None):
        super().__init__(what, epoch, batch)
        self.what, self.epoch, self.batch = what, epoch, batch


class StopOnNonFinite(Callback):
    """Stop training at the first non-finite loss or weight (skorch callback).

    The loss is checked after every batch (training and validation), the weights after every
    epoch (a finite loss whose gradient overflowed leaves NaN weights behind).
    """

    def on_epoch_begin(self, net, **kwargs):
        self.batch_ = 0

    def on_batch_end(self, net, batch=None, training=False, loss=None, **kwargs):
        self.batch_ += 1
        if loss is not None and not torch.isfinite(loss).all():
            phase = "training" if training else "validation"
            raise NonFiniteTraining(f"the {phase} loss became {loss.item()}",
                                    net.history[-1, "epoch"], self.batch_)

    def on_epoch_end(self, net, **kwargs):
        for name, param in net.module_.named_parameters():
            if not torch.isfinite(param).all():
                raise NonFiniteTraining(f"the weights ({name}) became non-finite",
                                        net.history[-1, "epoch"])


def _takes_mask(module):
    """Whether the module's ``forward`` takes ``mask=`` (decided once per module class, not
    once per batch)."""
    return _forward_takes_mask(type(module))


@functools.cache
def _forward_takes_mask(module_class):
    return "mask" in inspect.signature(module_class.forward).parameters


class SeqAENet(NeuralNet):
    """skorch ``NeuralNet`` for sequence autoencoders.

    Differences from the stock net, all through skorch's public hooks:

    * batches come from :class:`TensorBatches` (in-memory slicing, data moved once), or
      from :class:`StreamBatches` for a :class:`SequenceStream` (data read per batch);
    * ``get_loss`` falls back to the input as the target when no ``y`` is given, so
      ``net.fit(X)`` trains an autoencoder; for a dict batch (ragged or missing data) it
      calls ``criterion(y_pred, target, mask=observed_mask(batch))``, so the criterion
      must take a ``mask`` (as :class:`~seqae.modules.AutoencoderLoss` and
      :class:`~seqae.modules.ELBOLoss` do);
    * :meth:`apply_module` runs any module method (``encode``, ``decode``, ...) batch-wise in
      evaluation mode, in batches of a fixed shape, which is what ``transform`` and friends
      need;
    * the epoch table (``verbose=1``) is :class:`~seqae._engine.callbacks.EpochTable`: no colour
      codes when stdout is not a terminal.
    """

    def __init__(self, module, *args, criterion=AutoencoderLoss, iterator_train=make_batches,
                 iterator_valid=make_batches, **kwargs):
        super().__init__(module, *args, criterion=criterion, iterator_train=iterator_train,
                         iterator_valid=iterator_valid, **kwargs)

    def get_default_callbacks(self):
        return [(name, EpochTable() if name == "print_log" else callback)
                for name, callback in super().get_default_callbacks()]

    def infer(self, x, **fit_params):
        # A dict batch (ragged or missing data) is unpacked into forward(x, lengths=...); the
        # mask is for the loss, and for a module whose forward takes it (the contractive
        # penalty differentiates with respect to the observed inputs only).
        if isinstance(x, Mapping) and "mask" in x and not _takes_mask(self.module_):
            x = {key: value for key, value in x.items() if key != "mask"}
        return super().infer(x, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        if y_true is None:
            y_true = X["x"] if isinstance(X, Mapping) else X
        if not isinstance(X, Mapping):
            return super().get_loss(y_pred, y_true, X=X, training=training)
        # Masked loss (padding, missing values): the criterion averages (the ELBO: sums) over
        # the observed entries only, so the others add neither loss nor gradient.
        mask = observed_mask(X).to(self.device)
        return self.criterion_(y_pred, to_tensor(y_true, device=self.device), mask=mask)

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
        X : torch.Tensor or dict of torch.Tensor
            Float32 tensor, batch first; or a dict batch (``'x'``, ``'lengths'``, ``'mask'``),
            whose padding rows get length 1.

        Returns
        -------
        torch.Tensor on the CPU: the batches' results concatenated.
        """
        self.check_is_fitted()
        self.module_.eval()
        X = _map(lambda t: t.to(self.device), X)
        n_samples = len(X["x"] if isinstance(X, Mapping) else X)
        batch_size = self.batch_size

        def pad(tensor, n_rows):
            padding = tensor.new_zeros((batch_size - n_rows, *tensor.shape[1:]))
            if tensor.dtype == torch.int64:  # lengths
                padding += 1
            return torch.cat([tensor, padding])

        results = []
        with torch.inference_mode():
            for start in range(0, n_samples, batch_size):
                batch = _map(lambda t: t[start:start + batch_size], X)
                n_rows = min(batch_size, n_samples - start)
                if n_rows < batch_size:
                    batch = _map(lambda t: pad(t, n_rows), batch)
                results.append(fn(self.module_, batch)[:n_rows].cpu())
        return torch.cat(results)


class HeadNet(SeqAENet):
    """The skorch net that fine-tunes a module with a head (``forward`` returns ``(output,
    reconstruction or None)``, as :class:`~seqae.modules.heads.EncoderHead` does).

    The loss is the head's (cross-entropy for ``task='classification'``, else squared
    error) plus ``reconstruction_weight`` times the masked mean squared reconstruction
    error of the batch (padding and missing values left out), in training; the validation
    loss (early stopping) is the head's loss alone. Batches come from skorch's own
    ``DataLoader`` (the targets are labels, not the input).
    """

    def __init__(self, module, *args, task="classification", reconstruction_weight=1.0,
                 **kwargs):
        super().__init__(module, *args, iterator_train=torch.utils.data.DataLoader,
                         iterator_valid=torch.utils.data.DataLoader, **kwargs)
        self.task = task
        self.reconstruction_weight = reconstruction_weight

    def get_loss(self, y_pred, y_true, X=None, training=False):
        output, reconstruction = y_pred
        y_true = y_true.to(output.device)
        if self.task == "classification":
            loss = F.cross_entropy(output, y_true)
        else:
            loss = F.mse_loss(output, y_true.reshape(output.shape))
        if reconstruction is not None and self.reconstruction_weight > 0:
            if isinstance(X, Mapping):
                x, mask = X["x"].to(output.device), observed_mask(X).to(output.device)
            else:
                x, mask = X.to(output.device), None
            loss = loss + self.reconstruction_weight * masked_mean(
                (reconstruction - x).pow(2), mask)
        return loss
