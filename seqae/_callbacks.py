"""skorch callbacks the estimators add to their net (skorch's public callback hooks)."""

import sys

from skorch.callbacks import Callback

__all__ = ["FitProgress", "KLWarmup"]


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


class FitProgress(Callback):
    """One progress bar over the epochs of a ``fit`` (on stderr), with the latest losses.

    Parameters
    ----------
    description : str
        Text before the bar (e.g. the estimator's name).
    file : file-like or None
        Where the bar is drawn; ``None`` is ``sys.stderr``.
    """

    def __init__(self, description="", file=None):
        self.description = description
        self.file = file

    def on_train_begin(self, net, **kwargs):
        from tqdm import tqdm  # a dependency of skorch

        self.bar_ = tqdm(total=net.max_epochs, desc=self.description, unit="epoch",
                         file=self.file or sys.stderr, leave=False, dynamic_ncols=True)

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        self.bar_.set_postfix({key: f"{row[key]:.4g}" for key in ("train_loss", "valid_loss")
                               if key in row}, refresh=False)
        self.bar_.update(1)

    def on_train_end(self, net, **kwargs):
        self.bar_.close()
