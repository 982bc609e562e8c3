"""The data-adaptive defaults ('auto'), the code options (readout, contrastive, patch_size),
the paper's settings and progress reporting: each test fails if its option is mis-wired."""

import io

import numpy as np
import pytest
import torch
from skorch.callbacks import ProgressBar

from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer,
                   RAETransformer, VRAETransformer)
from seqae._engine.budget import auto_batch_size, auto_max_epochs
from seqae._engine.callbacks import FitProgress, ProgressLines
from seqae.datasets import make_sine_sequences
from seqae.modules import RowwiseLinear, SeqAEOutput

ALL = [RAETransformer, RAESTransformer, RAESCTransformer, VRAETransformer, LSTMAutoencoder]


@pytest.mark.parametrize("n_train, batch_size, epochs", [
    (5, 5, 250),  # fewer sequences than the smallest batch: one batch of all of them
    (36, 16, 84),  # 3 batches an epoch
    (200, 25, 32),  # an eighth of the data
    (4000, 100, 7),  # the paper's batch of 100
    (100_000, 100, 1),
])
def test_auto_training_budget(n_train, batch_size, epochs):
    assert auto_batch_size(n_train) == batch_size
    assert auto_max_epochs(n_train, batch_size) == epochs
    steps = epochs * -(-n_train // batch_size)
    assert steps >= 250 and (epochs == 1 or steps < 250 + -(-n_train // batch_size))


@pytest.mark.parametrize("cls", ALL)
def test_auto_parameters_resolve_in_fit_and_explicit_ones_are_kept(cls):
    X = make_sine_sequences(40, 300, 2, random_state=0)  # long and bivariate
    auto = cls(max_epochs=1, random_state=0).fit(X)  # max_epochs explicit: kept
    assert auto.max_epochs_ == 1 and len(auto.net_.history) == 1
    assert auto.batch_size_ == 16 and auto.net_.batch_size == 16
    assert auto.patch_size_ == 5  # ceil(300 / 64): the recurrent nets run 60 frames
    assert auto.net_.module_.encoder.rnn.input_size == 5 * 2
    # the cap of sigma='auto' (96: benchmarks/README.md section 16); the LSTM-AE's
    # n_components=100
    expected_code = 100 if cls is LSTMAutoencoder else 96
    assert auto.transform(X).shape == (40, expected_code)
    assert auto.inverse_transform(auto.transform(X)).shape == X.shape
    if cls is not LSTMAutoencoder:
        assert auto.sigma_ == pytest.approx(96 / 600)
    size = {"n_components": 3} if cls is LSTMAutoencoder else {"sigma": 0.05}
    explicit = cls(max_epochs=2, batch_size=7, patch_size=1, random_state=0,
                   **size).fit(X[:, :20])
    assert (explicit.max_epochs_, explicit.batch_size_, explicit.patch_size_) == (2, 7, 1)
    assert len(explicit.net_.history) == 2 and explicit.net_.batch_size == 7
    assert explicit.net_.module_.encoder.rnn.input_size == 2
    assert explicit.n_components_ == (3 if cls is LSTMAutoencoder else 2)  # 0.05 * 2 * 20


def test_auto_code_size_is_the_input_size_below_the_cap():
    X = make_sine_sequences(20, 12, 2, random_state=0)
    ae = RAESCTransformer(max_epochs=1, random_state=0).fit(X)
    assert ae.n_components_ == 24 and ae.sigma_ == 1.0 and ae.patch_size_ == 1
    # 20 sequences in batches of 16 (2 an epoch): 125 epochs
    assert RAESCTransformer()._resolve_training(20) == (125, 16)
    assert RAESCTransformer(validation_fraction=0.5)._resolve_training(400) == (32, 25)


def test_raes_auto_lays_the_code_over_the_frames():
    X = make_sine_sequences(10, 260, 1, random_state=0)  # 52 frames of 5 steps
    ae = RAESTransformer(n_components=6, max_epochs=1, random_state=0).fit(X)
    assert ae.patch_size_ == 5 and ae.decoder_input_shape_ == (52, 1)  # 6 values stretched
    exact = RAESTransformer(n_components=52 * 2, max_epochs=1, stretch=False,
                            random_state=0).fit(X)
    assert exact.decoder_input_shape_ == (52, 2)  # Eq. 1 over the frames
    with pytest.raises(ValueError, match="multiple of 52.*patch_size=1"):
        RAESTransformer(n_components=6, stretch=False, max_epochs=1).fit(X)


@pytest.mark.parametrize("cls", [RAETransformer, RAESCTransformer, VRAETransformer,
                                 LSTMAutoencoder])
def test_readout_is_wired_to_the_encoder(cls):
    X = make_sine_sequences(12, 8, 1, random_state=0)
    pooled = cls(n_components=4, readout="last+max", max_epochs=1, random_state=0).fit(X)
    encoder = pooled.net_.module_.encoder
    assert encoder.readout == ("last", "max")
    x = torch.as_tensor(X[:3], dtype=torch.float32)
    outputs, state = encoder.rnn(x)
    state = state[0] if isinstance(state, tuple) else state
    features = torch.cat([state[-1], outputs.amax(1)], dim=1)
    module = pooled.net_.module_
    head = module.to_latent if cls is VRAETransformer else module.projection
    assert isinstance(head, RowwiseLinear) and head.in_features == 2 * encoder.rnn.hidden_size
    expected = head(features)[:, :4]  # the VRAE's code is the posterior mean: first half
    np.testing.assert_allclose(pooled.transform(X[:3]), expected.detach().numpy(), atol=1e-6)
    if cls is not VRAETransformer:
        last = cls(n_components=4, readout="last", max_epochs=1, random_state=0).fit(X)
        assert isinstance(last.net_.module_.projection, torch.nn.Identity)


@pytest.mark.parametrize("cls", [RAESCTransformer, VRAETransformer])
def test_quarters_readout_is_wired_to_the_encoder(cls):
    X = make_sine_sequences(12, 8, 1, random_state=0)
    model = cls(n_components=4, readout="mean+quarters", max_epochs=1, random_state=0).fit(X)
    encoder = model.net_.module_.encoder
    assert encoder.readout == ("mean", "quarters")
    module = model.net_.module_
    head = module.to_latent if cls is VRAETransformer else module.projection
    assert head.in_features == 5 * encoder.rnn.hidden_size  # the mean and four quarters
    outputs, _ = encoder.rnn(torch.as_tensor(X[:3], dtype=torch.float32))
    features = torch.cat([outputs.mean(1)] + [outputs[:, 2 * q:2 * q + 2].mean(1)
                                              for q in range(4)], dim=1)
    np.testing.assert_allclose(model.transform(X[:3]),
                               head(features)[:, :4].detach().numpy(), atol=1e-6)


class _Batches:
    """Records what the module returns for each training batch."""

    def __init__(self, estimator):
        self.outputs = []
        estimator.net_.module_.register_forward_hook(
            lambda module, args, output: self.outputs.append(output) if module.training
            else None)


@pytest.mark.parametrize("cls", [RAETransformer, RAESTransformer, RAESCTransformer,
                                 LSTMAutoencoder])
def test_contrastive_term_is_wired(cls):
    X = make_sine_sequences(16, 8, 1, random_state=0)
    plain = cls(n_components=4, contrastive=0.0, isometry=0.0, max_epochs=1, batch_size=16,
                random_state=0).fit(X)
    assert plain.net_.module_.view is None and plain.net_.criterion_.contrastive == 0
    assert isinstance(plain.net_.module_(torch.zeros(2, 8, 1)), torch.Tensor)
    ae = cls(n_components=4, contrastive=0.5, max_epochs=1, batch_size=16,
             random_state=0).fit(X)
    module, criterion = ae.net_.module_, ae.net_.criterion_
    assert criterion.contrastive == 0.5
    module.train()
    torch.manual_seed(0)
    out = module(torch.as_tensor(X, dtype=torch.float32))
    assert isinstance(out, SeqAEOutput) and out.view_code.shape == out.code.shape == (16, 4)
    assert not torch.equal(out.code, out.view_code)  # another view of the same sequences
    with_term = criterion(out, torch.as_tensor(X, dtype=torch.float32))
    criterion.contrastive = 0.0
    without = criterion(out, torch.as_tensor(X, dtype=torch.float32))
    assert "isometry" in criterion.terms_  # the default's other term
    assert with_term > without
    module.eval()  # no view at inference: the reconstruction alone, deterministic
    assert isinstance(module(torch.zeros(2, 8, 1)), torch.Tensor)


@pytest.mark.parametrize("view", ["stretch", "crop", "mask", "stretch+mask", "crop+mask"])
def test_contrastive_view_is_wired(view):
    X = make_sine_sequences(8, 12, 1, random_state=0)
    ae = RAESCTransformer(n_components=4, contrastive_view=view, max_epochs=1,
                          random_state=0).fit(X)
    assert ae.net_.module_.view.mode == view
    x = torch.as_tensor(X, dtype=torch.float32) + 3  # no step near 0 unless masked
    torch.manual_seed(0)
    out, lengths = ae.net_.module_.view(x)
    inside = (torch.arange(12) < (12 if lengths is None else lengths[:, None])).expand(8, 12)
    zeroed = (out.abs() < 0.2).all(dim=2)[inside].float().mean()  # masked steps: jitter only
    assert (zeroed > 0.05) == ("mask" in view)
    assert (lengths is not None and (lengths < 12).any()) == view.startswith("crop")


def test_paper_preset_gives_the_papers_model():
    X = make_sine_sequences(20, 8, 1, random_state=0)
    ae = RAESTransformer.paper(sigma=1.0, random_state=0, max_epochs=1).fit(X)
    module = ae.net_.module_
    assert ae.batch_size_ == 100 and ae.patch_size_ == 1
    assert module.encoder.readout == ("last",) and module.view is None
    assert isinstance(module.projection, torch.nn.Identity)
    assert ae.decoder_input_shape_ == (8, 1)


def test_progress_bar_follows_verbose(monkeypatch):
    X = make_sine_sequences(10, 6, 1, random_state=0)

    def names(ae):
        return {name: cb for name, cb in ae.net_.callbacks_}

    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: lines, not a bar
    assert isinstance(names(RAETransformer(max_epochs=1).fit(X))["seqae_progress"],
                      ProgressLines)
    assert "seqae_progress" not in names(RAETransformer(max_epochs=1, verbose=0).fit(X))
    assert isinstance(names(RAETransformer(max_epochs=1, verbose=2).fit(X))["seqae_progress"],
                      ProgressBar)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    ae = RAETransformer(max_epochs=3, random_state=0).fit(X)
    assert isinstance(names(ae)["seqae_progress"], FitProgress)
    progress = names(ae)["seqae_progress"]
    assert progress.bar_.n == 3 and progress.bar_.total == 3  # one tick an epoch
    assert "train_loss" in str(progress.bar_.postfix)
    assert "RAETransformer" in terminal.getvalue()


def test_auto_patch_size_of_ragged_input_follows_the_chosen_length(monkeypatch):
    from seqae._engine import budget

    X = [np.sin(np.linspace(0, 5, n)) for n in (29, 100, 120, 361)]
    assert RAESCTransformer(max_epochs=1).fit(X).patch_size_ == 6  # ceil(361 / 64)
    monkeypatch.setattr(budget, "AUTO_RAGGED_LENGTH", "median")
    assert RAESCTransformer(max_epochs=1).fit(X).patch_size_ == 2  # ceil(110 / 64)


def test_auto_max_epochs_cap(monkeypatch):
    from seqae._engine import budget

    assert budget.AUTO_MAX_EPOCHS is None and auto_max_epochs(5, 5) == 250
    monkeypatch.setattr(budget, "AUTO_MAX_EPOCHS", 40)
    assert auto_max_epochs(5, 5) == 40 and auto_max_epochs(4000, 100) == 7
