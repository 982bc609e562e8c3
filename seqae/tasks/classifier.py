"""Classification and regression with scarce labels: a pre-trained autoencoder, fine-tuned.

:class:`SequenceClassifier` (and :class:`SequenceRegressor`, the same code with a squared-error
head) pre-trains a seqae autoencoder on all the sequences it is given, labelled or not, then
fine-tunes the autoencoder's encoder together with a linear head on the labelled ones, with the
reconstruction kept as an auxiliary loss. This is the use of autoencoders that the VRAE paper
calls "an important contribution" (unlabelled data "to facilitate supervised training of RNNs
by initialising the weights and network state") and the Oxford slides "pre-training neural
networks, usually helpful in case of labelled data scarcity".

The estimators reach into a seqae autoencoder only through :func:`_autoencoder_module`: its
public ``fit``/``transform`` and ``net_.module_`` (the fitted ``nn.Module`` with ``encode`` and
``decode``).
"""

import copy
import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LogisticRegression, Ridge, RidgeClassifierCV, RidgeCV
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.model_selection import (RepeatedKFold, RepeatedStratifiedKFold, StratifiedKFold,
                                     StratifiedShuffleSplit)
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, SVR
from sklearn.utils import TransformerTags, assert_all_finite
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d
import torch
from skorch.callbacks import Callback
from skorch.dataset import Dataset

from .._engine.batches import _call, _net_input, encode_all
from .._engine.budget import fine_tuning_epochs, resolve_budget
from .._engine.callbacks import FreezeSubmodule
from .._engine.net import HeadNet
from .._engine.params import FINE_TUNING, TableParams, rows
from .._engine.training import (FixedSplit, NetConfig, _seeded, build_net, clip_remedy,
                                epoch_table, non_finite_as_error, rebuild_saved, seeded_clone,
                                training_callbacks)
from .._engine.validation import check_input, resolve_device, resolve_seed
from ..modules.heads import EncoderHead
from ..modules.rocket import KERNEL_LENGTH, MiniRocketFeatures, resample
from ._common import pretraining_autoencoder

try:  # libsvm as SVC itself calls it (scikit-learn's private binding; SVC where it moved)
    from sklearn.svm import _libsvm
except ImportError:  # pragma: no cover - a scikit-learn without it
    _libsvm = None

__all__ = ["SequenceClassifier", "SequenceRegressor", "UNLABELLED"]

#: The label that marks an unlabelled sequence (scikit-learn's semi-supervised convention).
UNLABELLED = -1
#: Early stopping needs a labelled validation split: it is used when every class has at
#: least this many labels (the regressor: at least ``3 *`` this many labelled sequences).
MIN_LABELS_FOR_VALIDATION = 5
#: ``keep_frozen`` (the classifier): fine-tuning is kept only where it gets at least this many
#: more validation sequences right than the head on the frozen codes. On training halves of
#: the ten reported sets (``benchmarks/README.md`` section 13) every fine-tuning accepted by
#: "strictly better" (7 of 60 runs) had won by exactly one sequence of a split of 2-18, and 4
#: of those 7 then did worse than the frozen codes on the other half.
MIN_FINE_TUNING_GAIN = 2


def _fine_tuning_wins(classification, tuned_score, frozen_score, n_valid):
    """``keep_frozen``'s rule: the classifier's fine-tuned network (validation accuracy
    ``tuned_score`` over ``n_valid`` sequences) must get at least
    :data:`MIN_FINE_TUNING_GAIN` more of them right than the frozen head; the regressor's
    (scores: minus the squared error) must be strictly better. (A sign test on the
    sequences the two label differently was screened on unreported sets and not adopted:
    ``benchmarks/results/fine-tuning-sign-screen-unreported``.)"""
    if classification:
        return round((tuned_score - frozen_score) * n_valid) >= MIN_FINE_TUNING_GAIN
    return tuned_score > frozen_score


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _autoencoder_module(autoencoder, X, *, pretrain, seed, device):
    """``(fitted_autoencoder, module)``: the autoencoder (pre-trained on ``X`` unless it is
    fitted already) and a copy of its ``nn.Module`` to fine-tune, on ``device``.

    The only place where the classifier touches an autoencoder's fitted internals
    (``net_.module_``). ``pretrain=False`` re-initialises every layer of the copy (the
    network trained from scratch); it still needs the architecture, which a one-epoch fit of
    an unfitted autoencoder provides.
    """
    fitted = autoencoder
    if not _is_fitted(autoencoder):
        fitted = seeded_clone(autoencoder, seed)
        if not pretrain:
            fitted.set_params(max_epochs=1)
        fitted.fit(X)
    module = copy.deepcopy(fitted.net_.module_).to(device)
    if not pretrain:
        with _seeded(seed, str(device)):
            for layer in module.modules():
                if hasattr(layer, "reset_parameters"):
                    layer.reset_parameters()
    return fitted, module


class _StartHead(Callback):
    """Set the head's weights when fine-tuning begins (after skorch built the module), and
    keep a copy of the whole network's starting state (pre-trained encoder + that head): the
    frozen-code model that fine-tuning has to beat (``keep_frozen``)."""

    def __init__(self, weight=None, bias=None):
        self.weight = weight
        self.bias = bias

    def on_train_begin(self, net, **kwargs):
        if self.weight is not None:
            _set_head(net.module_.head, self.weight, self.bias)
        self.start_state_ = copy.deepcopy(net.module_.state_dict())


def _set_kernel(kernel, anchors, gamma, normalization):
    """Copy a fitted Nystroem map's anchors, ``gamma`` and normalisation into ``kernel``
    (an :class:`~seqae.modules.heads.RBFFeatures`)."""
    with torch.no_grad():
        for buffer, value in ((kernel.anchors, anchors), (kernel.gamma, gamma),
                              (kernel.normalization, normalization)):
            buffer.copy_(torch.as_tensor(np.asarray(value), dtype=buffer.dtype))


def _set_head(head, weight, bias):
    """Copy a linear model's ``weight`` and ``bias`` into the head's layer."""
    with torch.no_grad():
        head.weight.copy_(torch.as_tensor(weight, dtype=head.weight.dtype))
        head.bias.copy_(torch.as_tensor(bias, dtype=head.bias.dtype))


def _as_head(classification, model):
    """``(weight, bias)`` of a fitted linear model as the head's layer: one row per output
    (a binary logistic regression's one logit becomes the softmax over ``(-z/2, z/2)``)."""
    weight, bias = model.coef_.reshape(-1, model.coef_.shape[-1]), np.atleast_1d(model.intercept_)
    if classification and len(weight) == 1:
        weight = np.vstack([-weight / 2, weight / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return weight, bias


def _linear_probe(classification, features, targets, seed):
    """``(weight, bias, model)`` of a linear model fitted on the standardised frozen codes of the
    labelled sequences (``linear_probe``): :func:`_frozen_head`'s linear head (logistic
    regression, ``C`` by stratified CV; ridge for regression targets). ``weight`` has one row
    per output of the head; ``model`` is the fitted scikit-learn model."""
    head = _frozen_head(classification, features, targets, seed, "linear")
    _, weight, bias = _head_layers(classification, head)
    return weight, bias, head.named_steps["model"]


#: The frozen-code head's kernel: at most this many anchors (every labelled training sequence
#: up to this many, a random subset beyond), so that its cost stays bounded.
MAX_KERNEL_ANCHORS = 1000


def _rbf_map(features, gamma, seed):
    """The kernel head's label-free map: an RBF :class:`Nystroem` map with every row of
    ``features`` an anchor (at most :data:`MAX_KERNEL_ANCHORS`), fitted."""
    return Nystroem(kernel="rbf", gamma=gamma, n_components=min(len(features),
                                                                MAX_KERNEL_ANCHORS),
                    random_state=seed).fit(features)


def _logistic_cv(inputs, targets, folds, Cs=np.logspace(-3, 3, 7)):
    """``(model, score)``: logistic regression with the ``C`` of ``Cs`` of best mean accuracy
    over ``folds`` (the smallest on a tie), refitted on every row, and that accuracy. In
    each fold the fits follow the path of ``C`` upwards, each starting from the last
    (warm start): several times cheaper than a grid search of independent fits."""
    scores = np.zeros(len(Cs))
    for train, test in folds.split(inputs, targets):
        model = LogisticRegression(max_iter=1000, warm_start=True)
        for i, C in enumerate(Cs):
            model.set_params(C=C).fit(inputs[train], targets[train])
            scores[i] += np.mean(model.predict(inputs[test]) == targets[test])
    best = int(np.argmax(scores))
    return (LogisticRegression(C=Cs[best], max_iter=1000).fit(inputs, targets),
            scores[best] / folds.get_n_splits())


#: The SVM head's grid of ``C``, searched by CV on the labelled training rows: the grid of the
#: benchmarks' codes + SVC protocol (``benchmarks/harness/protocol.py``, ``C_GRID``).
SVM_C_GRID = np.logspace(-3, 4, 8)
#: Repeats of the SVM head's k-fold CV: ``C`` is the one of best accuracy (squared error)
#: over every fold of every repeat, which depends less on one split of a few tens of labels
#: than a single k-fold (chosen on unreported sets, ``benchmarks/results/
#: head-cv-screen-unreported``: test accuracy 0.790 against 0.785 with all the labels,
#: 0.623 against 0.621 with 10%; the benchmarks' codes + SVC protocol keeps one k-fold).
SVM_CV_REPEATS = 3

#: The most labelled rows whose RBF kernel the codes' SVM head computes once for its CV
#: (8 bytes a pair: 200 MB at this size); beyond, SVC computes it per fit, in libsvm's cache.
MAX_PRECOMPUTED_ROWS = 5000


def _svc_cv_hits(K_train, y_train, K_test, y_test, Cs):
    """The number of ``K_test``'s rows that ``SVC(kernel='precomputed', C=C)`` fitted on
    ``(K_train, y_train)`` labels right, for each ``C`` of ``Cs``: the CV's inner loop.

    The same predictions as :class:`~sklearn.svm.SVC` (its libsvm fit and predict with
    SVC's own settings: ``tol=1e-3``, shrinking, no class or sample weights), without
    scikit-learn's per-fit checks of the labels and the parameters, which cost several
    times libsvm's own work on a few tens of rows (the head's CV makes up to 240 such
    fits, twice in a default fit; ``tests/tasks/test_classifier.py`` checks that the
    predictions are SVC's). SVC itself where that binding is missing.
    """
    classes, codes = np.unique(y_train, return_inverse=True)
    hits = np.zeros(len(Cs))
    if _libsvm is None or len(classes) < 2:  # (one class: SVC's own error)
        for i, C in enumerate(Cs):
            fitted = SVC(kernel="precomputed", C=C).fit(K_train, y_train)
            hits[i] = np.sum(fitted.predict(K_test) == y_test)
        return hits
    K_train = np.ascontiguousarray(K_train, dtype=np.float64)
    K_test = np.ascontiguousarray(K_test, dtype=np.float64)
    codes = codes.astype(np.float64)
    ones, empty = np.ones(len(classes)), np.empty(0)
    _libsvm.set_verbosity_wrap(0)  # libsvm's own printing off, as SVC(verbose=False)
    for i, C in enumerate(Cs):
        support, vectors, n_support, dual, intercept, prob_a, prob_b, _, _ = _libsvm.fit(
            K_train, codes, svm_type=0, sample_weight=empty, class_weight=ones,
            kernel="precomputed", C=float(C), nu=0.5, probability=False, degree=3,
            shrinking=True, tol=1e-3, cache_size=200, coef0=0.0, gamma=0.0, epsilon=0.1,
            max_iter=-1, random_seed=0)
        predicted = _libsvm.predict(K_test, support, vectors, n_support, dual, intercept,
                                    prob_a, prob_b, svm_type=0, kernel="precomputed",
                                    degree=3, coef0=0.0, gamma=0.0, cache_size=200)
        hits[i] = np.sum(classes[predicted.astype(np.intp)] == y_test)
    return hits


class _SeriesMix(NamedTuple):
    """How the classifier's SVM head may mix a kernel on the series into the codes' (its
    ``series_kernel``): the codes are the input's first ``n_codes`` columns, then come the
    series' views, ``blocks``: ``((view, start, stop), ...)``, their columns. ``candidates``:
    ``((view, weight, min_labels), ...)``, the heads the CV chooses from (with ``C``), each
    where every class has at least ``min_labels`` labels: ``weight`` of the codes' kernel and
    the rest of the view's, or with ``weight=None`` a ridge classifier on the view's
    features alone (:class:`_SeriesRidge`: MiniRocket's own head); a tie keeps the first.
    Where some class has a single label (no CV), the first candidate if it is a ridge that
    one label allows, else the codes' SVM (as with no candidate, or a weight of 1)."""

    n_codes: int
    blocks: tuple
    candidates: tuple


#: ``series_kernel`` (the classifier's SVM head): for each option, the candidate heads
#: ``(view, codes' weight, labels per class)`` its CV chooses from, in the order a tie
#: keeps (:class:`_SeriesMix`; a weight of ``None``: the ridge on the view alone). Each
#: chosen on unreported sets by a rule fixed before the run (``benchmarks/README.md``
#: sections 18 to 20):
#:
#: * ``'minirocket'``: MiniRocket's own head, a ridge on its features, with any number of
#:   labels and first in a tie, or the even mix of the codes' kernel and a kernel on those
#:   features (``benchmarks/results/rocket-view-screen-unreported``: the mix, 0.699 against
#:   0.655 at 10% of the labels for the raw series' gated mix; ``ridge-spread-screen-
#:   unreported``: the ridge as a CV candidate, 0.740 against 0.726 over 5/10/25/100%;
#:   ``ridge-first-screen-unreported``: a tie to the ridge, 0.781 against 0.727, most of it
#:   on the two sets with one label in some class, where only a ridge that comes first is
#:   taken);
#: * ``'auto'``: those, or where every class has 10 labels the even mix with the raw values
#:   (``benchmarks/results/both-views-screen-unreported``: 0.776 against 0.768 over
#:   25/50/75/100% on eleven sets, all of it from ChlorineConcentration, whose raw values
#:   carry the class);
#: * ``'raw'``: the codes alone or the even mix with the raw values, where every class has
#:   10 labels (``benchmarks/results/head-mix-screen-unreported``: ungated, the mix lost
#:   with 2-3 labels per class).
SERIES_KERNELS = {
    "auto": (("minirocket", None, 1), ("minirocket", 0.5, 2), ("raw", 0.5, 10)),
    "minirocket": (("minirocket", None, 1), ("minirocket", 0.5, 2)),
    "raw": (("raw", 1.0, 10), ("raw", 0.5, 10)),
}


class _Series(NamedTuple):
    """The series' features the SVM head may read besides the codes (``series_kernel``):
    the ``view``, the standardised ``values`` of every sequence, their ``mean`` and
    ``scale``, and ``rocket``, the fitted :class:`MiniRocketFeatures` (``None`` for
    ``'raw'``)."""

    view: str
    values: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    rocket: object


def _series_features(view, X3, seed, batch_size, lengths=None):
    """:class:`_Series` of the sequences ``X3``: ``'raw'``, the values flattened (steps x
    channels; one length only); ``'minirocket'``, MiniRocket's features (sequences of
    ``lengths`` each resampled to ``X3``'s length first), its channels and biases drawn from
    every sequence with ``seed``; each feature standardised over every sequence."""
    rocket = None
    if view == "raw":
        values = X3.reshape(len(X3), -1).astype(np.float64)
    else:
        inputs = torch.as_tensor(X3, dtype=torch.float32)
        if lengths is not None:
            inputs = resample(inputs, lengths, X3.shape[1])
        rocket = MiniRocketFeatures(X3.shape[1], X3.shape[2]).fit(
            inputs, torch.Generator().manual_seed(int(seed)))
        values = rocket.in_batches(inputs, batch_size).double().numpy()
    mean, scale = values.mean(0), values.std(0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    return _Series(view, (values - mean) / scale, mean, scale, rocket)


def _series_inputs(option, X3, seed, batch_size, codes, lengths=None):
    """``(head inputs, mix, series)`` of ``series_kernel=option``: the codes of every
    sequence, then each view's features (:func:`_series_features`); the
    :class:`_SeriesMix` of their columns; and ``{view: _Series}``."""
    candidates = SERIES_KERNELS[option]
    views = list(dict.fromkeys(view for view, _, _ in candidates))
    series = {view: _series_features(view, X3, seed, batch_size, lengths) for view in views}
    blocks, start = [], codes.shape[1]
    for view in views:
        blocks.append((view, start, start + series[view].values.shape[1]))
        start = blocks[-1][2]
    inputs = np.hstack([codes] + [series[view].values for view in views])
    return inputs, _SeriesMix(codes.shape[1], tuple(blocks), candidates), series


def _gamma_scale(features):
    """``1 / (d var)``: scikit-learn's ``gamma='scale'`` of ``features``."""
    variance = float(features.var())
    return 1.0 / (features.shape[1] * variance) if variance > 0 else 1.0


#: The ridge head's ``alpha`` grid (:class:`_SeriesRidge`): MiniRocket's (Dempster et al.,
#: KDD 2021, ``RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))``), chosen by its
#: leave-one-out.
RIDGE_ALPHAS = np.logspace(-3, 3, 10)


def _row_space(block):
    """``block``'s rows in an orthonormal basis of their span (``n x rank``, from the
    eigenvectors of the Gram matrix): every inner product of rows, and so every ridge fitted
    and scored on a subset of the rows (intercept and leave-one-out included), is the same as
    on ``block`` itself, at the cost of ``rank`` columns instead of thousands."""
    values, vectors = np.linalg.eigh(block @ block.T)
    keep = values > max(float(values.max()), 0.0) * 1e-12
    return vectors[:, keep] * np.sqrt(values[keep])


class _ReadsSeries:
    """A head on the head's input ``[codes | series' views]`` that reads the series'
    columns ``columns = (start, stop)`` (all after the codes' ``n_codes`` by default)."""

    def _series(self, Z):
        start, stop = self.columns or (self.n_codes, Z.shape[1])
        return Z[:, start:stop]


class _SeriesRidge(_ReadsSeries, ClassifierMixin, BaseEstimator):
    """A :class:`~sklearn.linear_model.RidgeClassifierCV` (:data:`RIDGE_ALPHAS`) on the
    columns ``columns = (start, stop)`` of its input (a view of the series, standardised),
    the codes' columns ``:n_codes`` unread: the series kernel's ridge candidate
    (:class:`_SeriesMix`, ``weight=None``). ``coef_``, ``intercept_``, ``classes_`` and
    ``alpha_`` are the inner ridge's; :func:`_head_layers` makes of them a linear layer on
    the series' features."""

    def __init__(self, n_codes, columns=None, view=None):
        self.n_codes = n_codes
        self.columns = columns
        self.view = view

    def fit(self, Z, y):
        self._ridge = RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(self._series(Z), y)
        for name in ("coef_", "intercept_", "classes_", "alpha_"):
            setattr(self, name, getattr(self._ridge, name))
        self.n_features_in_ = Z.shape[1]
        return self

    def decision_function(self, Z):
        return self._ridge.decision_function(self._series(Z))

    def predict(self, Z):
        return self._ridge.predict(self._series(Z))


class _MixedKernelSVC(_ReadsSeries, ClassifierMixin, BaseEstimator):
    """An :class:`~sklearn.svm.SVC` on ``weight * k_code + (1 - weight) * k_series``: RBF
    kernels of the first ``n_codes`` columns of its input (the standardised codes,
    ``gamma_``) and of the rest (the series' standardised features, ``series_gamma_``), each
    the ``'scale'`` gamma of its own columns in ``fit``. The attributes the head's layers read
    (:func:`_svm_layers`) are the inner SVC's, with ``support_vectors_`` the support rows'
    codes and ``series_support_vectors_`` their series' features (no column at ``weight=1``).
    ``weight=1`` is the codes' SVM, ``weight=0`` the series'."""

    def __init__(self, n_codes, weight=1.0, C=1.0, columns=None, view=None):
        self.n_codes = n_codes
        self.weight = weight
        self.C = C
        self.columns = columns
        self.view = view

    def _kernel(self, Z, anchors_codes, anchors_series):
        K = self.weight * rbf_kernel(Z[:, :self.n_codes], anchors_codes, gamma=self.gamma_)
        if self.weight < 1:
            K += (1 - self.weight) * rbf_kernel(self._series(Z), anchors_series,
                                                gamma=self.series_gamma_)
        return K

    def fit(self, Z, y):
        self.gamma_ = _gamma_scale(Z[:, :self.n_codes])
        # the series' block only where its kernel counts (weight 1: the codes alone, and
        # the series' columns, thousands for MiniRocket's view, are not read)
        series = self._series(Z) if self.weight < 1 else Z[:, :0]
        self.series_gamma_ = _gamma_scale(series) if self.weight < 1 else None
        self._svc = SVC(kernel="precomputed", C=self.C).fit(
            self._kernel(Z, Z[:, :self.n_codes], series), y)
        support = self._svc.support_
        self.support_vectors_ = Z[support, :self.n_codes]
        self.series_support_vectors_ = series[support]
        for name in ("classes_", "dual_coef_", "intercept_", "n_support_", "support_"):
            setattr(self, name, getattr(self._svc, name))
        self.n_features_in_ = Z.shape[1]
        return self

    def _test_kernel(self, Z):
        # the support rows' columns only: libsvm reads no other column of a precomputed kernel
        K = np.zeros((len(Z), self._svc.shape_fit_[0]))
        K[:, self.support_] = self._kernel(Z, self.support_vectors_, self.series_support_vectors_)
        return K

    def decision_function(self, Z):
        return self._svc.decision_function(self._test_kernel(Z))

    def predict(self, Z):
        return self._svc.predict(self._test_kernel(Z))


def _svm(classification, features, targets, seed, mix=None):
    """``(model, score)``: the codes + RBF SVM protocol of the benchmarks on ``features``
    (already standardised): :class:`~sklearn.svm.SVC` (the regressor:
    :class:`~sklearn.svm.SVR`) with ``gamma='scale'`` (computed on ``features``), ``C`` of
    :data:`SVM_C_GRID` chosen by stratified k-fold CV (k = min(5, smallest class); plain
    5-fold and the squared error for regression targets) repeated :data:`SVM_CV_REPEATS`
    times with different splits (the protocol's single k-fold, made steadier), refitted on
    every row, and its mean CV score. Without enough labels for two folds per class (the
    regressor: fewer than 10 targets), ``C=1`` and a score of 0.

    ``mix`` (a :class:`_SeriesMix`: the classifier's ``series_kernel``): ``features`` are the
    codes' ``mix.n_codes`` columns, then the series' views (``mix.blocks``). The same CV
    chooses, together with ``C``, one of the candidates ``mix.candidates`` that the labels
    allow (a :class:`_MixedKernelSVC`, or a :class:`_SeriesRidge`; a tie keeps the first);
    with none, the codes' SVM of the columns ``:n_codes``, as a :class:`_MixedKernelSVC` of
    ``weight=1``. With a single label in some class there is no CV: a ridge candidate that
    comes first, else that codes' SVM."""
    if mix is not None:
        return _mixed_svm(features, targets, seed, mix)
    gamma = _gamma_scale(features)
    model = SVC(gamma=gamma) if classification else SVR(gamma=gamma)
    folds = None
    if classification:
        smallest = int(np.unique(targets, return_counts=True)[1].min())
        if smallest >= 2:
            folds = RepeatedStratifiedKFold(n_splits=min(5, smallest),
                                            n_repeats=SVM_CV_REPEATS, random_state=seed)
    elif len(targets) >= 10:
        folds = RepeatedKFold(n_splits=5, n_repeats=SVM_CV_REPEATS, random_state=seed)
    if folds is None:
        return model.fit(features, targets), 0.0
    # the grid search by hand (GridSearchCV's mean fold score and first best C, without its
    # per-fit overhead, which dominates on a few tens of labels); a classifier's folds on
    # the RBF kernel of every row, computed once, where it is small (libsvm's own kernel
    # cache beyond)
    scores = np.zeros(len(SVM_C_GRID))
    precomputed = classification and len(targets) <= MAX_PRECOMPUTED_ROWS
    kernel = rbf_kernel(features, gamma=gamma) if precomputed else None
    for train, test in folds.split(features, targets):
        if precomputed:
            scores += _svc_cv_hits(kernel[np.ix_(train, train)], targets[train],
                                   kernel[np.ix_(test, train)], targets[test],
                                   SVM_C_GRID) / len(test)
            continue
        for i, C in enumerate(SVM_C_GRID):
            fitted = model.set_params(C=C).fit(features[train], targets[train])
            predicted = fitted.predict(features[test])
            scores[i] += (np.mean(predicted == targets[test]) if classification
                          else -np.mean((predicted - targets[test]) ** 2))
    best = int(np.argmax(scores))
    return (model.set_params(C=SVM_C_GRID[best]).fit(features, targets),
            float(scores[best] / folds.get_n_splits()))


def _mixed_svm(features, targets, seed, mix):
    """:func:`_svm` with ``mix``: ``(model, score)``, a :class:`_MixedKernelSVC` or (a
    candidate of ``weight=None``) a :class:`_SeriesRidge`."""
    n_codes = mix.n_codes
    blocks = {view: (start, stop) for view, start, stop in mix.blocks}
    smallest = int(np.unique(targets, return_counts=True)[1].min())
    allowed = [(view, weight) for view, weight, labels in mix.candidates if smallest >= labels]
    if smallest < 2:  # no CV: a ridge that comes first, else the codes' SVM
        first = mix.candidates[0] if mix.candidates else None
        if first is not None and first[1] is None and smallest >= first[2]:
            return _SeriesRidge(n_codes, blocks[first[0]], first[0]).fit(features, targets), 0.0
        return _MixedKernelSVC(n_codes).fit(features, targets), 0.0
    candidates = allowed or [(None, 1.0)]  # none: the codes alone
    folds = RepeatedStratifiedKFold(n_splits=min(5, smallest), n_repeats=SVM_CV_REPEATS,
                                    random_state=seed)
    # each block's kernel with the 'scale' gamma of its labelled rows, as the fitted model's
    codes = features[:, :n_codes]
    codes_kernel, views = rbf_kernel(codes, gamma=_gamma_scale(codes)), {}
    for view, weight in candidates:
        if weight is not None and weight < 1 and view not in views:
            block = features[:, slice(*blocks[view])]
            views[view] = rbf_kernel(block, gamma=_gamma_scale(block))
    kernels = [None if weight is None else codes_kernel if weight == 1
               else weight * codes_kernel + (1 - weight) * views[view]
               for view, weight in candidates]
    # a ridge reads its view in the rows' own basis: the same fits and scores as on the
    # thousands of columns (_row_space), at a fraction of the cost
    rows = {view: _row_space(features[:, slice(*blocks[view])])
            for view, weight in candidates if weight is None}
    # the same CV as the codes' SVM, over (candidate, C); the first best wins: the first
    # candidate, then the smaller C (a ridge chooses its alpha itself: one score, in every
    # column)
    scores = np.zeros((len(kernels), len(SVM_C_GRID)))
    for train, test in folds.split(features, targets):
        for j, K in enumerate(kernels):
            if K is None:
                block = rows[candidates[j][0]]
                fitted = RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(block[train],
                                                                    targets[train])
                scores[j] += np.mean(fitted.predict(block[test]) == targets[test])
                continue
            scores[j] += _svc_cv_hits(K[np.ix_(train, train)], targets[train],
                                      K[np.ix_(test, train)], targets[test],
                                      SVM_C_GRID) / len(test)
    j, i = np.unravel_index(int(np.argmax(scores)), scores.shape)
    view, weight = candidates[j]
    score = float(scores[j, i] / folds.get_n_splits())
    if weight is None:
        return _SeriesRidge(n_codes, blocks[view], view).fit(features, targets), score
    mixed = weight < 1
    model = _MixedKernelSVC(n_codes, weight=weight, C=SVM_C_GRID[i],
                            columns=blocks[view] if mixed else None,
                            view=view if mixed else None)
    return model.fit(features, targets), score


#: The SVM heads (:func:`_svm`; with ``series_kernel``, its ridge candidate too).
_SVMS = (SVC, SVR, _MixedKernelSVC, _SeriesRidge)


def _frozen_head(classification, features, targets, seed, kind="auto", like=None,
                 mix=None):
    """The model on the standardised frozen codes that fine-tuning has to beat (``keep_frozen``):
    a fitted :class:`~sklearn.pipeline.Pipeline` ``map -> model``.

    ``kind='svm'``: the codes + RBF SVM protocol of the benchmarks, ``C`` by a repeated CV
    (:func:`_svm`; no map). Otherwise ``map`` is ``'passthrough'`` (a linear head) or an RBF
    :class:`Nystroem` map with every labelled sequence as an anchor (at most
    :data:`MAX_KERNEL_ANCHORS`) and ``gamma = 1 / n_components`` (scikit-learn's
    ``gamma='scale'`` on standardised codes): a kernel head. The map uses no label, so it is
    fitted once on every row. ``model`` is a logistic regression with ``C`` chosen by
    stratified k-fold CV (:func:`_logistic_cv`; ``C=1`` where some class has fewer than 3
    labels), or for regression targets a ridge regression with ``alpha`` chosen
    by leave-one-out (``RidgeCV``). ``kind`` is ``'svm'``, ``'rbf'``, ``'linear'`` or
    ``'auto'``: the one of the last two with the better CV score (a tie keeps the linear
    head; neither wins on every data set, ``benchmarks/README.md``, section 10).

    ``like``: a pipeline of an earlier call (on a subset of these rows) whose choices are
    kept: the same map (refitted on these rows) and the same ``C`` (``alpha``), with no
    cross-validation. ``mix``: ``kind='svm'`` on the codes and the series' features
    (:func:`_svm`'s ``mix``). ``keep_frozen`` refits the head it compared on every label this way:
    the choice made on the training rows, as a grid search refits its best parameters
    (before, the refit ran the whole CV again, which doubled the head's cost). An SVM
    ``like`` is the exception: its refit is the whole protocol on these rows (its CV costs
    little), so that the kept head is the codes + SVM that a user would fit on every label.
    """
    dim = features.shape[1]
    if like is not None and not isinstance(like.named_steps["model"], _SVMS):
        return _refit_head(classification, features, targets, seed, like)
    if kind == "svm" or like is not None:
        return Pipeline([("map", "passthrough"),
                         ("model", _svm(classification, features, targets, seed,
                                        mix)[0])])
    maps = {}
    if kind in ("auto", "linear"):
        maps["linear"] = "passthrough"
    if kind in ("auto", "rbf"):
        maps["rbf"] = _rbf_map(features, 1.0 / dim, seed)
    folds = None
    if classification and int(np.bincount(targets).min()) >= 3:
        folds = StratifiedKFold(min(5, int(np.bincount(targets).min())), shuffle=True,
                                random_state=seed)
    best = None
    with warnings.catch_warnings():
        # lbfgs may stop short of its tolerance at large C on separable codes
        warnings.simplefilter("ignore", ConvergenceWarning)
        for mapping in maps.values():
            inputs = features if mapping == "passthrough" else mapping.transform(features)
            if not classification:
                model = RidgeCV(alphas=np.logspace(-3, 3, 7)).fit(inputs, targets)
                score = model.best_score_
            elif folds is None:
                model, score = LogisticRegression(max_iter=1000).fit(inputs, targets), 0.0
            else:
                model, score = _logistic_cv(inputs, targets, folds)
            if best is None or score > best[0]:  # a tie keeps the first: the linear head
                best = (score, Pipeline([("map", mapping), ("model", model)]))
    return best[1]


def _refit_head(classification, features, targets, seed, like):
    """:func:`_frozen_head` with ``like``'s map and ``C`` (``alpha``), fitted on these rows."""
    mapping = like.named_steps["map"]
    if mapping != "passthrough":
        mapping = _rbf_map(features, mapping.gamma, seed)
    inputs = features if mapping == "passthrough" else mapping.transform(features)
    previous = like.named_steps["model"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if classification:
            model = LogisticRegression(C=previous.C, max_iter=1000).fit(inputs, targets)
        else:
            model = Ridge(alpha=previous.alpha_).fit(inputs, targets)
    return Pipeline([("map", mapping), ("model", model)])


def _svm_layers(classification, model):
    """``(kernel, weight, bias)`` of a fitted :class:`SVC`/:class:`SVR` as the head's layers:
    its support vectors as the kernel's anchors (no normalisation: the features are the
    kernel values themselves) and its dual coefficients as the linear layer. Two classes
    or a regression: one decision value (as :func:`_as_head` makes of a linear model's).
    More classes: one row per pair of classes ``(i, j)``, ``i < j``, in
    :class:`~seqae.modules.heads.OneVsOneVotes`' order. In ``dual_coef_`` (libsvm's layout)
    the coefficients of class ``i``'s support vectors in pair ``(i, j)`` are in row ``j - 1``,
    those of class ``j``'s in row ``i``."""
    vectors = model.support_vectors_
    gamma = model.gamma_ if isinstance(model, _MixedKernelSVC) else model.gamma
    kernel = (vectors, gamma, np.eye(len(vectors)))
    dual = model.dual_coef_
    if len(vectors) == 0:  # an SVR whose targets all lie within epsilon: a constant
        kernel, dual = None, np.zeros((1, model.n_features_in_))
    if not classification or len(model.classes_) == 2:
        weight, bias = dual[:1], model.intercept_[:1]
        if classification:  # the second class's logit minus the first's is the decision
            weight, bias = np.vstack([-weight / 2, weight / 2]), np.r_[-bias / 2, bias / 2]
        return kernel, weight, bias
    n_classes = len(model.classes_)
    starts = np.r_[0, np.cumsum(model.n_support_)]
    pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
    weight = np.zeros((len(pairs), len(vectors)))
    for k, (i, j) in enumerate(pairs):
        of_i, of_j = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
        weight[k, of_i] = dual[j - 1, of_i]
        weight[k, of_j] = dual[i, of_j]
    return kernel, weight, model.intercept_


def _head_layers(classification, model):
    """``(kernel, weight, bias)`` of a :func:`_frozen_head` pipeline as the head's layers:
    ``kernel`` is ``None`` (linear) or ``(anchors, gamma, normalization)`` of its map (of the
    SVM's support vectors), in the layout of :class:`~seqae.modules.heads.RBFFeatures`."""
    mapping, fitted = model.named_steps["map"], model.named_steps["model"]
    if isinstance(fitted, _SeriesRidge):  # a linear layer on the series' features
        return (None, *_as_head(classification, fitted))
    if isinstance(fitted, _SVMS):
        return _svm_layers(classification, fitted)
    kernel = None
    if mapping != "passthrough":
        kernel = (mapping.components_, mapping.gamma, mapping.normalization_.T)
    return (kernel, *_as_head(classification, fitted))


def _head_kind(model):
    """``'svm'``, ``'ridge'`` (the series kernel's ridge), ``'rbf'`` or ``'linear'``: which
    :func:`_frozen_head` ``model`` is."""
    if isinstance(model.named_steps["model"], _SeriesRidge):
        return "ridge"
    if isinstance(model.named_steps["model"], _SVMS):
        return "svm"
    return "linear" if model.named_steps["map"] == "passthrough" else "rbf"


#: The two estimators' rows of the parameter table (:mod:`seqae._engine.params`), with the
#: fine-tuning budget's defaults (:data:`~seqae._engine.params.FINE_TUNING`).
_HEAD_PARAMS = rows(
    "autoencoder", "pretrain", "reconstruction_weight", "max_epochs", "freeze_epochs",
    "batch_size", "lr", "encoder_lr", "weight_decay", "dropout", "clip_grad_norm",
    "validation_fraction", "patience", "linear_probe", "keep_frozen", "frozen_head", "device",
    "random_state", "verbose",
    **{name: {"default": default} for name, default in FINE_TUNING.items()})


class _EncoderHeadEstimator(TableParams, BaseEstimator):
    """What :class:`SequenceClassifier` and :class:`SequenceRegressor` share."""

    def __init__(self, autoencoder=None, *, pretrain=True, reconstruction_weight=1.0,
                 max_epochs="auto", freeze_epochs=10, batch_size=16, lr=1e-2,
                 encoder_lr=1e-3, weight_decay=1e-2, dropout=0.1, clip_grad_norm=1.0,
                 validation_fraction=0.2, patience=20, linear_probe=False, keep_frozen=True,
                 frozen_head="svm", device="auto", random_state=None, verbose="auto"):
        self.autoencoder = autoencoder
        self.pretrain = pretrain
        self.reconstruction_weight = reconstruction_weight
        self.max_epochs = max_epochs
        self.freeze_epochs = freeze_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.encoder_lr = encoder_lr
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.clip_grad_norm = clip_grad_norm
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.linear_probe = linear_probe
        self.keep_frozen = keep_frozen
        self.frozen_head = frozen_head
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- hooks of the two tasks -------------------------------------------------------------
    def _targets(self, y):
        """``(labelled_mask, targets_of_the_labelled, n_outputs)``; records ``classes_`` etc."""
        raise NotImplementedError

    def _validation_rows(self, targets, seed):
        """Row indices of the labelled validation split, or ``None`` (no early stopping)."""
        raise NotImplementedError

    # -- fitting ----------------------------------------------------------------------------
    def _autoencoder(self):
        return self.autoencoder if self.autoencoder is not None else pretraining_autoencoder()

    def _allow_nan(self):
        return getattr(self._autoencoder(), "missing", "error") == "mask"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        # a refit starts from nothing of the previous fit (the fine-tuning network's head
        # must not inherit the kernel size of a head kept by the last fit)
        for name in ("net_", "validation_scores_", "n_kernel_features_", "frozen_head_",
                     "n_series_features_", "series_kernel_"):
            self.__dict__.pop(name, None)
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        X3, lengths = check_input(self, X, reset=True, allow_nan=self._allow_nan())
        y = column_or_1d(y, warn=True)
        check_consistent_length(X3, y)
        labelled, targets, n_outputs = self._targets(y)
        seed = resolve_seed(self.random_state)
        device = resolve_device(self.device)
        self.autoencoder_, module = _autoencoder_module(
            self._autoencoder(), X, pretrain=self.pretrain, seed=seed, device=device)
        if self.autoencoder_.n_timesteps_ != X3.shape[1]:
            X3 = self._pad_to_autoencoder(X3, lengths)
        self.n_components_ = self.autoencoder_.n_components_
        valid_rows = self._validation_rows(targets, seed)
        train_rows = np.setdiff1d(np.arange(len(targets)),
                                  [] if valid_rows is None else valid_rows)
        self.max_epochs_, self.batch_size_ = resolve_budget(
            self.max_epochs, self.batch_size, len(train_rows))
        if self.max_epochs == "auto":  # the frozen epochs, then the encoder's steps
            self.max_epochs_ = fine_tuning_epochs(len(train_rows), self.batch_size_,
                                                  self.freeze_epochs)
        # the head reads the code standardised with the statistics of the starting codes of
        # all the sequences (as a StandardScaler in front of a classifier would)
        codes = encode_all(module, _net_input(X3, lengths), self.batch_size_, device).double()
        code_mean, code_scale = codes.mean(0), codes.std(0, unbiased=False)
        code_scale = torch.where(code_scale > 1e-6, code_scale, torch.ones_like(code_scale))
        data = _net_input(X3[labelled], None if lengths is None else lengths[labelled])
        compare = self.keep_frozen and valid_rows is not None
        start = None  # a callback only where the head or the starting state is needed
        features = ((codes[torch.as_tensor(labelled)] - code_mean) / code_scale).numpy()
        # the frozen SVM head's input: the codes, then (series_kernel) the series' features,
        # of every sequence (the unlabelled too: MiniRocket's biases, the statistics)
        head_inputs, mix, series = features, None, None
        option = self._series_option(X3, lengths)
        if option is not None:
            all_inputs, mix, series = _series_inputs(
                option, X3, seed, self.batch_size_,
                ((codes - code_mean) / code_scale).numpy(), lengths)
            head_inputs = all_inputs[labelled]
        if self.linear_probe or compare:
            # fine-tuning starts from the linear probe (LP-FT: a linear model on the
            # standardised frozen codes of the labelled training rows; the validation rows
            # are left out, as for fine-tuning), or from the random head; either way the
            # starting network is kept for keep_frozen
            start = _StartHead()
            if self.linear_probe:
                start = _StartHead(*_linear_probe(self._classification, features[train_rows],
                                                  targets[train_rows], seed)[:2])
        code_statistics = {"code_mean": code_mean.float().tolist(),
                           "code_scale": code_scale.float().tolist()}
        self.early_stopping_ = valid_rows is not None
        if self.keep_frozen and valid_rows is None and self.pretrain:
            # no held-out labels to show that fine-tuning helps: the frozen codes' head
            # (not for pretrain=False: an untrained network has no codes worth keeping)
            # (on training halves, frozen codes + SVC beat blind fine-tuning: 0.588 vs
            # 0.570 over 20 cells at 10% and 25% of the labels, benchmarks/README.md
            # section 14)
            head = _frozen_head(self._classification, head_inputs, targets, seed,
                                self.frozen_head, mix=mix)
            net = self._frozen_net(module.state_dict(), head, seed, device, code_statistics,
                                   series)
            self._set_net(net, device)
            self.n_epochs_ = 0
            return self
        net = build_net(self._net_config(module, n_outputs, device, valid_rows, start,
                                         **code_statistics))
        remedy = (f"a lower lr or encoder_lr (now {self.lr:g}, {self.encoder_lr:g}), or "
                  f"{clip_remedy(self.clip_grad_norm)}")
        with non_finite_as_error(self, remedy, during=" of fine-tuning"), _seeded(seed, device):
            net.fit(data, torch.as_tensor(targets))
        self.fine_tuned_ = True
        self.n_kernel_features_ = self.n_series_features_ = 0
        self.frozen_head_ = self.series_kernel_ = None
        if compare:
            net = self._keep_better(net, start, data, head_inputs, targets, valid_rows, seed,
                                    device, code_statistics, mix, series)
        self._set_net(net, device)
        self.n_epochs_ = len(net.history)
        return self

    @property
    def _classification(self):
        return isinstance(self, ClassifierMixin)

    def _series_option(self, X3, lengths):
        """The classifier's ``series_kernel`` where its SVM head may read the series too,
        else ``None``: no missing value; sequences of one length, or for MiniRocket's view
        of different lengths (resampled; ``'auto'`` then reads that view only); ``'raw'``
        where they are shorter than MiniRocket's kernels
        (:data:`~seqae.modules.rocket.KERNEL_LENGTH`)."""
        option = getattr(self, "series_kernel", None)
        if option is None or self.frozen_head != "svm" or np.isnan(X3).any():
            return None
        if option != "raw" and X3.shape[1] < KERNEL_LENGTH:
            option = "raw" if option == "auto" else None
        if lengths is not None:  # different lengths: MiniRocket's view, resampled
            return "minirocket" if option in ("auto", "minirocket") else None
        return option

    def _keep_better(self, net, start, data, features, targets, valid_rows, seed, device,
                     code_statistics, mix=None, series=None):
        """``keep_frozen``: score the fine-tuned network and the frozen-code head
        (:func:`_frozen_head`, fitted on the training rows) on the held-out labels; return
        ``net`` where fine-tuning is better (the classifier: by at least
        :data:`MIN_FINE_TUNING_GAIN` validation sequences; the regressor: a lower squared
        error), else a net of the pre-trained network with that head refitted on every label
        (``fine_tuned_ = False``)."""
        rows = torch.as_tensor(valid_rows)
        subset = ({k: v[rows] for k, v in data.items()} if isinstance(data, dict)
                  else data[rows])
        tuned = encode_all(net.module_, subset, self.batch_size_, device,
                           method="predict").double()
        train_rows = np.setdiff1d(np.arange(len(targets)), valid_rows)
        frozen_model = _frozen_head(self._classification, features[train_rows],
                                    targets[train_rows], seed, self.frozen_head,
                                    mix=mix)
        frozen = frozen_model.predict(features[valid_rows])
        truth = targets[valid_rows]
        if self._classification:  # accuracy (not the cross-entropy: early stopping
            tuned_score = float(np.mean(tuned.argmax(1).numpy() == truth))  # minimised it)
            frozen_score = float(np.mean(frozen == truth))
        else:
            tuned_score = -float(np.mean((tuned[:, 0].numpy() - truth) ** 2))
            frozen_score = -float(np.mean((frozen - truth) ** 2))
        self.validation_scores_ = {"fine-tuned": tuned_score, "frozen": frozen_score}
        # fine-tuning is accepted only where it improves on the held-out labels: a tie, or
        # (the classifier) one more right sequence of a split of a few, keeps the frozen codes
        if _fine_tuning_wins(self._classification, tuned_score, frozen_score, len(truth)):
            return net
        # the pre-trained network (its state when fine-tuning began), with the head refitted
        encoder = {key[len("autoencoder."):]: value
                   for key, value in start.start_state_.items()
                   if key.startswith("autoencoder.")}
        frozen_net = self._frozen_net(
            encoder, _frozen_head(self._classification, features, targets, seed,
                                  like=frozen_model, mix=mix),
            seed, device, code_statistics, series)
        frozen_net.history_ = net.history_
        return frozen_net

    def _frozen_net(self, encoder_state, head, seed, device, code_statistics, series=None):
        """A net of the pre-trained autoencoder's network (``encoder_state``: its module's
        state) with ``head`` (a fitted :func:`_frozen_head`) as its head layers; records
        ``fine_tuned_ = False``, ``frozen_head_``, ``n_kernel_features_``,
        ``n_series_features_`` and ``series_kernel_`` (a :class:`_MixedKernelSVC` that reads
        a view of the series: its size and name, and from ``series``, ``{view: _Series}``,
        its statistics and MiniRocket's layer, into the network)."""
        self.fine_tuned_ = False
        self.frozen_head_ = _head_kind(head)
        kernel, weight, bias = _head_layers(self._classification, head)
        self.n_kernel_features_ = 0 if kernel is None else len(kernel[0])
        fitted = head.named_steps["model"]
        mixed = isinstance(fitted, _MixedKernelSVC) and fitted.weight < 1
        ridge = isinstance(fitted, _SeriesRidge)  # a linear layer on the series' features
        self.n_series_features_ = (fitted.series_support_vectors_.shape[1] if mixed
                                   else weight.shape[1] if ridge else 0)
        self.series_kernel_ = fitted.view if mixed or ridge else None
        frozen_net = self._empty_net(device, **code_statistics)  # with the kernel's size
        with _seeded(seed, device):
            frozen_net.initialize()
        module = frozen_net.module_
        module.autoencoder.load_state_dict(encoder_state)
        if kernel is not None:
            _set_kernel(module.kernel, *kernel)
        if mixed or ridge:
            view = series[fitted.view]
            statistics = [(module.series_mean, view.mean), (module.series_scale, view.scale)]
            if mixed:
                vectors = fitted.series_support_vectors_
                _set_kernel(module.series_kernel, vectors, fitted.series_gamma_,
                            np.eye(len(vectors)))
                statistics.append((module.series_weight, fitted.weight))
            with torch.no_grad():
                for buffer, value in statistics:
                    buffer.copy_(torch.as_tensor(np.asarray(value), dtype=buffer.dtype))
            if view.rocket is not None:
                module.rocket.load_state_dict(view.rocket.state_dict())
        if ridge:  # the layer reads the code too (standardised), with weights of 0
            weight = np.hstack([np.zeros((len(weight), self.n_components_)), weight])
        _set_head(module.head, weight, bias)
        return frozen_net

    def _rocket_shape(self):
        """``(n_steps, n_channels)`` of the head's MiniRocket layer, ``None`` without one."""
        if getattr(self, "series_kernel_", None) != "minirocket":
            return None
        return self.autoencoder_.n_timesteps_, self.autoencoder_.n_channels_

    def _set_net(self, net, device):
        self.net_ = net
        self.device_ = device

    def _empty_net(self, device, **code_statistics):
        """An uninitialised net of the fitted architecture (for :meth:`_from_saved`, and for
        the frozen-code network that ``keep_frozen`` keeps)."""
        module = copy.deepcopy(self.autoencoder_.net_.module_).to(device)
        n_outputs = len(self.classes_) if hasattr(self, "classes_") else 1
        return build_net(self._net_config(module, n_outputs, device, None, **code_statistics))

    @classmethod
    def _from_saved(cls, params, attributes, net_params, module_state, optimizer_state,
                    history, device):
        """Rebuild a fitted estimator from saved state: the persistence hook that
        :func:`seqae.load` calls (:func:`seqae._engine.training.rebuild_saved`);
        ``attributes`` holds the already rebuilt ``autoencoder_``. Internal: not for direct
        use."""
        return rebuild_saved(cls, params, attributes, lambda est, dev: est._empty_net(dev),
                             net_params, module_state, optimizer_state, history, device)

    def _pad_to_autoencoder(self, X3, lengths):
        """A fitted autoencoder of longer sequences than ``X``'s longest: pad ``X`` (a list of
        sequences) to its length; equal-length arrays of another length are refused."""
        n_steps = self.autoencoder_.n_timesteps_
        if lengths is None or X3.shape[1] > n_steps:
            raise ValueError(
                f"{type(self).__name__}: the fitted autoencoder reads sequences of "
                f"n_timesteps_={n_steps} steps; got sequences of {X3.shape[1]}. Pass sequences "
                "of its length, or an unfitted autoencoder to pre-train on these.")
        padded = np.zeros((len(X3), n_steps, X3.shape[2]), dtype=X3.dtype)
        padded[:, :X3.shape[1]] = X3
        self.n_timesteps_ = self.n_features_in_ = n_steps
        return padded

    def _net_config(self, module, n_outputs, device, valid_rows, start=None,
                    **code_statistics):
        """The fine-tuning net's :class:`~seqae._engine.training.NetConfig`: the head on the
        autoencoder's module, AdamW with the encoder's own rate and no weight decay on it,
        the encoder frozen for ``freeze_epochs``, early stopping on ``valid_rows``."""
        callbacks = training_callbacks(
            type(self).__name__, verbose=self.verbose, clip_grad_norm=self.clip_grad_norm,
            patience=None if valid_rows is None else self.patience)
        if start is not None:
            callbacks.append(("seqae_start_head", start))
        callbacks.append(("seqae_freeze", FreezeSubmodule("autoencoder", self.freeze_epochs)))
        return NetConfig(
            module=EncoderHead,
            module_params={"autoencoder": module,
                           "n_components": self.autoencoder_.n_components_,
                           "n_outputs": n_outputs, "dropout": self.dropout,
                           "reconstruct": self.reconstruction_weight > 0,
                           "n_kernel_features": getattr(self, "n_kernel_features_", 0),
                           # a kept multi-class SVM: one-vs-one decision values, then votes
                           "one_vs_one": getattr(self, "frozen_head_", None) == "svm",
                           "n_series_features": getattr(self, "n_series_features_", 0),
                           "rocket_shape": self._rocket_shape(),
                           **code_statistics},
            criterion=torch.nn.Identity,  # the loss is computed in HeadNet.get_loss
            optimizer=torch.optim.AdamW,
            lr=self.lr,
            # the pre-trained weights move slowly and are not pulled to zero: weight decay
            # is for the head only
            optimizer_params={"weight_decay": self.weight_decay,
                              "param_groups": [("autoencoder.*", {"lr": self.encoder_lr,
                                                                  "weight_decay": 0.0})]},
            max_epochs=getattr(self, "max_epochs_", 1),
            batch_size=getattr(self, "batch_size_", 1),
            train_split=None if valid_rows is None else FixedSplit(valid_rows),
            callbacks=callbacks,
            device=device,
            verbose=epoch_table(self.verbose),
            net=HeadNet,
            net_params={"task": "classification" if self._classification else "regression",
                        "reconstruction_weight": self.reconstruction_weight,
                        "iterator_train__shuffle": True, "dataset": Dataset},
        )

    # -- inference ----------------------------------------------------------------------------
    def _apply(self, method, X):
        check_is_fitted(self)
        X3, lengths = check_input(self, X, reset=False, allow_nan=self._allow_nan())
        if (method == "predict" and getattr(self, "series_kernel_", None) == "raw"
                and lengths is not None and (np.asarray(lengths) < X3.shape[1]).any()):
            # the raw values' kernel reads whole sequences: padding is not a value (MiniRocket's
            # view resamples each sequence to the training length)
            raise ValueError(
                f"{type(self).__name__}: the fitted head reads the series too "
                f"(series_kernel_={self.series_kernel_!r}): every sequence must "
                f"have n_timesteps_={X3.shape[1]} steps; got shorter ones. Fit with "
                "series_kernel=None to predict sequences of other lengths.")
        batch = _net_input(X3, lengths)
        out = self.net_.apply_module(lambda module, b: _call(getattr(module, method), b), batch)
        return out.numpy().astype(np.float64), X3.dtype

    def transform(self, X):
        codes, dtype = self._apply("encode", X)
        return codes.astype(dtype, copy=False)

    def fit_transform(self, X, y):
        """Fit, then return the fine-tuned codes of ``X`` (``fit(X, y).transform(X)``)."""
        return self.fit(X, y).transform(X)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "net_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = self._allow_nan()
        # transform (the fine-tuned codes) makes it a transformer too, for sklearn's checks
        tags.transformer_tags = TransformerTags(preserves_dtype=["float64", "float32"])
        return tags


_SCORE_DOC = """{what}

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.
        y : array-like of shape (n_samples,)
            {y}
        sample_weight : array-like of shape (n_samples,) or None, default=None

        Returns
        -------
        score : float
"""

#: The docstring of a method that takes sequences ``X`` only.
_METHOD_DOC = """{what}

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.

        Returns
        -------
        {returns}
"""

_EncoderHeadEstimator.transform.__doc__ = _METHOD_DOC.format(
    what="The fine-tuned codes of sequences ``X`` (the encoder after fine-tuning).",
    returns="codes : ndarray of shape (n_samples, n_components_)\n"
            "            float32 for float32 input, float64 otherwise.")

_FIT_DOC = """
        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            All the sequences, labelled or not, in any layout the seqae autoencoders take
            (2D univariate, 3D multivariate, a list of sequences of different lengths; NaN as
            missing values when the autoencoder has ``missing='mask'``).
        y : array-like of shape (n_samples,)
            {y}

        Returns
        -------
        self : object
            The fitted estimator.
"""


class SequenceClassifier(ClassifierMixin, _EncoderHeadEstimator):
    """Sequence classifier for scarce labels: a seqae autoencoder pre-trained, then fine-tuned.

    ``fit(X, y)`` takes every sequence there is, labelled or not; ``y == -1`` marks an
    unlabelled one (scikit-learn's semi-supervised convention, as in
    :class:`~sklearn.semi_supervised.SelfTrainingClassifier`). It

    1. pre-trains the autoencoder on all of ``X`` (skipped when the autoencoder passed is
       fitted already: it is then reused as it is, without training it again);
    2. fine-tunes a copy of its network, encoder and decoder, with a linear head (dropout in
       front) on the code, on the labelled sequences: cross-entropy plus
       ``reconstruction_weight`` times the mean squared reconstruction error (an auxiliary
       loss that keeps the code a code of the sequence).

    What keeps fine-tuning on tens of labels stable: the autoencoder is frozen for the first
    ``freeze_epochs`` epochs (the head learns to read the pre-trained code first), then trains
    at its own smaller learning rate ``encoder_lr``; weight decay is on the head only; the
    gradient norm is clipped; and when every class has at least 5 labels, a stratified
    ``validation_fraction`` of them is held out and training stops when their cross-entropy
    has not improved for ``patience`` epochs, keeping the best epoch's weights.

    What keeps fine-tuning from ending below the frozen codes: a head on the standardised
    pre-trained codes of the labelled sequences, by default an RBF SVM (the codes + RBF SVC
    protocol of the benchmarks, ``C`` by a stratified k-fold CV repeated 3 times, as layers
    of the network; ``frozen_head``; the same CV chooses a mix of the codes' kernel and a
    kernel on MiniRocket's features of the series, or on its raw values, ``series_kernel``);
    where a
    validation split is held out, the fine-tuned network is kept only if it beats that head on
    the held-out labels, else the pre-trained network with that head refitted on every label
    is kept; with too few labels for a validation split, nothing can show that fine-tuning
    helps, and the pre-trained network with that head is kept without fine-tuning
    (``keep_frozen``; ``fine_tuned_`` says which; ``keep_frozen=False`` always fine-tunes).
    ``linear_probe=True`` starts the fine-tuned head from a linear probe ("LP-FT", Kumar et
    al., ICLR 2022), which did not help on training data here.

    {parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (``-1`` excluded).
    autoencoder_ : seqae autoencoder
        The pre-trained autoencoder (the one passed, if it was fitted): its ``transform``
        gives the codes before fine-tuning.
    net_ : skorch.NeuralNet
        The fine-tuned network (``net_.module_`` an
        :class:`~seqae.modules.heads.EncoderHead`; ``net_.history`` one row per epoch).
    n_components_ : int
        Size of the code.
    max_epochs_, batch_size_ : int
        The fine-tuning budget used (``'auto'`` resolved for the labelled sequences that
        train).
    n_epochs_ : int
        Fine-tuning epochs run.
    early_stopping_ : bool
        Whether a validation split was held out for early stopping.
    fine_tuned_ : bool
        Whether ``net_`` is the fine-tuned network (``False``: ``keep_frozen`` kept the
        pre-trained network with a head fitted on its frozen codes).
    n_kernel_features_ : int
        Anchors of the head's RBF kernel (:class:`~seqae.modules.heads.RBFFeatures`) where
        ``keep_frozen`` kept an RBF or SVM head on the frozen codes (an SVM's: its support
        vectors); 0 for a linear head.
    series_kernel_ : {'minirocket', 'raw'} or None
        The view of the series that the head reads, where ``series_kernel``'s CV chose a
        head on it: the ridge on MiniRocket's features (``frozen_head_ == 'ridge'``: the
        network's linear ``head`` reads them after its ``rocket`` layer) or the SVM on a mix
        of the codes' and the series' kernels (its ``series_kernel`` layer, after the
        ``rocket`` layer for ``'minirocket'``); ``None``: the codes alone.
    n_series_features_ : int
        Features per sequence that head reads (MiniRocket's 9,996, or steps x channels);
        0 where ``series_kernel_`` is ``None``.
    frozen_head_ : {'svm', 'ridge', 'rbf', 'linear'} or None
        The head that ``net_`` holds where it is not fine-tuned (``None`` where
        ``fine_tuned_``): ``'ridge'`` is ``series_kernel``'s ridge on MiniRocket's features.
    validation_scores_ : dict
        Only where ``keep_frozen`` compared the two: the validation accuracy (the
        regressor: minus the mean squared error of the standardised targets) of
        ``'fine-tuned'`` and ``'frozen'``.
    n_features_in_ : int
        Time steps of the training sequences (the padded length for a list).
    n_timesteps_, n_channels_, input_ndim_
        The layout of ``X`` in ``fit``, as for the autoencoders.

    See Also
    --------
    SequenceRegressor : The same, with a squared-error head.
    sklearn.semi_supervised.SelfTrainingClassifier : Self-training on any classifier.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import RAESCTransformer, SequenceClassifier
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(40, 16, 1, random_state=0)
    >>> y = (X[:, :8, 0].mean(axis=1) > X[:, 8:, 0].mean(axis=1)).astype(int)
    >>> y_partial = y.copy()
    >>> y_partial[10:] = -1                      # only the first 10 are labelled
    >>> ae = RAESCTransformer(max_epochs=5)
    >>> clf = SequenceClassifier(ae, max_epochs=5, random_state=0).fit(X, y_partial)
    >>> clf.classes_
    array([0, 1])
    >>> clf.predict_proba(X[:3]).shape
    (3, 2)
    >>> clf.transform(X).shape == (40, clf.n_components_)
    True
    """

    _params = _HEAD_PARAMS + rows("series_kernel")

    def __init__(self, autoencoder=None, *, pretrain=True, reconstruction_weight=1.0,
                 max_epochs="auto", freeze_epochs=10, batch_size=16, lr=1e-2,
                 encoder_lr=1e-3, weight_decay=1e-2, dropout=0.1, clip_grad_norm=1.0,
                 validation_fraction=0.2, patience=20, linear_probe=False, keep_frozen=True,
                 frozen_head="svm", device="auto", random_state=None, verbose="auto",
                 series_kernel="auto"):
        super().__init__(
            autoencoder, pretrain=pretrain, reconstruction_weight=reconstruction_weight,
            max_epochs=max_epochs, freeze_epochs=freeze_epochs, batch_size=batch_size, lr=lr,
            encoder_lr=encoder_lr, weight_decay=weight_decay, dropout=dropout,
            clip_grad_norm=clip_grad_norm, validation_fraction=validation_fraction,
            patience=patience, linear_probe=linear_probe, keep_frozen=keep_frozen,
            frozen_head=frozen_head, device=device, random_state=random_state,
            verbose=verbose)
        self.series_kernel = series_kernel

    def _targets(self, y):
        if y.dtype.kind in "fc":
            assert_all_finite(y, input_name="y")
        labelled = self._labelled(y)
        y_labelled = y[labelled]
        if len(y_labelled) == 0:
            raise ValueError(f"{type(self).__name__} needs labelled sequences; every label "
                             f"is {UNLABELLED} (unlabelled).")
        check_classification_targets(y_labelled)
        self.classes_, encoded = np.unique(y_labelled, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs labels of at least 2 classes; "
                             f"got 1 class ({self.classes_[0]!r}).")
        return labelled, encoded.astype(np.int64), len(self.classes_)

    @staticmethod
    def _labelled(y):
        if y.dtype.kind in "iuf":
            return y != UNLABELLED
        if y.dtype.kind == "O":
            return np.array([not (isinstance(v, (Integral, Real)) and v == UNLABELLED)
                             for v in y], dtype=bool)
        return np.ones(len(y), dtype=bool)  # strings: no -1 among them

    def _validation_rows(self, targets, seed):
        counts = np.bincount(targets)
        n_valid = int(np.ceil(self.validation_fraction * len(targets)))
        if (self.patience is None or counts.min() < MIN_LABELS_FOR_VALIDATION
                or n_valid < len(counts) or len(targets) - n_valid < len(counts)):
            return None
        split = StratifiedShuffleSplit(1, test_size=n_valid, random_state=seed)
        return next(split.split(np.zeros(len(targets)), targets))[1]

    def fit(self, X, y):
        return super().fit(X, y)

    fit.__doc__ = ("Pre-train on all of ``X``, then fine-tune on its labelled sequences.\n"
                   + _FIT_DOC.format(y="Class labels; ``-1`` marks an unlabelled sequence "
                                       "(numeric or object labels; a string array has none)."))

    def predict_proba(self, X):
        logits, _ = self._apply("predict", X)
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        return proba / proba.sum(axis=1, keepdims=True)

    predict_proba.__doc__ = _METHOD_DOC.format(
        what="Class probabilities (the softmax of the head's output).",
        returns="proba : ndarray of shape (n_samples, n_classes)\n"
                "            Columns in the order of ``classes_``.")

    def decision_function(self, X):
        """The head's output (logits); for two classes, the second's minus the first's.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        logits, _ = self._apply("predict", X)
        return logits[:, 1] - logits[:, 0] if len(self.classes_) == 2 else logits

    def score(self, X, y, sample_weight=None):
        return super().score(X, y, sample_weight=sample_weight)

    score.__doc__ = _SCORE_DOC.format(
        what="Mean accuracy of ``predict(X)`` against ``y`` (scikit-learn's classifier "
             "score).", y="True labels (no ``-1``: every sequence scored must have one).")

    def predict(self, X):
        scores, _ = self._apply("predict", X)
        return self.classes_[np.argmax(scores, axis=1)]

    predict.__doc__ = _METHOD_DOC.format(what="Predicted class labels.",
                                         returns="y : ndarray of shape (n_samples,)")


class SequenceRegressor(RegressorMixin, _EncoderHeadEstimator):
    """Sequence regressor for scarce targets: a seqae autoencoder pre-trained, then fine-tuned.

    The code of :class:`SequenceClassifier` with a squared-error head: NaN in ``y`` marks a
    sequence without a target (its sequence still pre-trains the autoencoder). The targets are
    standardised for training (mean and standard deviation of the labelled ones) and
    predictions mapped back (``y_mean_``, ``y_scale_``). Early stopping uses a random
    ``validation_fraction`` of the labelled sequences when there are at least 15 of them.

    {parameters}

    Attributes
    ----------
    y_mean_, y_scale_ : float
        Mean and standard deviation (1 where it is 0) of the labelled targets: the head
        predicts ``(y - y_mean_) / y_scale_``.
    autoencoder_, net_, n_components_, max_epochs_, batch_size_, n_epochs_, early_stopping_
        As for :class:`SequenceClassifier`.
    fine_tuned_, n_kernel_features_, frozen_head_, validation_scores_
        As for :class:`SequenceClassifier`, the frozen-code head a ridge regression (linear or
        on RBF kernel features) or an SVR, and the score minus the mean squared error of the
        standardised targets.
    series_kernel_, n_series_features_ : None, int
        Always ``None`` and 0: the regressor's SVR reads the codes alone
        (``series_kernel`` is the classifier's; it was measured on classification sets
        only).
    n_features_in_, n_timesteps_, n_channels_, input_ndim_
        The layout of ``X`` in ``fit``, as for the autoencoders.

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import RAESCTransformer, SequenceRegressor, make_sine_sequences
    >>> X = make_sine_sequences(30, 16, 1, random_state=0)
    >>> y = X[:, :, 0].mean(axis=1)
    >>> y[10:] = np.nan                           # only the first 10 have targets
    >>> reg = SequenceRegressor(RAESCTransformer(max_epochs=5), max_epochs=5,
    ...                         random_state=0).fit(X, y)
    >>> reg.predict(X[:4]).shape
    (4,)
    """

    _params = _HEAD_PARAMS

    def _targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        assert_all_finite(y, allow_nan=True, input_name="y")  # NaN: no target
        labelled = ~np.isnan(y)
        if not labelled.any():
            raise ValueError(f"Input y contains NaN only: {type(self).__name__} needs "
                             "sequences with targets; every target is NaN (NaN marks a "
                             "sequence without one).")
        self.y_mean_ = float(y[labelled].mean())
        self.y_scale_ = float(y[labelled].std()) or 1.0
        return labelled, ((y[labelled] - self.y_mean_) / self.y_scale_).astype(np.float32), 1

    def _validation_rows(self, targets, seed):
        n_valid = int(np.ceil(self.validation_fraction * len(targets)))
        if (self.patience is None or n_valid == 0
                or len(targets) < 3 * MIN_LABELS_FOR_VALIDATION):
            return None
        return np.random.default_rng(seed).permutation(len(targets))[:n_valid]

    def fit(self, X, y):
        return super().fit(X, y)

    fit.__doc__ = ("Pre-train on all of ``X``, then fine-tune on the sequences with targets.\n"
                   + _FIT_DOC.format(y="Targets; NaN marks a sequence without one."))

    def score(self, X, y, sample_weight=None):
        return super().score(X, y, sample_weight=sample_weight)

    score.__doc__ = _SCORE_DOC.format(
        what="Coefficient of determination R^2 of ``predict(X)`` against ``y`` "
             "(scikit-learn's regressor score).",
        y="True targets (no NaN: every sequence scored must have one).")

    def predict(self, X):
        return self._apply("predict", X)[0][:, 0] * self.y_scale_ + self.y_mean_

    predict.__doc__ = _METHOD_DOC.format(what="Predicted targets.",
                                         returns="y : ndarray of shape (n_samples,)")
