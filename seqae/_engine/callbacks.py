"""skorch callbacks the estimators add to their net (skorch's public callback hooks)."""

import logging
import re
import sys
import time

from skorch.callbacks import Callback, PrintLog

__all__ = ["EpochTable", "FitProgress", "FreezeSubmodule", "KLWarmup", "LossTerms",
           "ProgressLines", "ReleaseCaches", "in_notebook", "show_progress"]

#: Seconds between two progress lines when the output is not interactive (``verbose='auto'``
#: in a script, a CI log, under ``nohup``): a fit shorter than this prints nothing.
PROGRESS_INTERVAL_S = 30.0

#: The logger that receives the progress lines where logging is configured.
logger = logging.getLogger("seqae")


class KLWarmup(Callback):
    """Linear KL warm-up: the criterion's ``kl_weight`` rises from 0 to ``beta``.

    At the start of epoch ``e`` (1-based) the weight is ``beta * min(1, (e - 1) / n_epochs)``:
    0 in the first epoch, ``beta`` from epoch ``n_epochs + 1`` on. The weight of the epoch is
    recorded in the history as ``kl_weight``. It weights the training batches only: the
    validation batches (and the criterion after training) use ``beta``, so ``valid_loss`` is
    the same objective in every epoch and early stopping compares like with like.
    """

    def __init__(self, beta, n_epochs):
        self.beta = beta
        self.n_epochs = n_epochs

    def on_epoch_begin(self, net, **kwargs):
        epoch = len(net.history)  # the net's own on_epoch_begin has opened this epoch's row
        self.weight_ = self.beta * min(1.0, (epoch - 1) / self.n_epochs)
        net.history.record("kl_weight", self.weight_)

    def on_batch_begin(self, net, training=False, **kwargs):
        net.criterion_.kl_weight = self.weight_ if training else self.beta

    def on_train_end(self, net, **kwargs):
        net.criterion_.kl_weight = self.beta


def in_notebook():
    """Whether this process is a Jupyter (IPython) kernel: notebooks, JupyterLab, VS Code's
    and Colab's notebooks. Their output is not a terminal, but it draws a progress bar."""
    ipython = sys.modules.get("IPython")  # never imported here: a kernel has done it
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # noqa: BLE001 (an IPython that cannot say is no kernel)
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def is_terminal(stream):
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def show_progress():
    """``verbose='auto'``: a bar when standard error is a terminal or in a notebook."""
    return is_terminal(sys.stderr) or in_notebook()


def _bar_class(file):
    """tqdm's notebook widget in a Jupyter kernel with ipywidgets (drawing on stderr), else
    tqdm's text bar (which a notebook shows too: it understands carriage returns)."""
    from tqdm import tqdm  # a dependency of skorch

    if file is sys.stderr and in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm as notebook_tqdm
        except ImportError:
            return tqdm
        return notebook_tqdm
    return tqdm


def _losses(row):
    """The losses of a history row, labelled: the total (``train_loss``, which every term
    of the objective adds to) and, when it has several terms, each unweighted term."""
    shown = {key: f"{row[key]:.4g}" for key in ("train_loss", "valid_loss") if key in row}
    terms = [key for key in row if key.startswith("train_") and key != "train_loss"
             and key.removeprefix("train_") in TERMS]
    if terms and "train_loss" in shown:
        shown["train_loss"] += " (total)"
    shown.update({key.removeprefix("train_"): f"{row[key]:.4g}" for key in terms})
    return shown


#: The terms a loss may report (``AutoencoderLoss.terms_``), in their order.
TERMS = ("reconstruction", "prediction", "sparsity", "contrastive", "jacobian", "isometry")


class LossTerms(Callback):
    """Record each term of a loss with several terms (the criterion's ``terms_``: e.g. the
    reconstruction and the contrastive term of RAESC) in the history, as its mean over the
    epoch's training batches: ``train_reconstruction``, ``train_contrastive``, ... (the
    unweighted values; ``train_loss`` is their weighted sum)."""

    def on_epoch_begin(self, net, **kwargs):
        self.sums_, self.count_ = {}, 0

    def on_batch_end(self, net, batch=None, training=False, **kwargs):
        terms = getattr(net.criterion_, "terms_", None)
        if not training or not terms:
            return
        x = batch[0] if isinstance(batch, (tuple, list)) else batch
        x = x["x"] if isinstance(x, dict) else x
        n = len(x) if hasattr(x, "__len__") else 1
        for name, value in terms.items():  # kept as tensors: no device sync per batch
            self.sums_[name] = self.sums_.get(name, 0.0) + value * n
        self.count_ += n

    def on_epoch_end(self, net, **kwargs):
        for name in TERMS:
            if name in self.sums_ and self.count_:
                net.history.record(f"train_{name}", float(self.sums_[name]) / self.count_)
        # no tensors kept between epochs: a pickled net holds none outside the module, the
        # criterion and the optimizer (which skorch maps to the loading machine's device)
        self.sums_, self.count_ = {}, 0


class ReleaseCaches(Callback):
    """Empty the criterion's caches at the end of training (the isometry term's
    :class:`~seqae.modules.losses.ShapeDistanceCache`: up to 32 MiB of distances between
    training sequences, of no use to a fitted model)."""

    def on_train_end(self, net, **kwargs):
        cache = getattr(getattr(net, "criterion_", None), "distance_cache", None)
        if cache is not None:
            cache.clear()


class ProgressLines(Callback):
    """``verbose='auto'`` where no bar can be drawn (standard error is not a terminal: a
    script's log, CI, ``nohup``): a line per ``PROGRESS_INTERVAL_S`` seconds of training,
    with the epoch and the labelled losses, and one when training ends (if a line was
    written before). The lines go to the ``'seqae'`` logger at level INFO where logging is
    configured (a handler on it or on the root logger), else to standard error.

    Parameters
    ----------
    description : str
        The estimator's name, at the start of each line.
    interval : float or None
        Seconds between lines; ``None`` is ``PROGRESS_INTERVAL_S``.
    """

    def __init__(self, description="", interval=None):
        self.description = description
        self.interval = interval

    def on_train_begin(self, net, **kwargs):
        self.start_ = self.last_ = time.monotonic()
        self.lines_ = 0

    def _write(self, net, done=False):
        row = net.history[-1]
        losses = ", ".join(f"{key}={value}" for key, value in _losses(row).items())
        elapsed = time.monotonic() - self.start_
        line = (f"{self.description}: {'done after ' if done else ''}epoch "
                f"{len(net.history)}/{net.max_epochs}, {losses}, {elapsed:.0f} s")
        if logger.hasHandlers():
            logger.info(line)
        else:
            print(line, file=sys.stderr, flush=True)
        self.lines_ += 1
        self.last_ = time.monotonic()

    def on_epoch_end(self, net, **kwargs):
        interval = PROGRESS_INTERVAL_S if self.interval is None else self.interval
        if time.monotonic() - self.last_ >= interval:
            self._write(net)

    def on_train_end(self, net, **kwargs):
        if self.lines_ and len(net.history):
            self._write(net, done=True)


class FitProgress(Callback):
    """One progress bar over the epochs of a ``fit`` (on stderr), with the latest losses.

    The bar is kept when ``fit`` ends (with the final losses), in a terminal and in a
    notebook (tqdm's widget when ipywidgets is installed). It draws no colours.

    Parameters
    ----------
    description : str
        Text before the bar (e.g. the estimator's name).
    file : file-like or None
        Where the bar is drawn; ``None`` is ``sys.stderr``.
    epochs : int or None
        The bar's length; ``None`` is the net's ``max_epochs``.
    leave : bool
        Keep the bar when training ends (``partial_fit`` draws a bar per call, not kept).
    """

    def __init__(self, description="", file=None, epochs=None, leave=True):
        self.description = description
        self.file = file
        self.epochs = epochs
        self.leave = leave

    def on_train_begin(self, net, **kwargs):
        file = self.file or sys.stderr
        self.bar_ = _bar_class(file)(
            total=self.epochs or net.max_epochs, desc=self.description, unit="epoch",
            file=file, leave=self.leave, dynamic_ncols=True)

    def on_epoch_end(self, net, **kwargs):
        self.bar_.set_postfix(_losses(net.history[-1]), refresh=False)
        self.bar_.update(1)

    def on_train_end(self, net, **kwargs):
        self.bar_.close()


def set_progress(net, **params):
    """Set ``FitProgress`` parameters (``epochs``, ``leave``) on a net's bar, if it has one."""
    for _, callback in getattr(net, "callbacks_", []):
        if isinstance(callback, FitProgress):
            for key, value in params.items():
                setattr(callback, key, value)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class EpochTable(PrintLog):
    """skorch's ``PrintLog`` (``verbose=1``: a table row per epoch, on stdout) that marks the
    best values with colour only when stdout is a terminal or a notebook, so that logs and
    files get no ANSI escape codes."""

    def on_train_begin(self, net, **kwargs):
        super().on_train_begin(net, **kwargs)
        self.colour_ = is_terminal(sys.stdout) or in_notebook()

    def format_row(self, row, key, color):
        text = super().format_row(row, key, color)
        if getattr(self, "colour_", True) or not isinstance(text, str):
            return text
        return _ANSI.sub("", text)


class FreezeSubmodule(Callback):
    """Keep the weights of ``net.module_.<attribute>`` fixed during the first ``n_epochs``
    epochs (e.g. a pre-trained encoder, while a new head learns to read its code)."""

    def __init__(self, attribute, n_epochs):
        self.attribute = attribute
        self.n_epochs = n_epochs

    def on_epoch_begin(self, net, **kwargs):
        frozen = len(net.history) <= self.n_epochs
        for param in getattr(net.module_, self.attribute).parameters():
            param.requires_grad_(not frozen)
