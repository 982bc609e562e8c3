"""Variational recurrent autoencoder (Fabius & van Amersfoort)."""

from functools import partial
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _docs
from ._base import BaseSequenceAutoencoder, _decode, _unpack
from ._callbacks import KLWarmup
from ._options import DECODER_CONSTRAINTS, DEFAULT_READOUT, decoder_module_params
from ._validation import resolve_seed, to_float32_tensor
from .modules import (LIKELIHOODS, ELBOLoss, VariationalRecurrentAutoencoder, frame_count,
                      negative_elbo)
from .rae import check_sequence_aware_size

__all__ = ["VRAETransformer"]

VRAE_BRIDGES = ("zeros", "repeat", "reshape", "stretch", "conv")


def _decode_steps(module, z, n_steps):
    return module.decode(z, n_steps=n_steps)


def _elbo(module, batch, likelihood):
    x, lengths, mask = _unpack(batch)  # padding and missing values are not scored
    mu, logvar = module.latent_params(x, lengths)
    output = module.decode_output(mu, lengths=lengths)
    # float64 reductions: see seqae._base._reconstruction_mse
    return -negative_elbo(output.double(), mu.double(), logvar.double(), x.double(),
                          likelihood, mask=mask)


class VRAETransformer(BaseSequenceAutoencoder):
    __doc__ = f"""Variational recurrent autoencoder (VRAE).

    An RNN encoder gives the mean and log-variance of a Gaussian posterior over an
    ``n_C``-dimensional latent ``z``; a reparameterised sample of ``z`` is mapped by a linear
    layer (and tanh) to the decoder's initial state; the decoder, an RNN with a dense output
    at every step, reads no other input by default (an unconditioned decoder). Training
    minimises the negative ELBO: reconstruction error (squared error, or binary
    cross-entropy for ``likelihood='bernoulli'``) plus ``beta`` times the KL divergence to
    the standard normal prior, both summed over time steps and features (latent dimensions)
    per sequence and averaged over the batch.

    ``transform`` returns the posterior mean, so it is deterministic; ``inverse_transform``
    decodes given latent vectors; :meth:`sample` generates new sequences from the prior
    (longer ones too); :meth:`interpolate` decodes the straight path between two sequences'
    latent means; ``score_samples`` is the per-sequence ELBO (higher is more normal).

    ``bridge`` other than ``'zeros'`` also feeds ``z`` to the decoder as its input sequence;
    ``'reshape'`` (Eq. 1), ``'stretch'`` and ``'conv'`` (Eq. 2) are the RAES paper's
    sequence-aware layouts (the same bridge modules as RAES/RAESC), which the paper's
    conclusion proposes for the VRAE: ``'reshape'`` feeds ``n_X`` steps of
    ``lambda = n_C / n_X`` latent values (``n_C`` must be a multiple of ``n_X``).

    Parameters
    ----------
    {_docs.SIGMA}
    {_docs.N_COMPONENTS}
    beta : float, default=1.0
        Weight of the KL term (``beta``-VAE); 1 is the plain ELBO.
    kl_warmup : int, default=0
        KL warm-up: over the first ``kl_warmup`` epochs the KL weight rises linearly from 0
        (first epoch) to ``beta`` (reached at epoch ``kl_warmup + 1``); the weight of each
        epoch is in ``net_.history[:, 'kl_weight']``. 0 uses ``beta`` from the start. The
        warm-up weights the training loss only: the validation loss is always the full
        negative ELBO (weight ``beta``), so that epochs stay comparable for ``patience``.
    likelihood : {{'gaussian', 'bernoulli'}}, default='gaussian'
        Output distribution. ``'gaussian'``: squared error, outputs are means.
        ``'bernoulli'``: binary cross-entropy for data in [0, 1] (e.g. piano rolls, as in
        the VRAE paper); outputs (``inverse_transform``, ``sample``) are probabilities.
    hidden_size : int or None, default=None
        Hidden size of the encoder (per direction) and decoder RNNs; ``None`` uses the
        latent size ``n_C``.
    bridge : {{'zeros', 'repeat', 'reshape', 'stretch', 'conv'}}, default='zeros'
        Decoder input sequence made from ``z``: ``'zeros'`` (none: ``z`` enters through the
        initial state only, the VRAE paper), ``'repeat'`` (``z`` at every step), or a
        sequence-aware layout (see above; ``kernel_size=3``, ``pool_size=3`` for 'conv').
    {_docs.CELL}
    {_docs.READOUT}
        For the VRAE the readout gives the posterior's mean and log-variance.
    num_layers : int, default=1
        Stacked recurrent layers in encoder and decoder; ``z`` sets every decoder layer's
        initial state.
    bidirectional : bool, default=False
        Bidirectional encoder; the mean and log-variance are computed from both
        directions' final states (``hidden_size`` units each). With ragged input the
        backward direction starts at each sequence's own last step (see RAETransformer).
    conditional_decoder : bool, default=False
        Feed the decoder its previous output at each step (zeros at the first), as in the
        VRAE paper's decoder: the data's previous step in training (teacher forcing), the
        decoder's own previous output (probabilities for ``'bernoulli'``) when decoding.
    reverse_target : bool, default=False
        Train the decoder to emit the sequence reversed; outputs are flipped back. Ragged
        sequences are reversed within their own lengths.
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    Examples
    --------
    >>> from seqae import VRAETransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 1, random_state=0)
    >>> vrae = VRAETransformer(n_components=2, max_epochs=2, random_state=0).fit(X)
    >>> vrae.transform(X).shape
    (20, 2)
    >>> vrae.sample(3, n_timesteps=40, random_state=0).shape
    (3, 40, 1)
    >>> vrae.interpolate(X[:1], X[1:2], n_points=5).shape
    (1, 5, 16, 1)
    """

    _module = VariationalRecurrentAutoencoder
    _criterion = ELBOLoss
    _parameter_constraints = {
        **BaseSequenceAutoencoder._parameter_constraints,
        **DECODER_CONSTRAINTS,
        "beta": [Interval(Real, 0, None, closed="left")],
        "kl_warmup": [Interval(Integral, 0, None, closed="left")],
        "likelihood": [StrOptions(set(LIKELIHOODS))],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), None],
        "bridge": [StrOptions(set(VRAE_BRIDGES))],
    }

    def __init__(self, sigma="auto", *, n_components=None, beta=1.0, kl_warmup=0,
                 likelihood="gaussian", hidden_size=None, bridge="zeros", cell="gru",
                 readout=DEFAULT_READOUT, num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, max_epochs="auto",
                 batch_size="auto", lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None, verbose="auto",
                 callbacks=None, missing="error", clip_grad_norm=None, patience=None,
                 patch_size="auto"):
        super().__init__(
            sigma, n_components=n_components, cell=cell, max_epochs=max_epochs,
            batch_size=batch_size, lr=lr, validation_fraction=validation_fraction,
            device=device, random_state=random_state, verbose=verbose, callbacks=callbacks,
            missing=missing, clip_grad_norm=clip_grad_norm, patience=patience,
            patch_size=patch_size,
        )
        self.beta = beta
        self.kl_warmup = kl_warmup
        self.likelihood = likelihood
        self.hidden_size = hidden_size
        self.bridge = bridge
        self.readout = readout
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.conditional_decoder = conditional_decoder
        self.reverse_target = reverse_target

    def _resolve_n_components(self, n_timesteps, n_channels):
        n_components = super()._resolve_n_components(n_timesteps, n_channels)
        if self.bridge == "reshape":
            check_sequence_aware_size(
                self, n_components, frame_count(n_timesteps, self.patch_size_), n_channels,
                "or use bridge='stretch' (gaps filled with averages) or bridge='conv'")
        return n_components

    def _module_params(self, n_components):
        return {"hidden_size": self.hidden_size, "bridge": self.bridge, "cell": self.cell,
                "likelihood": self.likelihood, **decoder_module_params(self)}

    def _criterion_params(self):
        return {"beta": self.beta, "likelihood": self.likelihood}

    def _training_callbacks(self):
        callbacks = super()._training_callbacks()
        if self.kl_warmup:
            callbacks.append(("kl_warmup", KLWarmup(self.beta, self.kl_warmup)))
        return callbacks

    def _to_layout(self, sequences):
        return sequences[..., 0] if self.input_ndim_ == 2 else sequences

    def score_samples(self, X):
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
        """
        return self._apply_to_sequences(partial(_elbo, likelihood=self.likelihood), X)

    def sample(self, n_samples=1, n_timesteps=None, random_state=None):
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

    def interpolate(self, X_start, X_end, n_points=8):
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
