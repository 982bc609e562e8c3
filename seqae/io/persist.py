"""Saving and loading fitted estimators without pickle: safetensors weights + JSON.

One ``.safetensors`` file holds the network's weights and the optimizer's state as tensors,
and in its text metadata a JSON document with the estimator's class, its constructor
parameters (``get_params``), its fitted attributes (every ``*_`` attribute but ``net_``),
the net's own settings and training history, a format version and a SHA-256 digest of all
of it. Loading parses that JSON and reads raw tensors: nothing in the file is ever executed,
and only seqae's own estimator classes can be instantiated from it.

A composition (a scikit-learn ``Pipeline`` of seqae and scikit-learn steps, the anomaly
detector, the imputer) is saved the same way (format version 2): each estimator inside as
its class's qualified name, its constructor parameters and its fitted state (every
attribute), numeric arrays as tensors and the rest as JSON; a fitted seqae network inside as
above. Loading instantiates only scikit-learn's and seqae's estimator classes (subclasses of
``sklearn.base.BaseEstimator`` defined in the installed ``sklearn`` or ``seqae`` packages) and
sets their attributes from data; a function, a random generator or any other object that is
code is refused at ``save``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
import re
import warnings
from numbers import Integral, Real

import numpy as np
import sklearn
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._engine.validation import resolve_device
from .._engine.training import SavedEstimator
from ..tasks.classifier import SequenceClassifier, SequenceRegressor
from ..autoencoders.lstm import LSTMAutoencoder
from ..autoencoders.rae import RAESCTransformer, RAESTransformer, RAETransformer
from ..autoencoders.vrae import VRAETransformer

__all__ = ["save", "load", "FORMAT_VERSION", "ESTIMATORS"]

#: Version of the file layout :func:`save` writes for a composition (a ``Pipeline``, the
#: detector, the imputer); one seqae network estimator is still written as version 1, so that
#: older seqae releases read it. :func:`load` reads versions 1 and 2 and refuses others.
FORMAT_VERSION = 2
_READS = ("1", "2")
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


def save(estimator: SavedEstimator | BaseEstimator,
         path: str | os.PathLike[str]) -> None:
    """Save a fitted seqae estimator, or a pipeline holding one, to a file, without pickle.

    The file is a `safetensors <https://huggingface.co/docs/safetensors>`_ file: the
    network's weights and the optimizer's state are raw tensors; the estimator's class,
    constructor parameters, fitted attributes, the net's settings and the training history
    are JSON in its metadata, with a format version and a SHA-256 digest. :func:`load`
    rebuilds the estimator from it, on any device (a model trained on a GPU loads on a
    CPU-only machine), and gives bitwise the same codes.

    Parameters
    ----------
    estimator : fitted seqae estimator, or a composition of estimators
        Any of seqae's estimators: the five autoencoders, :class:`~seqae.SequenceClassifier`
        and :class:`~seqae.SequenceRegressor` (whose pre-trained ``autoencoder_`` is saved
        with it; its ``autoencoder`` parameter is saved as class and parameters),
        :class:`~seqae.anomaly.AutoencoderAnomalyDetector`,
        :class:`~seqae.impute.SequenceImputer`; or a scikit-learn ``Pipeline`` (or any other
        scikit-learn estimator) whose steps are seqae and scikit-learn estimators whose
        fitted state is data (arrays, numbers, strings; e.g. ``StandardScaler``, ``PCA``,
        ``SVC``, ``LogisticRegression``, ``KMeans``). An estimator whose state holds code
        (a ``FunctionTransformer``'s function, a callable ``kernel``) or objects that are
        not data (a decision tree's ``tree_``) is refused with a ``TypeError`` that names
        it.
    path : str or path-like
        The file to write (conventionally ``*.safetensors``). It is created with the
        permissions of any file the process writes (the umask applies).

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

    A whole pipeline:

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.svm import SVC
    >>> y = np.arange(20) % 2
    >>> pipe = make_pipeline(seqae.RAESCTransformer(max_epochs=2, random_state=0), SVC())
    >>> pipe = pipe.fit(X, y)
    >>> seqae.save(pipe, path)
    >>> bool((seqae.load(path, device="cpu").predict(X) == pipe.predict(X)).all())
    True
    """
    from safetensors.torch import save as to_bytes

    if _is_seqae_estimator(estimator):
        check_is_fitted(estimator)
        document, tensors = _describe(estimator)
        version = "1"
    else:
        if not isinstance(estimator, BaseEstimator):
            raise TypeError(f"seqae.save saves scikit-learn and seqae estimators (a fitted "
                            f"seqae estimator, or a Pipeline holding one); got "
                            f"{type(estimator).__name__}.")
        check_is_fitted(estimator)
        tensors = {}
        document = {"object": _encode_object(estimator, "estimator", tensors),
                    "sklearn_version": sklearn.__version__}
        version = str(FORMAT_VERSION)
    document = json.dumps(document, sort_keys=True)
    metadata = {"format": _FORMAT, "format_version": version,
                "estimator": document, "sha256": _digest(document, tensors),
                "seqae_version": _seqae_version()}
    # written as bytes through open(), so that the file gets the mode every other file of
    # the process gets (0666 less the umask); safetensors' save_file creates it 0600
    data = to_bytes(tensors, metadata=metadata)
    with open(path, "wb") as file:
        file.write(data)


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
    if metadata.get("format_version") not in _READS:
        raise ValueError(f"{path} has seqae file format version "
                         f"{metadata.get('format_version')!r}; this seqae reads versions "
                         f"{', '.join(_READS)}.")
    document = metadata.get("estimator", "")
    if metadata.get("sha256") != _digest(document, tensors):
        raise ValueError(f"{path} failed its SHA-256 check: the file was edited or corrupted "
                         "after seqae.save wrote it.")
    return json.loads(document), tensors


def load(path: str | os.PathLike[str],
         device: str = "auto") -> SavedEstimator | BaseEstimator:
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
    estimator : fitted seqae estimator, or the saved composition (e.g. a ``Pipeline``)
        Its codes, reconstructions and scores equal the saved estimator's bitwise (on the
        same device type); ``partial_fit`` continues with the saved optimizer state. Only
        scikit-learn's and seqae's estimator classes are instantiated; a file saved with
        another scikit-learn version loads with a warning (as pickle's would).

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
    if "object" in saved:
        _check_sklearn_version(saved.get("sklearn_version"), path)
        try:
            return _decode_object(saved["object"], tensors, device, path)
        except (TypeError, KeyError, RuntimeError, AttributeError, ValueError,
                ImportError) as err:
            raise ValueError(f"{path} does not describe a valid estimator: {err}") from None
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


# -- compositions: Pipelines, the detector, the imputer, scikit-learn's estimators ------------
# Any estimator that is not one of seqae's network estimators is saved as its class's
# qualified name, its constructor parameters and its attributes (its whole ``__dict__``, the
# fitted state included). Numeric arrays go to tensors (exact bits, any size); every other
# value must be JSON data or an estimator in turn. A fitted seqae network estimator inside is
# described by ``_describe`` and its tensors are stored under a prefix of its own.

_TENSOR_DTYPES = {np.dtype(name) for name in ("bool", "int8", "int16", "int32", "int64",
                                              "uint8", "float16", "float32", "float64")}
_BUILTIN_TYPES = {cls.__name__: cls for cls in (bool, int, float, complex, str)}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _class_path(cls):
    return f"{cls.__module__}:{cls.__qualname__}"


def _allowed_class(path):
    """The class named ``module:qualname`` if it is a scikit-learn or seqae estimator class
    (imported from the installed packages), else a ``ValueError``: nothing else is ever
    instantiated from a file."""
    module_name, _, qualname = str(path).partition(":")
    if not (_NAME.match(module_name) and _NAME.match(qualname)
            and module_name.split(".")[0] in ("sklearn", "seqae")):
        raise ValueError(f"class {path!r} is not a scikit-learn or seqae estimator; "
                         "seqae.load instantiates no other class.")
    try:
        obj = importlib.import_module(module_name)
        for part in qualname.split("."):
            if part.startswith("__"):
                raise AttributeError(part)
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        obj = None
    if not (isinstance(obj, type) and issubclass(obj, BaseEstimator)
            and obj.__module__ == module_name):
        raise ValueError(f"{path!r} is not a scikit-learn or seqae estimator class; "
                         "seqae.load instantiates no other class.")
    return obj


def _check_savable_class(value, where):
    cls = type(value)
    try:
        _allowed_class(_class_path(cls))
    except (ValueError, ImportError, AttributeError):
        raise TypeError(
            f"seqae.save: {where} is a {cls.__module__}.{cls.__qualname__}; seqae.save saves "
            "scikit-learn's and seqae's estimators only (their classes are the only ones "
            "seqae.load instantiates)."
        ) from None


def _encode_value(value, where, tensors):
    """A JSON-able form of any value of an estimator's state (see the section comment)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value) if type(value) in (int, bool) else {
            "__scalar__": int(value), "dtype": np.asarray(value).dtype.str}
    if isinstance(value, Real):
        return float(value) if type(value) is float else {
            "__scalar__": float(value), "dtype": np.asarray(value).dtype.str}
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, BaseEstimator):
        if _is_seqae_estimator(value) and hasattr(value, "net_"):
            key = f"@{len({k.split('/')[0] for k in tensors if k.startswith('@')})}"
            document, own = _describe(value)
            tensors.update({f"{key}/{k}": v for k, v in own.items()})
            return {"__network__": document, "tensors": key}
        return _encode_object(value, where, tensors)
    if isinstance(value, np.dtype):
        return {"__npdtype__": value.str}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"__nptype__": np.dtype(value).str}
    if isinstance(value, type) and value in _BUILTIN_TYPES.values():  # dtype=float
        return {"__type__": value.__name__}
    if isinstance(value, list):
        return [_encode_value(item, f"{where}[{i}]", tensors) for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {"__tuple__": [_encode_value(item, f"{where}[{i}]", tensors)
                              for i, item in enumerate(value)]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"__dict__": {key: _encode_value(item, f"{where}[{key!r}]", tensors)
                             for key, item in value.items()}}
    if isinstance(value, slice):  # e.g. a ColumnTransformer's column selection
        return {"__slice__": [_encode_value(part, where, tensors)
                              for part in (value.start, value.stop, value.step)]}
    if type(value) is np.ndarray:  # subclasses (a masked array) would lose what they add
        if value.dtype in _TENSOR_DTYPES and value.dtype.isnative and value.size:
            key = f"array.{len([k for k in tensors if k.startswith('array.')])}"
            tensors[key] = torch.from_numpy(np.array(value, order="C", copy=True))
            return {"__array__": key}
        if value.dtype.kind in "biufUO":
            return {"__ndarray__": _encode_value(value.tolist(), where, tensors),
                    "dtype": value.dtype.str, "shape": list(value.shape)}
    if callable(value):
        raise TypeError(
            f"seqae.save: {where} is code ({value!r}); seqae.save saves data only, and "
            "seqae.load runs no code from a file. Replace the function by an estimator "
            "whose state is data, or recreate this step after loading.")
    raise TypeError(
        f"seqae.save: {where} is a {type(value).__module__}.{type(value).__qualname__}, which "
        "is not data seqae.save can store (arrays, numbers, strings, lists, dicts, "
        "estimators); seqae.load runs no code from a file, so such an object cannot be "
        "rebuilt.")


def _encode_object(estimator, where, tensors):
    _check_savable_class(estimator, where)
    if isinstance(estimator, np.random.RandomState):  # pragma: no cover - not an estimator
        raise TypeError(f"{where} is a RandomState")
    params = estimator.get_params(deep=False)
    state = {}
    for key, value in vars(estimator).items():
        if key in params and value is params[key]:
            continue
        if key == "random_state" or key.endswith("random_state"):
            if isinstance(value, np.random.RandomState):
                warnings.warn(f"seqae.save saves {where}.{key}={value!r} as None (a "
                              "RandomState is not data); pass an int to keep refits "
                              "reproducible.", UserWarning, stacklevel=4)
                value = None
        state[key] = _encode_value(value, f"{where}.{key}", tensors)
    for key, value in params.items():
        if isinstance(value, np.random.RandomState):
            warnings.warn(f"seqae.save saves {where}'s {key}={value!r} as None (a "
                          "RandomState is not data); pass an int to keep refits "
                          "reproducible.", UserWarning, stacklevel=4)
            params[key] = None
        elif key == "callbacks" and value:
            warnings.warn(f"seqae.save does not save {where}'s callbacks (they are code); "
                          "the loaded estimator has callbacks=None.", UserWarning,
                          stacklevel=4)
            params[key] = None
    return {"__object__": _class_path(type(estimator)),
            "params": {key: _encode_value(value, f"{where}'s parameter {key}", tensors)
                       for key, value in params.items()},
            "state": state}


def _decode_value(value, tensors, device, path):
    if isinstance(value, list):
        return [_decode_value(item, tensors, device, path) for item in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value:
        return tuple(_decode_value(item, tensors, device, path) for item in value["__tuple__"])
    if "__dict__" in value:
        return {key: _decode_value(item, tensors, device, path)
                for key, item in value["__dict__"].items()}
    if "__array__" in value:
        return tensors[value["__array__"]].numpy().copy()
    if "__ndarray__" in value:
        items = _decode_value(value["__ndarray__"], tensors, device, path)
        dtype = np.dtype(value["dtype"])
        if dtype.kind == "O":
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(value["shape"])
        return np.array(items, dtype=dtype).reshape(value["shape"])
    if "__slice__" in value:
        return slice(*_decode_value(value["__slice__"], tensors, device, path))
    if "__scalar__" in value:
        return np.dtype(value["dtype"]).type(value["__scalar__"])
    if "__npdtype__" in value:
        return np.dtype(value["__npdtype__"])
    if "__nptype__" in value:
        return np.dtype(value["__nptype__"]).type
    if "__type__" in value:
        return _BUILTIN_TYPES[value["__type__"]]
    if "__network__" in value:
        prefix = f"{value['tensors']}/"
        return _rebuild(value["__network__"],
                        {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)},
                        device, path)
    if "__object__" in value:
        return _decode_object(value, tensors, device, path)
    if "__estimator__" in value:  # written by version 1 files only
        return _decode(value)
    raise ValueError(f"unknown JSON object {sorted(value)}")


def _decode_object(value, tensors, device, path):
    cls = _allowed_class(value["__object__"])
    params = {key: _decode_value(item, tensors, device, path)
              for key, item in value["params"].items()}
    if "device" in params and _is_seqae_estimator_class(cls):
        params["device"] = device
    estimator = cls(**params)
    for key, item in value["state"].items():
        vars(estimator)[key] = _decode_value(item, tensors, device, path)
    return estimator


def _is_seqae_estimator_class(cls):
    return cls.__module__.split(".")[0] == "seqae"


def _check_sklearn_version(saved_version, path):
    if saved_version and saved_version != sklearn.__version__:
        warnings.warn(
            f"{path} was saved with scikit-learn {saved_version}; this is scikit-learn "
            f"{sklearn.__version__}. Its scikit-learn estimators are rebuilt from their "
            "saved attributes, which another version may not read the same way: check the "
            "loaded pipeline, or load it with the version that saved it.", UserWarning,
            stacklevel=3)
