"""Estimator behaviour shared by all models, the RAES/RAESC specifics, and the decoder and
objective options of the deterministic autoencoders."""

import pickle

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC
from skorch.callbacks import Callback

import seqae
from seqae import (LSTMAutoencoder, RAESCTransformer, RAESTransformer, RAETransformer,
                   VRAETransformer)
from seqae._engine.batches import _encode
from seqae.datasets import make_sine_sequences

from ..conftest import FAST, assert_global_rng_untouched

ALL = [RAETransformer, RAESTransformer, RAESCTransformer, VRAETransformer, LSTMAutoencoder]


def make(cls, **params):
    if cls is LSTMAutoencoder:
        params.pop("sigma", None)
        params.setdefault("n_components", 6)
    return cls(**{**FAST, **params})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 9), T=st.integers(1, 7), m=st.integers(1, 3),
       sigma=st.sampled_from([0.25, 0.5, 1.0, 1.5]),
       cls=st.sampled_from([RAETransformer, RAESCTransformer, VRAETransformer]))
def test_output_shapes_and_fitted_layout(n, T, m, sigma, cls):
    X = np.random.default_rng(0).normal(size=(n, T, m))
    # any shape, one step or fewer steps than features included: the layout check
    # (tests/_engine/test_layout.py) would refuse or warn about some of them
    with seqae.config_context(check_layout=False):
        ae = make(cls, sigma=sigma, max_epochs=1).fit(X)
    n_components = max(1, round(sigma * m * T))
    assert ae.n_components_ == n_components
    assert ae.sigma_ == pytest.approx(n_components / (m * T))
    codes = ae.transform(X)
    assert codes.shape == (n, n_components) and codes.dtype == np.float64
    assert ae.inverse_transform(codes).shape == (n, T, m)
    assert ae.score_samples(X).shape == (n,)
    names = ae.get_feature_names_out()
    assert len(names) == n_components and names[0] == f"{cls.__name__.lower()}0"


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_2d_and_3d_layouts_give_identical_codes_and_round_trip(data):
    X = make_sine_sequences(data.draw(st.integers(2, 8)), data.draw(st.integers(2, 6)), 1,
                            random_state=0)
    ae = make(RAETransformer).fit(X[:, :, 0])
    np.testing.assert_array_equal(ae.transform(X[:, :, 0]), ae.transform(X))
    assert ae.input_ndim_ == 2
    assert ae.inverse_transform(ae.transform(X)).shape == X.shape[:2]  # fitted layout: 2D
    ae3 = make(RAETransformer).fit(X)
    assert ae3.inverse_transform(ae3.transform(X)).shape == X.shape
    np.testing.assert_array_equal(ae3.transform(X), ae.transform(X))  # same seed, same data


@pytest.fixture(scope="module")
def fitted_models(sines):
    return {cls: make(cls).fit(sines) for cls in ALL}


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 23), cls=st.sampled_from(ALL))
def test_a_sequence_is_encoded_the_same_alone_or_in_a_batch(fitted_models, sines, i, cls):
    ae = fitted_models[cls]
    np.testing.assert_array_equal(ae.transform(sines)[i], ae.transform(sines[i:i + 1])[0])
    np.testing.assert_array_equal(ae.score_samples(sines)[i], ae.score_samples(sines[i:i + 1])[0])


@pytest.mark.parametrize("cls", ALL)
def test_dtype_follows_input(fitted_models, sines, cls):
    ae = fitted_models[cls]
    codes32 = ae.transform(sines.astype(np.float32))
    assert codes32.dtype == np.float32
    np.testing.assert_allclose(codes32, ae.transform(sines), rtol=1e-6, atol=1e-6)
    assert ae.inverse_transform(codes32).dtype == np.float32
    assert ae.score_samples(sines.astype(np.float32)).dtype == np.float32


# VRAETransformer.score_samples is the ELBO instead (tests/autoencoders/test_vrae.py)
@pytest.mark.parametrize("cls", [cls for cls in ALL if cls is not VRAETransformer])
def test_score_samples_is_negative_reconstruction_mse(fitted_models, sines, cls):
    ae = fitted_models[cls]
    reconstruction = ae.inverse_transform(ae.transform(sines))
    expected = -((reconstruction - sines) ** 2).mean(axis=(1, 2))
    np.testing.assert_allclose(ae.score_samples(sines), expected, rtol=1e-5)


def test_score_samples_ranks_anomalies_lower():
    X = make_sine_sequences(200, 20, 1, frequency_range=(1, 2), random_state=0)
    ae = RAESTransformer(max_epochs=20, batch_size=20, lr=1e-2, random_state=0).fit(X)
    noise = np.random.default_rng(0).uniform(-1, 1, size=(20, 20, 1))
    assert np.median(ae.score_samples(X[:20])) > np.median(ae.score_samples(noise))


@pytest.mark.parametrize("cls", [RAETransformer, RAESTransformer, RAESCTransformer,
                                 VRAETransformer])
def test_n_components_and_sigma_do_not_conflict_silently(cls, sines):
    ae = make(cls, n_components=4).fit(sines)  # sigma='auto' follows n_components
    assert ae.n_components_ == 4 and ae.sigma_ == 4 / 16
    assert ae.transform(sines).shape == (24, 4)
    with pytest.raises(ValueError, match="n_components=4 and sigma=0.25 both set"):
        make(cls, sigma=0.25, n_components=4).fit(sines)


def test_random_state_reproducible_and_global_rng_untouched(sines):
    first = assert_global_rng_untouched(lambda: make(RAESCTransformer).fit(sines))
    second = make(RAESCTransformer).fit(sines)
    np.testing.assert_array_equal(first.transform(sines), second.transform(sines))
    other = make(RAESCTransformer, random_state=1).fit(sines)
    assert not np.array_equal(first.transform(sines), other.transform(sines))
    assert_global_rng_untouched(lambda: make(RAETransformer, random_state=None).fit(sines))


def test_validation_fraction_records_validation_loss(sines):
    ae = make(RAETransformer, validation_fraction=0.25).fit(sines)
    assert all(np.isfinite(ae.net_.history[:, "valid_loss"]))
    assert len(ae.net_.history) == FAST["max_epochs"]
    assert "valid_loss" not in make(RAETransformer).fit(sines).net_.history[-1]


def test_training_reduces_the_loss():
    X = make_sine_sequences(100, 10, 1, frequency_range=(1, 2), random_state=0)
    ae = RAESTransformer(sigma=1.0, max_epochs=20, batch_size=20, lr=1e-2, random_state=0,
                         readout="last", contrastive=0.0).fit(X)  # the paper's RAES
    losses = ae.net_.history[:, "train_loss"]
    assert losses[-1] < 0.5 * losses[0]


class CountEpochs(Callback):
    def initialize(self):
        self.epochs = 0
        return self

    def on_epoch_end(self, net, **kwargs):
        self.epochs += 1


def test_callbacks_are_passed_through_and_not_mutated(sines):
    counter = CountEpochs()
    ae = make(RAETransformer, callbacks=[("count", counter)]).fit(sines)
    assert dict(ae.net_.callbacks_)["count"].epochs == FAST["max_epochs"]
    assert not hasattr(counter, "epochs")  # the parameter itself is left as given


def test_device_cuda_without_cuda_is_a_clear_error(sines):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ValueError, match="no CUDA device"):
        make(RAETransformer, device="cuda").fit(sines)
    with pytest.raises(ValueError, match="device must be"):
        make(RAETransformer, device="tpu").fit(sines)
    assert make(RAETransformer, device="auto").fit(sines).device_ == "cpu"


@pytest.mark.parametrize("sigma,m,ok", [(0.25, 1, False), (1.0, 1, True), (0.5, 2, True),
                                        (0.25, 2, False), (0.25, 4, True), (0.75, 4, True)])
def test_raes_needs_a_multiple_of_the_input_length(sigma, m, ok):
    X = make_sine_sequences(10, 8, m, random_state=0)
    ae = make(RAESTransformer, sigma=sigma, stretch=False)
    if ok:
        assert ae.fit(X).decoder_input_shape_ == (8, round(sigma * m * 8) // 8)
    else:
        with pytest.raises(ValueError, match="n_X=8 steps .* must be a multiple of 8") as error:
            ae.fit(X)
        # the message names sigma values that work here (multiples of 1 / m)
        working = f"{1 / m:g}"
        assert f"sigma in {{{working}," in str(error.value)
        assert make(RAESTransformer, sigma=1 / m, stretch=False).fit(X).n_components_ == 8
        stretched = make(RAESTransformer, sigma=sigma, stretch=True).fit(X)
        assert stretched.decoder_input_shape_ == (8, 1)
        assert stretched.transform(X).shape == (10, round(sigma * m * 8))
        assert type(stretched.net_.module_.bridge).__name__ == "StretchReshape"
    # stretch=True stretches only where Eq. 1 cannot hold: elsewhere it is Eq. 1 itself
    exact = make(RAESTransformer, sigma=1 / m, stretch=True).fit(X)
    assert type(exact.net_.module_.bridge).__name__ == "SequenceReshape"


def test_raesc_takes_any_context_size_and_its_conv_params():
    X = make_sine_sequences(10, 8, 1, random_state=0)
    ae = make(RAESCTransformer, sigma=0.25, kernel_size=5, pool_size=2).fit(X)
    assert ae.n_components_ == 2 and ae.decoder_input_shape_ == (8, 2)
    bridge = ae.net_.module_.bridge
    assert bridge.conv.kernel_size == (5,) and bridge.pool_size == 2
    assert bridge.conv.out_channels == 8  # n_Y filters


def test_rae_decoder_reads_the_repeated_code(sines):
    ae = make(RAETransformer, sigma=0.5).fit(sines)
    assert ae.decoder_input_shape_ == (8, ae.n_components_)


def test_pipeline_with_svc_fits_and_scores():
    X = make_sine_sequences(60, 12, 1, random_state=0)
    y = (X[:, :6, 0].mean(axis=1) > X[:, 6:, 0].mean(axis=1)).astype(int)
    model = Pipeline([("ae", make(RAESCTransformer, sigma=0.5)), ("clf", SVC())])
    model.fit(X[:40], y[:40])
    # the pipeline classifies the codes: the same as an SVC fitted on transform's output
    ae = make(RAESCTransformer, sigma=0.5).fit(X[:40])
    svc = SVC().fit(ae.transform(X[:40]), y[:40])
    expected = svc.predict(ae.transform(X[40:]))
    np.testing.assert_array_equal(model.predict(X[40:]), expected)
    assert model.score(X[40:], y[40:]) == np.mean(expected == y[40:])


@pytest.mark.slow
def test_grid_search_over_sigma_in_parallel():
    X = make_sine_sequences(40, 8, 1, random_state=0)
    y = (X[:, :4, 0].mean(axis=1) > X[:, 4:, 0].mean(axis=1)).astype(int)
    pipe = Pipeline([("ae", make(RAESCTransformer, max_epochs=1)), ("clf", SVC())])
    search = GridSearchCV(pipe, {"ae__sigma": [0.25, 0.5]}, cv=2, n_jobs=2).fit(X, y)
    # each grid point's scores are those of a sequential cross-validation at that sigma
    # (the parallel workers set sigma on clones and seed them alike)
    for sigma, mean_score in zip(search.cv_results_["param_ae__sigma"],
                                 search.cv_results_["mean_test_score"]):
        scores = cross_val_score(clone(pipe).set_params(ae__sigma=sigma), X, y, cv=2)
        assert mean_score == pytest.approx(scores.mean())
    best = int(np.argmax(search.cv_results_["mean_test_score"]))
    best_sigma = search.cv_results_["param_ae__sigma"][best]
    assert search.best_params_ == {"ae__sigma": best_sigma}
    # refitted on all the data at that sigma: n_C = sigma * m_X * n_X
    assert search.best_estimator_.named_steps["ae"].n_components_ == best_sigma * 8


@pytest.mark.parametrize("cls", ALL)
def test_clone_and_pickle_round_trip(fitted_models, sines, cls):
    ae = fitted_models[cls]
    cloned = clone(ae)
    assert cloned.get_params() == ae.get_params() and not hasattr(cloned, "net_")
    restored = pickle.loads(pickle.dumps(ae))
    np.testing.assert_array_equal(restored.transform(sines), ae.transform(sines))
    np.testing.assert_array_equal(restored.score_samples(sines), ae.score_samples(sines))


def test_invalid_parameters_are_reported(sines):
    for params, name in [({"sigma": 0}, "sigma"), ({"n_components": 0}, "n_components"),
                         ({"batch_size": 0}, "batch_size"), ({"max_epochs": 0}, "max_epochs"),
                         ({"cell": "rnn"}, "cell"), ({"lr": -1.0}, "lr")]:
        with pytest.raises(ValueError, match=f"'{name}' parameter"):
            make(RAETransformer, **params).fit(sines)


# A ragged list such as [[[1.0], [2.0]], [[1.0]]] is valid input (see test_ragged.py).
@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((2, 3, 4, 1)), [1.0, 2.0]])
def test_bad_layouts_name_the_expected_layouts(bad):
    with pytest.raises(ValueError, match=r"\(n_samples, n_timesteps\).*\(n_samples, n_timesteps, "
                                         r"n_features\)"):
        make(RAETransformer).fit(bad)


def test_mismatched_inputs_after_fit(fitted_models, sines):
    ae = fitted_models[RAETransformer]
    with pytest.raises(ValueError, match="features per time step"):
        ae.transform(sines[:, :, :1])
    with pytest.raises(ValueError, match="expecting 8 features"):
        ae.transform(sines[:, :5])
    with pytest.raises(ValueError, match=rf"\(n_samples, {ae.n_components_}\)"):
        ae.inverse_transform(np.zeros((3, ae.n_components_ + 1)))


# -- decoder and objective options ------------------------------------------------------------

def _estimators(**params):
    params = {"contrastive": 0.0, **params}  # one encoder pass per batch (no second view)
    return [
        RAETransformer(sigma=0.5, **params, **FAST),
        RAESTransformer(sigma=1.0, **params, **FAST),
        RAESCTransformer(sigma=0.5, **params, **FAST),
        LSTMAutoencoder(8, **params, **FAST),
    ]


class Probe(Callback):
    """Records each training batch, what the encoder read and what the criterion compared."""

    def initialize(self):
        self.batches, self.encoder_inputs, self.targets = [], [], []
        return self

    def on_train_begin(self, net, **kwargs):
        net.module_.encoder.register_forward_hook(
            lambda module, args, out: self.encoder_inputs.append(args[0].detach().clone())
            if module.training else None)
        net.criterion_.register_forward_hook(
            lambda module, args, out: self.targets.append(args[1].detach().clone()))

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            self.batches.append(batch[0].detach().clone())


def _probe(estimator):
    return dict(estimator.net_.callbacks_)["probe"]


@pytest.mark.parametrize("estimator", _estimators(noise=0.5), ids=lambda e: type(e).__name__)
def test_denoising_sees_noisy_input_and_clean_target(estimator, sines):
    estimator.set_params(callbacks=[("probe", Probe())]).fit(sines)
    probe = _probe(estimator)
    assert len(probe.batches) == len(probe.encoder_inputs) == len(probe.targets) == 4
    for batch, seen, target in zip(probe.batches, probe.encoder_inputs, probe.targets):
        assert 0.3 < (seen - batch).std() < 0.7  # noisy input
        assert torch.equal(target, batch)  # clean target
    # no noise at inference: transform is the encoder applied to the clean input (with the
    # noise of training, std 0.5, the codes would be far from it)
    module = estimator.net_.module_.eval()
    with torch.no_grad():
        clean = _encode(module, torch.as_tensor(sines, dtype=torch.float32)).numpy()
    np.testing.assert_allclose(estimator.transform(sines), clean, rtol=1e-5, atol=1e-6)


def test_without_noise_the_encoder_reads_the_batch(sines):
    ae = RAETransformer(sigma=0.5, callbacks=[("probe", Probe())], contrastive=0.0,
                        isometry=0.0, **FAST).fit(sines)
    probe = _probe(ae)
    for batch, seen in zip(probe.batches, probe.encoder_inputs):
        assert torch.equal(seen, batch)
    assert isinstance(ae.net_.module_(torch.zeros(2, 8, 2)), torch.Tensor)  # plain output


@pytest.mark.parametrize("loss", ["mse", "mae"])
def test_loss_choice_is_the_training_loss(loss, sines):
    # lr tiny and one batch: the recorded loss is that of the initial model's reconstruction
    ae = RAETransformer(sigma=0.5, loss=loss, lr=1e-12, max_epochs=1, batch_size=100,
                        contrastive=0.0, isometry=0.0, random_state=0).fit(sines)
    error = ae.inverse_transform(ae.transform(sines)) - sines
    expected = np.mean(error ** 2) if loss == "mse" else np.mean(np.abs(error))
    np.testing.assert_allclose(ae.net_.history[-1, "train_loss"], expected, rtol=1e-4)


def test_sparsity_shrinks_the_code(sines):
    params = dict(sigma=0.5, max_epochs=30, batch_size=24, lr=1e-2, random_state=0,
                  contrastive=0.0)
    dense = RAETransformer(**params).fit(sines)
    sparse = RAETransformer(sparsity=0.05, **params).fit(sines)
    l1_dense = np.abs(dense.transform(sines)).sum(axis=1).mean()
    l1_sparse = np.abs(sparse.transform(sines)).sum(axis=1).mean()
    assert l1_sparse < 0.7 * l1_dense


@pytest.mark.parametrize("estimator", _estimators(conditional_decoder=True, reverse_target=True),
                         ids=lambda e: type(e).__name__)
def test_conditioned_reversed_decoder_is_wired(estimator, sines):
    estimator.fit(sines)
    module = estimator.net_.module_
    assert module.decoder.conditional and module.reverse
    n_step_features = estimator.decoder_input_shape_[1]
    assert module.decoder.rnn.input_size == n_step_features + sines.shape[2]
    # decoding is autoregressive and flipped back: equal to the module's own decode
    codes = estimator.transform(sines)
    expected = module.decode(torch.as_tensor(codes, dtype=torch.float32)).detach().numpy()
    np.testing.assert_allclose(estimator.inverse_transform(codes), expected, atol=1e-5)


@pytest.mark.parametrize("estimator", _estimators(num_layers=2, bidirectional=True),
                         ids=lambda e: type(e).__name__)
def test_stacked_bidirectional_sizes_follow_sigma(estimator, sines):
    estimator.fit(sines)
    rnn = estimator.net_.module_.encoder.rnn
    assert rnn.num_layers == 2 and rnn.bidirectional
    assert rnn.hidden_size * 2 == estimator.n_components_
    assert estimator.net_.module_.decoder.rnn.num_layers == 2
    assert estimator.transform(sines).shape == (len(sines), estimator.n_components_)


def test_bidirectional_needs_an_even_code(sines):
    with pytest.raises(ValueError, match="even"):
        RAETransformer(n_components=5, bidirectional=True, readout="last", **FAST).fit(sines)
    # a pooled readout goes through a linear layer, which takes any code size
    ae = RAETransformer(n_components=5, bidirectional=True, readout="mean", **FAST).fit(sines)
    assert ae.transform(sines).shape == (len(sines), 5)
