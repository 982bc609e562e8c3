"""Dask arrays: transform, score and fit out of core.

The public import path; the code lives in :mod:`seqae.io.dask`.
"""

from .io.dask import fit_incremental, score_samples, transform

__all__ = ["fit_incremental", "score_samples", "transform"]
