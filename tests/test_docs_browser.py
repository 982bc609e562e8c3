"""The documentation offline: MathJax ships with it (no CDN), equations render in a real
headless browser with the network off, and a fast gallery build says so on its pages.

The configuration checks run everywhere. The checks of built HTML run after a docs build,
when asked for (``make docs-check``, which sets ``SEQAE_DOCS_HTML`` to the built folder, so
that a plain test run never judges a stale build), and the browser checks where a Chromium
is installed too (``chromium``, ``chromium-browser``, ``google-chrome`` on the PATH, or
``SEQAE_CHROMIUM`` names it); elsewhere they skip. CI builds the docs, then runs
``make docs-check`` (.ci/run).
"""

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML = (Path(os.environ["SEQAE_DOCS_HTML"]).resolve() if os.environ.get("SEQAE_DOCS_HTML")
        else None)


def _conf(monkeypatch, fast):
    if fast:
        monkeypatch.setenv("SEQAE_EXAMPLES_FAST", "1")
    else:
        monkeypatch.delenv("SEQAE_EXAMPLES_FAST", raising=False)
    spec = importlib.util.spec_from_file_location("seqae_docs_conf", ROOT / "docs" / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


# -- configuration (no build needed) --------------------------------------------------------
def test_mathjax_is_shipped_with_the_docs(monkeypatch):
    conf = _conf(monkeypatch, fast=False)
    assert "sphinx-mathjax-offline" in conf.extensions
    assert not re.match(r"^(https?:)?//", conf.mathjax_path)  # a local file, not a CDN
    pyproject = (ROOT / "pyproject.toml").read_text()
    docs_extra = pyproject.split("\ndocs = [", 1)[1].split("]", 1)[0]
    assert "sphinx-mathjax-offline" in docs_extra  # make docs installs it


def test_fast_build_pages_carry_a_banner(monkeypatch):
    page = ("..  DO NOT EDIT.\n\n.. _sphx_glr_auto_examples_plot_x.py:\n\n\n"
            "Denoising sequences\n===================\n\nThe text says 0.91.\n")
    conf = _conf(monkeypatch, fast=True)
    assert "Fast build" in conf.html_theme_options["announcement"]
    source = [page]
    conf._fast_example_warning(None, "auto_examples/plot_x", source)
    title_end = source[0].index("===================\n") + len("===================\n")
    assert source[0][title_end:].lstrip().startswith(".. admonition:: Fast build")
    assert source[0].index("admonition") < source[0].index("The text says")
    index = [page]
    conf._fast_example_warning(None, "auto_examples/index", index)
    assert index == [page]
    conf = _conf(monkeypatch, fast=False)  # a full build: no banner
    assert "announcement" not in conf.html_theme_options
    source = [page]
    conf._fast_example_warning(None, "auto_examples/plot_x", source)
    assert source == [page]


# -- built HTML -----------------------------------------------------------------------------
def _built(page):
    if HTML is None:
        pytest.skip("built docs are checked by make docs-check (SEQAE_DOCS_HTML unset)")
    path = HTML / page
    if not path.exists():
        pytest.skip(f"docs not built ({path} missing): run make docs first")
    return path


def test_built_pages_load_mathjax_locally():
    page = _built("user_guide.html").read_text()
    scripts = re.findall(r"<script[^>]*src=\"([^\"]*mathjax[^\"]*)\"", page, re.I)
    assert scripts, "the page with equations loads no MathJax"
    assert all(not re.match(r"^(https?:)?//", src) for src in scripts), scripts
    for src in scripts:
        assert (HTML / src).exists(), src
    assert "cdn.jsdelivr" not in page


def _chromium():
    for name in (os.environ.get("SEQAE_CHROMIUM"), "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium installed (apt-get install chromium, or set SEQAE_CHROMIUM)")


def _render(page):
    """The DOM of ``page`` after its scripts ran, in headless Chromium with the network off
    (every host unresolvable and a proxy that does not exist: only file:// loads)."""
    chromium = _chromium()
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
               "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
               "--virtual-time-budget=15000", "--dump-dom", page.as_uri()]
    out = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_equations_render_offline_in_a_browser():
    page = _built("user_guide.html")
    dom = _render(page)
    math = re.findall(r"<span class=\"math notranslate nohighlight\">(.*?)</span>", dom,
                      re.S)
    displays = re.findall(r"<div class=\"math notranslate nohighlight\">(.*?)</div>", dom,
                          re.S)
    assert math or displays, "the user guide has equations"
    rendered = dom.count("<mjx-container")
    assert rendered >= len(math) + len(displays), (rendered, len(math), len(displays))
    # no equation left as raw LaTeX
    assert not any(chunk.lstrip().startswith(("\\(", "\\[")) for chunk in math + displays)


def test_fast_gallery_pages_show_the_banner_in_a_browser():
    _built("index.html")
    examples = sorted(HTML.glob("auto_examples/plot_*.html"))
    if not examples:
        pytest.skip("the gallery was not built")
    page = examples[0].read_text()
    if "Fast build" not in page:
        pytest.skip("a full build (not SEQAE_EXAMPLES_FAST=1): no banner expected")
    dom = _render(examples[0])
    assert "seqae-fast-build" in dom and "bd-header-announcement" in dom
