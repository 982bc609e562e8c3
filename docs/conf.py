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
    # MathJax shipped with the docs (the package holds MathJax 3's files and copies them to
    # _static/mathjax): equations render offline, on an intranet, from a local build
    # (tests/test_docs_browser.py checks this in a headless browser with the network off)
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
# where sphinx-mathjax-offline puts it: relative to _static, never a CDN
mathjax_path = "mathjax/tex-chtml.js"

#: ``SEQAE_EXAMPLES_FAST=1``: the gallery's examples train for a few epochs only, so their
#: numbers are not the ones the text describes; every page then says so in a banner.
FAST_EXAMPLES = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"
FAST_BANNER = ("Fast build (SEQAE_EXAMPLES_FAST=1): the gallery's examples were trained for "
               "a few epochs only, so their figures and numbers are not the ones the text "
               "describes. Build without SEQAE_EXAMPLES_FAST, or run an example, for the "
               "real results.")

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

templates_path = ["_templates"]
# A page's table of contents names methods without their class (``fit()``, not
# ``RAESCTransformer.fit()``), so the names fit the right-hand column.
toc_object_entries_show_parents = "hide"
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
# The PyData Sphinx theme, as scikit-learn, skorch, aeon and sktime use: a top navigation bar
# with the four parts, the search field, a page table of contents on the right, light and
# dark modes. No version switcher: it reads a JSON file of the published versions from the
# documentation's web address, and seqae has none yet.
html_theme = "pydata_sphinx_theme"
html_title = f"seqae {release}"
html_theme_options = {
    "navbar_align": "left",
    "navbar_end": ["theme-switcher"],
    "navbar_persistent": ["search-button"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
if FAST_EXAMPLES:  # a banner at the top of every page
    html_theme_options["announcement"] = FAST_BANNER
# The landing page and the single-page parts need no left sidebar (it would list nothing).
html_sidebars = {"index": [], "getting_started": [], "user_guide": []}
html_static_path = ["_static"]
html_css_files = ["seqae.css"]
html_show_sourcelink = False


_SHAPE_UNDERSCORE = re.compile(r"(\w)_(?=[,)])")


def _escape_fitted_shapes(app, what, name, obj, options, lines):
    """``shape (n_samples, n_components_)``: a trailing ``_`` would be an RST reference."""
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = _SHAPE_UNDERSCORE.sub(r"\1\\_", line)


def _skip_metadata_requests(app, what, name, obj, skip, options):
    """scikit-learn's generated ``set_*_request`` methods document its metadata routing;
    ``__init__`` repeats the class signature (the class docstring documents the parameters)."""
    if re.fullmatch(r"set_\w+_request", name) or name == "__init__":
        return True
    return None


_FIGURE = re.compile(r"\bFig\. (?=\d)")


def _spell_out_figures(app, what, name, obj, options, lines):
    """``(Fig. 1c)`` -> ``(Figure 1c)``: autosummary's one-line summaries end at the first
    period followed by a space, which cut "the RAES paper's baseline (Fig." short."""
    for i, line in enumerate(lines):
        lines[i] = _FIGURE.sub("Figure ", line)


_TITLE = re.compile(r"^(?P<title>[^\s.].*)\n(?P<rule>=+)\n", re.MULTILINE)


def _fast_example_warning(app, docname, source):
    """In a fast build, a warning box under the title of each gallery example: its output
    comes from a few epochs of training, not the run that the prose describes."""
    if not FAST_EXAMPLES or not docname.startswith("auto_examples/") or \
            docname.endswith("index"):
        return
    text = source[0]
    match = _TITLE.search(text)
    if match is None:
        return
    box = ("\n.. admonition:: Fast build: these results are not the real ones\n"
           "   :class: warning seqae-fast-build\n\n"
           f"   {FAST_BANNER}\n\n")
    source[0] = text[:match.end()] + box + text[match.end():]


def setup(app):
    app.connect("source-read", _fast_example_warning)
    app.connect("autodoc-process-docstring", _escape_fitted_shapes, priority=400)
    app.connect("autodoc-process-docstring", _spell_out_figures)
    app.connect("autodoc-skip-member", _skip_metadata_requests)
