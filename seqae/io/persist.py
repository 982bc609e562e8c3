"""Saving and loading fitted estimators without pickle: safetensors weights + JSON.

One ``.safetensors`` file holds the network's weights and the optimizer's state as tensors,
and in its text metadata a JSON document with the estimator's class, its constructor
parameters (``get_params``), its fitted attributes (every ``*_`` attribute but ``net_``),
the net's own settings and training history, a format version and a SHA-256 digest of all
of it. Loading parses that JSON and reads raw tensors: nothing in the file is ever executed,
and only seqae's own estimator classes can be instantiated from it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from ..autoencoders.base import BaseSequenceAutoencoder
from .._engine.validation import resolve_device
from .._engine.training import SavedEstimator
from ..tasks.classifier import SequenceClassifier, SequenceRegressor
from ..autoencoders.lstm import LSTMAutoencoder
from ..autoencoders.rae import RAESCTransformer, RAESTransformer, RAETransformer
from ..autoencoders.vrae import VRAETransformer

__all__ = ["save", "load", "FORMAT_VERSION", "ESTIMATORS"]

#: Version of the file layout; :func:`load` refuses files of other versions.
FORMAT_VERSION = 1
_FORMAT = "seqae-estimator"


#: The registry of the estimator classes :func:`save` writes and :func:`load` rebuilds, by
#: the class name stored in a file. Only these can be instantiated from a file; each
#: rebuilds itself through the persistence hook ``_from_saved`` (see
#: :meth:`~seqae.autoencoders.base.BaseSequenceAutoencoder._from_saved`).
ESTIMATORS = {cls.__name__: cls for cls in (
    RAETransformer, RAESTransformer, RAESCTransformer, VRAETransformer, LSTMAutoencoder,
    SequenceClassifier, SequenceRegressor)}


def _seqae_version():
    """The installed seqae's version (informational metadata; not checked by :func:`load`)."""
    try:
        return importlib.metadata.version("seqae")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# -- estimators inside estimators (SequenceClassifier's autoencoder) --------------------------
# A parameter that is a seqae estimator is saved as its class and parameters; a fitted
# attribute that is one (``autoencoder_``) is saved whole, as a nested document whose tensors
# are prefixed with the attribute's name and a slash.


def _is_seqae_estimator(value):
    return ESTIMATORS.get(type(value).__name__) is type(value)


def _encode(value, where):
    """A JSON-able form of ``value``; tuples, dicts and arrays are tagged to round-trip."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (Integral, np.bool_)):
        return bool(value) if isinstance(value, np.bool_) else int(value)
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, torch.device):
        return str(value)
    if _is_seqae_estimator(value):
        return {"__estimator__": {"class": type(value).__name__, "params": _params(value)}}
    if isinstance(value, list):
        return [_encode(item, where) for item in value]
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(item, where) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"__dict__": {key: _encode(item, where) for key, item in value.items()}}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufUO":
        return {"__ndarray__": _encode(value.tolist(), where), "dtype": value.dtype.str}
    raise TypeError(f"{where}: a {type(value).__name__} cannot be saved as JSON")


def _decode(value):
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_decode(item) for item in value["__tuple__"])
    if "__dict__" in value:
        return {key: _decode(item) for key, item in value["__dict__"].items()}
    if "__ndarray__" in value:
        return np.array(_decode(value["__ndarray__"]), dtype=np.dtype(value["dtype"]))
    if "__estimator__" in value:
        nested = value["__estimator__"]
        if nested.get("class") not in ESTIMATORS:
            raise ValueError(f"unknown estimator class {nested.get('class')!r}")
        return ESTIMATORS[nested["class"]](**_fields(nested["params"]))
    raise ValueError(f"unknown JSON object {sorted(value)}")


def _fields(saved):
    """A saved ``{name: encoded value}`` section, decoded."""
    if not isinstance(saved, dict):
        raise TypeError(f"expected a JSON object, got {type(saved).__name__}")
    return {key: _decode(value) for key, value in saved.items()}


def _params(estimator):
    """The constructor parameters; code-carrying ones (callbacks, RandomState) are dropped."""
    params = {}
    for name, value in estimator.get_params(deep=False).items():
        if name == "callbacks" and value:
            warnings.warn("seqae.save does not save callbacks (they are code); the loaded "
                          "estimator has callbacks=None.", UserWarning, stacklevel=3)
            value = None
        elif isinstance(value, np.random.RandomState):
            warnings.warn(f"seqae.save saves random_state={value!r} as None (a RandomState "
                          "is not data); pass an int to keep refits reproducible.",
                          UserWarning, stacklevel=3)
            value = None
        params[name] = _encode(value, f"parameter {name}")
    return params


def _history(net):
    try:
        return _encode(list(net.history), "history")
    except TypeError:
        warnings.warn("seqae.save drops the training history: a callback recorded values "
                      "that are not numbers or strings.", UserWarning, stacklevel=3)
        return None


def _optimizer_tensors(optimizer):
    """The optimizer's state as flat tensors plus its JSON-able remainder."""
    state = optimizer.state_dict()
    tensors, scalars = {}, {}
    for index, entries in state["state"].items():
        for name, value in entries.items():
            if torch.is_tensor(value):
                tensors[f"optimizer.{index}.{name}"] = value
            else:
                scalars[f"{index}.{name}"] = value
    groups = _encode(state["param_groups"], "optimizer settings")
    scalars = {key: _encode(value, "optimizer state") for key, value in scalars.items()}
    return tensors, {"param_groups": groups, "scalars": scalars}


def _optimizer_state(tensors, saved):
    state = {}
    for key, value in tensors.items():
        if key.startswith("optimizer."):
            _, index, name = key.split(".", 2)
            state.setdefault(int(index), {})[name] = value
    for key, value in _fields(saved["scalars"]).items():
        index, name = key.split(".", 1)
        state.setdefault(int(index), {})[name] = value
    return {"state": state, "param_groups": _decode(saved["param_groups"])}


def _digest(document, tensors):
    digest = hashlib.sha256(document.encode())
    for key in sorted(tensors):
        tensor = tensors[key].detach().cpu().contiguous()
        digest.update(f"{key}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def _describe(estimator):
    """``(document, tensors)``: a fitted estimator as a JSON-able dict and its tensors."""
    name = type(estimator).__name__
    if ESTIMATORS.get(name) is not type(estimator):
        raise TypeError(f"seqae.save saves seqae's estimators {sorted(ESTIMATORS)}; got "
                        f"{name}.")
    net = estimator.net_
    tensors = {f"module.{key}": value.detach().cpu().contiguous()
               for key, value in net.module_.state_dict().items()}
    optimizer_tensors, optimizer = _optimizer_tensors(net.optimizer_)
    tensors.update({key: value.detach().cpu().contiguous()
                    for key, value in optimizer_tensors.items()})
    attributes, nested = {}, {}
    for key, value in vars(estimator).items():
        if not key.endswith("_") or key.startswith("_") or key == "net_":
            continue
        if _is_seqae_estimator(value):  # a fitted estimator inside (autoencoder_)
            nested[key], nested_tensors = _describe(value)
            tensors.update({f"{key}/{k}": v for k, v in nested_tensors.items()})
        else:
            attributes[key] = _encode(value, f"attribute {key}")
    # a module passed to the net as an argument (the classifier's pre-trained autoencoder) is
    # rebuilt from the nested estimator, and its weights are in the module's state
    net_params = {key: _encode(value, f"net parameter {key}")
                  for key, value in net.get_params(deep=False).items()
                  if (key.startswith(("module__", "criterion__"))
                      or key in ("batch_size", "max_epochs", "lr"))
                  and not isinstance(value, torch.nn.Module)}
    document = {"class": name, "params": _params(estimator), "attributes": attributes,
                "net": net_params, "optimizer": optimizer, "history": _history(net)}
    if nested:
        document["estimators"] = nested
    return document, tensors


def save(estimator: SavedEstimator,
         path: str | os.PathLike[str]) -> None:
    """Save a fitted seqae estimator to a file, without pickle.

    The file is a `safetensors <https://huggingface.co/docs/safetensors>`_ file: the
    network's weights and the optimizer's state are raw tensors; the estimator's class,
    constructor parameters, fitted attributes, the net's settings and the training history
    are JSON in its metadata, with a format version and a SHA-256 digest. :func:`load`
    rebuilds the estimator from it, on any device (a model trained on a GPU loads on a
    CPU-only machine), and gives bitwise the same codes.

    Parameters
    ----------
    estimator : fitted seqae estimator
        Any of seqae's estimators: the five autoencoders, :class:`~seqae.SequenceClassifier`
        and :class:`~seqae.SequenceRegressor` (whose pre-trained ``autoencoder_`` is saved
        with it; its ``autoencoder`` parameter is saved as class and parameters).
    path : str or path-like
        The file to write (conventionally ``*.safetensors``).

    Notes
    -----
    ``callbacks`` (code) and a ``RandomState`` ``random_state`` are not saved: they are
    replaced by ``None``, with a warning. Parameters and attributes are stored by name
    (``get_params`` and every fitted ``*_`` attribute), so they need no code of their own
    here.

    Examples
    --------
    >>> import numpy as np
    >>> import seqae
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)
    >>> ae = seqae.RAESCTransformer(sigma=0.25, max_epochs=2, random_state=0).fit(X)
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "ae.safetensors")
    >>> seqae.save(ae, path)
    >>> loaded = seqae.load(path, device="cpu")
    >>> bool(np.array_equal(loaded.transform(X), ae.transform(X)))
    True
    """
    from safetensors.torch import save_file

    check_is_fitted(estimator)
    document, tensors = _describe(estimator)
    document = json.dumps(document, sort_keys=True)
    metadata = {"format": _FORMAT, "format_version": str(FORMAT_VERSION),
                "estimator": document, "sha256": _digest(document, tensors),
                "seqae_version": _seqae_version()}
    save_file(tensors, str(path), metadata=metadata)


def _read(path):
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), framework="pt", device="cpu") as file:
            metadata = file.metadata() or {}
            tensors = {key: file.get_tensor(key) for key in file.keys()}
    except (SafetensorError, UnicodeDecodeError) as err:
        raise ValueError(f"{path} is not a readable safetensors file (truncated, edited or "
                         f"another format): {err}") from None
    if metadata.get("format") != _FORMAT:
        raise ValueError(f"{path} is a safetensors file, but not one written by seqae.save "
                         f"(its metadata has no format={_FORMAT!r}).")
    if metadata.get("format_version") != str(FORMAT_VERSION):
        raise ValueError(f"{path} has seqae file format version "
                         f"{metadata.get('format_version')!r}; this seqae reads version "
                         f"{FORMAT_VERSION}.")
    document = metadata.get("estimator", "")
    if metadata.get("sha256") != _digest(document, tensors):
        raise ValueError(f"{path} failed its SHA-256 check: the file was edited or corrupted "
                         "after seqae.save wrote it.")
    return json.loads(document), tensors


def load(path: str | os.PathLike[str],
         device: str = "auto") -> SavedEstimator:
    """Load an estimator saved by :func:`save`; no pickle, no code from the file is run.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save`.
    device : str, default='auto'
        Where to put the network: ``'auto'`` (CUDA when available, else the CPU), ``'cpu'``,
        ``'cuda'`` or ``'cuda:<index>'``; it also becomes the estimator's ``device``
        parameter. A model trained on a GPU loads on a CPU-only machine.

    Returns
    -------
    estimator : fitted seqae estimator
        Its codes, reconstructions and scores equal the saved estimator's bitwise (on the
        same device type); ``partial_fit`` continues with the saved optimizer state.

    Raises
    ------
    ValueError
        If the file is not one written by :func:`save` (truncated, edited, another format,
        another format version, an unknown estimator class, weights that do not fit).

    Examples
    --------
    >>> import seqae
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 2, random_state=0)
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "rae.safetensors")
    >>> seqae.save(seqae.RAETransformer(sigma=0.25, max_epochs=2).fit(X), path)
    >>> seqae.load(path, device="cpu").transform(X).shape
    (20, 8)
    """
    saved, tensors = _read(path)
    device = resolve_device(device)
    return _rebuild(saved, tensors, device, path)


def _rebuild(saved, tensors, device, path):
    """The estimator described by ``saved`` (see :func:`_describe`) and its ``tensors``,
    rebuilt through its class's ``_from_saved`` hook; a nested estimator (a classifier's
    ``autoencoder_``) is rebuilt first and handed over as a fitted attribute."""
    cls = ESTIMATORS.get(saved.get("class"))
    if cls is None:
        raise ValueError(f"{path} holds an estimator of class {saved.get('class')!r}; seqae "
                         f"loads only {sorted(ESTIMATORS)}.")
    try:
        attributes = _fields(saved["attributes"])
        for key, document in (saved.get("estimators") or {}).items():
            prefix = f"{key}/"
            attributes[key] = _rebuild(
                document, {k[len(prefix):]: v for k, v in tensors.items()
                           if k.startswith(prefix)}, device, path)
        own = {key: value for key, value in tensors.items() if "/" not in key}
        module = {key[len("module."):]: value for key, value in own.items()
                  if key.startswith("module.")}
        return cls._from_saved(
            params=_fields(saved["params"]), attributes=attributes,
            net_params=_fields(saved["net"]), module_state=module,
            optimizer_state=_optimizer_state(own, saved["optimizer"]),
            history=None if saved.get("history") is None else _decode(saved["history"]),
            device=device)
    except (TypeError, KeyError, RuntimeError, AttributeError, ValueError) as err:
        raise ValueError(f"{path} does not describe a valid {saved.get('class')}: {err}") from None
