"""The RAES paper's three autoencoders: RAE (baseline), RAES (Eq. 1) and RAESC (Eq. 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import BaseSequenceAutoencoder
from .._engine.budget import AUTO_MAX_COMPONENTS
from .._engine.params import arguments as _arguments
from .._engine.params import rows
from ..modules import RecurrentAutoencoder, check_sequence_aware_size, frame_count

if TYPE_CHECKING:
    from typing_extensions import Self


__all__ = ["RAETransformer", "RAESTransformer", "RAESCTransformer"]

#: The RAES paper's experimental setting (Sec. 3) beyond ``sigma``, which ``paper()`` sets:
#: the encoder's final state is the context (no pooled readout, no contrastive term, no other
#: regulariser), one GRU layer of ``n_C`` units in the encoder and the decoder, one time step
#: per recurrent step at any length (no frames), MSE, Adam with lr 1e-3, batches of 100,
#: 100 epochs. RAES adds ``stretch=False`` (Table 1 leaves out the cells where Eq. 1 cannot
#: hold).
_PAPER_PARAMS = {
    "readout": "last", "contrastive": 0.0, "patch_size": 1, "cell": "gru", "hidden_size": None,
    "num_layers": 1, "bidirectional": False, "conditional_decoder": False,
    "reverse_target": False, "noise": 0.0, "sparsity": 0.0, "jacobian_penalty": 0.0,
    "isometry": 0.0, "loss": "mse", "lr": 1e-3, "batch_size": 100, "max_epochs": 100,
}

_SHARED = ("n_components", "sigma")
_OPTIONS = ("cell", "hidden_size", "readout", "num_layers", "bidirectional",
            "conditional_decoder", "reverse_target", "noise", "sparsity", "jacobian_penalty",
            "contrastive", "contrastive_view", "isometry", "isometry_metric", "loss")
_TRAINING = ("max_epochs", "batch_size", "lr", "validation_fraction", "device", "random_state",
             "verbose", "callbacks", "missing", "clip_grad_norm", "patience", "patch_size")


def check_eq1(estimator, n_components, remedy):
    """Raise, in the estimator's own terms, if Eq. 1 cannot lay ``n_components`` values out
    over the decoder's steps (``n_X``, or its frames): the check itself is
    :func:`seqae.modules.check_sequence_aware_size`. ``remedy`` names the estimator's own
    ways out (e.g. ``stretch=True``)."""
    n_timesteps, n_channels, patch = (estimator.n_timesteps_, estimator.n_channels_,
                                      estimator.patch_size_)
    n_steps = frame_count(n_timesteps, patch)
    if estimator.n_components is not None:
        origin = f"n_components={estimator.n_components}"
    elif estimator.sigma == "auto":
        origin = (f"sigma='auto': min(m_X * n_X, {AUTO_MAX_COMPONENTS}) with m_X={n_channels}, "
                  f"n_X={n_timesteps}")
    else:
        origin = f"sigma={estimator.sigma} x m_X={n_channels} x n_X={n_timesteps}"
    if patch > 1:
        steps = (f"the decoder's {n_steps} steps (the n_X={n_timesteps} time steps read as "
                 f"frames of patch_size_={patch})")
    else:
        steps = f"the decoder's n_X={n_timesteps} steps"
    working = ", ".join(f"{k * n_steps / (n_channels * n_timesteps):g}" for k in range(1, 5))
    fixes = [f"sigma in {{{working}, ...}} (n_components=None)",
             f"n_components a multiple of {n_steps}"]
    if patch > 1:
        fixes.append(f"patch_size=1 to lay it out over all n_X={n_timesteps} time steps "
                     f"(then n_C must be a multiple of {n_timesteps})")
    check_sequence_aware_size(
        n_components, n_steps,
        context=(f"{type(estimator).__name__} lays the context of n_C={n_components} values "
                 f"({origin}) out as {steps}"),
        remedy=f"Use {'; or '.join(fixes)}; {remedy}.")


class _RecurrentAE(BaseSequenceAutoencoder):
    """The RAE family's shared parts (base of the three estimators below)."""

    _module = RecurrentAutoencoder
    _paper_params = _PAPER_PARAMS

    @classmethod
    def paper(cls, sigma: float | str = "auto", **params: Any) -> Self:
        """The RAES paper's model and setting: an estimator that trains exactly it.

        The final state of one GRU layer of ``n_C`` units is the context (no pooled
        readout, no contrastive term, no other regulariser), one time step per recurrent
        step at every length (``patch_size=1``), MSE loss, Adam with ``lr=1e-3``, batches
        of 100 and 100 epochs (Sec. 3); RAES also ``stretch=False``, so that ``fit``
        raises where Eq. 1 cannot hold (Table 1 leaves those cells out) instead of
        stretching. The class's own defaults build a different model (a pooled readout
        and a contrastive term, tuned for features on real data; see the user guide's
        "What the defaults cost").

        Parameters
        ----------
        sigma : float or 'auto', default='auto'
            Context-size ratio (Eq. 3), as the class's ``sigma``.
        **params
            Any other parameter of the class; a value given here replaces the paper's
            (e.g. ``max_epochs=5`` for a quick run).

        Returns
        -------
        estimator : instance of the class
            Unfitted; ``get_params()`` shows every value set.

        Examples
        --------
        >>> from seqae import RAESTransformer
        >>> raes = RAESTransformer.paper(sigma=0.5)
        >>> raes.readout, raes.contrastive, raes.patch_size, raes.stretch, raes.max_epochs
        ('last', 0.0, 1, False, 100)
        """
        return cls(sigma=sigma, **{**cls._paper_params, **params})


class RAETransformer(_RecurrentAE):
    """Standard recurrent autoencoder (RAE), the RAES paper's baseline (Fig. 1a).

    A GRU (or LSTM) encoder reads the sequence and its readout gives the code ``C`` of
    ``n_C`` values: by default its outputs averaged and maximised over time and mapped to
    ``n_C`` values by a linear layer, trained with a contrastive term besides the
    reconstruction; with ``readout='last'`` its final hidden state, as in the paper. The
    decoder reads ``C`` repeated at each of its steps, and a dense layer applied at every
    step gives the reconstruction. ``RAETransformer.paper(sigma)`` is the paper's model
    and setting.

    {parameters}

    See Also
    --------
    RAESTransformer : The same model with a sequence-aware context (in the paper's setting,
        ``paper()``, it reaches RAE's loss in fewer epochs; the defaults lose that).
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

    _params = rows(*_SHARED, *_OPTIONS, *_TRAINING)
    _module_fixed = {"bridge": "repeat"}

    def __init__(self, n_components=None, *, sigma="auto", cell="gru", hidden_size=None,
                 readout="mean+max", num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, noise=0.0, sparsity=0.0,
                 jacobian_penalty=0.0, contrastive=1.0, contrastive_view="stretch+mask", isometry=10.0,
                 isometry_metric="sbd",
                 loss="mse", max_epochs="auto", batch_size="auto", lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None, verbose="auto",
                 callbacks=None, missing="error", clip_grad_norm=None, patience=None,
                 patch_size="auto"):
        super().__init__(**_arguments(locals()))


class RAESTransformer(_RecurrentAE):
    """Recurrent autoencoder with sequence-aware encoding (RAES, Fig. 1b).

    The code ``C`` (``n_C`` values, read out of the encoder as in
    :class:`RAETransformer`) is read as a sequence of ``n_X`` steps of
    ``lambda = n_C / n_X`` features, ``C'[i, j] = C[i * lambda + j]`` (Eq. 1), and the
    decoder reads that sequence instead of ``C`` repeated. This needs ``n_C`` to be a
    multiple of the decoder's number of steps: ``n_X``, i.e. ``sigma * m_X`` a whole
    number, or with ``patch_size_ > 1`` the number of frames ``ceil(n_X / patch_size_)``.
    Where it is not, ``stretch=True`` (the default) stretches the context (the paper's
    alternative), and ``stretch=False`` makes ``fit`` raise a ``ValueError`` naming the
    values that would work. ``RAESTransformer.paper(sigma)`` is the paper's model and
    setting (``stretch=False``, no frames).

    Ragged input (a list of sequences of different lengths): ``n_X`` is the longest training
    sequence; shorter ones are zero-padded to it, their padded steps skipped by the encoder
    and masked out of the loss, and the decoder always reads the ``n_X``-step context (cut
    the output with ``inverse_transform(codes, lengths=...)``). ``transform`` encodes a
    list of sequences of any length (a longer one in full, every step of it); an array
    must have ``n_X`` steps.

    {parameters}

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

    _params = rows(*_SHARED, "stretch", *_OPTIONS, *_TRAINING)
    _paper_params = {**_PAPER_PARAMS, "stretch": False}
    _module_fixed = {"bridge": "reshape"}

    def __init__(self, n_components=None, *, sigma="auto", stretch=True, cell="gru",
                 hidden_size=None, readout="mean+max", num_layers=1, bidirectional=False,
                 conditional_decoder=False, reverse_target=False, noise=0.0, sparsity=0.0,
                 jacobian_penalty=0.0, contrastive=1.0, contrastive_view="stretch+mask", isometry=10.0,
                 isometry_metric="sbd",
                 loss="mse", max_epochs="auto", batch_size="auto", lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None, verbose="auto",
                 callbacks=None, missing="error", clip_grad_norm=None, patience=None,
                 patch_size="auto"):
        super().__init__(**_arguments(locals()))

    def _resolve_n_components(self, n_timesteps, n_channels):
        n_components = super()._resolve_n_components(n_timesteps, n_channels)
        if not self.stretch:
            check_eq1(self, n_components, "or stretch=True to fill the gaps with averages; "
                      "or RAESCTransformer, which takes any context size")
        return n_components


class RAESCTransformer(_RecurrentAE):
    """Sequence-aware recurrent autoencoder with a 1-D convolution (RAESC, Fig. 1c).

    The code ``C`` (``n_C`` values, read out of the encoder as in
    :class:`RAETransformer`) is read as a one-channel sequence of length ``n_C``; a Conv1D
    with ``n_Y`` filters (one per decoder step), then max-pooling with stride 1, then a
    transpose turn it into ``n_Y`` steps of ``n_C`` features for the decoder (Eq. 2). Any
    context size works. ``n_Y`` is the number of decoder steps: ``n_X``, or with
    ``patch_size_ > 1`` the number of frames. ``RAESCTransformer.paper(sigma)`` is the
    paper's model and setting (no frames: ``n_Y = n_X`` filters).

    Ragged input (a list of sequences of different lengths): ``n_X`` is the longest
    training sequence; shorter ones are zero-padded, their padded steps skipped by the
    encoder and masked out of the loss (cut the output with
    ``inverse_transform(codes, lengths=...)``). ``transform`` encodes a list of sequences
    of any length (a longer one in full, every step of it); an array must have ``n_X``
    steps.

    {parameters}

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

    _params = rows(*_SHARED, "kernel_size", "pool_size", *_OPTIONS, *_TRAINING)
    _module_fixed = {"bridge": "conv"}

    def __init__(self, n_components=None, *, sigma="auto", kernel_size=3, pool_size=3,
                 cell="gru", hidden_size=None, readout="mean+max", num_layers=1,
                 bidirectional=False, conditional_decoder=False, reverse_target=False,
                 noise=0.0, sparsity=0.0, jacobian_penalty=0.0, contrastive=1.0,
                 contrastive_view="stretch+mask", isometry=10.0,
                 isometry_metric="sbd", loss="mse", max_epochs="auto",
                 batch_size="auto", lr=1e-3, validation_fraction=0.0, device="auto",
                 random_state=None, verbose="auto", callbacks=None, missing="error",
                 clip_grad_norm=None, patience=None, patch_size="auto"):
        super().__init__(**_arguments(locals()))
