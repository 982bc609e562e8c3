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
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import GridSearchCV, StratifiedKFold, StratifiedShuffleSplit
from sklearn.utils import TransformerTags, assert_all_finite
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping
from skorch.dataset import Dataset
from torch.nn import functional as F

from .._engine.batches import _call, _net_input
from .._engine.net import NonFiniteTraining, SeqAENet, StopOnNonFinite, observed_mask
from .._engine.params import PARAMS
from .._engine.training import _seeded, restore_net
from .._engine.validation import check_input, resolve_device, resolve_seed
from ..autoencoders.rae import RAESCTransformer
from ..modules import masked_mean
from ..modules.heads import EncoderHead

__all__ = ["SequenceClassifier", "SequenceRegressor", "UNLABELLED"]

#: The label that marks an unlabelled sequence (scikit-learn's semi-supervised convention).
UNLABELLED = -1
#: Early stopping needs a labelled validation split: it is used when every class has at
#: least this many labels (the regressor: at least ``3 *`` this many labelled sequences).
MIN_LABELS_FOR_VALIDATION = 5
#: ``max_epochs='auto'``: after the frozen epochs, about this many optimizer steps of the
#: encoder (issue 23: the default fit within 60 CPU seconds at 500 x 500) ...
FINE_TUNING_STEPS = 250
#: ... and at most this many epochs in all (the fixed default before).
MAX_FINE_TUNING_EPOCHS = 100


def default_autoencoder():
    """The autoencoder pre-trained when ``autoencoder=None``: ``RAESCTransformer()`` with its
    defaults (the one that ``benchmarks/ucr.py`` measures on real data)."""

    return RAESCTransformer()


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
        fitted = clone(autoencoder)
        if "random_state" in fitted.get_params(deep=False):
            fitted.set_params(random_state=seed)
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


def _encode_all(module, data, batch_size, device, method="encode"):
    """The codes of all of ``data`` (a tensor or a dict batch), in eval mode (``method``:
    the module's method to apply, e.g. ``'predict'`` for a head's outputs)."""
    was_training = module.training
    module.eval()
    n = len(data["x"] if isinstance(data, dict) else data)
    codes = []
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            batch = ({k: v[start:start + batch_size].to(device) for k, v in data.items()
                      if k != "mask"} if isinstance(data, dict)
                     else data[start:start + batch_size].to(device))
            codes.append(_call(getattr(module, method), batch).cpu())
    module.train(was_training)
    return torch.cat(codes)


class _FreezeAutoencoder(Callback):
    """Keep the autoencoder's weights fixed during the first ``n_epochs`` epochs (only the
    head trains: it learns to read the pre-trained codes before the encoder moves)."""

    def __init__(self, n_epochs):
        self.n_epochs = n_epochs

    def on_epoch_begin(self, net, **kwargs):
        frozen = len(net.history) <= self.n_epochs
        for param in net.module_.autoencoder.parameters():
            param.requires_grad_(not frozen)


class _StartHead(Callback):
    """Set the head's weights when fine-tuning begins (after skorch built the module), and
    keep a copy of the whole network's starting state (pre-trained encoder + that head): the
    frozen-code model that fine-tuning has to beat (``keep_frozen``)."""

    def __init__(self, weight=None, bias=None):
        self.weight = weight
        self.bias = bias

    def on_train_begin(self, net, **kwargs):
        head = net.module_.head
        if self.weight is not None:
            with torch.no_grad():
                head.weight.copy_(torch.as_tensor(self.weight, dtype=head.weight.dtype))
                head.bias.copy_(torch.as_tensor(self.bias, dtype=head.bias.dtype))
        self.start_state_ = copy.deepcopy(net.module_.state_dict())


def _linear_probe(task, features, targets, seed):
    """``(weight, bias, model)`` of a linear model fitted on the standardised frozen codes of
    the labelled sequences: multinomial logistic regression (``C`` by stratified CV when every
    class has at least 3 labels, else ``C=1``) for classification, ``RidgeCV`` for (standardised)
    regression targets. ``weight`` has one row per output of the head."""
    if task == "classification":
        n_classes = int(targets.max()) + 1
        smallest = int(np.bincount(targets, minlength=n_classes).min())
        if smallest >= 3:
            folds = StratifiedKFold(min(5, smallest), shuffle=True, random_state=seed)
            model = GridSearchCV(LogisticRegression(max_iter=1000),
                                 {"C": np.logspace(-3, 3, 7)}, cv=folds).fit(
                                     features, targets).best_estimator_
        else:
            model = LogisticRegression(C=1.0, max_iter=1000).fit(features, targets)
        weight, bias = model.coef_, model.intercept_
        if n_classes == 2:  # one logit for the second class: softmax over (-z/2, z/2)
            weight = np.vstack([-weight / 2, weight / 2])
            bias = np.array([-bias[0] / 2, bias[0] / 2])
    else:
        model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(features, targets)
        weight, bias = model.coef_.reshape(1, -1), np.atleast_1d(model.intercept_)
    return weight, bias, model


class _HeadNet(SeqAENet):
    """The skorch net that fine-tunes an :class:`~seqae.modules.heads.EncoderHead`.

    The loss is the head's (cross-entropy, or squared error) plus ``reconstruction_weight``
    times the masked mean squared reconstruction error of the batch (padding and missing values
    left out), in training; the validation loss (early stopping) is the head's loss alone.
    Batches come from skorch's own ``DataLoader`` (the targets are labels, not the input).
    """

    def __init__(self, module, *args, task="classification", reconstruction_weight=1.0,
                 **kwargs):
        super().__init__(module, *args, iterator_train=torch.utils.data.DataLoader,
                         iterator_valid=torch.utils.data.DataLoader, **kwargs)
        self.task = task
        self.reconstruction_weight = reconstruction_weight

    def get_loss(self, y_pred, y_true, X=None, training=False):
        output, reconstruction = y_pred
        y_true = y_true.to(output.device)
        if self.task == "classification":
            loss = F.cross_entropy(output, y_true)
        else:
            loss = F.mse_loss(output, y_true.reshape(output.shape))
        if reconstruction is not None and self.reconstruction_weight > 0:
            if isinstance(X, dict):
                x, mask = X["x"].to(output.device), observed_mask(X).to(output.device)
            else:
                x, mask = X.to(output.device), None
            loss = loss + self.reconstruction_weight * masked_mean(
                (reconstruction - x).pow(2), mask)
        return loss


class _EncoderHeadEstimator(BaseEstimator):
    """What :class:`SequenceClassifier` and :class:`SequenceRegressor` share."""

    _task: str | None = None

    _parameter_constraints = {
        "autoencoder": [HasMethods(["fit", "transform"]), None],
        "pretrain": ["boolean"],
        "reconstruction_weight": [Interval(Real, 0, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "freeze_epochs": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "encoder_lr": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="neither"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left"), None],
        "linear_probe": PARAMS["linear_probe"].constraints,
        "keep_frozen": PARAMS["keep_frozen"].constraints,
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, autoencoder=None, *, pretrain=True, reconstruction_weight=1.0,
                 max_epochs="auto", freeze_epochs=10, batch_size=16, lr=1e-2, encoder_lr=1e-3,
                 weight_decay=1e-2, dropout=0.1, clip_grad_norm=1.0, validation_fraction=0.2,
                 patience=20, linear_probe=False, keep_frozen=True, device="auto",
                 random_state=None, verbose=0):
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
    def _allow_nan(self):
        autoencoder = self.autoencoder if self.autoencoder is not None else default_autoencoder()
        return getattr(autoencoder, "missing", "error") == "mask"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        self.__dict__.pop("net_", None)
        self.__dict__.pop("validation_scores_", None)
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        X3, lengths = check_input(self, X, reset=True, allow_nan=self._allow_nan())
        y = column_or_1d(y, warn=True)
        check_consistent_length(X3, y)
        labelled, targets, n_outputs = self._targets(y)
        seed = resolve_seed(self.random_state)
        device = resolve_device(self.device)
        autoencoder = self.autoencoder if self.autoencoder is not None else default_autoencoder()
        self.autoencoder_, module = _autoencoder_module(
            autoencoder, X, pretrain=self.pretrain, seed=seed, device=device)
        if self.autoencoder_.n_timesteps_ != X3.shape[1]:
            X3 = self._pad_to_autoencoder(X3, lengths)
        self.n_components_ = self.autoencoder_.n_components_
        # the head reads the code standardised with the statistics of the starting codes of
        # all the sequences (as a StandardScaler in front of a classifier would)
        all_data = _net_input(X3, lengths)
        codes = _encode_all(module, all_data, self.batch_size, device).double()
        code_mean, code_scale = codes.mean(0), codes.std(0, unbiased=False)
        code_scale = torch.where(code_scale > 1e-6, code_scale, torch.ones_like(code_scale))
        data = _net_input(X3[labelled], None if lengths is None else lengths[labelled])
        valid_rows = self._validation_rows(targets, seed)
        compare = self.keep_frozen and valid_rows is not None
        start = _StartHead()
        if self.linear_probe or compare:
            # the linear probe: a linear model on the standardised frozen codes of the
            # labelled training rows (the validation rows are left out, as for fine-tuning)
            features = ((codes[torch.as_tensor(labelled)] - code_mean) / code_scale).numpy()
            train_rows = np.setdiff1d(np.arange(len(targets)),
                                      [] if valid_rows is None else valid_rows)
            weight, bias, _ = _linear_probe(self._task, features[train_rows],
                                            targets[train_rows], seed)
            if self.linear_probe:  # fine-tuning starts from the probe (LP-FT)
                start = _StartHead(weight, bias)
        n_train = len(targets) - (0 if valid_rows is None else len(valid_rows))
        self.max_epochs_ = self._resolve_max_epochs(n_train)
        net = self._build_net(module, n_outputs, device, valid_rows, start)
        net.set_params(module__code_mean=code_mean.float().tolist(),
                       module__code_scale=code_scale.float().tolist())
        self.early_stopping_ = valid_rows is not None
        try:
            with _seeded(seed, device):
                net.fit(data, torch.as_tensor(targets))
        except NonFiniteTraining as err:
            self.__dict__.pop("net_", None)
            raise FloatingPointError(
                f"{name}: {err.what} at epoch {err.epoch} of fine-tuning; the estimator was "
                f"left unfitted. Try a lower lr or encoder_lr (now {self.lr:g}, "
                f"{self.encoder_lr:g}) or clip_grad_norm=1.0.") from None
        self.fine_tuned_ = True
        if compare:
            self._keep_better(net, start, data, features, targets, valid_rows,
                              (weight, bias), seed, device)
        self._set_net(net, device)
        self.n_epochs_ = len(net.history)
        return self

    def _keep_better(self, net, start, data, features, targets, valid_rows, probe, seed,
                     device):
        """``keep_frozen``: score the fine-tuned network and the linear probe on the frozen
        codes on the held-out labels; unless fine-tuning is strictly better, put the
        pre-trained network back into ``net`` with the probe refitted on every label."""
        rows = torch.as_tensor(valid_rows)
        subset = ({k: v[rows] for k, v in data.items()} if isinstance(data, dict)
                  else data[rows])
        tuned = _encode_all(net.module_, subset, self.batch_size, device, "predict").double()
        weight, bias = probe
        frozen = torch.as_tensor(features[valid_rows] @ np.asarray(weight).T
                                 + np.asarray(bias))
        truth = torch.as_tensor(targets[valid_rows])
        if self._task == "classification":
            def score(out):  # accuracy (not the cross-entropy: early stopping minimised it
                return (out.argmax(1) == truth).double().mean().item()  # on these rows)
        else:
            def score(out):
                return -F.mse_loss(out[:, 0], truth.double()).item()
        self.validation_scores_ = {"fine-tuned": score(tuned), "frozen": score(frozen)}
        # fine-tuning is accepted only where it improves on the held-out labels: a tie on a
        # validation split of a few sequences keeps the frozen codes
        if score(tuned) > score(frozen):
            return
        weight, bias, _ = _linear_probe(self._task, features, targets, seed)
        net.module_.load_state_dict(start.start_state_)
        with torch.no_grad():
            head = net.module_.head
            head.weight.copy_(torch.as_tensor(weight, dtype=head.weight.dtype))
            head.bias.copy_(torch.as_tensor(bias, dtype=head.bias.dtype))
        self.fine_tuned_ = False

    def _resolve_max_epochs(self, n_train):
        """``max_epochs='auto'``: the ``freeze_epochs`` epochs, then as many as make about
        :data:`FINE_TUNING_STEPS` optimizer steps of the encoder, at most
        :data:`MAX_FINE_TUNING_EPOCHS` in all."""
        if self.max_epochs != "auto":
            return self.max_epochs
        batches = -(-n_train // self.batch_size)
        return min(MAX_FINE_TUNING_EPOCHS,
                   self.freeze_epochs + max(1, -(-FINE_TUNING_STEPS // batches)))

    def _set_net(self, net, device):
        self.net_ = net
        self.device_ = device

    def _empty_net(self, device):
        """An uninitialised net of the fitted architecture (for :meth:`_from_saved`)."""
        module = copy.deepcopy(self.autoencoder_.net_.module_).to(device)
        n_outputs = len(self.classes_) if hasattr(self, "classes_") else 1
        return self._build_net(module, n_outputs, device, None)

    @classmethod
    def _from_saved(cls, params, attributes, net_params, module_state, optimizer_state,
                    history, device):
        """Rebuild a fitted estimator from saved state: the persistence hook that
        :func:`seqae.load` calls, with the same arguments as
        :meth:`seqae.autoencoders.base.BaseSequenceAutoencoder._from_saved`; ``attributes`` holds the
        already rebuilt ``autoencoder_``. Internal: not for direct use."""
        estimator = cls(**params)
        estimator.device = device
        for key, value in attributes.items():
            setattr(estimator, key, value)
        net = restore_net(estimator._empty_net(device), net_params, module_state,
                          optimizer_state, history, device)
        estimator._set_net(net, device)
        return estimator

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

    def _build_net(self, module, n_outputs, device, valid_rows, start=None):
        callbacks = [("seqae_stop_on_non_finite", StopOnNonFinite()),
                     ("seqae_start_head", start if start is not None else _StartHead()),
                     ("seqae_freeze", _FreezeAutoencoder(self.freeze_epochs))]
        if valid_rows is not None:
            # load_best keeps the best epoch's weights in memory (no checkpoint files)
            callbacks.append(("seqae_early_stopping",
                              EarlyStopping(monitor="valid_loss", patience=self.patience,
                                            load_best=True)))
        if self.clip_grad_norm is not None:
            callbacks.append(("seqae_gradient_clipping",
                              GradientNormClipping(gradient_clip_value=self.clip_grad_norm)))
        return _HeadNet(
            EncoderHead,
            module__autoencoder=module,
            module__n_components=self.autoencoder_.n_components_,
            module__n_outputs=n_outputs,
            module__dropout=self.dropout,
            module__reconstruct=self.reconstruction_weight > 0,
            criterion=torch.nn.Identity,  # the loss is computed in _HeadNet.get_loss
            task=self._task,
            reconstruction_weight=self.reconstruction_weight,
            optimizer=torch.optim.AdamW,
            lr=self.lr,
            optimizer__weight_decay=self.weight_decay,
            # the pre-trained weights move slowly and are not pulled to zero: weight decay is
            # for the head only
            optimizer__param_groups=[("autoencoder.*", {"lr": self.encoder_lr,
                                                        "weight_decay": 0.0})],
            max_epochs=self.max_epochs_,
            batch_size=self.batch_size,
            train_split=None if valid_rows is None else _FixedSplit(valid_rows),
            iterator_train__shuffle=True,
            dataset=Dataset,
            callbacks=callbacks,
            device=device,
            verbose=int(self.verbose),
        )

    # -- inference ----------------------------------------------------------------------------
    def _apply(self, method, X):
        check_is_fitted(self)
        X3, lengths = check_input(self, X, reset=False, allow_nan=self._allow_nan())
        batch = _net_input(X3, lengths)
        out = self.net_.apply_module(lambda module, b: _call(getattr(module, method), b), batch)
        return out.numpy().astype(np.float64), X3.dtype

    def transform(self, X):
        """The fine-tuned codes of sequences ``X`` (the encoder after fine-tuning).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.

        Returns
        -------
        codes : ndarray of shape (n_samples, n_components_)
            float32 for float32 input, float64 otherwise.
        """
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


class _FixedSplit:
    """skorch ``train_split``: the given rows are the validation set, the others train."""

    def __init__(self, valid_rows):
        self.valid_rows = np.asarray(valid_rows)

    def __call__(self, dataset, y=None, groups=None):
        valid = np.zeros(len(dataset), dtype=bool)
        valid[self.valid_rows] = True
        return (torch.utils.data.Subset(dataset, np.flatnonzero(~valid)),
                torch.utils.data.Subset(dataset, np.flatnonzero(valid)))


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

    What keeps fine-tuning from ending below the frozen codes: a linear probe, a logistic
    regression fitted on the standardised pre-trained codes of the labelled sequences; where
    a validation split is held out, the fine-tuned network is kept only if it beats that
    probe on the frozen codes on the held-out labels, else the pre-trained network with the
    probe refitted on every label is kept (``keep_frozen``; ``fine_tuned_`` says which).
    ``linear_probe=True`` also starts the head from the probe ("LP-FT", Kumar et al., ICLR
    2022), which did not help on training data here.

    Parameters
    ----------
    autoencoder : seqae autoencoder or None, default=None
        The autoencoder to pre-train (a clone of it, with ``random_state`` set from this
        estimator's) and fine-tune: any seqae transformer (RAE, RAES, RAESC, VRAE, LSTM-AE).
        ``None`` uses ``RAESCTransformer()`` with its defaults. A fitted one is reused
        without pre-training (it must have been fitted on sequences of the same layout); in
        either case the fitted autoencoder itself is never changed by fine-tuning (a copy of
        its network is fine-tuned) and is kept as ``autoencoder_``. Its ``missing``
        parameter decides whether NaN marks missing values (``'mask'``) or is an error.
    pretrain : bool, default=True
        ``False`` trains the same network from scratch on the labelled sequences alone
        (every layer re-initialised; an unfitted autoencoder is fitted for one epoch only to
        build it): what pre-training buys is the difference.
    reconstruction_weight : float, default=1.0
        Weight of the auxiliary reconstruction loss during fine-tuning (0: none).
    max_epochs : int or 'auto', default='auto'
        Fine-tuning epochs over the labelled sequences (at most: early stopping may stop
        sooner). ``'auto'``: the ``freeze_epochs`` epochs, then as many as make about 250
        optimizer steps of the encoder (at least one epoch), at most 100 epochs in all:
        100 on a few dozen labels, 20 on 400 (``max_epochs_`` holds the value used).
    freeze_epochs : int, default=10
        Epochs at the start of fine-tuning in which only the head trains.
    batch_size : int, default=16
        Labelled sequences per fine-tuning step.
    lr : float, default=1e-2
        Learning rate of the head (AdamW).
    encoder_lr : float, default=1e-3
        Learning rate of the autoencoder's weights once they are unfrozen.
    weight_decay : float, default=1e-2
        AdamW's decoupled weight decay, on the head's weights only.
    dropout : float, default=0.1
        Dropout on the code in front of the head, in training.
    clip_grad_norm : float or None, default=1.0
        Clip the gradient's norm to this value; ``None``: no clipping.
    validation_fraction : float, default=0.2
        Fraction of the labelled sequences held out (stratified) for early stopping, when
        every class has at least 5 labels; otherwise all of them train and all
        ``max_epochs`` epochs run.
    patience : int or None, default=20
        Epochs without improvement of the validation loss before stopping; ``None``: no
        early stopping (and no validation split).
    linear_probe : bool, default=False
        Start the head from a linear model fitted on the standardised frozen codes of the
        labelled training rows (multinomial logistic regression, ``C`` chosen by
        stratified CV over 1e-3 ... 1e3 when every class has at least 3 labels, else
        ``C=1``; the regressor: ``RidgeCV``), rather than from random weights. Off by
        default: on training halves it lowered accuracy at 10% of the labels
        (``benchmarks/README.md``, section 10).
    keep_frozen : bool, default=True
        Where a validation split is held out (see ``validation_fraction``), compare the
        fine-tuned network with the linear probe on the frozen codes (fitted without the
        validation rows) on the validation rows, and keep the fine-tuned one only where it
        is strictly better (accuracy, a tie keeps the probe; the regressor: squared
        error); otherwise ``net_`` holds the pre-trained network with the probe, refitted
        on every label, as its head. ``False`` always keeps the fine-tuned network.
    device : str, default='auto'
        ``'auto'`` (CUDA when available), ``'cpu'``, ``'cuda'`` or ``'cuda:<index>'``.
    random_state : int, RandomState instance or None, default=None
        Seeds pre-training (the autoencoder's ``random_state``), the validation split and
        fine-tuning.
    verbose : int, default=0
        1 prints skorch's table of the fine-tuning epochs.

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
    n_epochs_ : int
        Fine-tuning epochs run.
    max_epochs_ : int
        The fine-tuning epochs allowed (``max_epochs`` with ``'auto'`` resolved).
    early_stopping_ : bool
        Whether a validation split was held out for early stopping.
    fine_tuned_ : bool
        Whether ``net_`` is the fine-tuned network (``False``: ``keep_frozen`` kept the
        pre-trained network with the linear probe as its head).
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

    _task = "classification"

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
        """Class probabilities (the softmax of the head's output).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        logits, _ = self._apply("predict", X)
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        return proba / proba.sum(axis=1, keepdims=True)

    def decision_function(self, X):
        """The head's output (logits); for two classes, the second's minus the first's.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        logits, _ = self._apply("predict", X)
        return logits[:, 1] - logits[:, 0] if len(self.classes_) == 2 else logits

    def score(self, X, y, sample_weight=None):
        """Mean accuracy of ``predict(X)`` against ``y`` (scikit-learn's classifier score).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.
        y : array-like of shape (n_samples,)
            True labels (no ``-1``: every sequence scored must have one).
        sample_weight : array-like of shape (n_samples,) or None, default=None

        Returns
        -------
        score : float
        """
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        scores, _ = self._apply("predict", X)
        return self.classes_[np.argmax(scores, axis=1)]


class SequenceRegressor(RegressorMixin, _EncoderHeadEstimator):
    """Sequence regressor for scarce targets: a seqae autoencoder pre-trained, then fine-tuned.

    The code of :class:`SequenceClassifier` with a squared-error head: NaN in ``y`` marks a
    sequence without a target (its sequence still pre-trains the autoencoder). The targets are
    standardised for training (mean and standard deviation of the labelled ones) and
    predictions mapped back. Early stopping uses a random ``validation_fraction`` of the
    labelled sequences when there are at least 15 of them. Parameters and attributes as for
    :class:`SequenceClassifier` (without ``classes_``).

    Examples
    --------
    >>> import numpy as np
    >>> from seqae import RAESCTransformer, SequenceRegressor
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(30, 16, 1, random_state=0)
    >>> y = X[:, :, 0].mean(axis=1)
    >>> y[10:] = np.nan                           # only the first 10 have targets
    >>> reg = SequenceRegressor(RAESCTransformer(max_epochs=5), max_epochs=5,
    ...                         random_state=0).fit(X, y)
    >>> reg.predict(X[:4]).shape
    (4,)
    """

    _task = "regression"

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
        if self.patience is None or len(targets) < 3 * MIN_LABELS_FOR_VALIDATION:
            return None
        return np.random.default_rng(seed).permutation(len(targets))[:n_valid]

    def fit(self, X, y):
        return super().fit(X, y)

    fit.__doc__ = ("Pre-train on all of ``X``, then fine-tune on the sequences with targets.\n"
                   + _FIT_DOC.format(y="Targets; NaN marks a sequence without one."))

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 of ``predict(X)`` against ``y`` (scikit-learn's
        regressor score).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            As for ``fit``.
        y : array-like of shape (n_samples,)
            True targets (no NaN: every sequence scored must have one).
        sample_weight : array-like of shape (n_samples,) or None, default=None

        Returns
        -------
        score : float
        """
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return self._apply("predict", X)[0][:, 0] * self.y_scale_ + self.y_mean_
