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


def check_sequences(estimator, X, *, reset):
    """Validate ``X`` as sequences and return it as a 3D float array ``(n, T, m)``.

    float32 stays float32; every other numeric dtype becomes float64. With ``reset=True`` the
    fitted layout is recorded on ``estimator`` (``n_features_in_``, ``n_timesteps_``,
    ``n_channels_``, ``input_ndim_``); with ``reset=False`` ``X`` is checked against it.

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
        if ndim not in (2, 3):
            shape = getattr(X, "shape", None)
            got = f"an array of shape {shape}" if shape is not None else f"{ndim}-D input"
            raise ValueError(
                f"{type(estimator).__name__} expects {LAYOUTS}; got {got}. Reshape your data, "
                "e.g. X.reshape(1, -1) for a single univariate sequence."
            )
    X = validate_data(estimator, X, reset=reset, dtype=FLOAT_DTYPES, allow_nd=True)
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
