"""Export a trained model's encoder (or decoder) for use without seqae.

The export is PyTorch's own graph format, :func:`torch.export.export`, saved as a ``.pt2``
file: loading it needs only ``torch`` (``torch.export.load(path).module()``), not seqae,
scikit-learn or skorch. (TorchScript, the older format, is deprecated in current PyTorch.)
"""

import copy
import warnings

import torch
from sklearn.utils.validation import check_is_fitted
from torch import nn

__all__ = ["export_model"]

PARTS = ("encoder", "decoder", "autoencoder")


class _Part(nn.Module):
    """One method of a seqae module (``encode``, ``decode`` or ``reconstruct``) as ``forward``."""

    def __init__(self, module, method):
        super().__init__()
        self.module = module
        self.method = method

    def forward(self, x):
        return getattr(self.module, self.method)(x)


def export_model(estimator, path=None, *, part="encoder"):
    """Export a fitted seqae estimator's encoder, decoder or whole autoencoder.

    The graph takes float32 tensors, batch first, with any batch size: the encoder and the
    autoencoder take sequences of shape ``(batch, n_timesteps_, n_channels_)`` (univariate
    data too has the last axis of size 1); the encoder returns codes ``(batch,
    n_components_)``, the decoder takes codes and returns sequences. Its results match
    ``transform``, ``inverse_transform`` and ``inverse_transform(transform(X))``. The graph is
    exported on the CPU whatever device the model was trained on.

    Parameters
    ----------
    estimator : fitted seqae estimator
        E.g. a fitted :class:`~seqae.RAESCTransformer`.
    path : str or path-like or None, default=None
        Where to save the program (conventionally with the suffix ``.pt2``); ``None`` only
        returns it.
    part : {'encoder', 'decoder', 'autoencoder'}, default='encoder'
        Which part to export.

    Returns
    -------
    program : torch.export.ExportedProgram
        ``program.module()`` is a callable ``nn.Module``.

    Examples
    --------
    >>> import torch
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.export import export_model
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)
    >>> ae = RAESCTransformer(sigma=0.25, max_epochs=2, random_state=0).fit(X)
    >>> encoder = export_model(ae).module()      # or torch.export.load("ae.pt2").module()
    >>> codes = encoder(torch.tensor(X, dtype=torch.float32))
    >>> codes.shape
    torch.Size([20, 8])
    >>> bool(torch.allclose(codes, torch.tensor(ae.transform(X), dtype=torch.float32)))
    True
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}; got {part!r}.")
    check_is_fitted(estimator)
    module = copy.deepcopy(estimator.net_.module_).cpu().eval()
    method = {"encoder": "encode", "decoder": "decode", "autoencoder": "reconstruct"}[part]
    if part == "decoder":
        example = torch.zeros(2, estimator.n_components_)
    else:
        example = torch.zeros(2, estimator.n_timesteps_, estimator.n_channels_)
    batch = torch.export.Dim("batch", min=1)
    with warnings.catch_warnings():
        # The RNNs re-assign their flattened weights while being traced; harmless here.
        warnings.filterwarnings("ignore", message=".*were assigned during export.*")
        program = torch.export.export(_Part(module, method), (example,),
                                      dynamic_shapes=({0: batch},))
    if path is not None:
        torch.export.save(program, path)
    return program
