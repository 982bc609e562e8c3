"""Progress where users work: a bar in a terminal and in a notebook, kept after ``fit`` with
the final loss; no colour codes in logs (output that is not a terminal)."""

import io
import sys
import types

import numpy as np
import pytest

from seqae import RAETransformer
from seqae._engine.callbacks import FitProgress, in_notebook
from seqae.datasets import make_sine_sequences

X = make_sine_sequences(12, 6, 1, random_state=0)
ANSI = "\x1b["


class Terminal(io.StringIO):
    def isatty(self):
        return True


def _progress(ae):
    return dict(ae.net_.callbacks_).get("seqae_progress")


def _last_frame(text):
    """What a terminal shows last: the text after the final carriage return of the output."""
    return text.rstrip("\n").split("\r")[-1]


def test_terminal_bar_is_kept_with_the_final_loss(monkeypatch):
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    ae = RAETransformer(max_epochs=3, random_state=0).fit(X)
    assert isinstance(_progress(ae), FitProgress)
    shown = _last_frame(err.getvalue())
    # not erased: the last frame is the full bar with the last epoch's loss
    assert shown.startswith("RAETransformer") and "3/3" in shown, repr(shown)
    final = ae.net_.history[-1, "train_loss"]
    assert f"train_loss={final:.4g}" in shown, (shown, final)
    assert err.getvalue().endswith("\n")
    assert ANSI not in err.getvalue()


def test_no_bar_when_stderr_is_not_a_terminal_outside_a_notebook(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not in_notebook()
    ae = RAETransformer(max_epochs=2, random_state=0).fit(X)
    # no bar: progress lines, every PROGRESS_INTERVAL_S seconds (none in a short fit; see
    # tests/test_first_hour.py)
    assert not isinstance(_progress(ae), FitProgress) and err.getvalue() == ""


def _fake_kernel(monkeypatch, kernel=True):
    shell = types.SimpleNamespace(kernel=object()) if kernel else types.SimpleNamespace()
    monkeypatch.setitem(sys.modules, "IPython",
                        types.SimpleNamespace(get_ipython=lambda: shell))


def test_bar_in_a_notebook(monkeypatch):
    """A Jupyter kernel's stderr is no terminal, but it shows a bar: verbose='auto' draws one
    (tqdm's text bar without ipywidgets, which is not installed here), kept after fit."""
    err = io.StringIO()  # (ipykernel's stream: isatty() is False)
    monkeypatch.setattr(sys, "stderr", err)
    _fake_kernel(monkeypatch)
    assert in_notebook()
    ae = RAETransformer(max_epochs=2, random_state=0).fit(X)
    assert isinstance(_progress(ae), FitProgress)
    shown = _last_frame(err.getvalue())
    assert "2/2" in shown and "train_loss=" in shown
    # a plain IPython terminal shell (no kernel) is not a notebook
    _fake_kernel(monkeypatch, kernel=False)
    assert not in_notebook()


def test_partial_fit_bar_is_one_epoch_and_not_kept(monkeypatch):
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    ae = RAETransformer(max_epochs=50, random_state=0)
    ae.partial_fit(X).partial_fit(X)
    progress = _progress(ae)
    assert (progress.epochs, progress.leave, progress.bar_.total) == (1, False, 1)
    assert _last_frame(err.getvalue()).strip() == ""  # erased


@pytest.mark.parametrize("stdout_is_terminal", [False, True])
def test_verbose_1_table_has_colour_only_in_a_terminal(monkeypatch, stdout_is_terminal):
    out = Terminal() if stdout_is_terminal else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    ae = RAETransformer(max_epochs=3, verbose=1, random_state=0).fit(X)
    text = out.getvalue()
    rows = [line.split()[0] for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert rows == ["1", "2", "3"]
    assert "train_loss" in text
    # the first epoch is always the best so far, which skorch marks with a colour
    assert (ANSI in text) is stdout_is_terminal, repr(text)
    final = ae.net_.history[-1, "train_loss"]
    assert np.isfinite(final)
