"""The parameter table (seqae._engine.params) is the one source of every estimator's signature,
constraints, documentation and module/criterion arguments: each test fails if they drift."""

import inspect

import numpy as np
import pytest
from numpydoc.docscrape import ClassDoc

from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer, RAETransformer,
                   SequenceClassifier, SequenceRegressor, VRAETransformer)
from seqae._engine.params import (CRITERION, FINE_TUNING, MODULE, PARAMS, TRAINING, Param,
                                  TableParams, check_signature, rows)
from seqae.anomaly import AutoencoderAnomalyDetector, SlidingWindows
from seqae.datasets import make_sine_sequences
from seqae.impute import SequenceImputer

ALL = [RAETransformer, RAESTransformer, RAESCTransformer, VRAETransformer, LSTMAutoencoder]
TASKS = [SequenceClassifier, SequenceRegressor, AutoencoderAnomalyDetector, SequenceImputer,
         SlidingWindows]
#: Where an estimator's row may differ from the table's, and in what (params.rows' changes):
#: the fine-tuning budget's defaults, the methods a task calls on its autoencoder, and the
#: LSTM autoencoder's n_components (an int, the tutorial's 100).
ALLOWED_CHANGES = {
    **{(cls, name): {"default"} for cls in (SequenceClassifier, SequenceRegressor)
       for name in FINE_TUNING},
    (AutoencoderAnomalyDetector, "estimator"): {"constraints", "note"},
    (SequenceImputer, "estimator"): {"constraints", "note"},
    (LSTMAutoencoder, "n_components"): {"default", "type", "constraints", "doc"},
}


def _changed(row, table_row):
    return {field for field in ("default", "constraints", "type", "doc", "to", "note")
            if getattr(row, field) != getattr(table_row, field)}


@pytest.mark.parametrize("cls", ALL + TASKS)
def test_every_estimator_takes_its_parameters_from_the_table(cls):
    """Signature, constraints and docstring agree with the table; a row differs from the
    table's only where ALLOWED_CHANGES says (one default, one meaning, everywhere)."""
    assert issubclass(cls, TableParams)
    signature = inspect.signature(cls.__init__).parameters
    names = [name for name in signature if name != "self"]
    assert names == [row.name for row in cls._params]
    assert cls._parameter_constraints == {row.name: list(row.constraints)
                                          for row in cls._params}
    documented = ClassDoc(cls)["Parameters"]
    assert [entry.name for entry in documented] == names
    for entry, row in zip(documented, cls._params):
        assert signature[row.name].default == row.default
        assert entry.type == f"{row.type}, default={row.default!r}"
        assert " ".join(entry.desc).split() == (row.doc + " " + row.note).split()
        assert _changed(row, PARAMS[row.name]) <= ALLOWED_CHANGES.get((cls, row.name), set())


def test_shared_parameters_have_one_default_and_one_constraint():
    """verbose, random_state, device, lr, ...: the same default and constraint in every
    estimator that takes them, but for the classifier's and regressor's fine-tuning budget
    (params.FINE_TUNING), whose constraints are still the table's."""
    seen = {}
    for cls in ALL + TASKS:
        for row in cls._params:
            if (cls, row.name) in ALLOWED_CHANGES:
                assert row.constraints == PARAMS[row.name].constraints or row.name in (
                    "estimator", "n_components")
                continue
            seen.setdefault(row.name, set()).add((repr(row.default), repr(row.constraints)))
    assert all(len(values) == 1 for values in seen.values()), {
        name: values for name, values in seen.items() if len(values) > 1}
    for name in ("verbose", "random_state", "device", "validation_fraction", "lr",
                 "max_epochs", "batch_size", "patience", "clip_grad_norm"):
        assert name in seen
    assert SequenceClassifier().verbose == RAETransformer().verbose == "auto"
    assert SequenceImputer().verbose == AutoencoderAnomalyDetector().verbose == "auto"


def test_a_task_whose_docstring_or_constraints_drift_is_caught():
    """The agreement test above fails on a wrong default in the signature (at import) and
    on a hand-written constraint."""
    with pytest.raises(TypeError, match="disagrees with its parameter table"):
        class Wrong(SequenceImputer):  # noqa: F841
            _params = rows("estimator", "correction", "random_state", "verbose")

            def __init__(self, estimator=None, *, correction="none", random_state=None,
                         verbose="auto"):
                pass


def test_readout_is_validated_as_options():
    with pytest.raises(ValueError, match="readout"):
        RAETransformer(readout="mean+median", max_epochs=1).fit(
            make_sine_sequences(4, 4, 1, random_state=0))
    assert "last+mean+max" in PARAMS["readout"].constraints[0].options
    assert "max+last" in PARAMS["readout"].constraints[0].options


def test_regressor_without_validation_split_trains_every_epoch():
    X = make_sine_sequences(30, 8, 1, random_state=0)
    y = X[:, :, 0].mean(axis=1)
    reg = SequenceRegressor(RAESCTransformer(n_components=4, max_epochs=1, random_state=0),
                            max_epochs=3, validation_fraction=0.0, keep_frozen=False,
                            random_state=0).fit(X, y)
    assert not reg.early_stopping_ and reg.n_epochs_ == 3


def test_classifier_budget_auto_is_the_autoencoders_rule():
    X = make_sine_sequences(40, 8, 1, random_state=0)
    y = (X[:, :4, 0].mean(1) > X[:, 4:, 0].mean(1)).astype(int)
    clf = SequenceClassifier(RAESCTransformer(n_components=4, max_epochs=1, random_state=0),
                             max_epochs="auto", batch_size="auto", validation_fraction=0.0,
                             freeze_epochs=0, random_state=0)
    clf.set_params(max_epochs=2).fit(X, y)
    assert (clf.max_epochs_, clf.batch_size_) == (2, 16)
    assert RAETransformer(max_epochs="auto")._resolve_training(40)[1] == clf.batch_size_


@pytest.mark.parametrize("cls", ALL)
def test_signature_constraints_and_docs_come_from_the_table(cls):
    signature = inspect.signature(cls.__init__).parameters
    names = [name for name in signature if name != "self"]
    assert names == [row.name for row in cls._params]
    assert list(cls._parameter_constraints) == names
    for row in cls._params:
        assert signature[row.name].default == row.default
        assert cls._parameter_constraints[row.name] == list(row.constraints)
    # what numpydoc (and so Sphinx) reads: every parameter, its type and its default, once
    documented = ClassDoc(cls)["Parameters"]
    assert [entry.name for entry in documented] == names
    for entry, row in zip(documented, cls._params):
        assert entry.type == f"{row.type}, default={row.default!r}"
        assert " ".join(entry.desc).split() == row.doc.split()
    assert "{parameters}" not in cls.__doc__ and "{attributes}" not in cls.__doc__
    assert [entry.name for entry in ClassDoc(cls)["Attributes"]][:2] == ["net_", "device_"]


@pytest.mark.parametrize("cls", ALL)
def test_one_first_positional_parameter_and_keyword_only_rest(cls):
    kinds = [p.kind for name, p in inspect.signature(cls.__init__).parameters.items()
             if name != "self"]
    assert list(inspect.signature(cls.__init__).parameters)[1] == "n_components"
    assert kinds[0] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert set(kinds[1:]) == {inspect.Parameter.KEYWORD_ONLY}
    assert cls(7).n_components == 7


def test_a_signature_that_disagrees_with_the_table_fails_at_class_creation():
    with pytest.raises(TypeError, match="disagrees with its parameter table"):
        class Wrong(RAETransformer):  # noqa: F841 (defining it is the test)
            _params = rows("n_components", "lr")

            def __init__(self, n_components=None, *, lr=0.1):
                pass
    with pytest.raises(TypeError, match="keyword only"):
        class Positional(RAETransformer):  # noqa: F841
            _params = rows("n_components", "lr")

            def __init__(self, n_components=None, lr=1e-3):
                pass
    check_signature(RAETransformer)  # the real ones pass


@pytest.mark.parametrize("cls", ALL)
def test_module_and_criterion_take_every_row_sent_to_them_under_its_own_name(cls):
    module_args = inspect.signature(cls._module.__init__).parameters
    criterion_args = inspect.signature(cls._criterion.__init__).parameters
    for row in cls._params:
        assert set(row.to) <= {MODULE, CRITERION, TRAINING}
        if MODULE in row.to:
            assert row.name in module_args, (cls.__name__, row.name)
        if CRITERION in row.to:
            assert row.name in criterion_args, (cls.__name__, row.name)
    for name in cls._module_fixed:
        assert name in module_args


@pytest.mark.parametrize("cls", ALL)
def test_fit_passes_the_module_and_criterion_rows_unchanged(cls):
    X = make_sine_sequences(8, 6, 1, random_state=0)
    ae = cls(4, max_epochs=1, random_state=0).fit(X)
    net_params = ae.net_.get_params()
    for row in cls._params:
        if MODULE in row.to:
            assert net_params[f"module__{row.name}"] == getattr(ae, row.name)
        if CRITERION in row.to:
            assert net_params[f"criterion__{row.name}"] == getattr(ae, row.name)
    for name, value in cls._module_fixed.items():
        assert net_params[f"module__{name}"] == value


def test_a_name_means_one_thing_every_row_documented():
    assert all(isinstance(row, Param) for row in PARAMS.values())
    for row in PARAMS.values():
        assert row.doc.strip() and row.type and row.constraints
    # the estimators share rows: only the LSTM-AE's code size has its own default (the
    # tutorial's 100) and a documentation of its own (it has no sigma)
    for cls in ALL:
        for row in cls._params:
            if not (cls is LSTMAutoencoder and row.name == "n_components"):
                assert row == PARAMS[row.name], (cls.__name__, row.name)
    assert LSTMAutoencoder().n_components == 100


def test_check_param_validation_rejects_bad_values_with_the_tables_constraints():
    X = np.zeros((4, 5))
    with pytest.raises(ValueError, match="jacobian_penalty"):
        RAETransformer(jacobian_penalty=-1.0).fit(X)
    with pytest.raises(ValueError, match="'stretch' parameter"):
        RAESTransformer(stretch="auto").fit(X)
    with pytest.raises(ValueError, match="'bridge' parameter"):
        VRAETransformer(bridge="stretch").fit(X)
