#!/usr/bin/env bash
# Packaging check (CI runs it after the tests): build the sdist and, from it, the wheel
# (`python -m build`), check both with `twine check --strict`, then install the wheel into a
# clean virtual environment (PyTorch's CPU wheel first on a machine without an NVIDIA GPU,
# as the Makefile does) and, outside the checkout, import seqae and fit a tiny model.
#
#   PYTHON=.venv/bin/python bash .ci/check_dist.sh     # the Makefile's venv (needs .[dist])
#
# pip's cache is reused, so after the first run the clean environment installs offline.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
TORCH_CPU=${TORCH_CPU:-torch==2.13.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build sdist + wheel"
"$PYTHON" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 || {
    cat "$work/build.log"; exit 1; }
ls -l "$work/dist"
"$PYTHON" -m twine check --strict "$work"/dist/*

echo "== contents"
"$PYTHON" - "$work/dist" <<'PY'
import sys, tarfile, zipfile
from pathlib import Path

dist = Path(sys.argv[1])
wheel, = dist.glob("seqae-*.whl")
sdist, = dist.glob("seqae-*.tar.gz")
names = zipfile.ZipFile(wheel).namelist()
assert "seqae/__init__.py" in names and "seqae/modules/__init__.py" in names, names
assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "docs/"))], names
members = tarfile.open(sdist).getnames()
root = members[0].split("/")[0]
for needed in ("pyproject.toml", "README.md", "CHANGELOG.md", "seqae/__init__.py"):
    assert f"{root}/{needed}" in members, (needed, members)
print(f"{wheel.name}: {len(names)} files; {sdist.name}: {len(members)} members")
PY

echo "== install the wheel into a clean venv"
"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip install -q --disable-pip-version-check)
if ! nvidia-smi >/dev/null 2>&1; then "${pip[@]}" "$TORCH_CPU"; fi
"${pip[@]}" "$work"/dist/seqae-*.whl

echo "== import and fit, outside the checkout"
cd "$work"
OMP_NUM_THREADS=1 "$work/venv/bin/python" - <<'PY'
import numpy as np

import seqae
from seqae import RAESCTransformer

assert "site-packages" in seqae.__file__, seqae.__file__
X = seqae.make_sine_sequences(32, 12, 2, random_state=0)
ae = RAESCTransformer(sigma=0.25, max_epochs=2, device="cpu", random_state=0).fit(X)
codes = ae.transform(X)
assert codes.shape == (32, 6) and codes.dtype == np.float64, (codes.shape, codes.dtype)
assert ae.inverse_transform(codes).shape == X.shape
print(f"seqae {seqae.__version__} installed from its wheel ({seqae.__file__}): fit OK")
PY
