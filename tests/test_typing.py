"""seqae's type hints: the package ships ``py.typed`` (PEP 561), the public API is annotated,
and mypy is configured and run by ``make test`` (the check itself runs there, not here: it
takes minutes)."""

import importlib
import importlib.resources
import inspect
from pathlib import Path

import pytest

import seqae

ROOT = Path(__file__).resolve().parents[1]

#: (module, name) of the public callables whose signatures must be fully annotated.
PUBLIC = [
    ("seqae", "save"), ("seqae", "load"), ("seqae", "make_sine_sequences"),
    ("seqae", "get_config"), ("seqae", "set_config"), ("seqae", "config_context"),
    ("seqae.interop", "from_channels_first"), ("seqae.interop", "to_channels_first"),
    ("seqae.interop", "from_long_format"), ("seqae.interop", "channels_first_adapter"),
    ("seqae.export", "export_onnx"), ("seqae.export", "export_model"),
    ("seqae.dask", "transform"), ("seqae.dask", "score_samples"),
    ("seqae.dask", "fit_incremental"),
    ("seqae.anomaly", "dominant_period"),
    ("seqae.plotting", "plot_history"), ("seqae.plotting", "plot_reconstructions"),
    ("seqae.plotting", "plot_latent"),
]
METHODS = {
    # fit_transform, set_output, get_feature_names_out: scikit-learn's mixins (untyped).
    "seqae.RAETransformer": ["fit", "partial_fit", "transform", "inverse_transform",
                             "score_samples", "score", "paper"],
    "seqae.RAESTransformer": ["fit", "transform", "inverse_transform", "score_samples"],
    "seqae.RAESCTransformer": ["fit", "transform", "inverse_transform", "score_samples"],
    "seqae.VRAETransformer": ["fit", "transform", "score_samples", "sample", "interpolate"],
    "seqae.LSTMAutoencoder": ["fit", "transform", "score_samples", "forecast"],
    "seqae.impute.SequenceImputer": ["__init__", "fit", "transform", "get_feature_names_out"],
    "seqae.anomaly.SlidingWindows": ["fit", "transform", "window_starts", "to_points"],
    "seqae.anomaly.AutoencoderAnomalyDetector": ["fit", "predict", "fit_predict",
                                                 "predict_labels"],
    "seqae.modules.RecurrentAutoencoder": ["encode", "decode", "reconstruct", "forward"],
    "seqae.modules.VariationalRecurrentAutoencoder": ["encode", "decode", "reconstruct",
                                                      "forward"],
}


def _resolve(dotted):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _cases():
    for module, name in PUBLIC:
        yield pytest.param(f"{module}.{name}", None, id=f"{module}.{name}")
    for cls, methods in METHODS.items():
        for method in methods:
            yield pytest.param(cls, method, id=f"{cls}.{method}")


def test_package_ships_py_typed():
    assert importlib.resources.files("seqae").joinpath("py.typed").is_file()


def test_py_typed_is_package_data():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["seqae"]


def test_mypy_is_configured_and_run_by_make_test():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["mypy"]["packages"] == ["seqae"]
    assert any(dep.startswith("mypy") for dep in config["project"]["optional-dependencies"]
               ["test"])
    recipe = (ROOT / "Makefile").read_text().split("\ntest:")[1].split("\n\n")[0]
    assert "-m mypy" in recipe and recipe.index("-m mypy") < recipe.index("-m pytest")


@pytest.mark.parametrize(("target", "method"), list(_cases()))
def test_public_api_is_annotated(target, method):
    obj = _resolve(target)
    function = getattr(obj, method) if method else obj
    signature = inspect.signature(function)
    missing = [p.name for p in signature.parameters.values()
               if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty]
    assert not missing, f"{target}.{method}: parameters without a type hint: {missing}"
    assert signature.return_annotation is not inspect.Signature.empty, (
        f"{target}.{method} has no return annotation")


def test_annotations_leave_the_parameter_table_check_and_get_params_intact():
    # check_signature runs at class creation (import); get_params reads the same signature.
    params = seqae.RAETransformer().get_params()
    assert params["n_components"] is None and params["sigma"] == "auto"
