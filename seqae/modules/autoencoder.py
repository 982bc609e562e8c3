"""Recurrent autoencoders as plain ``nn.Module``s: encoder -> bridge -> decoder."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from .augment import RandomView
from .bridges import apply_bridge, make_bridge
from .contractive import jacobian_norm_sq
from .frames import frame_count, frame_lengths, from_frames, to_frames
from .losses import LIKELIHOODS
from .noise import GaussianNoise
from .rnn import RecurrentDecoder, RecurrentEncoder


__all__ = ["MODES", "RecurrentAutoencoder", "RowwiseLinear", "SeqAEOutput",
           "VariationalRecurrentAutoencoder",
           "flip_time", "run_decoder"]

MODES = ("reconstruction", "prediction", "composite")


class SeqAEOutput(NamedTuple):
    """What :class:`RecurrentAutoencoder` returns in training when the objective needs more
    than the reconstruction (see :class:`~seqae.modules.losses.AutoencoderLoss`):
    ``view_code`` is the code of a random view of each sequence (the contrastive term),
    ``jacobian`` each sequence's squared Frobenius norm of the code's Jacobian with respect
    to the input (the contractive term; an estimate, see
    :func:`~seqae.modules.contractive.jacobian_norm_sq`)."""

    reconstruction: Optional[torch.Tensor]
    prediction: Optional[torch.Tensor]
    code: Optional[torch.Tensor]
    view_code: Optional[torch.Tensor] = None
    jacobian: Optional[torch.Tensor] = None


class RowwiseLinear(nn.Linear):
    """``nn.Linear`` for ``(batch, features)`` input whose evaluation computes each row on its
    own.

    A plain matrix product's blocking (MKL, cuBLAS) depends on where a row sits in the batch,
    so a row's result can differ in the last bit with its position. In evaluation mode
    (``module.eval()``, which is how ``transform`` and the other inference methods run) every
    row's outputs are the same elementwise products summed over the input features in the
    same order, so a sequence's code does not depend on the other sequences passed with it
    (what ``transform`` guarantees). In training mode, where no such guarantee is needed, it
    is ``F.linear``: a ``batch x in x out`` intermediate and its backward pass cost 7x (128 ->
    64 features) to 90x (800 -> 400) a matrix product's at a batch of 100
    (``benchmarks/cost/rowwise.py``). Same parameters as ``nn.Linear`` in both modes, so a saved
    model does not depend on the mode it was saved in.
    """

    def forward(self, x):
        if self.training:
            return F.linear(x, self.weight, self.bias)
        return (x[:, :, None] * self.weight.T).sum(dim=1) + self.bias


def flip_time(x, lengths=None):
    """Reverse ``x`` ``(batch, time, ...)`` in time; with ``lengths``, each sequence within its
    own length (steps ``0 .. L-1`` become ``L-1 .. 0``; the padding after them stays put)."""
    if lengths is None:
        return x.flip(1)
    steps = torch.arange(x.shape[1], device=x.device)
    lengths = lengths.to(x.device)[:, None]
    index = torch.where(steps < lengths, lengths - 1 - steps, steps)  # (batch, time)
    index = index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x)
    return x.gather(1, index)


def run_decoder(bridge, decoder, code, *, initial_hidden=None, target=None, reverse=False,
                n_steps=None, lengths=None, patch_size=1):
    """Decode ``code`` through ``bridge`` and ``decoder`` into ``n_steps`` steps (``None``: as
    many as the bridge lays out, times ``patch_size``).

    ``target`` (natural time order) enables teacher forcing of a conditioned decoder.
    ``reverse=True`` trains the decoder to emit the target in reverse order (Srivastava et
    al.: the first output step is the last input step); the output is flipped back, so the
    result is always in natural time order and the loss can compare it with ``target``.
    With ``lengths`` (a padded batch of ragged sequences) the reversal is within each
    sequence's length (:func:`flip_time`): the first output step is that sequence's last
    step, not the padding.

    ``patch_size`` ``p > 1``: the decoder works on frames of ``p`` steps
    (:mod:`~seqae.modules.frames`): the bridge lays the code out as ``ceil(n_steps / p)``
    frames, the target and ``lengths`` are read as frames (a reversed decoder emits the
    frames in reverse order), and the output frames are turned back into steps.
    """
    frames = None if n_steps is None else frame_count(n_steps, patch_size)
    lengths = frame_lengths(lengths, patch_size)
    teacher = None
    if target is not None and decoder.conditional:
        target = to_frames(target, patch_size)
        teacher = flip_time(target, lengths) if reverse else target
    output = decoder(apply_bridge(bridge, code, frames), initial_hidden, teacher)
    output = flip_time(output, lengths) if reverse else output
    return from_frames(output, patch_size,
                       output.shape[1] * patch_size if n_steps is None else n_steps)


class RecurrentAutoencoder(nn.Module):
    """Recurrent autoencoder with a pluggable context bridge.

    ``bridge='repeat'`` is the standard RAE, ``'reshape'`` RAES (Eq. 1), ``'stretch'`` RAES
    with the stretched context (Sec. 2.3; ``'reshape'`` with ``stretch=True`` stretches only
    where Eq. 1 cannot hold), ``'conv'`` RAESC (Eq. 2). Keyword arguments have the names (and
    meanings) of the estimators' parameters (:mod:`seqae._engine.params`), which pass them on
    unchanged.

    Parameters
    ----------
    n_features : int
        Features per input step (``m_X``); also the output's features.
    n_timesteps : int
        Output length ``n_Y`` (the input length ``n_X`` of the training data).
    n_components : int
        Context size ``n_C``: the length of the code; the encoder's hidden size (each
        direction has ``n_C // 2`` units when ``bidirectional``).

    bridge : str
        How the code becomes the decoder's input sequence (see :mod:`seqae.modules.bridges`).
    cell : {'gru', 'lstm'}
        Recurrent cell of encoder and decoder.
    hidden_size : int or None
        Decoder's hidden size; ``None`` uses ``n_components`` (as in the paper's experiments).
    activation : str
        Cell activation of both recurrent layers (``'tanh'`` uses the fused kernels).
    stretch : bool
        ``bridge='reshape'`` where Eq. 1 cannot hold: stretch the code (True) or raise.
    kernel_size, pool_size : int
        Of the ``'conv'`` bridge.
    num_layers : int
        Stacked layers of encoder and decoder; the readout reads the encoder's last layer.
    bidirectional : bool
        Bidirectional encoder. With ``readout='last'`` the code is the final forward state
        followed by the final backward state, ``n_C / 2`` each (``n_C`` must be even).
    conditional_decoder : bool
        Conditioned decoder(s): each step also reads the previous output (teacher forcing in
        training, the decoder's own output otherwise).
    reverse_target : bool
        Train the reconstruction decoder to emit the sequence reversed (outputs are flipped
        back, so ``reconstruct`` and ``forward`` are in natural order); given ``lengths``,
        each sequence within its own length (:func:`flip_time`).
    noise : float
        Standard deviation of the Gaussian noise added to the encoder's input in training
        (a denoising autoencoder; the target stays clean).
    mode : {'reconstruction', 'prediction', 'composite'}
        What the decoder(s) learn from a training sequence of ``n_timesteps`` steps. With
        ``k = n_future``, the encoder reads the first ``n_timesteps - k`` steps in the
        prediction modes; ``'prediction'`` decodes the last ``k`` steps (the future),
        ``'composite'`` has a second decoder for them (one encoder, two decoders).
    n_future : int
        Steps ``k`` to predict; only for the prediction modes.
    sparsity : float
        Positive: ``forward`` returns the code too (the criterion weights its L1 norm).
    jacobian_penalty : float
        Positive: in training, ``forward`` also returns each sequence's squared Frobenius
        norm of ``d code / d input`` (``SeqAEOutput.jacobian``; observed entries only,
        given ``mask``), estimated from ``jacobian_projections`` random projections.
    jacobian_projections : int
        Projections per batch of that estimate.
    readout : str
        What the encoder reads out of its states (see
        :class:`~seqae.modules.rnn.RecurrentEncoder`): ``'last'`` is the final state (the
        paper's context); pooled readouts (``'mean'``, ``'max'``, combinations such as
        ``'last+mean+max'``) are mapped to the ``n_components`` values of the code by a
        linear layer.
    patch_size : int
        Read the sequences as frames of ``patch_size`` consecutive steps
        (:mod:`~seqae.modules.frames`): encoder and decoder run ``ceil(n_steps / p)`` steps of
        ``p * n_features`` values, and the bridge lays the code out over those frames. Inputs
        and outputs stay ``(batch, time, features)``.
    contrastive : float
        Positive: in training, also encode a random view of each sequence
        (:class:`~seqae.modules.augment.RandomView` of mode ``contrastive_view``) and
        return its code as ``SeqAEOutput.view_code``, for the criterion's contrastive term.
    contrastive_view : str
        The view's mode.
    isometry : float
        Positive: in training, ``forward`` returns the code too (the criterion's
        distance-preserving term).

    ``forward(x, lengths=None, mask=None)`` returns the reconstruction (a tensor) in mode
    ``'reconstruction'`` without the extra terms above, else a :class:`SeqAEOutput`;
    ``mask`` (observed entries) matters only to the Jacobian penalty. ``lengths``
    (one per sequence of a zero-padded batch of ragged sequences) reaches the encoder (see
    :class:`~seqae.modules.rnn.RecurrentEncoder`) and a reversed target; the prediction
    modes, which split every sequence at one step, take no ``lengths``.
    """

    def __init__(self, n_features: int, n_timesteps: int, n_components: int, *,
                 bridge: str = "repeat", cell: str = "gru", hidden_size: int | None = None,
                 activation: str = "tanh", stretch: bool = False, kernel_size: int = 3,
                 pool_size: int = 3, num_layers: int = 1, bidirectional: bool = False,
                 conditional_decoder: bool = False, reverse_target: bool = False,
                 noise: float = 0.0, mode: str = "reconstruction", n_future: int = 0,
                 sparsity: float = 0.0, jacobian_penalty: float = 0.0,
                 jacobian_projections: int = 1, readout: str = "last",
                 contrastive: float = 0.0, contrastive_view: str = "stretch+mask",
                 isometry: float = 0.0, patch_size: int = 1) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
        if bidirectional and n_components % 2 and readout == "last":
            raise ValueError(
                f"a bidirectional encoder with readout='last' makes the code of its forward "
                f"and backward final states, n_C / 2 units each, so n_C must be even; got "
                f"n_C={n_components}. Use an even n_C, or a pooled readout."
            )
        self.mode = mode
        self.n_future = n_future if mode != "reconstruction" else 0
        if mode != "reconstruction" and not 1 <= n_future < n_timesteps:
            raise ValueError(
                f"mode={mode!r} predicts the last n_future steps from the ones before, so "
                f"1 <= n_future < n_timesteps={n_timesteps}; got n_future={n_future}."
            )
        self.n_input_steps = n_timesteps - self.n_future
        self.reverse = reverse_target and mode != "prediction"
        self.return_code = sparsity > 0
        # the isometry term, like the contrastive one, is a training term only: the
        # validation loss stays the reconstruction's
        self.train_code = isometry > 0
        self.jacobian_projections = jacobian_projections if jacobian_penalty > 0 else 0
        decoder_hidden_size = hidden_size or n_components
        encoder_size = n_components // 2 if bidirectional else n_components
        self.patch_size = patch_size
        self.noise = GaussianNoise(noise)
        frame_features = patch_size * n_features
        self.encoder = RecurrentEncoder(frame_features, encoder_size, cell, activation,
                                        num_layers, bidirectional, readout)
        # a pooled readout has another size than the code: a linear layer maps it
        self.projection = (nn.Identity() if self.encoder.output_size == n_components else
                           RowwiseLinear(self.encoder.output_size, n_components))
        self.view = RandomView(mode=contrastive_view) if contrastive > 0 else None

        def head(n_steps):
            bridge_ = make_bridge(bridge, n_components, frame_count(n_steps, patch_size),
                                  stretch=stretch, kernel_size=kernel_size,
                                  pool_size=pool_size)
            decoder = RecurrentDecoder(bridge_.n_step_features, decoder_hidden_size,
                                       frame_features, cell, activation, num_layers,
                                       conditional_decoder)
            return bridge_, decoder

        # the main head: reconstruction (or the future in mode 'prediction')
        self.n_output_steps = self.n_future if mode == "prediction" else self.n_input_steps
        self.bridge, self.decoder = head(self.n_output_steps)
        if mode == "composite":
            self.future_bridge, self.future_decoder = head(self.n_future)

    def _window(self, x, lengths=None, last=False):
        """The steps the encoder reads: all of them, or the first (``last``: the last)
        ``n_input_steps`` of them in the prediction modes, which split each sequence at a
        fixed step and so take no ragged batch (``lengths``)."""
        if not self.n_future:
            return x
        if lengths is not None:
            raise ValueError(f"mode={self.mode!r} splits every sequence at step "
                             f"{self.n_input_steps}; ragged batches (lengths) are not "
                             "supported in the prediction modes")
        return x[:, -self.n_input_steps:] if last else x[:, :self.n_input_steps]

    def _code(self, x, lengths=None):
        frames = to_frames(x, self.patch_size, lengths)
        return self.projection(self.encoder(frames, frame_lengths(lengths, self.patch_size)))

    def _decode(self, which, code, target=None, lengths=None):
        """Run the main head (``which='main'``) or the future head on ``code``."""
        if which == "main":
            return run_decoder(self.bridge, self.decoder, code, target=target,
                               reverse=self.reverse,
                               n_steps=self.n_output_steps, lengths=lengths,
                               patch_size=self.patch_size)
        return run_decoder(self.future_bridge, self.future_decoder, code, target=target,
                           n_steps=self.n_future, patch_size=self.patch_size)

    def encode(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """``(batch, time, features) -> (batch, n_components)``; ``lengths`` of a padded batch
        of ragged sequences. In the prediction modes only the first ``n_input_steps`` steps
        are read (the window the encoder is trained on)."""
        return self._code(self._window(x, lengths), lengths)

    def decode(self, code: Tensor, lengths: Tensor | None = None) -> Tensor:
        """``(batch, n_components) -> (batch, steps, n_features)``: the reconstruction (the
        forecast in mode ``'prediction'``); ``lengths`` (ragged sequences) matters only to a
        reversed target, which is flipped back within each length."""
        return self._decode("main", code, lengths=lengths)

    def reconstruct(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """Deterministic reconstruction ``decode(encode(x))`` (always ``n_timesteps`` steps)."""
        return self.decode(self.encode(x, lengths), lengths)

    def forecast(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """The ``n_future`` steps that follow ``x``, predicted from its last
        ``n_input_steps`` steps (prediction modes only; no ragged ``lengths``)."""
        if not self.n_future:
            raise ValueError("forecast needs mode='prediction' or 'composite'")
        code = self._code(self._window(x, lengths, last=True))
        return self._decode("main" if self.mode == "prediction" else "future", code)

    def forward(self, x: Tensor, lengths: Tensor | None = None, mask: Tensor | None = None
                ) -> Tensor | SeqAEOutput:
        inputs, future = self._window(x, lengths), x[:, self.n_input_steps:]
        encoder_input = self.noise(inputs)
        jacobian = None
        if self.jacobian_projections and self.training:
            # the contractive term differentiates the code with respect to the encoder's
            # input (cuDNN's RNN kernels have no double backward: they are off for this pass)
            encoder_input = encoder_input.detach().requires_grad_()
            with torch.backends.cudnn.flags(enabled=False):
                code = self._code(encoder_input, lengths)
                window_mask = None if mask is None else self._window(mask)
                jacobian = jacobian_norm_sq(code, encoder_input, window_mask,
                                            self.jacobian_projections)
        else:
            code = self._code(encoder_input, lengths)
        view_code = None
        if self.view is not None and self.training:
            view_code = self._code(*self.view(inputs, lengths))
        teach = self.training  # teacher forcing in training only
        reconstruction = prediction = None
        if self.mode == "prediction":
            prediction = self._decode("main", code, target=future if teach else None)
        else:
            reconstruction = self._decode("main", code, target=inputs if teach else None,
                                          lengths=lengths)
        if self.mode == "composite":
            prediction = self._decode("future", code, target=future if teach else None)
        keep_code = (self.return_code or view_code is not None
                     or (self.train_code and self.training))
        if self.mode == "reconstruction" and not keep_code and jacobian is None:
            return reconstruction  # type: ignore[return-value]  # set in this mode
        return SeqAEOutput(reconstruction, prediction, code if keep_code else None, view_code,
                           jacobian)


class VariationalRecurrentAutoencoder(nn.Module):
    """VRAE (Fabius & van Amersfoort): RNN encoder -> Gaussian latent -> RNN decoder.

    The encoder's final state gives the mean and log-variance of ``q(z | x)``; a sample
    ``z = mu + sigma * eps`` (the reparameterisation trick; the mean itself in eval mode) is
    mapped by a linear layer and tanh to the decoder's initial state (of every layer), and
    the decoder reads the bridge's sequence (zeros by default: an unconditioned decoder) and
    a dense layer gives the output. ``forward`` returns ``(output, mu, logvar)`` for the ELBO
    loss, where ``output`` is the mean (``'gaussian'``) or the logits (``'bernoulli'``);
    ``decode`` returns the mean, or the probabilities.

    A sequence-aware bridge (``'reshape'``: Eq. 1 of the RAES paper, ``'stretch'``,
    ``'conv'``: Eq. 2) lays ``z`` out as the decoder's input sequence, as the RAES paper's
    conclusion proposes; ``z`` still sets the initial state too.

    Parameters
    ----------
    n_features, n_timesteps, n_components, cell, activation, stretch, kernel_size, pool_size
        As in :class:`RecurrentAutoencoder`; ``n_components`` is the latent size.
    hidden_size : int or None
        Hidden size of encoder (per direction) and decoder; ``None`` uses ``n_components``.
    bridge : str
        Decoder input built from ``z``; ``'zeros'`` feeds no information, so the latent enters
        only through the initial state.
    num_layers, bidirectional, conditional_decoder, reverse_target
        As in :class:`RecurrentAutoencoder` (the mean and log-variance are computed from
        both directions' final states, so no size constraint applies).
    likelihood : {'gaussian', 'bernoulli'}
        Output distribution; a conditioned decoder feeds back the probabilities for
        ``'bernoulli'``.
    readout : str
        What the encoder reads out of its states, from which the mean and log-variance are
        computed (see :class:`~seqae.modules.rnn.RecurrentEncoder`).
    patch_size : int
        As in :class:`RecurrentAutoencoder`.
    """

    def __init__(self, n_features: int, n_timesteps: int, n_components: int, *,
                 hidden_size: int | None = None, bridge: str = "zeros", cell: str = "gru",
                 activation: str = "tanh", stretch: bool = False, kernel_size: int = 3,
                 pool_size: int = 3, num_layers: int = 1, bidirectional: bool = False,
                 conditional_decoder: bool = False, reverse_target: bool = False,
                 likelihood: str = "gaussian", readout: str = "last",
                 patch_size: int = 1) -> None:
        super().__init__()
        if likelihood not in LIKELIHOODS:
            raise ValueError(f"unknown likelihood {likelihood!r}; expected one of "
                             f"{LIKELIHOODS}")
        hidden_size = hidden_size or n_components
        self.num_layers = num_layers
        self.hidden_size = hidden_size
        self.reverse = reverse_target
        self.likelihood = likelihood
        self.n_timesteps = n_timesteps
        self.patch_size = patch_size
        self.encoder = RecurrentEncoder(patch_size * n_features, hidden_size, cell, activation,
                                        num_layers, bidirectional, readout)
        self.to_latent = RowwiseLinear(self.encoder.output_size, 2 * n_components)
        self.to_state = RowwiseLinear(n_components, num_layers * hidden_size)
        self.bridge = make_bridge(bridge, n_components, frame_count(n_timesteps, patch_size),
                                  stretch=stretch, kernel_size=kernel_size,
                                  pool_size=pool_size)
        feedback = "sigmoid" if likelihood == "bernoulli" else "identity"
        self.decoder = RecurrentDecoder(self.bridge.n_step_features, hidden_size,
                                        patch_size * n_features, cell, activation, num_layers,
                                        conditional_decoder, feedback)

    def latent_params(self, x: Tensor, lengths: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Mean and log-variance of ``q(z | x)``, each ``(batch, n_components)``."""
        frames = to_frames(x, self.patch_size, lengths)
        features = self.encoder(frames, frame_lengths(lengths, self.patch_size))
        mu, logvar = self.to_latent(features).chunk(2, dim=1)
        return mu, logvar

    def encode(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """The posterior mean: a deterministic code."""
        return self.latent_params(x, lengths)[0]

    def _initial_hidden(self, z):
        state = torch.tanh(self.to_state(z))  # (batch, num_layers * hidden)
        if self.num_layers == 1:
            return state
        return state.view(len(z), self.num_layers, self.hidden_size).transpose(0, 1).contiguous()

    def decode_output(self, z, target=None, n_steps=None, lengths=None):
        """The decoder's raw output (mean or logits) for latent vectors ``z``; ``lengths``
        (ragged sequences) matters only to a reversed target (see :func:`run_decoder`)."""
        return run_decoder(self.bridge, self.decoder, z, initial_hidden=self._initial_hidden(z),
                           target=target, reverse=self.reverse,
                           n_steps=self.n_timesteps if n_steps is None else n_steps,
                           lengths=lengths, patch_size=self.patch_size)

    def decode(self, z: Tensor, n_steps: int | None = None, lengths: Tensor | None = None
               ) -> Tensor:
        """``(batch, n_components) -> (batch, steps, n_features)``: the mean (or the
        probabilities); ``n_steps`` other than the training length needs a bridge of any
        length ('zeros' or 'repeat')."""
        output = self.decode_output(z, n_steps=n_steps, lengths=lengths)
        return torch.sigmoid(output) if self.likelihood == "bernoulli" else output

    def reconstruct(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        return self.decode(self.encode(x, lengths), lengths=lengths)

    def forward(self, x: Tensor, lengths: Tensor | None = None) -> Any:
        mu, logvar = self.latent_params(x, lengths)
        z = mu
        if self.training:
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        output = self.decode_output(z, target=x if self.training else None, lengths=lengths)
        return output, mu, logvar
