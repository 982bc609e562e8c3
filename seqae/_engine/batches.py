"""The batch protocol between the estimators and the modules.

A batch is a plain ``(batch, time, features)`` tensor for complete equal-length data, else a
dict with ``'x'`` (zero-filled, zero-padded), ``'lengths'`` (ragged data) and ``'mask'``
(observed entries, when values are missing). These helpers build such batches from
validated arrays and call a module's methods on them.
"""

from collections.abc import Mapping

import numpy as np
import torch

from .net import observed_mask
from .validation import to_float32_tensor
from ..modules import masked_mean

__all__ = ["_unpack", "_call", "_encode", "_decode", "_reconstruction_mse", "_net_input",
           "encode_all"]


def _unpack(batch):
    """``(x, lengths, mask)`` of a batch: a plain tensor, or a dict batch (ragged or missing
    data) whose ``mask`` marks the entries a loss or score may use; ``None`` where absent."""
    if not isinstance(batch, Mapping):
        return batch, None, None
    return batch["x"], batch.get("lengths"), observed_mask(batch)


def _call(method, batch):
    """``method(x)``, or ``method(x, lengths=lengths)`` for a dict batch of ragged data."""
    if not isinstance(batch, Mapping):
        return method(batch)
    lengths = batch.get("lengths")
    return method(batch["x"]) if lengths is None else method(batch["x"], lengths=lengths)


def _encode(module, batch):
    return _call(module.encode, batch)


def _decode(module, batch):
    # a dict batch of codes carries the decoded lengths (a reversed target is flipped back
    # within each sequence's length)
    return _call(module.decode, batch)


def _reconstruction_mse(module, batch):
    # Averaged in float64: a float32 reduction's rounding depends on the batch's shape, which
    # would make a sequence's score depend on its neighbours in the batch. Padding and missing
    # values do not count.
    x, _, mask = _unpack(batch)
    error = (_call(module.reconstruct, batch) - x).double().pow(2)
    return masked_mean(error, mask, per_sequence=True)


def _net_input(X3, lengths):
    """The tensor the net reads: plain for complete equal-length data, else a dict batch.

    The dict holds ``'x'`` (NaN replaced by 0, the mean of standardised data), ``'lengths'``
    for ragged data and ``'mask'`` (observed entries) when values are missing.
    """
    missing = np.isnan(X3)
    has_missing = missing.any()
    if lengths is None and not has_missing:
        return to_float32_tensor(X3)
    batch = {"x": to_float32_tensor(np.where(missing, 0, X3) if has_missing else X3)}
    if lengths is not None:
        batch["lengths"] = torch.from_numpy(np.array(lengths, dtype=np.int64))
    if has_missing:
        observed = ~missing
        if lengths is not None:
            observed &= (np.arange(X3.shape[1]) < lengths[:, None])[:, :, None]
        batch["mask"] = torch.from_numpy(observed)
    return batch


def encode_all(module, data, batch_size, device, method="encode"):
    """The codes of all of ``data`` (a tensor or a dict batch) by ``module.encode`` (or the
    module's ``method``, e.g. ``'predict'`` for a head's outputs), in eval mode and in
    batches of ``batch_size``, on the CPU; the module's mode is restored.
    (A module outside a fitted net: the net's own is ``SeqAENet.apply_module``.)"""
    was_training = module.training
    module.eval()
    n = len(data["x"] if isinstance(data, Mapping) else data)
    codes = []
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            batch = ({k: v[start:start + batch_size].to(device) for k, v in data.items()
                      if k != "mask"} if isinstance(data, Mapping)
                     else data[start:start + batch_size].to(device))
            codes.append(_call(getattr(module, method), batch).cpu())
    module.train(was_training)
    return torch.cat(codes)
