"""Context bridges: turn the encoder's code ``C`` into the decoder's input sequence.

Every bridge maps a batch of codes ``(batch, n_components)`` to a batch-first sequence
``(batch, n_steps, n_step_features)`` and exposes ``n_step_features`` so that the decoder can
be sized from it. The bridges are shared by every model that needs them (the deterministic
autoencoders and the variational one), so each layout is written once.

Notation follows Susik, "Recurrent Autoencoder with Sequence-Aware Encoding" (ICCS 2021):
``n_C`` is the context size, ``n_X`` the input length, ``n_Y`` the output length and
``lambda = n_C / n_X`` the features per step of the sequence-aware context (Eq. 1).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn
from torch.nn import functional as F


__all__ = [
    "RepeatVector",
    "SequenceReshape",
    "StretchReshape",
    "ConvBridge",
    "ZeroInput",
    "apply_bridge",
    "check_sequence_aware_size",
    "eq1_holds",
    "make_bridge",
    "sequence_reshape",
    "sequence_unreshape",
    "stretch_matrix",
]


def eq1_holds(n_components: int, n_steps: int) -> bool:
    """Whether Eq. 1 can lay ``n_components`` values out as ``n_steps`` steps: the one test
    of its feasibility, which everything else in seqae calls."""
    return n_components % n_steps == 0


def check_sequence_aware_size(n_components: int, n_steps: int, *, context: str | None = None,
                              remedy: str | None = None) -> None:
    """Raise a ``ValueError`` unless Eq. 1 can lay ``n_components`` values out as
    ``n_steps`` steps, i.e. unless ``n_components`` is a multiple of ``n_steps``.

    The one place where seqae checks Eq. 1's feasibility: the bridges call it, and the
    estimators call it in ``fit`` with ``context`` (where ``n_C`` and the steps come from)
    and ``remedy`` (how to fix it) for a message in their own terms.
    """
    if eq1_holds(n_components, n_steps):
        return
    context = context or (f"Eq. 1 lays the context of n_C={n_components} values out as "
                          f"{n_steps} steps")
    remedy = remedy or ("Use the stretched layout (StretchReshape, stretch=True) or the "
                        "convolution (ConvBridge), which take any n_C.")
    raise ValueError(f"{context} of lambda = n_C / {n_steps} features each (Eq. 1), so n_C "
                     f"must be a multiple of {n_steps}; got n_C={n_components}. {remedy}")


def sequence_reshape(code: Tensor, n_steps: int) -> Tensor:
    """Eq. 1 of the RAES paper: ``C'[:, i, j] = C[:, i * lambda + j]``.

    Parameters
    ----------
    code : torch.Tensor of shape (batch, n_components)
        The encoder's context; ``n_components`` must be a multiple of ``n_steps``.
    n_steps : int
        Number of time steps ``n_X`` of the resulting sequence.

    Returns
    -------
    torch.Tensor of shape (batch, n_steps, n_components // n_steps)
        A view of ``code`` (no copy): row-major reshape is exactly Eq. 1.
    """
    batch, n_components = code.shape
    check_sequence_aware_size(n_components, n_steps)
    return code.reshape(batch, n_steps, n_components // n_steps)


def sequence_unreshape(sequence: Tensor) -> Tensor:
    """Inverse of :func:`sequence_reshape`: ``(batch, n_steps, lambda) -> (batch, n_steps * lambda)``."""
    return sequence.reshape(sequence.shape[0], -1)


def stretch_matrix(n_components: int, length: int) -> Tensor:
    """Linear map that stretches ``n_components`` values to ``length >= n_components`` slots.

    The paper's alternative to Eq. 1 when ``n_C`` is not a multiple of ``n_X`` (Sec. 2.3):
    "stretching the context C to the size of decoder input sequence and filling the gaps in
    with averages". Value ``k`` is placed at slot ``round(k * (length - 1) / (n_components - 1))``
    (first and last values at both ends, the rest spread evenly); every empty slot between
    two placed values takes the average of those two neighbours.

    Returns
    -------
    torch.Tensor of shape (length, n_components)
        ``stretched = code @ matrix.T``.
    """
    if length < n_components:
        raise ValueError(f"cannot stretch {n_components} values into {length} slots")
    matrix = torch.zeros(length, n_components, dtype=torch.float64)
    if n_components == 1:
        matrix[:, 0] = 1.0
        return matrix
    slots = [round(k * (length - 1) / (n_components - 1)) for k in range(n_components)]
    for k, slot in enumerate(slots):
        matrix[slot, k] = 1.0
        if k + 1 < n_components:
            for gap in range(slot + 1, slots[k + 1]):
                matrix[gap, k] = 0.5
                matrix[gap, k + 1] = 0.5
    return matrix


class RepeatVector(nn.Module):
    """The standard RAE bridge (Fig. 1a): the code repeated at each of ``n_steps`` steps.

    Returns an expanded view ``(batch, n_steps, n_components)``; no memory is copied.
    ``forward(code, n_steps)`` may ask for another length (e.g. to generate longer sequences).
    """

    any_length = True

    def __init__(self, n_components: int, n_steps: int) -> None:
        super().__init__()
        self.n_steps = n_steps
        self.n_step_features = n_components

    def forward(self, code: Tensor, n_steps: int | None = None) -> Tensor:
        return code.unsqueeze(1).expand(-1, n_steps or self.n_steps, -1)


class SequenceReshape(nn.Module):
    """The RAES bridge (Fig. 1b, Eq. 1): ``n_X`` steps of ``lambda = n_C / n_X`` features."""

    def __init__(self, n_components: int, n_steps: int) -> None:
        super().__init__()
        check_sequence_aware_size(n_components, n_steps)
        self.n_steps = n_steps
        self.n_step_features = n_components // n_steps

    def forward(self, code: Tensor) -> Tensor:
        return sequence_reshape(code, self.n_steps)


class StretchReshape(nn.Module):
    """RAES for any ``n_C``: stretch C to ``n_X * ceil(n_C / n_X)`` values, then Eq. 1.

    The gaps are filled with the average of the two neighbouring context values (the paper's
    alternative in Sec. 2.3). When ``n_C`` is a multiple of ``n_X`` this is exactly
    :class:`SequenceReshape`.
    """

    matrix: Tensor  # a buffer (registered in __init__)

    def __init__(self, n_components: int, n_steps: int) -> None:
        super().__init__()
        self.n_steps = n_steps
        self.n_step_features = max(1, math.ceil(n_components / n_steps))
        matrix = stretch_matrix(n_components, n_steps * self.n_step_features)
        self.register_buffer("matrix", matrix.to(torch.get_default_dtype()))

    def forward(self, code: Tensor) -> Tensor:
        return sequence_reshape(code @ self.matrix.T, self.n_steps)


class ConvBridge(nn.Module):
    """The RAESC bridge (Fig. 1c, Eq. 2): Conv1D with ``n_Y`` filters, max-pooling, transpose.

    The code is read as a one-channel sequence of length ``n_C``; a 1-D convolution with
    ``n_steps`` (= ``n_Y``) filters and 'same' padding gives ``n_Y`` channels of length
    ``n_C``; max-pooling with stride 1 and 'same' padding keeps that length. The paper then
    transposes so that each channel becomes one time step of the decoder's input. PyTorch's
    ``Conv1d`` is channels-first, so its output ``(batch, n_Y, n_C)`` already *is* that
    transpose in batch-first layout: time step ``i`` of the decoder input is filter ``i``.

    Note: the authors' public Keras code reshapes the channels-last ``(n_C, n_Y)`` output to
    ``(n_Y, n_C)`` instead of transposing it, which mixes filters within a step. We follow the
    paper (Eq. 2 and "should be transposed. Hence each channel becomes an element of the
    sequence").
    """

    def __init__(self, n_components: int, n_steps: int, kernel_size: int = 3,
                 pool_size: int = 3) -> None:
        super().__init__()
        self.n_steps = n_steps
        self.n_step_features = n_components
        self.pool_size = pool_size
        # 'same' padding done by hand (left (k-1)//2, right k//2) so that even kernels need
        # no internal copy in PyTorch either
        self.padding = ((kernel_size - 1) // 2, kernel_size // 2)
        self.conv = nn.Conv1d(1, n_steps, kernel_size, stride=1)

    def forward(self, code: Tensor) -> Tensor:
        channels = self.conv(F.pad(code.unsqueeze(1), self.padding))  # (batch, n_Y, n_C)
        if self.pool_size > 1:
            left = (self.pool_size - 1) // 2
            channels = F.pad(channels, (left, self.pool_size - 1 - left), value=-math.inf)
            channels = F.max_pool1d(channels, self.pool_size, stride=1)
        return channels


class ZeroInput(nn.Module):
    """An unconditioned decoder input that carries no information: one zero feature per step.

    Used where the code enters the decoder through its initial state instead (VRAE).
    ``forward(code, n_steps)`` may ask for another length (e.g. to generate longer sequences).
    """

    any_length = True

    def __init__(self, n_components: int, n_steps: int) -> None:
        super().__init__()
        self.n_steps = n_steps
        self.n_step_features = 1

    def forward(self, code: Tensor, n_steps: int | None = None) -> Tensor:
        return code.new_zeros(code.shape[0], n_steps or self.n_steps, 1)


BRIDGES: dict[str, type[nn.Module]] = {
    "repeat": RepeatVector,
    "reshape": SequenceReshape,
    "stretch": StretchReshape,
    "conv": ConvBridge,
    "zeros": ZeroInput,
}


def apply_bridge(bridge: nn.Module, code: Tensor, n_steps: int | None = None) -> Tensor:
    """``bridge(code)``, of ``n_steps`` steps when given; only the bridges whose layout does
    not fix the length (``any_length``: repeat, zeros) can change it."""
    if n_steps is None or n_steps == bridge.n_steps:
        return bridge(code)
    if not getattr(bridge, "any_length", False):
        raise ValueError(
            f"the {type(bridge).__name__} bridge lays the code out as exactly "
            f"{bridge.n_steps} steps; only the 'repeat' and 'zeros' decoder inputs can "
            f"decode {n_steps} steps."
        )
    return bridge(code, n_steps)


def make_bridge(kind: str, n_components: int, n_steps: int, *, stretch: bool = False,
                kernel_size: int = 3, pool_size: int = 3) -> nn.Module:
    """Build the bridge called ``kind`` (one of ``BRIDGES``).

    ``stretch``: for ``kind='reshape'``, a :class:`StretchReshape` where Eq. 1 cannot hold
    (``n_components`` not a multiple of ``n_steps``; where it can, the two are the same
    layout), instead of a ``ValueError``. ``kernel_size`` and ``pool_size``: those of the
    ``'conv'`` bridge. Every other bridge ignores them.
    """
    try:
        bridge = BRIDGES[kind]
    except KeyError:
        raise ValueError(f"unknown bridge {kind!r}; expected one of {sorted(BRIDGES)}") from None
    if kind == "reshape" and stretch and not eq1_holds(n_components, n_steps):
        bridge = StretchReshape
    if kind == "conv":
        return bridge(n_components, n_steps, kernel_size=kernel_size, pool_size=pool_size)
    return bridge(n_components, n_steps)
