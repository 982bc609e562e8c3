"""Variational recurrent autoencoder (Fabius & van Amersfoort)."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from . import _docs
from ._base import BaseSequenceAutoencoder
from .modules import ELBOLoss, VariationalRecurrentAutoencoder

__all__ = ["VRAETransformer"]


class VRAETransformer(BaseSequenceAutoencoder):
    __doc__ = f"""Variational recurrent autoencoder (VRAE).

    An RNN encoder gives the mean and log-variance of a Gaussian posterior over an
    ``n_C``-dimensional latent ``z``; a reparameterised sample of ``z`` is mapped by a linear
    layer (and tanh) to the decoder's initial state; the decoder, an RNN with a dense output
    at every step, reads no other input (an unconditioned decoder). Training minimises the
    negative ELBO: squared reconstruction error plus ``beta`` times the KL divergence to the
    standard normal prior, both summed over time steps and features (latent dimensions) per
    sequence and averaged over the batch.

    ``transform`` returns the posterior mean, so it is deterministic; ``inverse_transform``
    decodes given latent vectors; ``score_samples`` is the negative reconstruction error of
    the decoded mean.

    Parameters
    ----------
    {_docs.SIGMA}
    {_docs.N_COMPONENTS}
    beta : float, default=1.0
        Weight of the KL term (``beta``-VAE); 1 is the plain ELBO.
    hidden_size : int or None, default=None
        Hidden size of the encoder and decoder RNNs; ``None`` uses the latent size ``n_C``.
    {_docs.CELL}
    {_docs.TRAINING}

    Attributes
    ----------
    {_docs.ATTRIBUTES}

    Examples
    --------
    >>> from seqae import VRAETransformer
    >>> from seqae.datasets import make_sine_sequences
    >>> X = make_sine_sequences(20, 16, 1, random_state=0)
    >>> vrae = VRAETransformer(n_components=2, max_epochs=2, random_state=0).fit(X)
    >>> vrae.transform(X).shape
    (20, 2)
    """

    _module = VariationalRecurrentAutoencoder
    _criterion = ELBOLoss
    _parameter_constraints = {
        **BaseSequenceAutoencoder._parameter_constraints,
        "beta": [Interval(Real, 0, None, closed="left")],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, sigma=1.0, *, n_components=None, beta=1.0, hidden_size=None,
                 cell="gru", max_epochs=100, batch_size=100, lr=1e-3,
                 validation_fraction=0.0, device="auto", random_state=None, verbose=0,
                 callbacks=None, missing="error", clip_grad_norm=None, patience=None):
        super().__init__(
            sigma, n_components=n_components, cell=cell, max_epochs=max_epochs,
            batch_size=batch_size, lr=lr, validation_fraction=validation_fraction,
            device=device, random_state=random_state, verbose=verbose, callbacks=callbacks,
            missing=missing, clip_grad_norm=clip_grad_norm, patience=patience,
        )
        self.beta = beta
        self.hidden_size = hidden_size

    def _module_params(self, n_components):
        return {"hidden_size": self.hidden_size, "bridge": "zeros", "cell": self.cell}

    def _criterion_params(self):
        return {"beta": self.beta}
