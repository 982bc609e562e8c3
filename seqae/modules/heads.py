"""A pre-trained autoencoder's encoder with a prediction head (classification, regression)."""

from typing import NamedTuple, Optional

import torch
from torch import nn

__all__ = ["EncoderHead", "HeadOutput"]


class HeadOutput(NamedTuple):
    """What :class:`EncoderHead` returns: the head's ``output`` (logits or predictions) and,
    when the reconstruction is asked for, the ``reconstruction`` of the input."""

    output: torch.Tensor
    reconstruction: Optional[torch.Tensor] = None


class EncoderHead(nn.Module):
    """An autoencoder module's encoder followed by a linear head on its code.

    ``forward(x, lengths=None)`` encodes ``x`` with ``autoencoder.encode`` (the code the
    autoencoder's ``transform`` returns), standardises it with fixed statistics
    (``code_mean``, ``code_scale``: buffers, e.g. of the pre-trained codes of all the
    training sequences, so that the head sees inputs of unit scale whatever the encoder's
    readout), applies dropout and a linear layer, and
    returns a :class:`HeadOutput`. With ``reconstruct=True`` it also decodes the code back to
    a sequence with ``autoencoder.decode``, in training only (an auxiliary reconstruction
    loss keeps the code a code of the sequence while the head is trained).

    Parameters
    ----------
    autoencoder : nn.Module
        A module with ``encode(x, lengths=None) -> (batch, n_components)`` and
        ``decode(code, lengths=None)`` (any seqae autoencoder module), typically pre-trained.
        It is used as it is (not copied).
    n_components : int
        Size of the code.
    n_outputs : int
        Outputs of the head (classes, or regression targets).
    dropout : float
        Dropout on the code before the head, in training.
    reconstruct : bool
        Also return the reconstruction in training.
    code_mean, code_scale : sequence of float or None
        Per-component statistics the code is standardised with before the head (``None``:
        0 and 1).
    """

    def __init__(self, autoencoder, n_components, n_outputs, dropout=0.0, reconstruct=True,
                 code_mean=None, code_scale=None):
        super().__init__()
        self.autoencoder = autoencoder
        mean = torch.zeros(n_components) if code_mean is None else torch.as_tensor(
            code_mean, dtype=torch.float32)
        scale = torch.ones(n_components) if code_scale is None else torch.as_tensor(
            code_scale, dtype=torch.float32)
        self.register_buffer("code_mean", mean.reshape(n_components).clone())
        self.register_buffer("code_scale", scale.reshape(n_components).clone())
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(n_components, n_outputs)
        self.reconstruct = reconstruct

    def encode(self, x, lengths=None):
        """``(batch, time, features) -> (batch, n_components)``: the (fine-tuned) code."""
        return self.autoencoder.encode(x, lengths)

    def _head(self, code):
        return self.head(self.dropout((code - self.code_mean) / self.code_scale))

    def predict(self, x, lengths=None):
        """The head's output ``(batch, n_outputs)`` (no dropout in eval mode)."""
        return self._head(self.encode(x, lengths))

    def forward(self, x, lengths=None):
        code = self.encode(x, lengths)
        output = self._head(code)
        reconstruction = None
        if self.reconstruct and self.training:
            reconstruction = self.autoencoder.decode(code, lengths=lengths)
        return HeadOutput(output, reconstruction)
