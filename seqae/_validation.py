"""Input checks shared by the estimators: sequence layouts, devices and seeds."""

import numpy as np
import torch
from scipy import sparse
from sklearn.utils.validation import validate_data

LAYOUTS = (
    "a 2D array (n_samples, n_timesteps) of univariate sequences or a 3D array "
    "(n_samples, n_timesteps, n_features) of multivariate sequences"
)
FLOAT_DTYPES = (np.float64, np.float32)


def check_sequences(estimator, X, *, reset, allow_nan=False):
    """Validate ``X`` as sequences and return it as a 3D float array ``(n, T, m)``.

    float32 stays float32; every other numeric dtype becomes float64. With ``reset=True`` the
    fitted layout is recorded on ``estimator`` (``n_features_in_``, ``n_timesteps_``,
    ``n_channels_``, ``input_ndim_``); with ``reset=False`` ``X`` is checked against it.
    ``allow_nan`` lets NaN through (infinities are always an error).

    Returns
    -------
    X3 : ndarray of shape (n_samples, n_timesteps, n_features)
    """
    if not sparse.issparse(X):
        ndim = getattr(X, "ndim", None)
        if ndim is None:  # lists and other array-likes
            try:
                ndim = np.asarray(X).ndim
            except (ValueError, TypeError):  # ragged nested sequences
                ndim = None
        shape = getattr(X, "shape", None)
        if ndim not in (2, 3):
            got = f"an array of shape {shape}" if shape is not None else f"{ndim}-D input"
            raise ValueError(
                f"{type(estimator).__name__} expects {LAYOUTS}; got {got}. Reshape your data, "
                "e.g. X.reshape(1, -1) for a single univariate sequence."
            )
    try:
        X = validate_data(estimator, X, reset=reset, dtype=FLOAT_DTYPES, allow_nd=True,
                          ensure_all_finite="allow-nan" if allow_nan else True)
    except ValueError as err:
        message = str(err)
        if message.startswith("X has") and "is expecting" in message:
            raise ValueError(
                f"{message} (for sequences these features are time steps: arrays must have "
                f"n_timesteps_={estimator.n_timesteps_} steps; a list of sequences may hold "
                "shorter ones)."
            ) from None
        if "0 feature(s)" in message:
            raise ValueError(
                f"{message} The second dimension of X is time: {type(estimator).__name__} "
                "expects sequences of at least one time step."
            ) from None
        if message.startswith("Complex data not supported"):
            raise ValueError(
                f"Complex data not supported: {type(estimator).__name__} expects real (int or "
                f"float) values; got X of complex dtype {getattr(X, 'dtype', '')}."
            ) from None
        if message.startswith("could not convert"):
            dtype = getattr(X, "dtype", None)
            got = f"X of dtype {dtype}" if dtype is not None else "non-numeric X"
            raise ValueError(
                f"{type(estimator).__name__} expects numeric (int or float) values; got {got} "
                f"({message})."
            ) from None
        if not message.startswith("Input X contains"):
            raise
        got = "NaN" if "NaN" in message.split("\n")[0] else "infinity"
        hint = (" Pass missing='mask' to treat NaN as missing values, or impute them first "
                "(sklearn.impute)." if got == "NaN" else "")
        raise ValueError(
            f"{type(estimator).__name__} expects finite values; got X containing {got}.{hint}"
        ) from None
    if X.shape[1] == 0:
        raise ValueError(
            f"{type(estimator).__name__} expects sequences of at least one time step; got an "
            f"array of shape {X.shape}."
        )
    if X.ndim == 3 and X.shape[2] == 0:
        raise ValueError(
            f"{type(estimator).__name__} expects {LAYOUTS} with at least one feature; got an "
            f"array of shape {X.shape}."
        )
    X3 = X if X.ndim == 3 else X[:, :, np.newaxis]
    if reset:
        estimator.n_timesteps_ = X3.shape[1]
        estimator.n_channels_ = X3.shape[2]
        estimator.input_ndim_ = X.ndim
    elif X3.shape[2] != estimator.n_channels_:
        raise ValueError(
            f"X has {X3.shape[2]} features per time step, but {type(estimator).__name__} was "
            f"fitted on {estimator.n_channels_}."
        )
    return X3


def _is_sequence_list(X):
    """A list/tuple of sequences of different lengths, or of 2D ``(T_i, m)`` arrays.

    A list of equal-length 1D sequences stays what scikit-learn makes of it: a 2D array.
    """
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    if not all(hasattr(seq, "__len__") and not isinstance(seq, (str, bytes)) for seq in X):
        return False
    if len({len(seq) for seq in X}) > 1:
        return True
    return any(getattr(seq, "ndim", None) == 2 for seq in X)


def check_sequence_list(estimator, X, *, reset, allow_nan=False):
    """Validate a list of sequences ``(T_i, m)`` (or ``(T_i,)``) and zero-pad them.

    Returns ``(X3, lengths)``: ``X3`` of shape ``(n, T, m)`` with ``T`` the longest sequence
    (``reset=True``) or the fitted ``n_timesteps_``, and ``lengths`` an int64 array of the
    ``T_i`` (``None`` when every sequence has length ``T``). The inputs are copied, never
    modified. With ``reset=True`` the fitted layout is recorded as in :func:`check_sequences`
    (``n_features_in_`` is the padded length).
    """
    name = type(estimator).__name__
    arrays = []
    for i, seq in enumerate(X):
        try:
            arr = np.asarray(seq)
        except (ValueError, TypeError):
            arr = None
        if arr is None or arr.ndim not in (1, 2):
            got = "a ragged nested sequence" if arr is None else f"shape {arr.shape}"
            raise ValueError(
                f"{name} expects each sequence in a list to be an array of shape (T_i,) or "
                f"(T_i, n_features); sequence {i} has {got}."
            )
        if arr.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} expects numeric (int or float) sequences; sequence {i} has dtype "
                f"{arr.dtype}."
            )
        if arr.shape[0] == 0 or (arr.ndim == 2 and arr.shape[1] == 0):
            raise ValueError(
                f"{name} expects sequences with at least one time step and one feature; "
                f"sequence {i} has shape {arr.shape}."
            )
        arrays.append(arr if arr.ndim == 2 else arr[:, np.newaxis])
    ndims = {np.ndim(seq) for seq in X}
    widths = {arr.shape[1] for arr in arrays}
    if len(ndims) > 1 or len(widths) > 1:
        raise ValueError(
            f"{name} expects every sequence in a list to have the same number of features; "
            f"got sequences of shapes {sorted({arr.shape[1:] for arr in arrays})}."
        )
    dtype = np.float32 if all(arr.dtype == np.float32 for arr in arrays) else np.float64
    n_channels = widths.pop()
    lengths = np.array([len(arr) for arr in arrays], dtype=np.int64)
    for i, arr in enumerate(arrays):
        finite = np.isfinite(arr)
        if not finite.all() and (not allow_nan or np.isinf(arr).any()):
            bad = "infinity" if allow_nan else "NaN or infinity"
            hint = "" if allow_nan else " (pass missing='mask' to train on the observed values)"
            raise ValueError(
                f"{name} expects finite values; sequence {i} contains {bad}{hint}."
            )
    if reset:
        n_timesteps = int(lengths.max())
    else:
        n_timesteps = estimator.n_timesteps_
        if n_channels != estimator.n_channels_:
            raise ValueError(
                f"X has {n_channels} features per time step, but {name} was fitted on "
                f"{estimator.n_channels_}."
            )
        if lengths.max() > n_timesteps:
            raise ValueError(
                f"{name} was fitted on sequences of up to n_timesteps_={n_timesteps} steps and "
                f"pads shorter ones; got a sequence of {lengths.max()} steps (sequence "
                f"{int(lengths.argmax())}). Crop it or refit on sequences this long."
            )
    X3 = np.zeros((len(arrays), n_timesteps, n_channels), dtype=dtype)
    for i, arr in enumerate(arrays):
        X3[i, :len(arr)] = arr
    if reset:
        estimator.n_features_in_ = n_timesteps
        estimator.n_timesteps_ = n_timesteps
        estimator.n_channels_ = n_channels
        estimator.input_ndim_ = 2 if ndims == {1} else 3
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
    return X3, (None if (lengths == n_timesteps).all() else lengths)


def check_input(estimator, X, *, reset, allow_nan=False):
    """``(X3, lengths)`` for an array (``lengths=None``) or a list of sequences."""
    if _is_sequence_list(X):
        return check_sequence_list(estimator, X, reset=reset, allow_nan=allow_nan)
    return check_sequences(estimator, X, reset=reset, allow_nan=allow_nan), None


def to_float32_tensor(X):
    """A float32 CPU tensor that owns its memory (the caller's array is never aliased)."""
    return torch.from_numpy(np.array(X, dtype=np.float32, order="C", copy=True))


def resolve_device(device):
    """``'auto'`` -> CUDA when available, else CPU; an unavailable CUDA is a clear error."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:<index>'; got {device!r}."
        ) from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for, but this PyTorch build "
            f"({torch.__version__}) sees no CUDA device; use device='auto' or 'cpu'."
        )
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be a CPU or CUDA device; got {device!r}.")
    return str(resolved)


def resolve_seed(random_state):
    """An int seed for torch from ``random_state`` without touching any global RNG.

    ``None`` draws fresh OS entropy; an int is used as is; a ``RandomState`` is drawn from (it
    belongs to the caller, as everywhere in scikit-learn).
    """
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    return int(random_state)
