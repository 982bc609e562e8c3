"""Filling gaps in sequences with a sequence autoencoder.

The public import path; the code lives in :mod:`seqae.tasks.impute`.
"""

from .tasks.impute import SequenceImputer

__all__ = ["SequenceImputer"]
