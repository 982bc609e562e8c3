"""Recurrent autoencoders as plain ``nn.Module``s: encoder -> bridge -> decoder."""

import torch
from torch import nn

from .bridges import make_bridge
from .rnn import RecurrentDecoder, RecurrentEncoder

__all__ = ["RecurrentAutoencoder", "VariationalRecurrentAutoencoder"]


class RecurrentAutoencoder(nn.Module):
    """Recurrent autoencoder with a pluggable context bridge.

    ``bridge='repeat'`` is the standard RAE, ``'reshape'`` RAES (Eq. 1), ``'stretch'`` RAES
    with the stretched context (Sec. 2.3), ``'conv'`` RAESC (Eq. 2).

    Parameters
    ----------
    n_features : int
        Features per input step (``m_X``); also the output's features.
    n_timesteps : int
        Output length ``n_Y`` (the input length ``n_X`` of the training data).
    n_components : int
        Context size ``n_C``: the encoder's hidden size and the length of the code.
    bridge : str
        How the code becomes the decoder's input sequence (see :mod:`seqae.modules.bridges`).
    cell : {'gru', 'lstm'}
        Recurrent cell of encoder and decoder.
    decoder_hidden_size : int or None
        Decoder's hidden size; ``None`` uses ``n_components`` (as in the paper's experiments).
    activation : str
        Cell activation of both recurrent layers (``'tanh'`` uses the fused kernels).
    bridge_kwargs : dict or None
        Extra arguments of the bridge (e.g. ``kernel_size`` and ``pool_size`` for ``'conv'``).
    """

    def __init__(self, n_features, n_timesteps, n_components, bridge="repeat", cell="gru",
                 decoder_hidden_size=None, activation="tanh", bridge_kwargs=None):
        super().__init__()
        decoder_hidden_size = decoder_hidden_size or n_components
        self.encoder = RecurrentEncoder(n_features, n_components, cell, activation)
        self.bridge = make_bridge(bridge, n_components, n_timesteps, **(bridge_kwargs or {}))
        self.decoder = RecurrentDecoder(self.bridge.n_step_features, decoder_hidden_size,
                                        n_features, cell, activation)

    def encode(self, x, lengths=None):
        """``(batch, time, features) -> (batch, n_components)``; ``lengths`` of a padded batch."""
        return self.encoder(x, lengths)

    def decode(self, code):
        """``(batch, n_components) -> (batch, n_timesteps, n_features)``."""
        return self.decoder(self.bridge(code))

    def reconstruct(self, x, lengths=None):
        """Deterministic reconstruction ``decode(encode(x))`` (always ``n_timesteps`` steps)."""
        return self.decode(self.encode(x, lengths))

    def forward(self, x, lengths=None):
        return self.reconstruct(x, lengths)


class VariationalRecurrentAutoencoder(nn.Module):
    """VRAE (Fabius & van Amersfoort): RNN encoder -> Gaussian latent -> RNN decoder.

    The encoder's final state gives the mean and log-variance of ``q(z | x)``; a sample
    ``z = mu + sigma * eps`` (the reparameterisation trick; the mean itself in eval mode) is
    mapped by a linear layer and tanh to the decoder's initial state, and the decoder reads the
    bridge's sequence (zeros by default: an unconditioned decoder) and a dense layer gives the
    output. ``forward`` returns ``(reconstruction, mu, logvar)`` for the ELBO loss.

    Parameters
    ----------
    n_features, n_timesteps, n_components, cell, activation, bridge_kwargs
        As in :class:`RecurrentAutoencoder`; ``n_components`` is the latent size.
    hidden_size : int or None
        Hidden size of encoder and decoder; ``None`` uses ``n_components``.
    bridge : str
        Decoder input built from ``z``; ``'zeros'`` feeds no information, so the latent enters
        only through the initial state.
    """

    def __init__(self, n_features, n_timesteps, n_components, hidden_size=None, bridge="zeros",
                 cell="gru", activation="tanh", bridge_kwargs=None):
        super().__init__()
        hidden_size = hidden_size or n_components
        self.encoder = RecurrentEncoder(n_features, hidden_size, cell, activation)
        self.to_latent = nn.Linear(hidden_size, 2 * n_components)
        self.to_state = nn.Linear(n_components, hidden_size)
        self.bridge = make_bridge(bridge, n_components, n_timesteps, **(bridge_kwargs or {}))
        self.decoder = RecurrentDecoder(self.bridge.n_step_features, hidden_size, n_features,
                                        cell, activation)

    def latent_params(self, x, lengths=None):
        """Mean and log-variance of ``q(z | x)``, each ``(batch, n_components)``."""
        mu, logvar = self.to_latent(self.encoder(x, lengths)).chunk(2, dim=1)
        return mu, logvar

    def encode(self, x, lengths=None):
        """The posterior mean: a deterministic code."""
        return self.latent_params(x, lengths)[0]

    def decode(self, z):
        return self.decoder(self.bridge(z), torch.tanh(self.to_state(z)))

    def reconstruct(self, x, lengths=None):
        return self.decode(self.encode(x, lengths))

    def forward(self, x, lengths=None):
        mu, logvar = self.latent_params(x, lengths)
        z = mu
        if self.training:
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decode(z), mu, logvar
