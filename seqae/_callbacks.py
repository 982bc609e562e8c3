"""skorch callbacks the estimators add to their net (skorch's public callback hooks)."""

from skorch.callbacks import Callback

__all__ = ["KLWarmup"]


class KLWarmup(Callback):
    """Linear KL warm-up: the criterion's ``kl_weight`` rises from 0 to ``beta``.

    At the start of epoch ``e`` (1-based) the weight is ``beta * min(1, (e - 1) / n_epochs)``:
    0 in the first epoch, ``beta`` from epoch ``n_epochs + 1`` on. The weight in use is
    recorded in the history as ``kl_weight``.
    """

    def __init__(self, beta, n_epochs):
        self.beta = beta
        self.n_epochs = n_epochs

    def on_epoch_begin(self, net, **kwargs):
        epoch = len(net.history)  # the net's own on_epoch_begin has opened this epoch's row
        weight = self.beta * min(1.0, (epoch - 1) / self.n_epochs)
        net.criterion_.kl_weight = weight
        net.history.record("kl_weight", weight)
