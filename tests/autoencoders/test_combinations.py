"""Model variants (decoder/objective options, LSTM modes, VRAE) combined with ragged input,
missing values and early stopping: each test fails if the combination is mis-wired."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from torch.nn import functional as F

from seqae import LSTMAutoencoder, RAETransformer, VRAETransformer
from seqae.modules import RecurrentAutoencoder, RecurrentEncoder, SeqAEOutput, gaussian_kl
from seqae.modules.autoencoder import flip_time

from ..conftest import FAST

LENGTHS = (6, 3, 5, 4)
ONE_BATCH = {"max_epochs": 1, "batch_size": 32, "random_state": 0}


@pytest.fixture(scope="module")
def ragged():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((length, 2)) for length in LENGTHS]


@pytest.fixture(scope="module")
def gappy(sines):
    X = sines[:12].copy()
    X[np.random.default_rng(1).random(X.shape) < 0.2] = np.nan
    return X


def _detached(value):
    if value is None or isinstance(value, torch.Tensor):
        return None if value is None else value.detach().double()
    return type(value)(*map(_detached, value)) if isinstance(value, SeqAEOutput) else \
        tuple(map(_detached, value))


class BatchProbe(Callback):
    """Keeps each batch's input, prediction, loss and the criterion's KL weight."""

    def initialize(self):
        self.steps = []
        return self

    def on_batch_end(self, net, batch=None, training=False, loss=None, y_pred=None,
                     **kwargs):
        self.steps.append({"X": batch[0], "training": training, "loss": loss.item(),
                           "y_pred": _detached(y_pred),
                           "kl_weight": getattr(net.criterion_, "kl_weight", None)})


def _observed(X):
    """The entries a loss may use, computed here from the batch's mask or lengths."""
    x = X["x"]
    if "mask" in X:
        return X["mask"]
    steps = torch.arange(x.shape[1])[None, :, None]
    return (steps < X["lengths"][:, None, None]).expand_as(x)


def _sbd_matrix(x, mask):
    """sqrt(SBD) of every pair by numpy: each feature z-normalised over its observed steps
    (the others 0), the features' full cross-correlations summed, their best lag."""
    z = np.zeros_like(x)
    for i in range(len(x)):
        for c in range(x.shape[2]):
            seen = mask[i, :, c]
            values = x[i, seen, c] - x[i, seen, c].mean()
            std = values.std()
            z[i, seen, c] = values / std if std > 0 else 0.0
    d = np.zeros((len(x), len(x)))
    for i in range(len(x)):
        for j in range(len(x)):
            best = sum(np.correlate(z[i, :, c], z[j, :, c], mode="full")
                       for c in range(x.shape[2])).max()
            d[i, j] = np.sqrt(max(0.0, 1 - best / (np.linalg.norm(z[i]) * np.linalg.norm(z[j]))))
    return d


def _expected_loss(ae, X, y_pred):
    x, mask = X["x"].double(), _observed(X)
    assert not mask.all()  # something is padded or missing
    if isinstance(ae, VRAETransformer):
        output, mu, logvar = y_pred
        if ae.likelihood == "bernoulli":
            error = F.binary_cross_entropy_with_logits(output, x, reduction="none")
        else:
            error = (output - x) ** 2
        per_sequence = (error * mask).sum(dim=(1, 2)) + ae.beta * gaussian_kl(mu, logvar)
        return per_sequence.mean().item()
    error = (lambda d: d.abs()) if ae.loss == "mae" else (lambda d: d ** 2)
    if isinstance(y_pred, torch.Tensor):
        y_pred = SeqAEOutput(y_pred, None, None)
    total = 0.0
    if y_pred.reconstruction is not None:
        n = y_pred.reconstruction.shape[1]
        total += error(y_pred.reconstruction - x[:, :n])[mask[:, :n]].mean()
    if y_pred.prediction is not None:
        k = y_pred.prediction.shape[1]
        total += ae.prediction_weight * error(y_pred.prediction - x[:, -k:])[mask[:, -k:]].mean()
    if y_pred.code is not None:
        total += ae.sparsity * y_pred.code.abs().sum(dim=1).mean()
    if y_pred.view_code is not None:  # InfoNCE between the two views' codes, both ways
        a = y_pred.code / y_pred.code.norm(dim=1, keepdim=True)
        b = y_pred.view_code / y_pred.view_code.norm(dim=1, keepdim=True)
        logits, pairs = a @ b.T / 0.2, torch.arange(len(a))
        nce = -(logits.log_softmax(1)[pairs, pairs].mean()
                + logits.log_softmax(0)[pairs, pairs].mean()) / 2
        total += ae.contrastive * nce
    if y_pred.code is not None and ae.isometry:  # pairwise distances, each over its mean
        code, pairs = y_pred.code, ~torch.eye(len(x), dtype=torch.bool)
        if ae.isometry_metric == "sbd":
            d_x = torch.as_tensor(_sbd_matrix(x.double().numpy(), mask.numpy()))[pairs]
        else:
            flat = torch.where(mask, x, 0.0).flatten(1)
            d_x = ((flat[:, None] - flat[None]) ** 2).sum(-1).sqrt()[pairs]
        d_z = ((code[:, None] - code[None]) ** 2).sum(-1).sqrt()[pairs]
        total += ae.isometry * ((d_z / d_z.mean() - d_x / d_x.mean()) ** 2).mean()
    return float(total)


def _binary_ragged():
    rng = np.random.default_rng(3)
    X = [(rng.random((length, 2)) > 0.5).astype(float) for length in LENGTHS]
    X[2][1, 0] = np.nan
    return X


CASES = {
    "rae-denoising-sparse-mae-missing": (
        lambda: RAETransformer(sigma=0.5, noise=0.3, sparsity=0.05, loss="mae",
                               missing="mask", **ONE_BATCH), "gappy"),
    "rae-reversed-conditioned-bidirectional-ragged": (
        lambda: RAETransformer(sigma=0.5, reverse_target=True, conditional_decoder=True,
                               bidirectional=True, **ONE_BATCH), "ragged"),
    "lstm-composite-denoising-sparse-missing": (
        lambda: LSTMAutoencoder(4, mode="composite", n_future=2, prediction_weight=0.5,
                                noise=0.1, sparsity=0.01, missing="mask", **ONE_BATCH),
        "gappy"),
    "vrae-bernoulli-ragged-missing": (
        lambda: VRAETransformer(n_components=2, beta=0.5, likelihood="bernoulli",
                                missing="mask", **ONE_BATCH), "binary"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_training_loss_counts_only_observed_steps(case, gappy, ragged):
    """The loss the net optimised is the variant's objective over the observed entries."""
    make, data = CASES[case]
    X = {"gappy": gappy, "ragged": ragged, "binary": _binary_ragged()}[data]
    ae = make().set_params(callbacks=[("probe", BatchProbe())]).fit(X)
    (step,) = dict(ae.net_.callbacks_)["probe"].steps  # one epoch of one batch
    assert step["loss"] == pytest.approx(_expected_loss(ae, step["X"], step["y_pred"]),
                                         rel=1e-5)


def test_composite_lstm_scores_and_forecasts_with_missing_values(gappy):
    ae = LSTMAutoencoder(4, mode="composite", n_future=2, missing="mask", **FAST).fit(gappy)
    scores = ae.score_samples(gappy)
    x0 = np.nan_to_num(gappy)
    with torch.no_grad():
        out = ae.net_.module_.eval()(torch.as_tensor(x0, dtype=torch.float32))
    errors = np.concatenate([out.reconstruction.numpy() - x0[:, :6],
                             out.prediction.numpy() - x0[:, 6:]], axis=1) ** 2
    observed = ~np.isnan(gappy)
    np.testing.assert_allclose(scores, -(errors * observed).sum((1, 2)) / observed.sum((1, 2)),
                               rtol=1e-5)
    assert np.isfinite(ae.forecast(gappy)).all()


@pytest.mark.parametrize("options", [
    {}, {"reverse_target": True, "bidirectional": True, "conditional_decoder": True}])
def test_vrae_elbo_score_of_ragged_sequences_uses_their_own_steps(options, ragged):
    vrae = VRAETransformer(n_components=2, **options, **FAST).fit(ragged)
    scores, codes = vrae.score_samples(ragged), vrae.transform(ragged)
    module = vrae.net_.module_
    for i, seq in enumerate(ragged):
        with torch.no_grad():  # the sequence alone, unpadded, decoded at its own length
            mu, logvar = module.latent_params(torch.as_tensor(seq[None], dtype=torch.float32))
            own = module.decode(mu, n_steps=len(seq)).double().numpy()[0]
        np.testing.assert_allclose(codes[i], mu.numpy()[0], rtol=1e-4, atol=1e-5)
        decoded = vrae.inverse_transform(codes[i:i + 1], lengths=[len(seq)])[0]
        np.testing.assert_allclose(decoded, own, rtol=1e-4, atol=1e-5)
        kl = gaussian_kl(mu.double(), logvar.double()).item()
        assert scores[i] == pytest.approx(-(((own - seq) ** 2).sum() + kl), rel=1e-4)


def test_reversed_target_of_a_padded_batch_is_reversed_within_each_length():
    x = torch.arange(8.0).view(2, 4, 1)
    flipped = flip_time(x, torch.tensor([4, 2]))
    assert flipped[:, :, 0].tolist() == [[3, 2, 1, 0], [5, 4, 6, 7]]
    torch.manual_seed(0)
    model = RecurrentAutoencoder(1, 4, 3, conditional_decoder=True, reverse_target=True).train()
    lengths = torch.tensor([4, 2])
    x = torch.randn(2, 4, 1)
    junk = x.clone()
    junk[1, 2:] = 100.0
    # The decoder starts from each sequence's own last step (teacher forcing included), so
    # the padding reaches none of a short sequence's outputs.
    torch.testing.assert_close(model(x, lengths)[1, :2], model(junk, lengths)[1, :2])


@pytest.mark.parametrize("training", [True, False])
def test_bidirectional_stacked_encoder_ignores_padding(training):
    torch.manual_seed(0)
    encoder = RecurrentEncoder(2, 3, num_layers=2, bidirectional=True).train(training)
    x, lengths = torch.randn(3, 6, 2), torch.tensor([6, 4, 2])
    with torch.no_grad():
        padded = encoder(x, lengths)
        own = torch.cat([encoder(x[i:i + 1, :n]) for i, n in enumerate(lengths.tolist())])
    torch.testing.assert_close(padded, own)


def test_prediction_modes_refuse_ragged_input(ragged, sines):
    with pytest.raises(ValueError, match=r"mode='prediction'\) splits every sequence .* "
                                         r"Crop them to one length"):
        LSTMAutoencoder(4, mode="prediction", **FAST).fit(ragged)
    ae = LSTMAutoencoder(4, mode="composite", n_future=2, **FAST).fit(sines)
    short = [sines[0], sines[1, :5]]
    for method in (ae.transform, ae.score_samples, ae.forecast):
        with pytest.raises(ValueError, match="does not take sequences of different lengths"):
            method(short)
    with pytest.raises(ValueError, match="does not take sequences of different lengths"):
        ae.inverse_transform(ae.transform(sines[:2]), lengths=[6, 3])


def test_kl_warmup_with_early_stopping_validates_on_the_full_elbo(sines):
    vrae = VRAETransformer(n_components=2, beta=0.5, kl_warmup=2, patience=5,
                           validation_fraction=0.25, max_epochs=3, batch_size=24,
                           random_state=0, callbacks=[("probe", BatchProbe())]).fit(sines)
    names = [name for name, _ in vrae.net_.callbacks_]
    assert names.index("seqae_early_stopping") < names.index("kl_warmup") < names.index("probe")
    steps = dict(vrae.net_.callbacks_)["probe"].steps
    assert [s["kl_weight"] for s in steps if s["training"]] == [0.0, 0.25, 0.5]
    valid = [s for s in steps if not s["training"]]
    assert [s["kl_weight"] for s in valid] == [0.5] * 3
    for epoch, step in enumerate(valid):  # valid_loss: the negative ELBO weighted by beta
        output, mu, logvar = step["y_pred"]
        x = step["X"].double()
        expected = (((output - x) ** 2).sum(dim=(1, 2)) + 0.5 * gaussian_kl(mu, logvar)).mean()
        assert vrae.net_.history[epoch, "valid_loss"] == pytest.approx(expected.item(),
                                                                       rel=1e-5)
    assert vrae.net_.criterion_.kl_weight == 0.5
    short = VRAETransformer(n_components=2, beta=0.5, kl_warmup=4, **FAST).fit(sines)
    assert short.net_.criterion_.kl_weight == 0.5  # warm-up cut short: beta after fit
