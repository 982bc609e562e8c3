"""Sphinx configuration of the seqae documentation (``make docs`` builds it)."""

import os
import re
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
# Document the estimators' own API (fit, transform, ...) but not what scikit-learn or
# PyTorch base classes add: their docstrings cross-reference their own documentation.
autodoc_default_options = {
    "members": True,
    "inherited-members": "BaseEstimator,TransformerMixin,_SetOutputMixin,_MetadataRequester,"
                         "ClassNamePrefixFeaturesOutMixin,Module,object",
}
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


_SHAPE_UNDERSCORE = re.compile(r"(\w)_(?=[,)])")


def _escape_fitted_shapes(app, what, name, obj, options, lines):
    """``shape (n_samples, n_components_)``: a trailing ``_`` would be an RST reference."""
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = _SHAPE_UNDERSCORE.sub(r"\1\\_", line)


def _skip_metadata_requests(app, what, name, obj, skip, options):
    """scikit-learn's generated ``set_*_request`` methods document its metadata routing."""
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def setup(app):
    app.connect("autodoc-process-docstring", _escape_fitted_shapes, priority=400)
    app.connect("autodoc-skip-member", _skip_metadata_requests)
