import numpy as np
import pytest

from seqae.datasets import make_sine_sequences


def test_shape_dtype_range_and_seed():
    X = make_sine_sequences(30, 40, 3, random_state=0)
    assert X.shape == (30, 40, 3) and X.dtype == np.float64
    assert np.abs(X).max() <= 1.0
    np.testing.assert_array_equal(X, make_sine_sequences(30, 40, 3, random_state=0))
    assert not np.array_equal(X, make_sine_sequences(30, 40, 3, random_state=1))


def test_is_a_sum_of_sines_with_frequencies_in_range():
    X = make_sine_sequences(50, 256, 1, n_waves=1, frequency_range=(3.0, 3.0), random_state=0)
    spectrum = np.abs(np.fft.rfft(X[:, :, 0], axis=1))
    assert np.all(spectrum.argmax(axis=1) == 3)
    noisy = make_sine_sequences(50, 256, 1, noise=0.5, random_state=0)
    assert np.std(noisy - make_sine_sequences(50, 256, 1, random_state=0)) > 0.4


@pytest.mark.parametrize("kwargs", [{"n_samples": 0}, {"n_timesteps": 1.5}, {"noise": -1},
                                    {"frequency_range": (5, 1)}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        make_sine_sequences(**{"n_samples": 2, **kwargs})
