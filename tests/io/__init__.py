"""Tests of seqae.io (the folder mirrors the package)."""
