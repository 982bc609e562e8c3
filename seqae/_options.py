"""Decoder and objective options shared by the deterministic recurrent autoencoders."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from .modules import LOSSES, VIEW_MODES, AutoencoderLoss

__all__ = ["DECODER_CONSTRAINTS", "REGULARISATION_CONSTRAINTS", "AutoencoderOptionsMixin",
           "DEFAULT_READOUT", "DEFAULT_CONTRASTIVE", "DEFAULT_VIEW"]

#: Default encoder readout and contrastive weight (chosen on benchmarks/ucr.py: see
#: benchmarks/README.md, "Codes on real data").
DEFAULT_READOUT = "mean+max"
DEFAULT_CONTRASTIVE = 1.0
DEFAULT_VIEW = "stretch+mask"

DECODER_CONSTRAINTS = {
    # checked in fit (seqae.modules.rnn.parse_readout): 'last', 'mean', 'max' joined by '+'
    "readout": [str],
    "num_layers": [Interval(Integral, 1, None, closed="left")],
    "bidirectional": ["boolean"],
    "conditional_decoder": ["boolean"],
    "reverse_target": ["boolean"],
}

REGULARISATION_CONSTRAINTS = {
    "noise": [Interval(Real, 0, None, closed="left")],
    "contrastive": [Interval(Real, 0, None, closed="left")],
    "contrastive_view": [StrOptions(set(VIEW_MODES))],
    "sparsity": [Interval(Real, 0, None, closed="left")],
    "loss": [StrOptions(set(LOSSES))],
}


def decoder_module_params(estimator):
    """Module arguments of the :data:`DECODER_CONSTRAINTS` parameters."""
    return {
        "readout": estimator.readout,
        "num_layers": estimator.num_layers,
        "bidirectional": estimator.bidirectional,
        "conditional": estimator.conditional_decoder,
        "reverse": estimator.reverse_target,
    }


class AutoencoderOptionsMixin:
    """Wires the decoder and regularisation parameters into module and criterion.

    For :class:`~seqae._base.BaseSequenceAutoencoder` subclasses that store the parameters
    of ``DECODER_CONSTRAINTS`` and ``REGULARISATION_CONSTRAINTS``.
    """

    _criterion = AutoencoderLoss

    def _set_options(self, num_layers, bidirectional, conditional_decoder, reverse_target,
                     noise, sparsity, loss, readout, contrastive, contrastive_view):
        """Store the option parameters (called from ``__init__``)."""
        self.readout = readout
        self.contrastive = contrastive
        self.contrastive_view = contrastive_view
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.conditional_decoder = conditional_decoder
        self.reverse_target = reverse_target
        self.noise = noise
        self.sparsity = sparsity
        self.loss = loss

    def _option_module_params(self):
        return {
            **decoder_module_params(self),
            "noise": self.noise,
            "return_code": self.sparsity > 0,
            "view": self.contrastive_view if self.contrastive > 0 else None,
        }

    def _criterion_params(self):
        return {"loss": self.loss, "sparsity": self.sparsity, "contrastive": self.contrastive}
