"""Built-in data: the RAES paper's sum-of-sines sequences."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import check_random_state

__all__ = ["make_sine_sequences"]


def make_sine_sequences(n_samples: int = 5000, n_timesteps: int = 200, n_features: int = 1, *,
                        n_waves: int = 3,
                        frequency_range: tuple[float, float] = (1.0, 10.0),
                        noise: float = 0.0,
                        random_state: int | np.random.RandomState | None = None
                        ) -> NDArray[np.float64]:
    """Generate sequences that are sums of sine waves, as in the RAES paper's data set.

    Each feature of each sequence is an independent sum of ``n_waves`` sines with random
    amplitude (uniform in [0.1, 1]), frequency (uniform in ``frequency_range``, in cycles
    per sequence) and phase (uniform in [0, 2 pi)), divided by ``n_waves`` so that values lie
    in [-1, 1]; optional Gaussian noise is added. The paper's set is 5000 sequences of 200
    steps with 1, 2, 4 or 8 features.

    Parameters
    ----------
    n_samples : int, default=5000
        Number of sequences.
    n_timesteps : int, default=200
        Length of each sequence.
    n_features : int, default=1
        Features (channels) per time step.
    n_waves : int, default=3
        Sines summed per sequence and feature.
    frequency_range : tuple of float, default=(1.0, 10.0)
        Lowest and highest frequency, in cycles over the whole sequence.
    noise : float, default=0.0
        Standard deviation of Gaussian noise added to every value.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible data.

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_features), dtype float64

    Examples
    --------
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(100, 50, 2, random_state=0)
    >>> X.shape, X.dtype, bool(abs(X).max() <= 1)
    ((100, 50, 2), dtype('float64'), True)
    """
    for name, value in (("n_samples", n_samples), ("n_timesteps", n_timesteps),
                        ("n_features", n_features), ("n_waves", n_waves)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    low, high = frequency_range
    if not 0 <= low <= high:
        raise ValueError(f"frequency_range must be (low, high) with 0 <= low <= high; got "
                         f"{frequency_range!r}.")
    if noise < 0:
        raise ValueError(f"noise must be non-negative; got {noise!r}.")
    rng = check_random_state(random_state)
    shape = (n_samples, 1, n_features, n_waves)
    amplitude = rng.uniform(0.1, 1.0, shape)
    frequency = rng.uniform(low, high, shape)
    phase = rng.uniform(0.0, 2 * np.pi, shape)
    t = (np.arange(n_timesteps) / n_timesteps)[np.newaxis, :, np.newaxis, np.newaxis]
    X = np.sum(amplitude * np.sin(2 * np.pi * frequency * t + phase), axis=-1) / n_waves
    if noise:
        X = X + rng.normal(0.0, noise, X.shape)
    return X
