"""skorch callbacks the estimators add to their net (skorch's public callback hooks)."""

from skorch.callbacks import Callback

__all__ = ["KLWarmup"]


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
