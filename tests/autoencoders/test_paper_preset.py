"""``paper()`` builds the RAES paper's networks at the paper's own size (n_X = 200)."""

import numpy as np
import pytest
import torch

from seqae import RAESCTransformer, RAESTransformer, RAETransformer
from seqae.datasets import make_sine_sequences

N_X = 200  # the paper's sequence length (Sec. 3)


class Shapes:
    """Forward hook: the shape of the first input (or of the output) of each call."""

    def __init__(self, module, output=False):
        self.shapes = []
        module.register_forward_hook(
            lambda m, args, out: self.shapes.append((out if output else args[0]).shape))


def _paper_net(cls, sigma, m):
    X = make_sine_sequences(2, N_X, m, random_state=0)
    # the paper's batches of 100 (tested below) would pad every inference batch to 100
    ae = cls.paper(sigma=sigma, max_epochs=1, batch_size=2, random_state=0).fit(X)
    module = ae.net_.module_
    encoder, decoder = Shapes(module.encoder.rnn), Shapes(module.bridge, output=True)
    ae.inverse_transform(ae.transform(X))
    return ae, module, encoder.shapes, decoder.shapes


@pytest.mark.parametrize("m, sigma", [(1, 1.0), (2, 0.5), (8, 0.25)])
@pytest.mark.parametrize("cls", [RAETransformer, RAESTransformer, RAESCTransformer])
def test_paper_preset_builds_the_papers_network_at_n_x_200(cls, m, sigma):
    n_c = round(sigma * m * N_X)
    ae, module, encoder_inputs, decoder_inputs = _paper_net(cls, sigma, m)
    assert ae.n_components_ == n_c and ae.patch_size_ == 1
    assert ae.max_epochs_ == 1  # overridden, as batch_size (see the last test)
    assert (ae.lr, ae.readout, ae.contrastive, ae.cell) == (1e-3, "last", 0.0, "gru")
    # one recurrent step per time step, a GRU of n_C units whose final state is the code
    assert all(shape[1:] == (N_X, m) for shape in encoder_inputs)
    assert module.encoder.rnn.hidden_size == n_c and module.decoder.rnn.hidden_size == n_c
    assert isinstance(module.projection, torch.nn.Identity) and module.view is None
    steps = {shape[1] for shape in decoder_inputs}  # what the decoder reads
    if cls is RAETransformer:  # C repeated at each of the n_X steps
        assert steps == {N_X} and ae.decoder_input_shape_ == (N_X, n_c)
    elif cls is RAESTransformer:  # Eq. 1: n_X steps of lambda = n_C / n_X features
        assert steps == {N_X} and ae.decoder_input_shape_ == (N_X, n_c // N_X)
        assert type(module.bridge).__name__ == "SequenceReshape"
        code = torch.randn(3, n_c)
        assert torch.equal(module.bridge(code), code.reshape(3, N_X, n_c // N_X))
    else:  # Eq. 2: n_Y = n_X filters, each a decoder step of n_C features
        assert module.bridge.conv.out_channels == N_X and module.bridge.conv.in_channels == 1
        assert steps == {N_X} and ae.decoder_input_shape_ == (N_X, n_c)
    assert all(shape[2] == ae.decoder_input_shape_[1] for shape in decoder_inputs)


def test_paper_raes_refuses_table_1s_empty_cells_naming_one_n_x():
    X = make_sine_sequences(2, N_X, 2, random_state=0)
    with pytest.raises(ValueError) as error:  # sigma = 25% at m_X = 2: n_C = 100
        RAESTransformer.paper(sigma=0.25, max_epochs=1).fit(X)
    message = str(error.value)
    assert "n_C=100" in message and "n_X=200 steps" in message
    assert "multiple of 200" in message and "n_X=100" not in message
    assert "sigma in {0.5, 1, 1.5, 2, ...}" in message and "stretch=True" in message


def test_frames_error_message_names_patch_size_and_one_n_x():
    X = make_sine_sequences(2, N_X, 1, random_state=0)
    with pytest.raises(ValueError) as error:  # 'auto' frames: 50 frames of 4 steps
        RAESTransformer(n_components=64, stretch=False, max_epochs=1).fit(X)
    message = str(error.value)
    assert "50 steps (the n_X=200 time steps read as frames of patch_size_=4)" in message
    assert "patch_size=1" in message and "multiple of 50" in message


def test_paper_preset_is_every_value_the_paper_sets():
    params = RAESTransformer.paper(0.5).get_params()
    expected = {"sigma": 0.5, "n_components": None, "readout": "last", "contrastive": 0.0,
                "patch_size": 1, "cell": "gru", "hidden_size": None, "num_layers": 1,
                "bidirectional": False, "conditional_decoder": False,
                "reverse_target": False, "noise": 0.0, "sparsity": 0.0,
                "jacobian_penalty": 0.0, "loss": "mse", "lr": 1e-3, "batch_size": 100,
                "max_epochs": 100, "stretch": False}
    assert {key: params[key] for key in expected} == expected
    assert "stretch" not in RAETransformer.paper(0.5).get_params()
    assert RAESCTransformer.paper(0.5, max_epochs=3).max_epochs == 3  # overrides
    np.testing.assert_equal(RAETransformer.paper().sigma, "auto")
