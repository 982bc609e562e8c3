"""Tests of seqae._engine (the folder mirrors the package)."""
