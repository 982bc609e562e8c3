# The two commands of the README: `make demo` (the main job) and `make test`.
# Both create and reuse a local virtual environment in .venv. On a machine without a working
# NVIDIA driver, PyTorch's CPU wheel is installed first, so that pip does not pull the CUDA
# build (several GB) to satisfy seqae's torch requirement. The environment holds every extra
# that the tests and the docs need (plots, aeon's data sets, Dask, ONNX, Accelerate, Sphinx,
# and build/twine for the packaging check), so that the optional-dependency tests run rather
# than skip.
#
# `make test` type-checks the package with mypy (configured in pyproject.toml, [tool.mypy];
# seqae ships its hints: seqae/py.typed) beside the tests, which run in TEST_WORKERS
# pytest-xdist processes (default 2, the CI machine's cores; each test process runs torch on
# one thread, tests/conftest.py, so 2 workers do not oversubscribe 2 cores). mypy is one more
# process for about 20 s without its cache (a fresh clone, as in CI; under a second with
# it): beside the tests rather than before them, the whole takes that much less (benchmarks/
# README.md section 21). It fails if either fails; mypy's report comes when it ends.
# `make test TEST_WORKERS=0` runs the tests in one process.
#
# `make docs` builds the HTML documentation into docs/_build/html, warnings as errors, running
# the gallery's examples; `SEQAE_EXAMPLES_FAST=1 make docs` trains them for a few epochs only;
# `make docs-fast` does not run them at all (-D plot_gallery=0: the gallery pages show the
# code without its output), for quick edits of the text. `make docs-check` checks the built
# docs offline in a headless browser (equations rendered without network). `make dist`
# builds the wheel and the sdist, checks them and installs the wheel into a clean venv
# (.ci/check_dist.sh).

PYTHON ?= python3
VENV ?= .venv
TORCH_CPU ?= torch==2.13.0
TEST_WORKERS ?= 2
BIN := $(VENV)/bin
STAMP := $(VENV)/.seqae-installed

.PHONY: demo test docs docs-fast docs-check dist venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if ! nvidia-smi >/dev/null 2>&1; then $(BIN)/python -m pip install -q "$(TORCH_CPU)"; fi
	$(BIN)/python -m pip install -q -e ".[test,plot,examples,dask,onnx,accelerate,docs,dist]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m seqae.demo --output demo-output

test: $(STAMP)
	$(BIN)/python -m mypy & types=$$!; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal; tests=$$?; \
	wait $$types && test $$tests -eq 0

docs: $(STAMP)
	rm -rf docs/_build docs/generated docs/auto_examples
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

docs-fast: $(STAMP)
	rm -rf docs/_build docs/generated docs/auto_examples
	$(BIN)/python -m sphinx -W --keep-going -b html -D plot_gallery=0 docs docs/_build/html

# The built docs offline: MathJax loaded from the docs themselves, equations rendered in a
# headless Chromium with the network off, the fast build's banner (tests/test_docs_browser.py;
# the browser checks skip where no Chromium is installed: apt-get install chromium).
docs-check: $(STAMP)
	SEQAE_DOCS_HTML=docs/_build/html $(BIN)/python -m pytest -p no:cacheprovider \
		tests/test_docs_browser.py

dist: $(STAMP)
	PYTHON=$(BIN)/python bash .ci/check_dist.sh

clean:
	rm -rf $(VENV) demo-output .pytest_cache .hypothesis docs/_build docs/generated \
		docs/auto_examples
