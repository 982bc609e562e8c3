"""Tests of seqae.autoencoders (the folder mirrors the package)."""
