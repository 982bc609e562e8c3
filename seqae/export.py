"""Export of fitted estimators' networks (TorchScript, ONNX).

The public import path; the code lives in :mod:`seqae.io.export`.
"""

from .io.export import export_model, export_onnx

__all__ = ["export_model", "export_onnx"]
