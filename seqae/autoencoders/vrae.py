"""Variational recurrent autoencoder (Fabius & van Amersfoort)."""

from __future__ import annotations

from functools import partial

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils.validation import check_is_fitted

from .base import BaseSequenceAutoencoder
from .._engine.batches import _decode, _unpack
from .._engine.callbacks import KLWarmup
from .._engine.params import arguments, rows
from .._engine.validation import resolve_seed, to_float32_tensor
from ..modules import ELBOLoss, VariationalRecurrentAutoencoder, negative_elbo
from .rae import check_eq1


__all__ = ["VRAETransformer"]


def _decode_steps(module, z, n_steps):
    return module.decode(z, n_steps=n_steps)


def _elbo(module, batch, likelihood):
    x, lengths, mask = _unpack(batch)  # padding and missing values are not scored
    mu, logvar = module.latent_params(x, lengths)
    output = module.decode_output(mu, lengths=lengths)
    # float64 reductions: see seqae._engine.batches._reconstruction_mse
    return -negative_elbo(output.double(), mu.double(), logvar.double(), x.double(),
                          likelihood, mask=mask)


class VRAETransformer(BaseSequenceAutoencoder):
    """Variational recurrent autoencoder (VRAE).

    An RNN encoder gives the mean and log-variance of a Gaussian posterior over an
    ``n_C``-dimensional latent ``z`` (a linear layer on its readout); a reparameterised
    sample of ``z`` is mapped by a linear layer (and tanh) to the decoder's initial state;
    the decoder, an RNN with a dense output at every step, reads no other input by default
    (an unconditioned decoder). Training minimises the negative ELBO: reconstruction error
    (squared error, or binary cross-entropy for ``likelihood='bernoulli'``) plus ``beta``
    times the KL divergence to the standard normal prior, both summed over time steps and
    features (latent dimensions) per sequence and averaged over the batch.

    ``transform`` returns the posterior mean, so it is deterministic; ``inverse_transform``
    decodes given latent vectors; :meth:`sample` generates new sequences from the prior
    (longer ones too); :meth:`interpolate` decodes the straight path between two sequences'
    latent means; ``score_samples`` is the per-sequence ELBO (higher is more normal).

    ``bridge`` other than ``'zeros'`` also feeds ``z`` to the decoder as its input sequence;
    ``'reshape'`` (Eq. 1, with ``stretch`` as in RAES) and ``'conv'`` (Eq. 2, with
    ``kernel_size`` and ``pool_size`` as in RAESC) are the RAES paper's sequence-aware
    layouts (the same bridge modules as RAES/RAESC), which the paper's conclusion proposes
    for the VRAE.

    {parameters}

    Examples
    --------
    >>> from seqae import VRAETransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 1, random_state=0)
    >>> vrae = VRAETransformer(2, max_epochs=2, random_state=0).fit(X)
    >>> vrae.transform(X).shape
    (20, 2)
    >>> vrae.sample(3, n_timesteps=40, random_state=0).shape
    (3, 40, 1)
    >>> vrae.interpolate(X[:1], X[1:2], n_points=5).shape
    (1, 5, 16, 1)
    """

    _module = VariationalRecurrentAutoencoder
    _criterion = ELBOLoss
    _params = rows(
        "n_components", "sigma", "beta", "kl_warmup", "likelihood", "bridge", "stretch",
        "kernel_size", "pool_size", "cell", "hidden_size", "readout", "num_layers",
        "bidirectional", "conditional_decoder", "reverse_target", "max_epochs", "batch_size",
        "lr", "validation_fraction", "device", "random_state", "verbose", "callbacks",
        "missing", "clip_grad_norm", "patience", "patch_size")

    def __init__(self, n_components=None, *, sigma="auto", beta=1.0, kl_warmup=0,
                 likelihood="gaussian", bridge="zeros", stretch=True, kernel_size=3,
                 pool_size=3, cell="gru", hidden_size=None, readout="mean+max", num_layers=1,
                 bidirectional=False, conditional_decoder=False, reverse_target=False,
                 max_epochs="auto", batch_size="auto", lr=1e-3, validation_fraction=0.0,
                 device="auto", random_state=None, verbose="auto", callbacks=None,
                 missing="error", clip_grad_norm=None, patience=None, patch_size="auto"):
        super().__init__(**arguments(locals()))

    def _resolve_n_components(self, n_timesteps, n_channels):
        n_components = super()._resolve_n_components(n_timesteps, n_channels)
        if self.bridge == "reshape" and not self.stretch:
            check_eq1(self, n_components,
                      "or stretch=True (gaps filled with averages) or bridge='conv'")
        return n_components

    def _training_callbacks(self):
        callbacks = super()._training_callbacks()
        if self.kl_warmup:
            callbacks.append(("kl_warmup", KLWarmup(self.beta, self.kl_warmup)))
        return callbacks

    def _to_layout(self, sequences):
        return sequences[..., 0] if self.input_ndim_ == 2 else sequences

    def score_samples(self, X: ArrayLike) -> NDArray[np.float64]:
        """Per-sequence evidence lower bound (ELBO); higher is more normal.

        ``ELBO(x) = -reconstruction_error(x) - KL(q(z | x) || N(0, I))``, the reconstruction
        decoded from the posterior mean (a deterministic one-point estimate of the
        expectation over ``q``) and the KL with weight 1 whatever ``beta``. The
        reconstruction error is the squared error summed over time steps and features
        (``'gaussian'``: the log-likelihood up to a factor 2 and a constant) or the binary
        cross-entropy (``'bernoulli'``: the exact log-likelihood). As the ELBO bounds
        ``log p(x)`` from below, low scores flag anomalies. For ragged sequences and missing
        values (``missing='mask'``) the sum runs over the observed entries only: the ELBO of
        the observed part of each sequence (so, unlike the mean squared error of the other
        estimators, it scales with the number of observed entries).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``transform``; a sequence of a list longer than ``n_timesteps_`` is
            scored on its first ``n_timesteps_`` steps (all the decoder produces).

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            float32 for float32 input, float64 for any other dtype (float16 included).
        """
        return self._apply_to_sequences(partial(_elbo, likelihood=self.likelihood), X)

    def sample(self, n_samples: int = 1, n_timesteps: int | None = None,
               random_state: int | np.random.RandomState | None = None) -> NDArray[np.float64]:
        """Generate sequences: draw ``z`` from the prior ``N(0, I)`` and decode it.

        Parameters
        ----------
        n_samples : int, default=1
            Number of sequences.
        n_timesteps : int or None, default=None
            Length of the generated sequences; ``None`` is the training length
            ``n_timesteps_``. Longer (or shorter) sequences need a decoder input of any
            length (``bridge='zeros'`` or ``'repeat'``): the decoder simply runs on, as in
            the VRAE paper; a sequence-aware layout fixes the length.
        random_state : int, RandomState instance or None, default=None
            Seed of the draws of ``z`` (``numpy.random.default_rng(seed)
            .standard_normal((n_samples, n_components_))`` for an int seed); the global
            random states are left untouched.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_timesteps) or (n_samples, n_timesteps, n_features)
            In the layout seen in ``fit``, float64; means (``'gaussian'``) or probabilities
            (``'bernoulli'``).
        """
        check_is_fitted(self)
        if int(n_samples) != n_samples or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer; got {n_samples!r}.")
        if n_timesteps is None:
            n_timesteps = self.n_timesteps_
        elif int(n_timesteps) != n_timesteps or n_timesteps < 1:
            raise ValueError(f"n_timesteps must be a positive integer; got {n_timesteps!r}.")
        rng = np.random.default_rng(resolve_seed(random_state))
        z = rng.standard_normal((int(n_samples), self.n_components_))
        decoded = self.net_.apply_module(partial(_decode_steps, n_steps=int(n_timesteps)),
                                         to_float32_tensor(z))
        return self._to_layout(decoded.numpy().astype(np.float64))

    def interpolate(self, X_start: ArrayLike, X_end: ArrayLike, n_points: int = 8
                    ) -> NDArray[np.float64]:
        """Decode the straight path between two sequences' latent means.

        For each pair ``(X_start[i], X_end[i])`` the posterior means ``mu_s`` and ``mu_e``
        are computed and ``(1 - a) * mu_s + a * mu_e`` is decoded for ``n_points`` evenly
        spaced ``a`` from 0 to 1 (both ends included), as in the VRAE paper's latent-space
        interpolation.

        Parameters
        ----------
        X_start, X_end : array-like of shape (n_samples, n_timesteps[, n_features])
            The sequences to start and end from (pairs by row).
        n_points : int, default=8
            Points on each path, at least 2.

        Returns
        -------
        paths : ndarray of shape (n_samples, n_points, n_timesteps[, n_features])
            ``paths[i, 0]`` decodes ``X_start[i]``'s mean, ``paths[i, -1]`` ``X_end[i]``'s;
            the last dimension as in the layout seen in ``fit``.
        """
        check_is_fitted(self)
        if int(n_points) != n_points or n_points < 2:
            raise ValueError(f"n_points must be an integer >= 2; got {n_points!r}.")
        start, end = self.transform(X_start), self.transform(X_end)
        if start.shape != end.shape:
            raise ValueError(f"X_start and X_end must hold as many sequences; got "
                             f"{len(start)} and {len(end)}.")
        alphas = np.linspace(0.0, 1.0, int(n_points), dtype=start.dtype)[None, :, None]
        path = (1 - alphas) * start[:, None] + alphas * end[:, None]
        codes = to_float32_tensor(path.reshape(-1, start.shape[1]))
        decoded = self.net_.apply_module(_decode, codes)
        decoded = decoded.numpy().astype(start.dtype, copy=False)
        decoded = decoded.reshape(len(start), int(n_points), *decoded.shape[1:])
        return self._to_layout(decoded)
