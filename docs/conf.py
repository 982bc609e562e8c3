"""Sphinx configuration of the seqae documentation (``make docs`` builds it)."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

import seqae  # noqa: E402

project = "seqae"
author = "the seqae developers"
copyright = "the seqae developers"
version = release = seqae.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Docstrings refer to scikit-learn, PyTorch and skorch types by name; no network access is
# needed (no intersphinx), so the build is reproducible offline.
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "show_memory": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib",),
}

templates_path = []
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
html_theme = "alabaster"
html_theme_options = {"description": "Recurrent sequence autoencoders for scikit-learn"}
html_static_path = []
