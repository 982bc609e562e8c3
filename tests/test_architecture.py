"""The layers on disk, and which way imports may run between them.

From the ground up: ``modules`` (pure torch) < ``_engine`` < ``autoencoders`` < ``tasks`` <
``io`` < the public face (``seqae/__init__.py`` and the public alias modules). A file may import
its own layer or a lower one, never a higher one; and no intra-package import is hidden inside
a function (a lazy import that would hide an upward arrow or a cycle).
"""

import ast
import pathlib

import pytest

import seqae

PACKAGE = pathlib.Path(seqae.__file__).parent
LAYERS = ["modules", "_engine", "autoencoders", "tasks", "io"]
FACE = len(LAYERS)  # top-level files: the public face, above every layer


def _layer(module):
    """The layer index of a dotted module name inside seqae."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return FACE


def _module_name(path):
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts), parts[-1] == "__init__"


def _imports(path):
    """(target module, line, nested) for every import of seqae in one file."""
    return _imports_of(path.read_text(), *_module_name(path))


def _imports_of(source, name, is_pkg):
    tree = ast.parse(source)
    top = set(id(node) for node in tree.body)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
        elif isinstance(node, ast.Import):
            target = next((a.name for a in node.names if a.name.startswith("seqae")), "")
        else:
            continue
        if target == "seqae" or target.startswith("seqae."):
            found.append((target, node.lineno, id(node) not in top))
    return found


FILES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_layers_are_folders():
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file(), layer


def _upward(source, name, is_pkg=False):
    """The imports of ``source`` (module ``name``) that reach a higher layer."""
    own = _layer(name)
    if own == FACE:
        return []
    return [(target, line) for target, line, _ in _imports_of(source, name, is_pkg)
            if _layer(target) > own]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_downward(path):
    assert _upward(path.read_text(), *_module_name(path)) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_lazy_intra_package_imports(path):
    """A ``TYPE_CHECKING`` block is not a lazy import (it never runs); everything else is."""
    tree = ast.parse(path.read_text())
    allowed = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            allowed.update(id(child) for child in ast.walk(node))
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top \
                and id(node) not in allowed:
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            absolute = (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("seqae")
                        ) or (isinstance(node, ast.Import)
                              and any(a.name.startswith("seqae") for a in node.names))
            assert not (relative or absolute), f"{path.name}:{node.lineno} imports seqae lazily"


def test_the_check_sees_upward_imports():
    """The checker itself: relative, absolute and face imports from a lower layer are caught;
    downward and same-layer ones are not."""
    engine = "seqae._engine.params"
    assert _upward("from ..tasks.classifier import X\n", engine) == [
        ("seqae.tasks.classifier", 1)]
    assert _upward("import seqae.io.persist\n", engine) == [("seqae.io.persist", 1)]
    assert _upward("from .. import RAETransformer\n", engine) == [("seqae", 1)]
    assert _upward("from ..modules import masked_mean\nfrom .net import X\n", engine) == []


@pytest.mark.parametrize("public, home", [
    ("seqae.anomaly", "seqae.tasks.anomaly"), ("seqae.impute", "seqae.tasks.impute"),
    ("seqae.interop", "seqae.io.interop"), ("seqae.export", "seqae.io.export"),
    ("seqae.dask", "seqae.io.dask")])
def test_public_paths_hand_on_the_same_objects(public, home):
    import importlib

    face, code = importlib.import_module(public), importlib.import_module(home)
    assert face.__all__
    for name in face.__all__:
        assert getattr(face, name) is getattr(code, name), name
    for name in getattr(code, "__all__", []):
        assert name in face.__all__, f"{home}.{name} is public there but not at {public}"
