"""Export a trained model's encoder (or decoder) for use without seqae.

:func:`export_model` writes PyTorch's own graph format, :func:`torch.export.export`, saved as
a ``.pt2`` file: loading it needs only ``torch`` (``torch.export.load(path).module()``), not
seqae, scikit-learn or skorch. (TorchScript, the older format, is deprecated in current
PyTorch.) :func:`export_onnx` writes an ONNX model, which runs without PyTorch (e.g. in
``onnxruntime``).
"""

from __future__ import annotations

import copy
import logging
import os
import warnings
from contextlib import contextmanager
from typing import Any

import torch
from sklearn.base import is_classifier, is_regressor
from sklearn.utils.validation import check_is_fitted
from torch import nn


__all__ = ["export_model", "export_onnx"]

#: onnxscript releases before this one export GRUs with the wrong ``linear_before_reset``
#: (silently wrong numbers).
MIN_ONNXSCRIPT = (0, 7, 1)

PARTS = ("encoder", "decoder", "autoencoder")
#: What a fitted SequenceClassifier or SequenceRegressor exports: its fine-tuned encoder, or
#: the whole predictor (class probabilities, or predicted targets).
PREDICTOR_PARTS = ("encoder", "predictor")

#: Whether :func:`export_model` has run ``torch.export`` in this process: after it, PyTorch
#: (2.13) specialises a GRU's time axis in later exports, ONNX ones included.
_TORCH_EXPORT_RAN = False


class _Part(nn.Module):
    """One method of a seqae module (``encode``, ``decode`` or ``reconstruct``) as ``forward``."""

    def __init__(self, module, method):
        super().__init__()
        self.module = module
        self.method = method

    def forward(self, x):
        return getattr(self.module, self.method)(x)


class _Predictor(nn.Module):
    """A fine-tuned :class:`~seqae.modules.heads.EncoderHead` as ``forward``: softmax
    probabilities (classification), or predictions mapped back to the targets' units."""

    def __init__(self, module, task, y_mean=0.0, y_scale=1.0):
        super().__init__()
        self.module = module
        self.task = task
        self.y_mean = float(y_mean)
        self.y_scale = float(y_scale)

    def forward(self, x):
        output = self.module.predict(x)
        if self.task == "classification":
            return torch.softmax(output, dim=1)
        return output[:, 0] * self.y_scale + self.y_mean


def _task(estimator):
    """``'classification'``, ``'regression'`` or ``None`` (an autoencoder), from the
    estimator's scikit-learn type tag."""
    if is_classifier(estimator):
        return "classification"
    return "regression" if is_regressor(estimator) else None


def _is_predictor(estimator):
    return _task(estimator) is not None


def _example_input(estimator, part):
    if part == "decoder":
        return torch.zeros(2, estimator.n_components_)
    return torch.zeros(2, estimator.n_timesteps_, estimator.n_channels_)


def _module_part(estimator, part, parts=PARTS):
    """A CPU copy of the estimator's module with ``part``'s method as ``forward``."""
    if _is_predictor(estimator):  # SequenceClassifier, SequenceRegressor
        parts = PREDICTOR_PARTS
    if part not in parts:
        raise ValueError(f"part must be one of {parts}; got {part!r}.")
    check_is_fitted(estimator)
    module = copy.deepcopy(estimator.net_.module_).cpu().eval()
    if part == "predictor":
        return _Predictor(module, _task(estimator), getattr(estimator, "y_mean_", 0.0),
                          getattr(estimator, "y_scale_", 1.0)).eval()
    method = {"encoder": "encode", "decoder": "decode", "autoencoder": "reconstruct"}[part]
    return _Part(module, method).eval()


@contextmanager
def _quiet_export():
    # The RNNs re-assign their flattened weights while being traced (harmless), and the
    # ONNX exporter logs every optional operator library it does not find.
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*were assigned during export.*")
            warnings.filterwarnings("ignore", category=UserWarning, module="torch.*")
            warnings.filterwarnings("ignore", message=".*(_check_is_size|LeafSpec).*")
            yield
    finally:
        logger.setLevel(level)


def _check_onnxscript():
    try:
        import onnxscript
    except ImportError:
        raise ImportError("export_onnx needs seqae's onnx extra (onnx, onnxscript>=0.7.1): "
                          "pip install '.[onnx]' in a checkout of seqae.") from None
    version = tuple(int(part) for part in onnxscript.__version__.split(".")[:3]
                    if part.isdigit())
    if version < MIN_ONNXSCRIPT:
        raise ImportError(
            f"export_onnx needs onnxscript >= {'.'.join(map(str, MIN_ONNXSCRIPT))}; "
            f"{onnxscript.__version__} is installed, whose GRU export computes wrong "
            "numbers (linear_before_reset). pip install -U 'onnxscript>=0.7.1'."
        )


def export_onnx(estimator: Any, path: str | os.PathLike[str], *, part: str = "encoder",
                dynamic_time: bool = True) -> torch.onnx.ONNXProgram:
    """Export a fitted seqae estimator's encoder or decoder as an ONNX model.

    The model runs without PyTorch, e.g. in ``onnxruntime``. It takes float32 arrays,
    batch first, with a dynamic batch axis: the encoder (input ``"sequences"``, shape
    ``(batch, n_timesteps_, n_channels_)``, univariate data too with a last axis of size
    1) returns codes (output ``"codes"``, ``(batch, n_components_)``) as ``transform``
    does; the decoder (input ``"codes"``) returns sequences (output ``"sequences"``,
    ``(batch, n_timesteps_, n_channels_)``) as ``inverse_transform`` does (before the
    univariate layout's last axis is dropped). The export runs PyTorch's ONNX exporter
    (``torch.onnx.export(..., dynamo=True)``) on the CPU, whatever device the model was
    trained on; it takes a few seconds.

    Parameters
    ----------
    estimator : fitted seqae estimator
    path : str or path-like
        Where to write the model (conventionally ``*.onnx``).
    part : {'encoder', 'decoder', 'predictor'}, default='encoder'
        Which part to export. For a fitted :class:`~seqae.SequenceClassifier` or
        :class:`~seqae.SequenceRegressor`: ``'encoder'`` (the fine-tuned codes, as its
        ``transform``) or ``'predictor'``, whose output (``"probabilities"``, columns in the
        order of ``classes_``, or ``"predictions"``) is ``predict_proba``'s or
        ``predict``'s.
    dynamic_time : bool, default=True
        Also make the encoder's time axis dynamic, so that it encodes sequences of any
        length (the decoder always emits ``n_timesteps_`` steps). A model that reads frames
        of ``patch_size_ > 1`` steps (``patch_size='auto'`` on sequences longer than 128
        steps) takes any whole number of frames: lengths that are multiples of
        ``patch_size_`` (the input's time axis is named ``patch_size_*frames``, e.g.
        ``2*frames``). Where the model fixes the
        length (e.g. a step-by-step LSTM with ``activation`` other than ``'tanh'``, or
        PyTorch's exporter cannot keep it dynamic), the axis stays static: the ONNX input's
        shape (``program.model_proto.graph.input[0]``) says which, and a warning says
        why. With PyTorch 2.13 a GRU's time axis is specialised in a process that has
        already run ``torch.export`` on a recurrent model (e.g. :func:`export_model`):
        export ONNX in a fresh process for a dynamic one. Lengths other than
        ``n_timesteps_`` are outside what the model was trained on.

    Returns
    -------
    program : torch.onnx.ONNXProgram
        ``program.model_proto`` is the ONNX model that was written.

    Raises
    ------
    ImportError
        Without ``onnx`` and ``onnxscript`` (seqae's ``onnx`` extra), or with an
        ``onnxscript`` older than 0.7.1, whose GRU export gives wrong numbers.

    Warns
    -----
    UserWarning
        When ``dynamic_time=True`` but the encoder's time axis came out static (the model
        then takes sequences of exactly ``n_timesteps_`` steps): the warning says whether
        :func:`export_model` ran earlier in this process (then export in a fresh process)
        or the model fixes the length. ``dynamic_time=False`` asks for the static axis and
        does not warn.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import onnxruntime
    >>> from seqae import RAESCTransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> from seqae.export import export_onnx
    >>> X = make_sine_sequences(20, 16, 2, random_state=0).astype(np.float32)
    >>> ae = RAESCTransformer(sigma=0.25, max_epochs=2, random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "encoder.onnx")
    >>> _ = export_onnx(ae, path)
    >>> session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    >>> codes = session.run(None, {"sequences": X})[0]
    >>> codes.shape
    (20, 8)
    >>> bool(np.abs(codes - ae.transform(X)).max() < 1e-5)
    True
    """
    _check_onnxscript()
    wrapper = _module_part(estimator, part, parts=("encoder", "decoder"))
    example = _example_input(estimator, part)
    names = (["codes"], ["sequences"]) if part == "decoder" else (["sequences"], ["codes"])
    if part == "predictor":
        names = (["sequences"], ["probabilities" if _task(estimator) == "classification"
                                 else "predictions"])
    batch = torch.export.Dim("batch", min=1)
    axes = [{0: batch}]
    if part in ("encoder", "predictor") and dynamic_time:
        patch = int(getattr(_autoencoder_of(estimator), "patch_size_", 1) or 1)
        if patch > 1:
            # frames of patch_size_ steps: a length that is not a multiple of the frame size
            # is padded, which the exporter cannot keep symbolic (a free time axis always
            # failed, so it is not tried: each failed attempt is a whole trace); a time axis
            # of whole frames (patch_size_ * frames) stays dynamic
            axes.insert(0, {0: batch, 1: patch * torch.export.Dim("frames", min=1)})
        else:
            axes.insert(0, {0: batch, 1: torch.export.Dim("time", min=1)})
    for dynamic in axes:
        try:
            with _quiet_export():
                program = torch.onnx.export(wrapper, (example,), dynamo=True,
                                            dynamic_shapes=(dynamic,), input_names=names[0],
                                            output_names=names[1], verbose=False)
            break
        except Exception:  # the model fixes the length: export with a static time axis
            if dynamic is axes[-1]:
                raise
    assert program is not None  # dynamo=True always returns the program
    program.save(str(path))
    if part == "encoder" and dynamic_time and _static_time_axis(program):
        _warn_static_time(estimator)
    return program


def _autoencoder_of(estimator):
    """The autoencoder whose frames the encoder reads (a classifier's ``autoencoder_``)."""
    return getattr(estimator, "autoencoder_", estimator)


def _static_time_axis(program):
    """Whether the ONNX model's input has a fixed length on its time axis (axis 1)."""
    dims = program.model_proto.graph.input[0].type.tensor_type.shape.dim
    return len(dims) > 1 and not dims[1].dim_param


def _warn_static_time(estimator):
    steps = estimator.n_timesteps_
    if _TORCH_EXPORT_RAN:
        why = ("export_model (torch.export) has already run in this process, after which "
               f"PyTorch {torch.__version__.split('+')[0]} specialises a recurrent "
               "network's time axis; call export_onnx in a fresh Python process (before "
               "any export_model) for a dynamic time axis")
    elif int(getattr(_autoencoder_of(estimator), "patch_size_", 1) or 1) > 1:
        patch = int(_autoencoder_of(estimator).patch_size_)
        why = (f"the encoder reads frames of patch_size_={patch} steps, so its time axis "
               f"can be dynamic only in whole frames (multiples of {patch}), and "
               f"n_timesteps_={steps} is not one. For a dynamic time axis, fit with "
               f"patch_size=1, or with a patch_size that divides the training length, or "
               f"on sequences cropped or padded to a multiple of {patch} steps")
    else:
        why = ("this model fixes the length (e.g. a step-by-step LSTM with an activation "
               "other than 'tanh'), or PyTorch's exporter could not keep the axis dynamic")
    warnings.warn(
        f"export_onnx: the encoder's time axis came out static: the ONNX model takes "
        f"sequences of exactly n_timesteps_={steps} steps. The cause: {why}. Pass "
        "dynamic_time=False to ask for the static axis without this warning.",
        UserWarning, stacklevel=3,
    )


def export_model(estimator: Any, path: str | os.PathLike[str] | None = None, *,
                 part: str = "encoder") -> torch.export.ExportedProgram:
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
    part : {'encoder', 'decoder', 'autoencoder', 'predictor'}, default='encoder'
        Which part to export; a :class:`~seqae.SequenceClassifier` or
        :class:`~seqae.SequenceRegressor` exports ``'encoder'`` or ``'predictor'`` (its
        probabilities or predictions; see :func:`export_onnx`).

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
    global _TORCH_EXPORT_RAN
    wrapper = _module_part(estimator, part)
    batch = torch.export.Dim("batch", min=1)
    _TORCH_EXPORT_RAN = True
    with _quiet_export():
        program = torch.export.export(wrapper, (_example_input(estimator, part),),
                                      dynamic_shapes=({0: batch},))
    if path is not None:
        torch.export.save(program, path)
    return program
