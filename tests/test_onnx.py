"""export_onnx: ONNX models checked with onnxruntime against PyTorch (GRU and LSTM, uni- and
bidirectional encoders, decoders)."""

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError

from seqae import RAESCTransformer
from seqae.export import export_onnx

from .conftest import FAST

ort = pytest.importorskip("onnxruntime")
onnxscript = pytest.importorskip("onnxscript")

CASES = [("gru", False), ("gru", True), ("lstm", False), ("lstm", True)]


def _session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _time_axis(session):
    return session.get_inputs()[0].shape[1]


@pytest.mark.parametrize("cell, bidirectional", CASES)
def test_encoder_matches_pytorch(cell, bidirectional, sines, tmp_path):
    X = sines.astype(np.float32)
    ae = RAESCTransformer(sigma=0.5, cell=cell, bidirectional=bidirectional, device="cpu",
                          **FAST).fit(X)
    program = export_onnx(ae, tmp_path / "encoder.onnx")
    assert program.model_proto.graph.input[0].name == "sequences"
    session = _session(tmp_path / "encoder.onnx")
    assert session.get_inputs()[0].shape[0] == "batch"  # dynamic batch axis
    for n in (1, 5, 24):
        codes = session.run(["codes"], {"sequences": X[:n]})[0]
        np.testing.assert_allclose(codes, ae.transform(X[:n]), rtol=0, atol=1e-5)
    if (cell, bidirectional) == ("gru", False):
        assert _time_axis(session) == "time"
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


@pytest.mark.parametrize("cell, bidirectional", [("gru", False), ("lstm", True)])
def test_decoder_matches_pytorch(cell, bidirectional, sines, tmp_path):
    X = sines.astype(np.float32)
    ae = RAESCTransformer(sigma=0.5, cell=cell, bidirectional=bidirectional, device="cpu",
                          **FAST).fit(X)
    export_onnx(ae, tmp_path / "decoder.onnx", part="decoder")
    session = _session(tmp_path / "decoder.onnx")
    codes = ae.transform(X)
    for n in (1, 5, 24):
        decoded = session.run(["sequences"], {"codes": codes[:n]})[0]
        np.testing.assert_allclose(decoded, ae.inverse_transform(codes[:n]), rtol=0, atol=1e-5)


def test_export_onnx_errors(sines, tmp_path, monkeypatch):
    with pytest.raises(NotFittedError):
        export_onnx(RAESCTransformer(), tmp_path / "x.onnx")
    ae = RAESCTransformer(sigma=0.5, device="cpu", **FAST).fit(sines)
    with pytest.raises(ValueError, match="part must be one of"):
        export_onnx(ae, tmp_path / "x.onnx", part="autoencoder")
    monkeypatch.setattr(onnxscript, "__version__", "0.7.0")
    with pytest.raises(ImportError, match="linear_before_reset"):
        export_onnx(ae, tmp_path / "x.onnx")
