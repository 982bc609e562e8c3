"""A pre-trained autoencoder's encoder with a prediction head (classification, regression)."""

from typing import NamedTuple, Optional

import torch
from torch import nn

from .rocket import MiniRocketFeatures, resample

__all__ = ["EncoderHead", "HeadOutput", "OneVsOneVotes", "RBFFeatures"]


class HeadOutput(NamedTuple):
    """What :class:`EncoderHead` returns: the head's ``output`` (logits or predictions) and,
    when the reconstruction is asked for, the ``reconstruction`` of the input."""

    output: torch.Tensor
    reconstruction: Optional[torch.Tensor] = None


class RBFFeatures(nn.Module):
    """A fixed RBF-kernel feature map (Nystroem): ``x -> k(x, anchors) @ normalization``.

    ``k(x, a) = exp(-gamma * ||x - a||^2)``. With every training point as an anchor and
    ``normalization = K^{-1/2}`` (``K`` the anchors' kernel matrix), a linear model on these
    features is the kernel model of the training points (a kernel machine as a layer, so that
    it saves, loads and exports to ONNX with the rest of the network). The anchors, ``gamma``
    and the normalisation are buffers: set from a fitted
    :class:`sklearn.kernel_approximation.Nystroem` (``components_``, ``gamma``,
    ``normalization_``), not trained.

    Parameters
    ----------
    n_anchors : int
        Number of anchors (the features' size).
    n_inputs : int
        Size of the inputs (and of each anchor).
    """

    def __init__(self, n_anchors, n_inputs):
        super().__init__()
        self.register_buffer("anchors", torch.zeros(n_anchors, n_inputs))
        self.register_buffer("gamma", torch.ones(()))
        self.register_buffer("normalization", torch.eye(n_anchors))

    def forward(self, x):
        # ||x - a||^2 = ||x||^2 - 2 x.a + ||a||^2 (no (batch, anchors, inputs) intermediate)
        squared = ((x * x).sum(1, keepdim=True) - 2 * x @ self.anchors.T
                   + (self.anchors * self.anchors).sum(1)).clamp_min(0)
        return torch.exp(-self.gamma * squared) @ self.normalization


class OneVsOneVotes(nn.Module):
    """One-vs-one decision values -> one score per class, as scikit-learn's
    :class:`~sklearn.svm.SVC` turns them into its ``decision_function`` of shape
    ``(n_samples, n_classes)`` (``decision_function_shape='ovr'``).

    The input has one column per pair of classes ``(i, j)``, ``i < j``, in the order
    ``(0, 1), (0, 2), ..., (1, 2), ...`` (the layout of ``SVC(decision_function_shape='ovo')``);
    a value ``d >= 0`` is a vote for ``i``, ``d < 0`` for ``j``. Each class's score is its
    votes plus its summed confidences ``c`` squashed to ``c / (3 (|c| + 1))``, within a third
    of a vote, so that the argmax is the most voted class, ties broken by confidence
    (``SVC(break_ties=True)``). The votes are a step function: this layer is for a model
    fitted elsewhere, not for training.

    Parameters
    ----------
    n_classes : int
        Number of classes (at least 2).
    """

    def __init__(self, n_classes):
        super().__init__()
        pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
        first = torch.zeros(len(pairs), n_classes)
        second = torch.zeros(len(pairs), n_classes)
        for k, (i, j) in enumerate(pairs):
            first[k, i] = second[k, j] = 1.0
        self.register_buffer("first", first)
        self.register_buffer("second", second)

    def forward(self, decision):
        wins = (decision >= 0).to(decision.dtype)
        votes = wins @ self.first + (1 - wins) @ self.second
        confidence = decision @ (self.first - self.second)
        return votes + confidence / (3 * (confidence.abs() + 1))


class EncoderHead(nn.Module):
    """An autoencoder module's encoder followed by a linear (or kernel) head on its code.

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
    n_kernel_features : int
        0: the head is linear in the standardised code. Otherwise the standardised code goes
        through an :class:`RBFFeatures` of this many anchors (``kernel``) before the linear
        layer: a kernel head, set from a model fitted on frozen codes.
    one_vs_one : bool
        With ``n_outputs > 2``: the linear layer gives one decision value per pair of classes
        and :class:`OneVsOneVotes` turns them into one score per class (a one-vs-one SVM
        fitted on frozen codes, as a layer). Ignored for fewer outputs.
    n_series_features : int
        0: the head reads the code alone. Otherwise, without ``n_kernel_features``, the
        linear layer reads the standardised code and ``n_series_features`` features of the
        input itself (standardised with fixed statistics, ``series_mean`` and
        ``series_scale``), side by side: e.g. a ridge classifier on MiniRocket's features,
        with weights of 0 on the code. With ``n_kernel_features``, the kernel features
        are ``series_weight * k_code + (1 - series_weight) * k_series``:
        ``k_series`` an :class:`RBFFeatures` (``series_kernel``) of the same number of
        anchors on ``n_series_features`` features of the input itself, standardised with
        fixed statistics (``series_mean``, ``series_scale``): an SVM on a mix of the codes'
        and the series' kernels, fitted on frozen codes, as layers. The features are
        MiniRocket's (``rocket``) where ``rocket_shape`` is given (with ``lengths``, each
        sequence resampled to the rocket's length first, :func:`~seqae.modules.rocket.resample`),
        else the input's values flattened (steps x channels), which must then number
        ``n_series_features``.
    rocket_shape : tuple of int or None
        ``(n_steps, n_channels)``: the series' features are those of a
        :class:`~seqae.modules.rocket.MiniRocketFeatures` of this shape (``rocket``: its
        biases and channels are buffers, set from a fitted one).
    """

    def __init__(self, autoencoder, n_components, n_outputs, dropout=0.0, reconstruct=True,
                 code_mean=None, code_scale=None, n_kernel_features=0, one_vs_one=False,
                 n_series_features=0, rocket_shape=None):
        super().__init__()
        self.autoencoder = autoencoder
        mean = torch.zeros(n_components) if code_mean is None else torch.as_tensor(
            code_mean, dtype=torch.float32)
        scale = torch.ones(n_components) if code_scale is None else torch.as_tensor(
            code_scale, dtype=torch.float32)
        self.register_buffer("code_mean", mean.reshape(n_components).clone())
        self.register_buffer("code_scale", scale.reshape(n_components).clone())
        self.dropout = nn.Dropout(dropout)
        self.kernel = RBFFeatures(n_kernel_features, n_components) if n_kernel_features else None
        self.series_kernel = self.rocket = None
        self.n_series_features = n_series_features
        if n_series_features:
            if rocket_shape is not None:
                self.rocket = MiniRocketFeatures(*rocket_shape)
            self.register_buffer("series_mean", torch.zeros(n_series_features))
            self.register_buffer("series_scale", torch.ones(n_series_features))
        if n_kernel_features and n_series_features:
            self.series_kernel = RBFFeatures(n_kernel_features, n_series_features)
            self.register_buffer("series_weight", torch.ones(()))
        self.votes = OneVsOneVotes(n_outputs) if one_vs_one and n_outputs > 2 else None
        n_pairs = n_outputs * (n_outputs - 1) // 2
        # a linear head on the series: it reads the code and the series' features, side by side
        n_inputs = n_kernel_features or (n_components + n_series_features)
        self.head = nn.Linear(n_inputs, n_pairs if self.votes is not None else n_outputs)
        self.reconstruct = reconstruct

    def encode(self, x, lengths=None):
        """``(batch, time, features) -> (batch, n_components)``: the (fine-tuned) code."""
        return self.autoencoder.encode(x, lengths)

    def _head(self, code, x, lengths=None):
        features = self.dropout((code - self.code_mean) / self.code_scale)
        if self.kernel is not None:
            features = self.kernel(features)
        if self.n_series_features:
            if self.rocket is None:
                series = x.flatten(1)
            else:  # sequences of other lengths: each resampled to the rocket's length
                series = self.rocket(x if lengths is None
                                     else resample(x, lengths, self.rocket.n_steps))
            series = (series - self.series_mean) / self.series_scale
            if self.series_kernel is not None:
                features = (self.series_weight * features
                            + (1 - self.series_weight) * self.series_kernel(series))
            else:
                features = torch.cat([features, series], dim=1)
        output = self.head(features)
        return output if self.votes is None else self.votes(output)

    def predict(self, x, lengths=None):
        """The head's output ``(batch, n_outputs)`` (no dropout in eval mode)."""
        return self._head(self.encode(x, lengths), x, lengths)

    def forward(self, x, lengths=None):
        code = self.encode(x, lengths)
        output = self._head(code, x, lengths)
        reconstruction = None
        if self.reconstruct and self.training:
            reconstruction = self.autoencoder.decode(code, lengths=lengths)
        return HeadOutput(output, reconstruction)
