"""The LSTM autoencoder of the 'Gentle Introduction to LSTM Autoencoders' tutorial."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import torch
from numpy.typing import ArrayLike, NDArray
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from .base import BaseSequenceAutoencoder
from .._engine.batches import _call, _unpack
from .._engine.params import arguments, rows
from ..modules import RecurrentAutoencoder, masked_mean


__all__ = ["LSTMAutoencoder"]


def _forecast(module, batch):
    return _call(module.forecast, batch)


def _objective_mse(module, batch):
    """Per-sequence mean squared error of everything the model outputs (reconstruction of
    the input window and/or forecast of the last steps) against its targets; missing values
    (a dict batch's mask) do not count."""
    x, _, mask = _unpack(batch)
    output = _call(module, batch)
    parts = []  # (an output, the steps of x it is compared with)
    if output.reconstruction is not None:
        parts.append((output.reconstruction, slice(0, output.reconstruction.shape[1])))
    if output.prediction is not None:
        parts.append((output.prediction, slice(x.shape[1] - output.prediction.shape[1], None)))
    error = torch.cat([out - x[:, steps] for out, steps in parts], dim=1)
    if mask is not None:
        mask = torch.cat([mask[:, steps] for _, steps in parts], dim=1)
    # float64 reduction: see seqae._engine.batches._reconstruction_mse
    return masked_mean(error.double().pow(2), mask, per_sequence=True)


class LSTMAutoencoder(BaseSequenceAutoencoder):
    """LSTM autoencoder: LSTM encoder -> repeat vector -> LSTM decoder -> dense.

    The reconstruction model of the tutorial (``LSTM(100) -> RepeatVector -> LSTM(100,
    return_sequences=True) -> TimeDistributed(Dense)``): an encoder of ``n_C =
    n_components`` units (100) whose readout is the code, usable as features for
    classification, clustering or anomaly detection, and a decoder of ``hidden_size`` units
    (``None``: ``n_C``). The tutorial's code is the encoder's final state
    (``readout='last'``); the default readout pools the states over time and maps them to
    the code by a linear layer, and a contrastive term is trained besides the
    reconstruction (see ``readout`` and ``contrastive``).

    The tutorial's three models are available through ``mode``. Training sequences ``X``
    of ``n_X`` steps are split, with ``k = n_future``, into an input window (the first
    ``n_X - k`` steps, which the encoder reads) and a future (the last ``k`` steps):

    * ``'reconstruction'``: the encoder reads all ``n_X`` steps and the decoder
      reconstructs them (the default, no split);
    * ``'prediction'``: the decoder learns to output the future from the window's code;
    * ``'composite'``: one encoder, two decoders: one reconstructs the window, one predicts
      the future; the loss is ``L(reconstruction) + prediction_weight * L(prediction)``.

    In the prediction modes ``transform`` encodes the input window (the first ``n_X - k``
    steps of the ``n_X`` given), ``inverse_transform`` decodes codes into the window's
    reconstruction (``'composite'``) or into the ``k`` predicted steps (``'prediction'``),
    ``score_samples`` is minus the mean squared error of all outputs against their targets,
    and :meth:`forecast` predicts the ``k`` steps that follow each given sequence.

    The prediction modes split every sequence at the same step, so they take no ragged
    input (a list of sequences of different lengths raises a ``ValueError``); missing values
    (``missing='mask'``) work in every mode: a missing entry of the window or of the future
    counts in neither the loss nor ``score_samples``.

    {parameters}

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import LSTMAutoencoder
    >>> X = np.linspace(0.1, 0.9, 9)[np.newaxis, :, np.newaxis]  # the tutorial's sequence
    >>> ae = LSTMAutoencoder(activation="relu", max_epochs=2, random_state=0).fit(X)
    >>> ae.transform(X).shape, ae.inverse_transform(ae.transform(X)).shape
    ((1, 100), (1, 9, 1))
    >>> composite = LSTMAutoencoder(16, mode="composite", n_future=2, max_epochs=2,
    ...                             random_state=0).fit(X)
    >>> composite.forecast(X).shape
    (1, 2, 1)
    """

    _module = RecurrentAutoencoder
    _module_fixed = {"bridge": "repeat", "cell": "lstm"}
    _params = rows(
        "n_components", "hidden_size", "activation", "mode", "n_future", "prediction_weight",
        "readout", "num_layers", "bidirectional", "conditional_decoder", "reverse_target",
        "noise", "sparsity", "jacobian_penalty", "contrastive", "contrastive_view", "isometry",
        "isometry_metric",
        "loss",
        "max_epochs", "batch_size", "lr", "validation_fraction", "device", "random_state",
        "verbose", "callbacks", "missing", "clip_grad_norm", "patience", "patch_size",
        n_components={"default": 100, "type": "int",
                      "constraints": [Interval(Integral, 1, None, closed="left")],
                      "doc": """
        Code size ``n_C``: the encoder's units (with ``bidirectional`` and
        ``readout='last'``, ``n_C / 2`` per direction) and the length of the code
        ``transform`` returns. The tutorial's 100."""})

    def __init__(self, n_components=100, *, hidden_size=None, activation="tanh",
                 mode="reconstruction", n_future=1, prediction_weight=1.0,
                 readout="mean+max", num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, noise=0.0, sparsity=0.0,
                 jacobian_penalty=0.0, contrastive=1.0, contrastive_view="stretch+mask", isometry=10.0,
                 isometry_metric="sbd",
                 loss="mse", max_epochs="auto", batch_size="auto", lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None, verbose="auto",
                 callbacks=None, missing="error", clip_grad_norm=None, patience=None,
                 patch_size="auto"):
        super().__init__(**arguments(locals()))

    def _resolve_n_components(self, n_timesteps, n_channels):
        if self.mode != "reconstruction" and self.n_future >= n_timesteps:
            raise ValueError(
                f"mode={self.mode!r} predicts the last n_future={self.n_future} steps of each "
                f"training sequence from the steps before them, so n_future must be less "
                f"than the sequences' length n_X={n_timesteps}."
            )
        return self.n_components

    def _check_ragged(self, lengths):
        if lengths is not None and self.mode != "reconstruction":
            raise ValueError(
                f"LSTMAutoencoder(mode={self.mode!r}) splits every sequence into its first "
                f"n_X - n_future steps and its last n_future={self.n_future}, at one step for "
                "the whole batch, so it does not take sequences of different lengths (a list "
                "of ragged sequences, or lengths= in inverse_transform). Crop them to one "
                "length, or use mode='reconstruction'."
            )

    def forecast(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict the ``n_future`` steps that follow each sequence.

        The encoder reads the last ``n_X - n_future`` steps of each sequence (the window
        length it was trained on) and the prediction decoder continues from there.
        Available in modes ``'prediction'`` and ``'composite'``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            Sequences with the fitted number of time steps and features (NaN as missing
            values with ``missing='mask'``: the encoder reads them as 0), or a list of
            sequences of one length, which may be longer than ``n_timesteps_``: the encoder
            reads the last ``n_X - n_future`` steps of each.

        Returns
        -------
        future : ndarray of shape (n_samples, n_future) or (n_samples, n_future, n_features)
            In the layout seen in ``fit``; float32 for float32 input, float64 otherwise.
        """
        check_is_fitted(self)
        if self.mode == "reconstruction":
            raise ValueError("forecast needs a model trained to predict: fit with "
                             "mode='prediction' or mode='composite'.")
        future = self._apply_to_sequences(_forecast, X, longer="encode")  # the last steps
        return future[:, :, 0] if self.input_ndim_ == 2 else future

    def score_samples(self, X: ArrayLike) -> NDArray[np.float64]:
        """Negative mean squared error of each sequence (higher is more normal).

        In mode ``'reconstruction'`` that of the reconstruction; in the prediction modes
        that of every output against its target: the forecast of the last ``n_future``
        steps from the steps before them (and, in mode ``'composite'``, the reconstruction
        of those steps), averaged over steps and features (the observed ones only, with
        ``missing='mask'``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``transform`` (lists of sequences of different lengths in mode
            ``'reconstruction'`` only).

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            float32 for float32 input, float64 for any other dtype (float16 included).
        """
        if self.mode == "reconstruction":
            return super().score_samples(X)
        return -self._apply_to_sequences(_objective_mse, X)
