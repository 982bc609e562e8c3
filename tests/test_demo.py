import math

import numpy as np
import pytest

from seqae import demo
from seqae.datasets import make_sine_sequences


def parse_table(out):
    """The demo's markdown table as ``{model: [cells]}``."""
    rows = [line.strip("|").split("|") for line in out.splitlines()
            if line.startswith("| RAE")]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows}


def test_demo_prints_the_table_and_writes_the_plot(tmp_path, capsys):
    n_samples, n_timesteps, epochs = 50, 8, 4
    demo.main(["--n-samples", str(n_samples), "--n-timesteps", str(n_timesteps),
               "--max-epochs", str(epochs), "--output", str(tmp_path)])
    table = parse_table(capsys.readouterr().out)
    assert list(table) == ["RAE", "RAES", "RAESC"]

    # a trivial predictor (all zeros) has the data's mean square as its MSE; the models,
    # even after a few epochs, must be finite and not far off it (a miswired decoder, an
    # unscaled output or a diverged fit is)
    X = make_sine_sequences(n_samples, n_timesteps, 1, frequency_range=(1.0, 4.0),
                            random_state=0)
    trivial = float(np.mean(X ** 2))
    # sigma=1 (the demo's default): n_C = m_X n_X = 8, and the decoder's input per Fig. 1
    layouts = {"RAE": (n_timesteps, 8), "RAES": (n_timesteps, 1), "RAESC": (n_timesteps, 8)}
    for name, (mse, seconds, n_components, layout, reached) in table.items():
        assert math.isfinite(float(mse)) and 0 < float(mse) < 1.5 * trivial, (name, mse)
        assert float(seconds) > 0
        assert int(n_components) == 8
        assert tuple(int(v) for v in layout.strip("()").split(",")) == layouts[name]
        assert reached == "not reached" or 1 <= int(reached) <= epochs
    assert 1 <= int(table["RAE"][4]) <= epochs  # RAE reaches its own final loss

    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    image = imread(tmp_path / "validation_loss.png")
    assert image.shape[:2] == (400, 600)  # figsize (6, 4) at 100 dpi
    assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 10  # not blank
