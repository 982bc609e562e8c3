"""export_onnx: ONNX models checked with onnxruntime against PyTorch (GRU and LSTM, uni- and
bidirectional encoders, decoders)."""

import os
import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError

from seqae import LSTMAutoencoder, RAESCTransformer
from seqae.io import export as export_module
from seqae.io.export import export_model, export_onnx

from ..conftest import FAST

ort = pytest.importorskip("onnxruntime")
onnxscript = pytest.importorskip("onnxscript")

# the unidirectional GRU, the default encoder (and its decoder), and the framed encoders are
# checked in fresh processes below (an export earlier in this process makes their time axis
# static); here the other cell and a bidirectional encoder, in one case (one export costs
# seconds), and that case's decoder
CASES = [("lstm", True)]


def _session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _time_axis(session):
    return session.get_inputs()[0].shape[1]


def _time_warnings(caught):
    return any("time axis came out static" in str(w.message) for w in caught)


@pytest.mark.slow
@pytest.mark.parametrize("cell, bidirectional", CASES)
def test_encoder_matches_pytorch(cell, bidirectional, sines, tmp_path):
    X = sines.astype(np.float32)
    ae = RAESCTransformer(sigma=0.5, cell=cell, bidirectional=bidirectional, device="cpu",
                          **FAST).fit(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        program = export_onnx(ae, tmp_path / "encoder.onnx")
    assert program.model_proto.graph.input[0].name == "sequences"
    # a static time axis (see below) is announced by a warning, a dynamic one is not
    static = _time_axis(_session(tmp_path / "encoder.onnx")) != "time"
    assert _time_warnings(caught) == static
    session = _session(tmp_path / "encoder.onnx")
    assert session.get_inputs()[0].shape[0] == "batch"  # dynamic batch axis
    for n in (1, 5, 24):
        codes = session.run(["codes"], {"sequences": X[:n]})[0]
        np.testing.assert_allclose(codes, ae.transform(X[:n]), rtol=0, atol=1e-5)
    if _time_axis(session) == "time":  # other lengths too, against the PyTorch module
        rng = np.random.default_rng(0)
        for n, steps in ((3, 5), (7, 13)):
            x = rng.standard_normal((n, steps, 2)).astype(np.float32)
            with torch.no_grad():
                expected = ae.net_.module_.encode(torch.from_numpy(x)).numpy()
            codes = session.run(["codes"], {"sequences": x})[0]
            np.testing.assert_allclose(codes, expected, rtol=0, atol=1e-5)
    else:
        assert _time_axis(session) == 8
    if cell == "lstm":  # the decoder (the unidirectional GRU's: in the fresh process below)
        _check_decoder(ae, X, tmp_path)


def _check_decoder(ae, X, tmp_path):
    export_onnx(ae, tmp_path / "decoder.onnx", part="decoder")
    session = _session(tmp_path / "decoder.onnx")
    codes = ae.transform(X)
    for n in (1, 5, 24):
        decoded = session.run(["sequences"], {"codes": codes[:n]})[0]
        np.testing.assert_allclose(decoded, ae.inverse_transform(codes[:n]), rtol=0, atol=1e-5)


FRESH = """
import os, sys, traceback, warnings
import numpy as np, onnxruntime as ort, torch
torch.set_num_threads(1)
import onnxscript, torch.export, torch.onnx  # imported once, before any export
from seqae import RAESCTransformer
from seqae.datasets import make_sine_sequences
from seqae.io.export import export_onnx

def session(path):
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"])

def default_encoder():  # a unidirectional GRU: dynamic batch and time axes, no warning
    X = make_sine_sequences(24, 8, 2, random_state=0).astype(np.float32)
    ae = RAESCTransformer(sigma=0.5, max_epochs=2, batch_size=16, random_state=0,
                          device="cpu").fit(X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export_onnx(ae, sys.argv[1] + "-encoder.onnx")
    assert not [w for w in caught if "time axis" in str(w.message)], caught
    encoder = session(sys.argv[1] + "-encoder.onnx")
    assert encoder.get_inputs()[0].shape == ["batch", "time", 2], encoder.get_inputs()[0].shape
    for n in (1, 5, 24):  # any batch size at the training length
        codes = encoder.run(["codes"], {"sequences": X[:n]})[0]
        assert np.abs(codes - ae.transform(X[:n])).max() < 1e-5, n
    x = np.random.default_rng(0).standard_normal((3, 13, 2)).astype(np.float32)
    with torch.no_grad():
        expected = ae.net_.module_.encode(torch.from_numpy(x)).numpy()
    diff = np.abs(encoder.run(["codes"], {"sequences": x})[0] - expected).max()
    print(0, "DIFF", float(diff))
    export_onnx(ae, sys.argv[1] + "-decoder.onnx", part="decoder")  # and its decoder
    decoder = session(sys.argv[1] + "-decoder.onnx")
    codes = ae.transform(X)
    for n in (1, 5, 24):
        decoded = decoder.run(["sequences"], {"codes": codes[:n]})[0]
        assert np.abs(decoded - ae.inverse_transform(codes[:n])).max() < 1e-5, n
    print(0, "DECODER", "ok")

def framed_encoders():  # patch_size > 1
    X = make_sine_sequences(24, 16, 2, random_state=0).astype(np.float32)
    for patch in (2, 3):
        path = f"{sys.argv[1]}-{patch}.onnx"
        ae = RAESCTransformer(sigma=0.5, patch_size=patch, max_epochs=2, batch_size=16,
                              random_state=0, device="cpu").fit(X)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            export_onnx(ae, path)
        framed = session(path)
        print(patch, "AXIS", framed.get_inputs()[0].shape[1])
        for w in caught:
            if "time axis" in str(w.message):
                print(patch, "WARNING", str(w.message).replace(chr(10), " "))
        if not isinstance(framed.get_inputs()[0].shape[1], int):
            x = np.random.default_rng(0).standard_normal((3, 4 * patch, 2)).astype(np.float32)
            with torch.no_grad():
                expected = ae.net_.module_.encode(torch.from_numpy(x)).numpy()
            diff = np.abs(framed.run(["codes"], {"sequences": x})[0] - expected).max()
            print(patch, "DIFF", float(diff))

# each job's first export in a process of its own (a fork: the imports are paid once)
failed = 0
for job in (default_encoder, framed_encoders):
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            job()
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    failed |= os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0
sys.exit(int(failed))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a process for each first export")
def test_fresh_process_exports_have_dynamic_time_axes(tmp_path):
    """In fresh processes: in this PyTorch (2.13) a torch.export of a GRU earlier in the same
    process makes later exports specialise the time axis (export_onnx then falls back to a
    static one), and the test suite runs export_model before this module. One interpreter
    imports once and forks a process for each first export:

    * the default encoder, a unidirectional GRU: dynamic batch and time axes, no warning,
      the codes of other lengths equal to the PyTorch module's; and its decoder;
    * patch_size > 1 (the default 'auto' on sequences over 128 steps): the time axis is
      dynamic in multiples of the frame where the training length is one (16 = 8 frames
      of 2); otherwise (frames of 3) it is static and the warning names the frame size as
      the cause and says how to get a dynamic axis.
    """
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", FRESH, str(tmp_path / "e")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = {}
    for line in out.stdout.splitlines():
        patch, key, value = (line.split(" ", 2) + ["", ""])[:3]
        if key in ("AXIS", "WARNING", "DIFF", "DECODER"):
            lines[int(patch), key] = value
    assert float(lines[0, "DIFF"]) < 1e-5 and lines[0, "DECODER"] == "ok"
    assert lines[2, "AXIS"] == "2*frames" and (2, "WARNING") not in lines
    assert float(lines[2, "DIFF"]) < 1e-5
    assert lines[3, "AXIS"] == "16"
    assert "patch_size_=3" in lines[3, "WARNING"] and "patch_size=1" in lines[3, "WARNING"]


def test_export_onnx_errors(sines, tmp_path, monkeypatch):
    with pytest.raises(NotFittedError):
        export_onnx(RAESCTransformer(), tmp_path / "x.onnx")
    ae = RAESCTransformer(sigma=0.5, device="cpu", **FAST).fit(sines)
    with pytest.raises(ValueError, match="part must be one of"):
        export_onnx(ae, tmp_path / "x.onnx", part="autoencoder")
    monkeypatch.setattr(onnxscript, "__version__", "0.7.0")
    with pytest.raises(ImportError, match="linear_before_reset"):
        export_onnx(ae, tmp_path / "x.onnx")


@pytest.mark.slow
def test_static_time_axis_after_export_model_warns_at_export_time(sines, tmp_path):
    X = sines.astype(np.float32)
    ae = RAESCTransformer(sigma=0.5, device="cpu", **FAST).fit(X)
    export_model(ae)  # torch.export in this process: later GRU exports may specialise
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export_onnx(ae, tmp_path / "encoder.onnx")
    static = _time_axis(_session(tmp_path / "encoder.onnx")) != "time"
    assert _time_warnings(caught) == static
    if static:  # PyTorch 2.13: the message names the cause and the fix
        message = next(str(w.message) for w in caught if "time axis" in str(w.message))
        assert "n_timesteps_=8" in message and "fresh Python process" in message
    with warnings.catch_warnings(record=True) as caught:  # asked for: no warning
        warnings.simplefilter("always")
        export_onnx(ae, tmp_path / "static.onnx", dynamic_time=False)
    assert not _time_warnings(caught)
    assert _time_axis(_session(tmp_path / "static.onnx")) == 8


@pytest.mark.slow
def test_model_that_fixes_the_length_warns_at_export_time(sines, tmp_path, monkeypatch):
    # a step-by-step LSTM (activation other than tanh) always exports a static time axis
    monkeypatch.setattr(export_module, "_TORCH_EXPORT_RAN", False)
    ae = LSTMAutoencoder(hidden_size=4, activation="relu", device="cpu", **FAST).fit(sines)
    with pytest.warns(UserWarning, match=r"time axis came out static.*n_timesteps_=8.*"
                                         r"fixes the length.*dynamic_time=False"):
        export_onnx(ae, tmp_path / "lstm.onnx")
    assert _time_axis(_session(tmp_path / "lstm.onnx")) == 8
