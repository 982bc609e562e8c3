"""No silent misreads of layouts: channels-first arrays and lists (aeon, sktime), one-step
arrays and long-format tables are refused with the fix, or converted by seqae.io.interop."""

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import seqae
from seqae import RAETransformer
from seqae._engine.validation import check_time_first
from seqae.tasks.impute import SequenceImputer
from seqae.io.interop import (LayoutWarning, from_channels_first, from_long_format,
                           to_channels_first)

FIX = r"seqae\.interop\.from_channels_first\(X\)"
SILENCE = r"seqae\.set_config\(check_layout=False\)"
RNG = np.random.default_rng(0)


def fit(X, estimator=RAETransformer):
    return estimator(max_epochs=1, random_state=0).fit(X)


@pytest.mark.parametrize("shape", [(50, 1, 150), (40, 6, 100), (12, 2, 50), (30, 24, 96)])
def test_channels_first_arrays_are_refused_with_the_fix(shape):
    X = RNG.standard_normal(shape)
    with pytest.raises(ValueError, match="channels-first") as info:
        fit(X)
    message = str(info.value)
    assert f"shape {shape}" in message
    assert re.search(FIX, message) and "channels_first_adapter()" in message
    assert re.search(SILENCE, message)
    # the fix works: the same data converted fit as (time, channels)
    ae = fit(from_channels_first(X))
    assert (ae.n_timesteps_, ae.n_channels_) == (shape[2], shape[1])


def test_ambiguous_shapes_warn_and_square_ones_pass():
    X = RNG.standard_normal((10, 10, 15))  # fewer steps than features, not by much
    with pytest.warns(LayoutWarning, match=FIX):
        fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(RNG.standard_normal((10, 15, 10)))  # more steps than features: as it is
        fit(RNG.standard_normal((10, 6, 6)))


def test_the_escape_hatch_keeps_short_wide_data_as_they_are():
    X = RNG.standard_normal((12, 2, 50))  # legitimately 2 steps of 50 features
    assert seqae.get_config()["check_layout"] is True
    with seqae.config_context(check_layout=False):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ae = fit(X)
            fit(RNG.standard_normal((10, 10, 15)))
    assert seqae.get_config()["check_layout"] is True  # restored
    assert (ae.n_timesteps_, ae.n_channels_) == (2, 50)
    # transform does not check again (the fit fixed the layout)
    assert ae.transform(X).shape == (12, ae.n_components_)
    seqae.set_config(check_layout=False)
    try:
        fit(X)
    finally:
        seqae.set_config(check_layout=True)
    with pytest.raises(ValueError, match="channels-first"):
        fit(X)


@pytest.mark.slow
def test_environment_variable_sets_the_default_for_worker_processes():
    code = "import seqae; print(seqae.get_config()['check_layout'])"
    env = {**os.environ, "SEQAE_CHECK_LAYOUT": "0",
           "PYTHONPATH": str(Path(seqae.__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("X", [np.zeros((20, 1)), np.zeros((20, 1, 1)),
                               [np.zeros(1)] * 20], ids=["2d", "3d", "list"])
def test_one_step_sequences_are_refused(X):
    with pytest.raises(ValueError, match=r"20 sequences of 1 time step") as info:
        fit(X)
    assert "X.reshape(1, -1)" in str(info.value) and re.search(SILENCE, str(info.value))


def test_aeon_ragged_lists_are_refused_and_converted():
    aeon_list = [RNG.standard_normal((3, length)) for length in (20, 26, 15, 22)]
    with pytest.raises(ValueError, match=r"unequal-length collection.*" + FIX):
        fit(aeon_list)
    X = from_channels_first(aeon_list)
    assert [seq.shape for seq in X] == [(20, 3), (26, 3), (15, 3), (22, 3)]
    assert all(np.shares_memory(seq, orig) for seq, orig in zip(X, aeon_list))
    ae = fit(X)
    assert (ae.n_timesteps_, ae.n_channels_) == (26, 3)
    back = to_channels_first(X)
    for seq, orig in zip(back, aeon_list):
        np.testing.assert_array_equal(seq, orig)
    # a list of equal-shape channels-first arrays is refused as the 3D array is
    with pytest.raises(ValueError, match=FIX):
        fit([RNG.standard_normal((2, 40)) for _ in range(5)])
    with pytest.raises(ValueError, match="same number of channels"):
        from_channels_first([np.zeros((2, 5)), np.zeros((3, 5))])


def test_transform_names_a_channels_first_array():
    X = RNG.standard_normal((10, 12, 2))
    ae = fit(X)
    with pytest.raises(ValueError, match=FIX):
        ae.transform(np.swapaxes(X, 1, 2))


def test_imputer_refuses_channels_first_input():
    with pytest.raises(ValueError, match=FIX):
        SequenceImputer().fit(RNG.standard_normal((10, 1, 60)))


def test_series_check_names_the_transpose():
    with pytest.raises(ValueError, match=r"X\.T") as info:
        check_time_first("AutoencoderAnomalyDetector", (3, 5000), series=True)
    assert "3 time points with 5000 channels" in str(info.value)
    check_time_first("AutoencoderAnomalyDetector", (5000, 3), series=True)


def _long_frame(lengths, n_values=1, shuffle=True):
    pd = pytest.importorskip("pandas")
    rows = []
    for case, length in zip((9, 4, 7, 1), lengths):
        for t in range(length):
            rows.append({"id": case, "time": t,
                         **{f"v{j}": case * 100 + t + j / 10 for j in range(n_values)}})
    frame = pd.DataFrame(rows)
    return frame.sample(frac=1.0, random_state=0) if shuffle else frame


def test_long_format_frame_is_refused_with_the_converter():
    frame = _long_frame((5, 5, 5, 5), shuffle=False)
    with pytest.raises(ValueError, match="long-format") as info:
        fit(frame)
    message = str(info.value)
    assert "seqae.interop.from_long_format(X, id='id', time='time', value='v0')" in message
    assert "X.pivot(index='id', columns='time', values='v0')" in message
    nixtla = frame.rename(columns={"id": "unique_id", "time": "ds", "v0": "y"})
    with pytest.raises(ValueError, match="from_long_format.*id='unique_id', time='ds'"):
        fit(nixtla)


def test_from_long_format():
    # equal lengths, one value: a 2D array, ids in order of first appearance, time-sorted
    frame = _long_frame((4, 4, 4, 4), shuffle=False)
    shuffled = frame.sample(frac=1.0, random_state=1)
    X = from_long_format(frame, id="id", time="time", value="v0")
    np.testing.assert_array_equal(X[0], [900, 901, 902, 903])
    np.testing.assert_array_equal(X[:, 0], [900, 400, 700, 100])
    order = list(shuffled["id"].unique())
    X_shuffled = from_long_format(shuffled, id="id", time="time", value="v0")
    np.testing.assert_array_equal(X_shuffled[:, 0], [100 * case for case in order])
    # different lengths, two values: a list of (T_i, 2) arrays, which fit takes
    X = from_long_format(_long_frame((5, 3, 4, 6), n_values=2), id="id", time="time")
    by_length = sorted(X, key=len)
    assert [seq.shape for seq in by_length] == [(3, 2), (4, 2), (5, 2), (6, 2)]
    np.testing.assert_array_equal(by_length[0][:, 1], [400.1, 401.1, 402.1])
    assert fit(X).n_timesteps_ == 6
    with pytest.raises(ValueError, match="same 'time' twice"):
        from_long_format(frame.iloc[[0, 0, 1]], id="id", time="time")
    with pytest.raises(ValueError, match=r"\['nope'\] not found"):
        from_long_format(frame, id="id", time="time", value="nope")


README = Path(__file__).parents[2] / "README.md"


def test_readme_pipeline_snippet_runs_on_aeon_data(monkeypatch):
    """The README's Pipeline + GridSearchCV snippet, as written, on aeon's GunPoint (about
    AUTO_STEPS optimizer steps cut down to one epoch per fit)."""
    pytest.importorskip("aeon")
    from seqae._engine import budget as _budget

    text = README.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    snippet = next(block for block in blocks if "GridSearchCV" in block)
    assert "load_classification" in snippet and "from_channels_first" in snippet
    monkeypatch.setattr(_budget, "AUTO_STEPS", 1)
    namespace = {}
    exec(compile(snippet, str(README), "exec"), namespace)
    ae = namespace["search"].best_estimator_.named_steps["ae"]
    assert (ae.n_timesteps_, ae.n_channels_) == (150, 1)
    assert 0.0 <= namespace["accuracy"] <= 1.0


def test_detector_windows_of_many_channels_are_not_refused(fast_default):
    """The detector builds (n, window, channels) windows itself: 40 channels in windows of 8
    steps are not aeon's layout, and must not be refused as if they were."""
    from seqae.tasks.anomaly import AutoencoderAnomalyDetector

    series = RNG.standard_normal((120, 40))
    with warnings.catch_warnings():
        warnings.simplefilter("error", LayoutWarning)
        detector = AutoencoderAnomalyDetector(window_size=8, random_state=0).fit(series)
    assert detector.predict(series).shape == (120,)
