"""The RAES paper's three autoencoders: RAE (baseline), RAES (Eq. 1) and RAESC (Eq. 2)."""

from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from . import _docs
from ._base import BaseSequenceAutoencoder
from ._options import (DECODER_CONSTRAINTS, DEFAULT_CONTRASTIVE, DEFAULT_READOUT, DEFAULT_VIEW,
                       REGULARISATION_CONSTRAINTS, AutoencoderOptionsMixin)
from .modules import RecurrentAutoencoder, frame_count

__all__ = ["PAPER_PARAMS", "RAETransformer", "RAESTransformer", "RAESCTransformer"]

#: The RAES paper's experimental setting (Sec. 3) beyond ``sigma``: the encoder's final state
#: is the context (no pooled readout, no contrastive term), batches of 100, 100 epochs. With
#: ``sigma`` set (and ``stretch=False`` for RAES, as in the paper), e.g.
#: ``RAESTransformer(sigma=1.0, stretch=False, **PAPER_PARAMS)``, the estimators train the
#: paper's models; the defaults adapt to the data instead (see the user guide).
PAPER_PARAMS = {"readout": "last", "contrastive": 0.0, "batch_size": 100, "max_epochs": 100}


def check_sequence_aware_size(estimator, n_components, n_steps, n_channels, remedy):
    """Raise if Eq. 1 cannot lay ``n_components`` values out as the decoder's ``n_steps``
    steps (``n_X``, or its frames with ``patch_size_ > 1``).

    ``remedy`` names the estimator's own ways out (e.g. its stretch option).
    """
    if n_components % n_steps == 0:
        return
    n_timesteps = estimator.n_timesteps_
    origin = ("n_components" if estimator.n_components is not None else
              f"sigma={estimator.sigma} x m_X={n_channels} x n_X={n_timesteps}")
    working = ", ".join(f"{k * n_steps / (n_channels * n_timesteps):g}" for k in range(1, 5))
    frames = (f" (frames of patch_size_={estimator.patch_size_} steps)"
              if estimator.patch_size_ > 1 else "")
    raise ValueError(
        f"{type(estimator).__name__} lays the context of n_C={n_components} values ({origin}) "
        f"out as the decoder's {n_steps} steps{frames} of lambda = n_C / {n_steps} features "
        f"(Eq. 1), so n_C must be a multiple of n_X={n_steps}. For this input use sigma in "
        f"{{{working}, ...}} or n_components a multiple of {n_steps}; {remedy}."
    )


class _RecurrentAE(AutoencoderOptionsMixin, BaseSequenceAutoencoder):
    """The RAE family's shared parameters (base of the three estimators below)."""

    _module = RecurrentAutoencoder
    _parameter_constraints = {
        **BaseSequenceAutoencoder._parameter_constraints,
        **DECODER_CONSTRAINTS,
        **REGULARISATION_CONSTRAINTS,
    }

    def _bridge_params(self):
        raise NotImplementedError

    def _module_params(self, n_components):
        return {**self._bridge_params(), "cell": self.cell, **self._option_module_params()}


class RAETransformer(_RecurrentAE):
    __doc__ = f"""Standard recurrent autoencoder (RAE), the RAES paper's baseline (Fig. 1a).

    A GRU (or LSTM) encoder reads the sequence; its final hidden state is the code ``C`` of
    ``n_C`` values. The decoder reads ``C`` repeated at each of the ``n_X`` output steps, and a
    dense layer applied at every step gives the reconstruction.

    Parameters
    ----------
    {_docs.SIGMA}
    {_docs.N_COMPONENTS}
    {_docs.CELL}
    {_docs.DECODER}
    {_docs.REGULARISATION}
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    See Also
    --------
    RAESTransformer : The same model with a sequence-aware context (trains faster).
    RAESCTransformer : Sequence-aware context through a 1-D convolution (any ``n_C``).

    Examples
    --------
    >>> from seqae import RAETransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)
    >>> ae = RAETransformer(sigma=0.25, max_epochs=2, random_state=0).fit(X)
    >>> ae.transform(X).shape
    (20, 8)
    >>> ae.inverse_transform(ae.transform(X)).shape
    (20, 16, 2)
    """

    def __init__(self, sigma="auto", *, n_components=None, cell="gru", readout=DEFAULT_READOUT,
                 num_layers=1, bidirectional=False, conditional_decoder=False,
                 reverse_target=False, noise=0.0, sparsity=0.0, contrastive=DEFAULT_CONTRASTIVE,
                 contrastive_view=DEFAULT_VIEW,
                 loss="mse", max_epochs="auto", batch_size="auto", lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None,
                 verbose="auto", callbacks=None, missing="error", clip_grad_norm=None,
                 patience=None, patch_size="auto"):
        super().__init__(
            sigma, n_components=n_components, cell=cell, max_epochs=max_epochs,
            batch_size=batch_size, lr=lr, validation_fraction=validation_fraction,
            device=device, random_state=random_state, verbose=verbose, callbacks=callbacks,
            missing=missing, clip_grad_norm=clip_grad_norm, patience=patience,
            patch_size=patch_size,
        )
        self._set_options(num_layers, bidirectional, conditional_decoder, reverse_target,
                          noise, sparsity, loss, readout, contrastive, contrastive_view)

    def _bridge_params(self):
        return {"bridge": "repeat"}


class RAESTransformer(_RecurrentAE):
    __doc__ = f"""Recurrent autoencoder with sequence-aware encoding (RAES, Fig. 1b).

    The encoder's final state ``C`` (``n_C`` values) is read as a sequence of ``n_X`` steps of
    ``lambda = n_C / n_X`` features, ``C'[i, j] = C[i * lambda + j]`` (Eq. 1), and the decoder
    reads that sequence instead of ``C`` repeated. This needs ``n_C`` to be a multiple of the
    input length ``n_X``, i.e. ``sigma * m_X`` a whole number (with ``patch_size_ > 1``,
    ``n_X`` is the number of frames); where it is not, the default ``stretch='auto'``
    stretches the context (the paper's alternative), and ``stretch=False`` makes ``fit``
    raise a ``ValueError`` naming the ``sigma`` values that would work.

    Ragged input (a list of sequences of different lengths): ``n_X`` is the longest training
    sequence; shorter ones are zero-padded to it, their padded steps skipped by the encoder
    and masked out of the loss, and the decoder always reads the ``n_X``-step context (cut
    the output with ``inverse_transform(codes, lengths=...)``). ``transform`` accepts
    sequences of up to ``n_X`` steps.

    Parameters
    ----------
    {_docs.SIGMA}
    {_docs.N_COMPONENTS}
    stretch : bool or 'auto', default='auto'
        When ``n_C`` is not a multiple of ``n_X``, stretch ``C`` to ``n_X * ceil(n_C / n_X)``
        values, filling each gap with the average of its two neighbours, then apply Eq. 1
        (the paper's alternative, Sec. 2.3). No effect when ``n_C`` is a multiple.
        ``'auto'`` stretches exactly where Eq. 1 cannot hold; ``False`` raises there (the
        paper's Table 1 leaves those cells out).
    {_docs.CELL}
    {_docs.DECODER}
    {_docs.REGULARISATION}
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    See Also
    --------
    RAESCTransformer : Lifts the multiple-of-``n_X`` limit with a 1-D convolution.

    Examples
    --------
    >>> from seqae import RAESTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)
    >>> ae = RAESTransformer(sigma=0.5, max_epochs=2, random_state=0).fit(X)
    >>> ae.n_components_, ae.decoder_input_shape_
    (16, (16, 1))
    """

    _parameter_constraints = {
        **_RecurrentAE._parameter_constraints,
        "stretch": ["boolean", StrOptions({"auto"})],
    }

    def __init__(self, sigma="auto", *, n_components=None, stretch="auto", cell="gru",
                 readout=DEFAULT_READOUT, num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, noise=0.0, sparsity=0.0,
                 contrastive=DEFAULT_CONTRASTIVE,
                 contrastive_view=DEFAULT_VIEW, loss="mse", max_epochs="auto",
                 batch_size="auto", lr=1e-3, validation_fraction=0.0, device="auto",
                 random_state=None, verbose="auto", callbacks=None, missing="error",
                 clip_grad_norm=None, patience=None, patch_size="auto"):
        super().__init__(
            sigma, n_components=n_components, cell=cell, max_epochs=max_epochs,
            batch_size=batch_size, lr=lr, validation_fraction=validation_fraction,
            device=device, random_state=random_state, verbose=verbose, callbacks=callbacks,
            missing=missing, clip_grad_norm=clip_grad_norm, patience=patience,
            patch_size=patch_size,
        )
        self.stretch = stretch
        self._set_options(num_layers, bidirectional, conditional_decoder, reverse_target,
                          noise, sparsity, loss, readout, contrastive, contrastive_view)

    def _resolve_n_components(self, n_timesteps, n_channels):
        n_components = super()._resolve_n_components(n_timesteps, n_channels)
        if self.stretch is False:
            check_sequence_aware_size(
                self, n_components, frame_count(n_timesteps, self.patch_size_), n_channels,
                "or pass stretch=True to fill the gaps with averages; or use "
                "RAESCTransformer, which takes any context size")
        return n_components

    def _bridge_params(self):
        return {"bridge": "stretch" if self.stretch else "reshape"}

    def _module_params(self, n_components):
        params = super()._module_params(n_components)
        if self.stretch == "auto":  # stretch only where Eq. 1 cannot hold
            n_steps = frame_count(self.n_timesteps_, self.patch_size_)
            params["bridge"] = "stretch" if n_components % n_steps else "reshape"
        return params


class RAESCTransformer(_RecurrentAE):
    __doc__ = f"""Sequence-aware recurrent autoencoder with a 1-D convolution (RAESC, Fig. 1c).

    The code ``C`` is read as a one-channel sequence of length ``n_C``; a Conv1D with ``n_Y``
    filters (one per output step), then max-pooling with stride 1, then a transpose turn it
    into ``n_Y`` steps of ``n_C`` features for the decoder (Eq. 2). Any context size works.

    Ragged input (a list of sequences of different lengths): ``n_Y`` (the number of filters)
    is the longest training sequence; shorter ones are zero-padded, their padded steps
    skipped by the encoder and masked out of the loss (cut the output with
    ``inverse_transform(codes, lengths=...)``). ``transform`` accepts sequences of up to
    ``n_Y`` steps.

    Parameters
    ----------
    {_docs.SIGMA}
    {_docs.N_COMPONENTS}
    kernel_size : int, default=3
        Width of the convolution's filters ('same' padding, stride 1).
    pool_size : int, default=3
        Width of the max-pooling window ('same' padding, stride 1); 1 disables pooling.
    {_docs.CELL}
    {_docs.DECODER}
    {_docs.REGULARISATION}
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline
    >>> from sklearn.svm import SVC
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(30, 16, 1, random_state=0)
    >>> y = (X[:, :8, 0].mean(axis=1) > X[:, 8:, 0].mean(axis=1)).astype(int)
    >>> model = Pipeline([("ae", RAESCTransformer(sigma=0.5, max_epochs=2, random_state=0)),
    ...                   ("clf", SVC())]).fit(X, y)
    >>> model.predict(X).shape
    (30,)
    """

    _parameter_constraints = {
        **_RecurrentAE._parameter_constraints,
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, sigma="auto", *, n_components=None, kernel_size=3, pool_size=3,
                 cell="gru", readout=DEFAULT_READOUT, num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, noise=0.0, sparsity=0.0,
                 contrastive=DEFAULT_CONTRASTIVE,
                 contrastive_view=DEFAULT_VIEW, loss="mse", max_epochs="auto",
                 batch_size="auto", lr=1e-3, validation_fraction=0.0, device="auto",
                 random_state=None, verbose="auto", callbacks=None, missing="error",
                 clip_grad_norm=None, patience=None, patch_size="auto"):
        super().__init__(
            sigma, n_components=n_components, cell=cell, max_epochs=max_epochs,
            batch_size=batch_size, lr=lr, validation_fraction=validation_fraction,
            device=device, random_state=random_state, verbose=verbose, callbacks=callbacks,
            missing=missing, clip_grad_norm=clip_grad_norm, patience=patience,
            patch_size=patch_size,
        )
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self._set_options(num_layers, bidirectional, conditional_decoder, reverse_target,
                          noise, sparsity, loss, readout, contrastive, contrastive_view)

    def _bridge_params(self):
        return {
            "bridge": "conv",
            "bridge_kwargs": {"kernel_size": self.kernel_size, "pool_size": self.pool_size},
        }
