"""Input and output: safe model files, export (TorchScript, ONNX), other libraries' layouts
and Dask arrays. The public paths are :mod:`seqae.interop`, :mod:`seqae.export`,
:mod:`seqae.dask` and :func:`seqae.save` / :func:`seqae.load`."""
