"""Tests of seqae.tasks (the folder mirrors the package)."""
