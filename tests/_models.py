"""One tiny configuration of each estimator, shared by the robustness tests."""

from .conftest import FAST

from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer, RAETransformer,
                   VRAETransformer)

MODELS = {
    "rae": lambda **kw: RAETransformer(sigma=0.5, **{**FAST, **kw}),
    # sigma=1: n_C = m_X * n_X is a multiple of n_X for any input, as Eq. 1 needs.
    "raes": lambda **kw: RAESTransformer(sigma=1.0, **{**FAST, **kw}),
    "raesc": lambda **kw: RAESCTransformer(sigma=0.5, **{**FAST, **kw}),
    "vrae": lambda **kw: VRAETransformer(n_components=3, **{**FAST, **kw}),
    "lstm": lambda **kw: LSTMAutoencoder(4, **{**FAST, **kw}),
}
