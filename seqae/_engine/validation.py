"""Input checks shared by the estimators: sequence layouts, devices and seeds."""

import warnings

import numpy as np
import torch
from scipy import sparse
from sklearn.utils.validation import validate_data

from .config import get_config

LAYOUTS = (
    "a 2D array (n_samples, n_timesteps) of univariate sequences or a 3D array "
    "(n_samples, n_timesteps, n_features) of multivariate sequences"
)
FLOAT_DTYPES = (np.float64, np.float32)

# -- layouts other libraries use ----------------------------------------------------------
# Why an error (and not an estimator parameter): aeon and sktime hold collections channels
# first, (n_cases, n_channels, n_timepoints), and read time-first such an array still "works"
# (GunPoint, (50, 1, 150), fits 1 time step of 150 features) and gives plausible, worse
# results. Nothing in the values tells the two layouts apart, but the shapes usually do: a
# recurrent autoencoder over 1 step is not a sequence model, and real collections have far
# more time points than channels, while time-first data with fewer steps than features are
# rare. So the check refuses the shapes that are almost surely channels first (one step,
# or at most a quarter as many steps as features), warns for the ambiguous ones (fewer steps
# than features), and says in both cases how to convert (seqae.interop) and how to keep the
# data as they are (seqae.set_config / config_context(check_layout=False), process-wide, so
# that no estimator needs a layout parameter and pipelines and grid searches need no change).
# A parameter on every estimator would have to be threaded through pipelines and would still
# default to one reading; an error cannot be missed in a grid search's logs.
#: The time axis at most ``1 / CHANNELS_FIRST_RATIO`` of the feature axis is refused.
CHANNELS_FIRST_RATIO = 4

SILENCE = ("If the data really are {what}, keep them as they are with "
           "seqae.set_config(check_layout=False) (or `with seqae.config_context("
           "check_layout=False):`; SEQAE_CHECK_LAYOUT=0 in the environment of worker "
           "processes).")


class LayoutWarning(UserWarning):
    """Input whose time axis may be aeon/sktime's channel axis (see :func:`check_time_first`)."""


def check_time_first(name, shape, *, series=False):
    """Refuse (or warn about) input that looks channels-first, unless the check is off.

    The check every place where sequences come in calls (the estimators' ``fit`` through
    :func:`check_sequences` and :func:`check_sequence_list`; the imputer and the anomaly
    detector can call it on their own input).

    Parameters
    ----------
    name : str
        The estimator (or function) named in the message.
    shape : tuple of int
        ``(n_samples, n_timesteps, n_features)`` as seqae would read the input, or with
        ``series=True`` ``(n_timepoints, n_channels)`` of a single series.
    series : bool, default=False
        A single series (time first): the fix named is ``X.T`` rather than
        :func:`seqae.interop.from_channels_first`.

    Raises
    ------
    ValueError
        One time step of several features, or at most a quarter as many steps as features
        (``CHANNELS_FIRST_RATIO``).

    Warns
    -----
    LayoutWarning
        Fewer time steps than features (but more than a quarter as many).
    """
    n_timesteps, n_features = (int(v) for v in shape[-2:])
    if not get_config()["check_layout"] or n_timesteps >= n_features:
        return
    if series:
        read = (f"one series of {n_timesteps} time points with {n_features} channels (seqae "
                "reads a series as (n_timepoints, n_channels), time first)")
        fix = "Transpose it: X.T."
    else:
        read = (f"{shape[0]} sequences of {n_timesteps} time step"
                f"{'s' if n_timesteps != 1 else ''} with {n_features} features each (seqae "
                "reads (n_samples, n_timesteps, n_features), time before features)")
        fix = ("Convert it with seqae.interop.from_channels_first(X), or start the pipeline "
               "with seqae.interop.channels_first_adapter().")
    what = f"{n_timesteps} time step{'s' if n_timesteps != 1 else ''} of {n_features} features"
    sure = n_timesteps == 1 or n_timesteps * CHANNELS_FIRST_RATIO <= n_features
    message = (f"{name} got input of shape {tuple(int(v) for v in shape)}, which it reads as "
               f"{read}. That {'looks like' if sure else 'may be'} aeon/sktime's "
               f"channels-first layout "
               f"({'n_channels, n_timepoints' if series else 'n_cases, n_channels, n_timepoints'}"
               f"). {fix} {SILENCE.format(what=what)}")
    if sure:
        raise ValueError(message)
    warnings.warn(message, LayoutWarning, stacklevel=4)


# Long-format tables: one row per observation (an id column, a time column, values).
_ID_NAMES = {"id", "case", "series", "instance", "sample", "group", "unique_id", "item_id",
             "sequence", "subject"}
_TIME_NAMES = {"time", "timestamp", "date", "datetime", "ds", "t", "step", "timepoint",
               "time_idx", "timepoints", "time_index"}


def _is_id_name(column):
    name = str(column).lower()
    return name in _ID_NAMES or name.endswith("_id")


def _check_frame(name, X):
    """Refuse a pandas DataFrame that is not one sequence per row with numeric columns."""
    columns = list(X.columns)
    dtypes = list(X.dtypes)
    kinds = [getattr(dtype, "kind", "O") for dtype in dtypes]
    id_columns = [c for c in columns if _is_id_name(c)]
    time_columns = [c for c, k in zip(columns, kinds)
                    if str(c).lower() in _TIME_NAMES or k in "mM"]
    if time_columns and not id_columns and any(k in "mM" for k in kinds):
        time = time_columns[0]
        raise ValueError(
            f"{name} got a DataFrame with a time column {time!r} and no sequence id: one row "
            f"per time point, i.e. a single series. seqae reads a DataFrame as one sequence "
            f"per row and one column per time step. One multivariate sequence is "
            f"X.drop(columns=[{time!r}]).to_numpy()[np.newaxis] (shape (1, n_timepoints, "
            f"n_features)); to learn from windows of a long series, use "
            f"seqae.anomaly.SlidingWindows or the AutoencoderAnomalyDetector; a table of "
            f"several sequences needs an id column and seqae.interop.from_long_format."
        )
    if id_columns and time_columns:
        id_, time = id_columns[0], time_columns[0]
        values = [c for c in columns if c not in (id_, time)]
        value = values[0] if len(values) == 1 else None
        hint = (f"X.pivot(index={id_!r}, columns={time!r}, values={value!r})" if value is not None
                else f"X.pivot(index={id_!r}, columns={time!r})")
        raise ValueError(
            f"{name} got a DataFrame with columns {columns[:6]}{'...' if len(columns) > 6 else ''}"
            f", which looks like a long-format table (one row per observation: {id_!r} "
            f"identifies the sequence, {time!r} the time). seqae reads a DataFrame as one "
            f"sequence per row and one column per time step. Convert it with "
            f"seqae.interop.from_long_format(X, id={id_!r}, time={time!r}"
            f"{f', value={value!r}' if value is not None else ''}) (sequences of any lengths), "
            f"or pivot it: {hint}."
        )
    if id_columns:
        id_ = id_columns[0]
        raise ValueError(
            f"{name} got a DataFrame with a column {id_!r}, which is named like an id: seqae "
            f"reads a DataFrame as one sequence per row and every column as a time step, so "
            f"the id would be trained on as the first step of each sequence. Move it to the "
            f"index (X.set_index({id_!r})) or drop it (X.drop(columns=[{id_!r}])); a "
            f"long-format table (one row per observation) needs "
            f"seqae.interop.from_long_format(X, id=..., time=...)."
        )
    if get_config()["check_layout"] and len(columns) > 2 and len(X) > 2:
        # an integer column of distinct values among float columns: a row id, unnamed
        floats = [k == "f" for k in kinds]
        for column, kind in zip(columns, kinds):
            if kind in "iu" and sum(floats) == len(columns) - 1 and X[column].is_unique:
                warnings.warn(
                    f"{name} got a DataFrame whose column {column!r} holds distinct integers "
                    f"while every other column holds floats: it looks like a row id, which "
                    f"would be trained on as a time step. Move it to the index "
                    f"(X.set_index({column!r})) or drop it; if it is a time step, pass "
                    f"X.astype(float), or seqae.set_config(check_layout=False) to silence "
                    f"this warning.", LayoutWarning, stacklevel=5)
                break
    for column, kind in zip(columns, kinds):
        if kind in "biuf":
            continue
        cells = X[column]
        first = cells.iloc[0] if len(cells) else None
        if hasattr(first, "shape") or isinstance(first, (list, tuple)):
            raise ValueError(
                f"{name} got a DataFrame whose cells hold whole series (column {column!r}: "
                f"sktime's nested format). Convert it to a 3D array (sktime: "
                f"convert_to(X, to_type='numpy3D')) and then with "
                f"seqae.interop.from_channels_first, or pass a list of (T_i, n_features) arrays."
            )
        raise ValueError(
            f"{name} reads a DataFrame as one sequence per row, one numeric column per time "
            f"step; column {column!r} has dtype {X[column].dtype}. Drop non-numeric columns "
            f"(e.g. X.drop(columns=[{column!r}]); a label goes in y) or convert them with "
            f"pd.to_numeric."
        )


def _non_finite_hint(estimator, got):
    """How to fix NaN or infinity in ``X``, for an estimator with or without a ``missing``
    parameter (the imputer fills NaN itself and has none)."""
    params = estimator.get_params(deep=False)
    has_missing = "missing" in params
    if got == "NaN" and "autoencoder" in params:  # the classifier and the regressor
        return (" Pass an autoencoder with missing='mask' (e.g. autoencoder="
                "RAESCTransformer(missing='mask')) to treat NaN as missing values, or fill "
                "them first (seqae.impute.SequenceImputer).")
    if got == "NaN":
        if has_missing:
            return (" Pass missing='mask' to treat NaN as missing values, or impute them "
                    "first (seqae.impute.SequenceImputer, sklearn.impute).")
        return (" Fill them first (seqae.impute.SequenceImputer fills the NaN of "
                "sequences).")
    if has_missing:
        return (" Replace the infinities (e.g. clip X, or set them to NaN and pass "
                "missing='mask' to treat them as missing).")
    if get_tags_allow_nan(estimator):
        return (" Replace the infinities: clip X, or set them to NaN "
                "(X[np.isinf(X)] = np.nan), which this estimator treats as missing values.")
    return " Replace the infinities (e.g. clip X)."


def get_tags_allow_nan(estimator):
    """Whether ``estimator`` takes NaN as missing values (its ``allow_nan`` input tag)."""
    try:
        return bool(estimator.__sklearn_tags__().input_tags.allow_nan)
    except AttributeError:
        return False


def check_observed(name, X3, lengths):
    """Refuse sequences none of whose values is observed (all NaN), and warn, naming them,
    when some are: nothing can be learnt from them, and what fills them is the model's
    answer to an empty input. Returns the indices of the empty sequences."""
    observed = ~np.isnan(X3)
    if lengths is not None:
        observed &= (np.arange(X3.shape[1]) < lengths[:, None])[:, :, None]
    empty = np.flatnonzero(~observed.any(axis=(1, 2)))
    if len(empty) == len(X3):
        raise ValueError(
            f"{name} got {len(X3)} sequence(s) that are all NaN: no value is observed, so "
            "there is nothing to learn from. Pass sequences with observed values."
        )
    if len(empty):
        shown = ", ".join(str(i) for i in empty[:10]) + (", ..." if len(empty) > 10 else "")
        warnings.warn(
            f"{name}: {len(empty)} sequence(s) are all NaN (indices {shown}): they add "
            "nothing to training, and what fills them is the model's answer to an empty "
            "input (close to an average sequence). Drop them, or expect no information in "
            "their values.", UserWarning, stacklevel=4)
    return empty


def _shape_error(name, X, ndim):
    """The ``ValueError`` for input that is not 2D or 3D, naming the likely mistake."""
    shape = getattr(X, "shape", None)
    if X is None:
        got, fix = "None", "Pass the sequences."
    elif type(X).__name__ == "Series" and hasattr(X, "to_numpy"):
        got = f"a pandas Series of shape {shape}"
        fix = ("One sequence is X.to_numpy().reshape(1, -1); a column of a long-format table "
               "(one row per observation) is converted with "
               "seqae.interop.from_long_format(df, id=..., time=..., value=...).")
    elif isinstance(X, (list, tuple)) and len(X) == 0:
        got, fix = f"an empty {type(X).__name__}", "Pass at least one sequence."
    elif ndim is None:
        got = "ragged nested lists"
        fix = ("Pass a list of NumPy arrays, one (T_i,) or (T_i, n_features) array per "
               "sequence.")
    elif ndim == 1:
        got = f"an array of shape {shape}" if shape is not None else "1-D input"
        fix = ("Reshape your data: one univariate sequence is X.reshape(1, -1) (a 2D array "
               "of 1 sequence); "
               "several sequences of different lengths go in as a list of arrays.")
    elif ndim == 0:
        got, fix = f"a scalar ({X!r})", "Pass the sequences as an array or a list of arrays."
    else:
        got = f"an array of shape {shape}" if shape is not None else f"{ndim}-D input"
        fix = ("Reshape your data: time on axis 1, the other axes flattened into features, "
               "e.g. "
               "X.reshape(X.shape[0], X.shape[1], -1).")
    return ValueError(f"{name} expects {LAYOUTS}; got {got}. {fix}")


def _one_step_error(name, shape):
    n_samples = shape[0]
    return ValueError(
        f"{name} got X of shape {tuple(shape)}, which it reads as {n_samples} sequences of 1 "
        f"time step each (1 feature(s) as scikit-learn counts the columns of a 2D array: "
        f"the columns are time steps); a recurrent autoencoder learns nothing from one step. "
        f"One series of {n_samples} points is one sequence: X.reshape(1, -1) (or X.T). "
        + SILENCE.format(what="sequences of 1 time step")
    )


def check_sequences(estimator, X, *, reset, allow_nan=False):
    """Validate ``X`` as sequences and return it as a 3D float array ``(n, T, m)``.

    float32 stays float32; every other numeric dtype (int, bool) becomes float64. With
    ``reset=True`` the fitted layout is recorded on ``estimator`` (``n_features_in_``,
    ``n_timesteps_``, ``n_channels_``, ``input_ndim_``) and the layout is checked
    (:func:`check_time_first`); with ``reset=False`` ``X`` is checked against the fit.
    ``allow_nan`` lets NaN through (infinities are always an error).

    Returns
    -------
    X3 : ndarray of shape (n_samples, n_timesteps, n_features)
    """
    name = type(estimator).__name__
    if hasattr(X, "columns") and hasattr(X, "dtypes"):  # a pandas DataFrame
        _check_frame(name, X)
    if not sparse.issparse(X):
        ndim = getattr(X, "ndim", None)
        if ndim is None:  # lists and other array-likes
            try:
                ndim = np.asarray(X).ndim
            except (ValueError, TypeError):  # ragged nested sequences
                ndim = None
        if ndim not in (2, 3) or (isinstance(X, (list, tuple)) and len(X) == 0):
            raise _shape_error(name, X, ndim)
    try:
        X_checked = validate_data(estimator, X, reset=reset, dtype=FLOAT_DTYPES, allow_nd=True,
                                  ensure_all_finite="allow-nan" if allow_nan else True)
    except TypeError as err:
        if sparse.issparse(X):
            raise TypeError(
                f"{err} {name} reads each row of a 2D array as one sequence, so a sparse "
                "matrix holds padded univariate sequences at best: pass X.toarray()."
            ) from None
        raise
    except ValueError as err:
        message = str(err)
        if message.startswith("X has") and "is expecting" in message:
            shape = np.shape(X) if not sparse.issparse(X) else None
            hint = ""
            if shape is not None and len(shape) == 3 and (shape[2], shape[1]) == (
                    estimator.n_timesteps_, estimator.n_channels_):
                hint = (" X looks channels first (aeon/sktime's (n_cases, n_channels, "
                        "n_timepoints)): convert it with seqae.interop.from_channels_first(X).")
            raise ValueError(
                f"{message} (for sequences these features are time steps: arrays must have "
                f"n_timesteps_={estimator.n_timesteps_} steps; a list of sequences may hold "
                f"sequences of any length).{hint}"
            ) from None
        if "0 feature(s)" in message:
            raise ValueError(
                f"{message} The second dimension of X is time: {name} "
                "expects sequences of at least one time step."
            ) from None
        if message.startswith("Complex data not supported"):
            raise ValueError(
                f"Complex data not supported: {name} expects real (int or "
                f"float) values; got X of complex dtype {getattr(X, 'dtype', '')}. Pass the "
                "magnitude (np.abs(X)) or the real and imaginary parts as features "
                "(np.stack([X.real, X.imag], axis=-1))."
            ) from None
        if message.startswith("could not convert") or "dtype='numeric'" in message:
            dtype = getattr(X, "dtype", None)
            got = f"X of dtype {dtype}" if dtype is not None else "non-numeric X"
            raise ValueError(
                f"{name} expects numeric (int or float) values; got {got} "
                f"({message}). Convert the values to numbers first (e.g. "
                "X.astype(float), pd.to_numeric) and drop labels or ids (a label goes in y)."
            ) from None
        if not message.startswith("Input X contains"):
            raise
        got = "NaN" if "NaN" in message.split("\n")[0] else "infinity"
        hint = _non_finite_hint(estimator, got)
        raise ValueError(
            f"{name} expects finite values; got X containing {got}.{hint}"
        ) from None
    X = X_checked
    if X.shape[1] == 0:
        raise ValueError(
            f"{name} expects sequences of at least one time step; got an "
            f"array of shape {X.shape}."
        )
    if X.ndim == 3 and X.shape[2] == 0:
        raise ValueError(
            f"{name} expects {LAYOUTS} with at least one feature; got an "
            f"array of shape {X.shape}."
        )
    X3 = X if X.ndim == 3 else X[:, :, np.newaxis]
    if reset:
        if X3.shape[1] == 1 and X3.shape[2] == 1 and get_config()["check_layout"]:
            raise _one_step_error(name, X.shape)
        check_time_first(name, X3.shape)
        estimator.n_timesteps_ = X3.shape[1]
        estimator.n_channels_ = X3.shape[2]
        estimator.input_ndim_ = X.ndim
    elif X3.shape[2] != estimator.n_channels_:
        raise ValueError(
            f"X has {X3.shape[2]} features per time step, but {name} was "
            f"fitted on {estimator.n_channels_}. Pass the same features (channels), in the "
            "same order, as in fit."
        )
    return X3


def _is_sequence_list(X):
    """A list/tuple of sequences of different lengths, or of 2D ``(T_i, m)`` arrays, or a
    1D object array of sequences (``np.array([seq_0, seq_1, ...], dtype=object)``).

    A list of equal-length 1D sequences stays what scikit-learn makes of it: a 2D array.
    """
    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1 and len(X):
        return all(hasattr(seq, "__len__") and not isinstance(seq, (str, bytes)) for seq in X)
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    if any(seq is None for seq in X):
        return True  # refused by check_sequence_list, which names the entry
    if not all(hasattr(seq, "__len__") and not isinstance(seq, (str, bytes)) for seq in X):
        return False
    if len({len(seq) for seq in X}) > 1:
        return True
    return any(getattr(seq, "ndim", None) == 2 for seq in X)


def check_sequence_list(estimator, X, *, reset, allow_nan=False, allow_longer=False):
    """Validate a list of sequences ``(T_i, m)`` (or ``(T_i,)``) and zero-pad them.

    Returns ``(X3, lengths)``: ``X3`` of shape ``(n, T, m)`` with ``T`` the longest sequence
    (``reset=True``) or the fitted ``n_timesteps_``, and ``lengths`` an int64 array of the
    ``T_i`` (``None`` when every sequence has length ``T``). The inputs are copied, never
    modified. With ``reset=True`` the fitted layout is recorded as in :func:`check_sequences`
    (``n_features_in_`` is the padded length). With ``reset=False``, sequences longer than
    ``n_timesteps_`` are an error unless ``allow_longer`` (then ``T`` is the longest of them).
    """
    name = type(estimator).__name__
    arrays = []
    for i, seq in enumerate(X):
        if seq is None:
            raise ValueError(
                f"{name} expects every entry of a list of sequences to be an array; sequence "
                f"{i} is None. Drop it (mark missing values inside a sequence with NaN and "
                "missing='mask')."
            )
        try:
            arr = np.asarray(seq)
        except (ValueError, TypeError):
            arr = None
        if arr is None or arr.ndim not in (1, 2):
            got = "a ragged nested sequence" if arr is None else f"shape {arr.shape}"
            raise ValueError(
                f"{name} expects each sequence in a list to be an array of shape (T_i,) or "
                f"(T_i, n_features); sequence {i} has {got}. Flatten the axes after time "
                "into features (seq.reshape(len(seq), -1))."
            )
        if arr.dtype.kind == "c":
            raise ValueError(
                f"{name} expects real (int or float) sequences; sequence {i} has complex dtype "
                f"{arr.dtype}. Pass np.abs(seq), or the real and imaginary parts as features."
            )
        if arr.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} expects numeric (int or float) sequences; sequence {i} has dtype "
                f"{arr.dtype}. Convert every sequence to numbers (np.asarray(seq, dtype=float))."
            )
        if arr.shape[0] == 0 or (arr.ndim == 2 and arr.shape[1] == 0):
            raise ValueError(
                f"{name} expects sequences with at least one time step and one feature; "
                f"sequence {i} has shape {arr.shape}. Drop empty sequences."
            )
        arrays.append(arr if arr.ndim == 2 else arr[:, np.newaxis])
    ndims = {np.ndim(seq) for seq in X}
    widths = {arr.shape[1] for arr in arrays}
    if len(widths) > 1:
        firsts = {arr.shape[0] for arr in arrays}
        if ndims == {2} and len(firsts) == 1:
            raise ValueError(
                f"{name} got a list of arrays that all have {firsts.pop()} rows but "
                f"{len(widths)} different numbers of columns: aeon/sktime's unequal-length "
                "collection, (n_channels, n_timepoints_i) per series, channels first. Convert "
                "it with seqae.interop.from_channels_first(X) (a list of (n_timepoints_i, "
                "n_channels) arrays)."
            )
        raise ValueError(
            f"{name} expects every sequence in a list to have the same number of features; "
            f"got sequences of shapes {sorted({arr.shape[1:] for arr in arrays})}. Select "
            "the same channels, in the same order, in every sequence."
        )
    if len(ndims) > 1:
        raise ValueError(
            f"{name} expects the sequences of a list to be all 1D (T_i,) or all 2D "
            f"(T_i, n_features); got both. Reshape the 1D ones with seq.reshape(-1, 1)."
        )
    dtype = np.float32 if all(arr.dtype == np.float32 for arr in arrays) else np.float64
    n_channels = widths.pop()
    lengths = np.array([len(arr) for arr in arrays], dtype=np.int64)
    for i, arr in enumerate(arrays):
        finite = np.isfinite(arr)
        if not finite.all() and (not allow_nan or np.isinf(arr).any()):
            bad = "infinity" if allow_nan or not np.isnan(arr).any() else "NaN"
            raise ValueError(
                f"{name} expects finite values; sequence {i} contains {bad}."
                f"{_non_finite_hint(estimator, bad)}"
            )
    if reset:
        n_timesteps = int(lengths.max())
        if (lengths == 1).all() and n_channels == 1 and get_config()["check_layout"]:
            raise _one_step_error(name, (len(arrays), 1))
        if len(set(lengths.tolist())) == 1:
            check_time_first(name, (len(arrays), n_timesteps, n_channels))
    else:
        n_timesteps = estimator.n_timesteps_
        if n_channels != estimator.n_channels_:
            raise ValueError(
                f"X has {n_channels} features per time step, but {name} was fitted on "
                f"{estimator.n_channels_}. Pass the same features (channels), in the same "
                "order, as in fit."
            )
        if lengths.max() > n_timesteps:
            if not allow_longer:
                raise ValueError(
                    f"{name} was fitted on sequences of up to n_timesteps_={n_timesteps} steps "
                    f"and pads shorter ones; got a sequence of {lengths.max()} steps (sequence "
                    f"{int(lengths.argmax())}). Crop it (seq[:{n_timesteps}]) or refit on "
                    "sequences this long."
                )
            n_timesteps = int(lengths.max())
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


def check_input(estimator, X, *, reset, allow_nan=False, allow_longer=False):
    """``(X3, lengths)`` for an array (``lengths=None``) or a list of sequences.

    ``allow_longer``: a list may hold sequences longer than ``n_timesteps_`` (``reset=False``
    only; ``X3`` is then padded to the longest of them): for the methods that only encode.
    """
    if _is_sequence_list(X):
        return check_sequence_list(estimator, X, reset=reset, allow_nan=allow_nan,
                                   allow_longer=allow_longer)
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
