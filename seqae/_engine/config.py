"""Process-wide settings of seqae: :func:`set_config`, :func:`get_config`, :func:`config_context`.

One setting for now, ``check_layout``: whether 3D input whose time axis looks like channels
(aeon/sktime's ``(n_cases, n_channels, n_timepoints)``) is refused (see
:func:`seqae._engine.validation.check_time_first`). It is the escape hatch for data that really are
short sequences of many features. It is process-wide, like scikit-learn's own
``set_config``, so that it reaches every estimator of a pipeline or a grid search without a
parameter on each of them; worker *processes* (``n_jobs`` with joblib's default backend) start
from the environment variable ``SEQAE_CHECK_LAYOUT`` (``0`` turns the check off) instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["config_context", "get_config", "set_config"]


def _default_check_layout():
    return os.environ.get("SEQAE_CHECK_LAYOUT", "1").strip().lower() not in ("0", "false",
                                                                           "no", "off")


_lock = threading.Lock()
_config = {"check_layout": _default_check_layout()}


def get_config() -> dict[str, Any]:
    """The current settings, as a new dict.

    Returns
    -------
    config : dict
        ``{'check_layout': bool}``.

    Examples
    --------
    >>> import seqae
    >>> seqae.get_config()["check_layout"]
    True
    """
    return dict(_config)


def set_config(*, check_layout: bool | None = None) -> None:
    """Change seqae's process-wide settings (``None`` leaves a setting as it is).

    Parameters
    ----------
    check_layout : bool or None, default=None
        ``True`` (the default, or ``SEQAE_CHECK_LAYOUT=0`` in the environment for ``False``):
        ``fit`` refuses 3D input ``(n, T, m)`` with a single time step or with a time axis
        at most a quarter as long as the feature axis, and warns (:class:`~seqae.interop.
        LayoutWarning`) when it is merely shorter, because that is how aeon/sktime's
        channels-first arrays look when read time-first. ``False``: such arrays are read
        as they are (time before features), silently.

    Examples
    --------
    >>> import seqae
    >>> seqae.set_config(check_layout=False)
    >>> seqae.get_config()["check_layout"]
    False
    >>> seqae.set_config(check_layout=True)
    """
    with _lock:
        if check_layout is not None:
            _config["check_layout"] = bool(check_layout)


@contextmanager
def config_context(*, check_layout: bool | None = None) -> Iterator[None]:
    """:func:`set_config` for the duration of a ``with`` block (restored afterwards).

    Examples
    --------
    >>> import numpy as np
    >>> import seqae
    >>> X = np.random.default_rng(0).standard_normal((20, 2, 40))  # 2 steps of 40 features
    >>> with seqae.config_context(check_layout=False):
    ...     ae = seqae.RAETransformer(max_epochs=1, random_state=0).fit(X)
    >>> ae.n_timesteps_, ae.n_channels_
    (2, 40)
    """
    old = get_config()
    set_config(check_layout=check_layout)
    try:
        yield
    finally:
        set_config(**old)
