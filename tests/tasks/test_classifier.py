"""SequenceClassifier and SequenceRegressor: the -1 convention, reuse of a fitted autoencoder,
ragged and missing input, and checks that fail when fine-tuning is miswired."""

import numpy as np
import pytest
import torch

from seqae import RAESCTransformer, SequenceClassifier, SequenceRegressor
from seqae._engine import training


def two_frequencies(n, n_timesteps=16, random_state=0):
    """Two classes of noisy sines: 1 and 3 periods per sequence (easy to tell apart)."""
    rng = np.random.default_rng(random_state)
    y = np.arange(n) % 2
    t = np.linspace(0, 2 * np.pi, n_timesteps)
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    X = np.sin(np.where(y[:, None] == 1, 3.0, 1.0) * t + phase)
    return X + 0.1 * rng.standard_normal(X.shape), y


def tiny_ae(**params):
    return RAESCTransformer(n_components=8, max_epochs=3, batch_size=16, random_state=0,
                            **params)


def encoder_state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def same_state(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.fixture(scope="module")
def data():
    return two_frequencies(60)


@pytest.fixture(scope="module")
def fitted_ae(data):
    return tiny_ae().fit(data[0])


def test_unlabelled_marked_minus_one(data):
    X, y = data
    y_partial = y.copy()
    y_partial[20:] = -1
    # (no validation split: keep_frozen=False fine-tunes anyway)
    clf = SequenceClassifier(tiny_ae(), max_epochs=3, patience=None, keep_frozen=False,
                             random_state=0)
    clf.fit(X, y_partial)
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    assert set(np.unique(clf.predict(X))) <= {0, 1}
    # all of X pre-trains the autoencoder (the unlabelled sequences too) ...
    expected = tiny_ae().set_params(random_state=clf.autoencoder_.random_state).fit(X)
    np.testing.assert_array_equal(clf.autoencoder_.transform(X), expected.transform(X))
    # ... and only the 20 labelled sequences fine-tune (one batch of 16 and one of 4)
    assert clf.net_.history[-1, "train_batch_count"] == 2
    # object labels with -1 among strings
    y_names = np.array(["low", "high"], dtype=object)[y]
    y_names[20:] = -1
    clf = SequenceClassifier(tiny_ae(), max_epochs=2, keep_frozen=False,
                             random_state=0).fit(X, y_names)
    assert list(clf.classes_) == ["high", "low"]


def test_refuses_labels_it_cannot_use(data):
    X, y = data
    with pytest.raises(ValueError, match="needs labelled sequences"):
        SequenceClassifier(tiny_ae(), max_epochs=1).fit(X, np.full(len(X), -1))
    with pytest.raises(ValueError, match="at least 2 classes"):
        SequenceClassifier(tiny_ae(), max_epochs=1).fit(X, np.where(y == 0, 0, -1))


def test_fitted_autoencoder_is_reused_not_retrained(data, fitted_ae):
    X, y = data
    before = encoder_state(fitted_ae.net_.module_)
    n_epochs = len(fitted_ae.net_.history)
    clf = SequenceClassifier(fitted_ae, max_epochs=3, freeze_epochs=3, random_state=0)
    clf.fit(X, y)
    assert clf.autoencoder_ is fitted_ae
    assert len(fitted_ae.net_.history) == n_epochs  # no more pre-training
    assert same_state(encoder_state(fitted_ae.net_.module_), before)  # not changed either
    # frozen for all epochs: the fine-tuned copy starts from, and keeps, the fitted weights
    assert same_state(encoder_state(clf.net_.module_.autoencoder), before)
    np.testing.assert_allclose(clf.transform(X), fitted_ae.transform(X), atol=1e-6)


def test_encoder_moves_after_unfreezing_and_not_before(data, fitted_ae):
    X, y = data
    before = encoder_state(fitted_ae.net_.module_)
    # (series_kernel=None here and in the tests of fine-tuning below: the head on the series
    # is not what they test, and its CV would only add seconds to the suite)
    frozen = SequenceClassifier(fitted_ae, max_epochs=2, freeze_epochs=2, series_kernel=None,
                                random_state=0)
    assert same_state(encoder_state(frozen.fit(X, y).net_.module_.autoencoder), before)
    head_before = frozen.net_.module_.head.weight.detach().clone()
    thawed = SequenceClassifier(fitted_ae, max_epochs=3, freeze_epochs=2, keep_frozen=False,
                                random_state=0).fit(X, y)
    after = encoder_state(thawed.net_.module_.autoencoder)
    assert not torch.equal(after["encoder.rnn.weight_hh_l0"],
                           before["encoder.rnn.weight_hh_l0"])
    assert not torch.equal(thawed.net_.module_.head.weight, head_before)


def test_head_gradient_reaches_the_encoder(data, fitted_ae):
    X, y = data
    # no reconstruction term: any change of the encoder comes from the head's loss
    clf = SequenceClassifier(fitted_ae, reconstruction_weight=0.0, max_epochs=2,
                             freeze_epochs=0, dropout=0.0, keep_frozen=False, random_state=0)
    clf.fit(X, y)
    module = clf.net_.module_
    module.zero_grad()
    x = torch.as_tensor(X[:8, :, None], dtype=torch.float32)
    torch.nn.functional.cross_entropy(module(x).output, torch.as_tensor(y[:8])).backward()
    grads = [p.grad for name, p in module.autoencoder.named_parameters()
             if name.startswith("encoder.")]
    assert all(g is not None for g in grads)
    assert sum(float(g.abs().sum()) for g in grads) > 0
    assert not same_state(encoder_state(module.autoencoder),
                          encoder_state(fitted_ae.net_.module_))
    assert module(x).reconstruction is None  # weight 0: no decoding at all


def test_reconstruction_weight_enters_the_loss(data, fitted_ae):
    X, y = data
    losses = {}
    for weight in (0.0, 1.0, 10.0):
        clf = SequenceClassifier(fitted_ae, reconstruction_weight=weight, max_epochs=1,
                                 freeze_epochs=1, series_kernel=None,
                                 random_state=0).fit(X, y)
        losses[weight] = clf.net_.history[0, "train_loss"]
    # frozen autoencoder, same head updates: the difference is the weighted reconstruction
    assert losses[0.0] < losses[1.0] < losses[10.0]
    reconstruction = -fitted_ae.score_samples(X).mean()
    assert losses[10.0] - losses[1.0] == pytest.approx(9 * reconstruction, rel=0.2)


def test_pretraining_is_used_and_labels_matter():
    X, y = two_frequencies(120, random_state=1)
    X_test, y_test = two_frequencies(100, random_state=2)
    ae = RAESCTransformer(n_components=8, max_epochs=20, random_state=0).fit(X)
    params = dict(max_epochs=30, freeze_epochs=5, random_state=0)
    labelled = np.r_[0:10]
    y_partial = np.where(np.isin(np.arange(len(y)), labelled), y, -1)
    good = SequenceClassifier(ae, **params).fit(X, y_partial).score(X_test, y_test)
    # labels without information: half of each class's labels flipped (agreement 1/2; a
    # robust learner may still find the classes in labels that agree more than that)
    shuffled = y_partial.copy()
    shuffled[labelled[:4]] = 1 - y[labelled[:4]]
    shuffled[labelled[5:6]] = 1 - y[labelled[5:6]]
    assert np.mean(shuffled[labelled] == y[labelled]) == 0.5
    bad = SequenceClassifier(ae, **params).fit(X, shuffled).score(X_test, y_test)
    assert good >= 0.9
    assert bad <= good - 0.2


def test_pretrain_false_starts_from_fresh_weights(data, fitted_ae):
    X, y = data
    clf = SequenceClassifier(fitted_ae, pretrain=False, max_epochs=1, freeze_epochs=1,
                             series_kernel=None, random_state=0).fit(X, y)
    assert not same_state(encoder_state(clf.net_.module_.autoencoder),
                          encoder_state(fitted_ae.net_.module_))
    assert clf.autoencoder_ is fitted_ae


def test_ragged_input():
    rng = np.random.default_rng(0)
    X, y = two_frequencies(30, n_timesteps=20)
    ragged = [x[:n] for x, n in zip(X, rng.integers(10, 21, len(X)))]
    y_partial = np.where(np.arange(len(y)) < 12, y, -1)
    clf = SequenceClassifier(tiny_ae(), max_epochs=2, random_state=0).fit(ragged, y_partial)
    assert clf.n_timesteps_ == max(len(x) for x in ragged)
    assert clf.predict(ragged).shape == (30,)
    codes = clf.transform(ragged)
    # a code does not depend on the padding or on the other sequences in the batch
    np.testing.assert_allclose(clf.transform(ragged[::-1]), codes[::-1], atol=1e-6)
    # a fitted autoencoder of longer sequences takes shorter lists (padded to its length)
    ae = tiny_ae().fit(X)
    short = [x[:n] for x, n in zip(X, rng.integers(10, 16, len(X)))]
    clf = SequenceClassifier(ae, max_epochs=1, random_state=0).fit(short, y)
    assert clf.n_timesteps_ == 20 and clf.predict(short).shape == (30,)
    with pytest.raises(ValueError, match="n_timesteps_=20"):
        SequenceClassifier(ae, max_epochs=1).fit(X[:, :15], y)


def test_missing_values():
    X, y = two_frequencies(30)
    X = X.copy()
    X[np.random.default_rng(0).random(X.shape) < 0.1] = np.nan
    with pytest.raises(ValueError, match="missing='mask'"):
        SequenceClassifier(tiny_ae(), max_epochs=1).fit(X, y)
    clf = SequenceClassifier(tiny_ae(missing="mask"), max_epochs=2, random_state=0).fit(X, y)
    assert np.isfinite(clf.predict_proba(X)).all()
    assert clf.__sklearn_tags__().input_tags.allow_nan


def test_predict_proba_and_decision_function_agree(data, fitted_ae):
    X, y = data
    clf = SequenceClassifier(fitted_ae, max_epochs=2, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    np.testing.assert_array_equal(clf.decision_function(X) > 0, proba[:, 1] > 0.5)


def test_early_stopping_needs_enough_labels(data, fitted_ae):
    X, y = data
    few = np.where(np.arange(len(y)) < 8, y, -1)  # 4 per class: no validation split
    clf = SequenceClassifier(fitted_ae, max_epochs=3, keep_frozen=False,
                             random_state=0).fit(X, few)
    assert not clf.early_stopping_ and clf.n_epochs_ == 3
    assert "valid_loss" not in clf.net_.history[-1]
    clf = SequenceClassifier(fitted_ae, max_epochs=3, random_state=0).fit(X, y)
    assert clf.early_stopping_ and "valid_loss" in clf.net_.history[-1]
    assert clf.net_.history[-1, "train_batch_count"] == 3  # 48 of 60 train, 12 validate


def test_regressor_nan_marks_missing_targets(data, fitted_ae):
    X, _ = data
    target = X.mean(axis=1)
    y = target.copy()
    y[30:] = np.nan
    reg = SequenceRegressor(fitted_ae, max_epochs=3, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (60,)
    assert reg.net_.history[-1, "train_batch_count"] == 2  # 30 with targets (24 train)
    with pytest.raises(ValueError, match="NaN only"):
        SequenceRegressor(fitted_ae, max_epochs=1).fit(X, np.full(60, np.nan))


def test_regressor_standardises_targets_and_maps_predictions_back(data, fitted_ae):
    """y_mean_ and y_scale_ are the labelled targets' mean and standard deviation, and the
    head trains on the standardised targets: an affine change of y (same seeds) gives the
    same net and predictions changed by the same affine map. Fails if the statistics are
    wrong, taken over the unlabelled NaN too, or not undone in predict."""
    X, _ = data
    y = X.mean(axis=1)
    y[40:] = np.nan
    params = {"max_epochs": 2, "validation_fraction": 0.0, "random_state": 0}
    reg = SequenceRegressor(fitted_ae, **params).fit(X, y)
    assert reg.y_mean_ == pytest.approx(np.mean(y[:40]))
    assert reg.y_scale_ == pytest.approx(np.std(y[:40]))
    shifted = SequenceRegressor(fitted_ae, **params).fit(X, 10.0 * y + 5.0)
    assert shifted.y_mean_ == pytest.approx(10.0 * reg.y_mean_ + 5.0)
    assert shifted.y_scale_ == pytest.approx(10.0 * reg.y_scale_)
    np.testing.assert_allclose(shifted.predict(X), 10.0 * reg.predict(X) + 5.0, rtol=1e-6)
    # a constant target: scale 1, and the prediction is that constant wherever the head is 0
    constant = SequenceRegressor(fitted_ae, **params).fit(X, np.where(np.isnan(y), y, 3.0))
    assert (constant.y_mean_, constant.y_scale_) == (3.0, 1.0)


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_save_and_load(Estimator, data, fitted_ae, tmp_path):
    import seqae

    X, y = data
    y = y.astype(float) if Estimator is SequenceRegressor else np.array(["a", "b"])[y]
    model = Estimator(fitted_ae, max_epochs=2, random_state=0).fit(X, y)
    path = tmp_path / "model.safetensors"
    seqae.save(model, path)
    loaded = seqae.load(path, device="cpu")
    assert type(loaded) is Estimator
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    np.testing.assert_array_equal(loaded.transform(X), model.transform(X))
    np.testing.assert_array_equal(loaded.autoencoder_.transform(X), fitted_ae.transform(X))
    assert loaded.get_params()["autoencoder"].get_params() == fitted_ae.get_params()
    if Estimator is SequenceClassifier:
        np.testing.assert_array_equal(loaded.classes_, ["a", "b"])
        np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))


@pytest.mark.slow
@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_onnx_export(Estimator, data, fitted_ae, tmp_path, monkeypatch):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    from seqae.io import export as export_module
    from seqae.io.export import export_onnx

    X, y = data
    X = X.astype(np.float32)
    if Estimator is SequenceClassifier:  # three classes: the SVM's one-vs-one votes too
        y = np.where(np.arange(len(y)) % 3 == 0, 2, y)
    # an encoder learning rate that wrecks fine-tuning: the kept network is the pre-trained
    # one with the default SVM head on its frozen codes; the classifier's reads MiniRocket's
    # features too (the even mix, its only candidate here): one export (seconds) holds the
    # codes' kernel layer, MiniRocket's layer, the series' kernel layer and the one-vs-one
    # votes (MiniRocket's ridge is a linear layer on the same features:
    # test_ridge_candidate_is_a_linear_layer_on_minirocket)
    from seqae.tasks.classifier import SERIES_KERNELS

    monkeypatch.setitem(SERIES_KERNELS, "minirocket", (("minirocket", 0.5, 2),))
    series = {"series_kernel": "minirocket"} if Estimator is SequenceClassifier else {}
    model = Estimator(fitted_ae, max_epochs=2, freeze_epochs=0, encoder_lr=3.0,
                      clip_grad_norm=None, patience=50, random_state=0,
                      **series).fit(X, y.astype(float))
    assert not model.fine_tuned_ and model.n_kernel_features_ > 0
    assert model.frozen_head_ == "svm"
    if Estimator is SequenceClassifier:
        assert model.series_kernel_ == "minirocket" and model.n_series_features_ == 9996
    expected = (model.predict_proba(X) if Estimator is SequenceClassifier
                else model.predict(X))
    # the module that export_onnx hands to the exporter predicts what the estimator does
    # (the regressor's: its SVR layers and the targets' scale)
    with torch.no_grad():
        predicted = export_module._module_part(model, "predictor")(
            torch.from_numpy(X[:, :, None])).numpy()
    np.testing.assert_allclose(predicted, expected, atol=1e-5)
    if Estimator is SequenceClassifier:  # one export (seconds): the same kernel layers
        export_onnx(model, tmp_path / "model.onnx", part="predictor")
        session = ort.InferenceSession(str(tmp_path / "model.onnx"),
                                       providers=["CPUExecutionProvider"])
        (output,) = session.run(None, {"sequences": X[:, :, None]})
        np.testing.assert_allclose(output, expected, atol=1e-5)
    with pytest.raises(ValueError, match="part must be one of"):
        export_onnx(model, tmp_path / "decoder.onnx", part="decoder")
    # part='encoder' exports the network's encoder as its transform reads it: the module
    # that export_onnx hands to the exporter (an autoencoder's encoder export, the same
    # code from there on, is checked against onnxruntime in tests/io/test_onnx.py; one
    # export costs seconds)
    encoder = export_module._module_part(model, "encoder")
    with torch.no_grad():
        codes = encoder(torch.from_numpy(X[:, :, None])).numpy()
    np.testing.assert_allclose(codes, model.transform(X), atol=1e-5)


def test_verbose_has_the_autoencoders_meaning(data, fitted_ae, capsys, monkeypatch):
    """verbose reports fine-tuning as it reports an autoencoder's training: 0 silent, 1 the
    epoch table, 'auto' a bar where one shows (a terminal or a notebook)."""
    X, y = data
    params = dict(max_epochs=2, series_kernel=None, random_state=0)
    SequenceClassifier(fitted_ae, verbose=0, **params).fit(X, y)
    assert capsys.readouterr().out == ""
    SequenceClassifier(fitted_ae, verbose=1, **params).fit(X, y)
    assert "train_loss" in capsys.readouterr().out
    monkeypatch.setattr(training, "show_progress", lambda: True)
    clf = SequenceClassifier(fitted_ae, **params).fit(X, y)
    assert "seqae_progress" in dict(clf.net_.callbacks_)
    assert capsys.readouterr().out == ""


def _standardised_codes(ae, X):
    codes = torch.as_tensor(ae.transform(X)).float().double()
    scale = codes.std(0, unbiased=False)
    scale = torch.where(scale > 1e-6, scale, torch.ones_like(scale))
    return ((codes - codes.mean(0)) / scale).numpy()


def test_linear_probe_starts_the_head(data, fitted_ae):
    from seqae.tasks.classifier import _linear_probe

    X, y = data
    # a learning rate too small to move anything: the head is what it started from
    params = dict(max_epochs=1, freeze_epochs=1, lr=1e-12, patience=None, dropout=0.0,
                  keep_frozen=False, random_state=0)
    probed = SequenceClassifier(fitted_ae, linear_probe=True, **params).fit(X, y)
    features = _standardised_codes(fitted_ae, X)
    _, _, probe = _linear_probe(True, features, y, 0)
    assert np.mean(probed.predict(X) == probe.predict(features)) >= 0.98
    # two classes: one logistic score z, split as logits (-z/2, z/2)
    weight = probed.net_.module_.head.weight.detach().numpy()
    np.testing.assert_allclose(weight, np.vstack([-probe.coef_ / 2, probe.coef_ / 2]),
                               rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(probed.predict_proba(X), probe.predict_proba(features),
                               atol=1e-3)
    random_head = SequenceClassifier(fitted_ae, linear_probe=False, **params).fit(X, y)
    assert not np.allclose(random_head.net_.module_.head.weight.detach().numpy(), weight,
                           atol=1e-2)


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_keep_frozen_when_fine_tuning_hurts(Estimator, data, fitted_ae):
    X, y = data
    target = y if Estimator is SequenceClassifier else y + 0.0
    # an encoder learning rate that wrecks the pre-trained encoder
    params = dict(max_epochs=4, freeze_epochs=0, encoder_lr=3.0, clip_grad_norm=None,
                  patience=50, random_state=0)
    kept = Estimator(fitted_ae, **params).fit(X, target)
    assert not kept.fine_tuned_
    assert kept.validation_scores_["frozen"] > kept.validation_scores_["fine-tuned"]
    # the pre-trained network is back (the codes are the autoencoder's) ...
    np.testing.assert_allclose(kept.transform(X), fitted_ae.transform(X), atol=1e-5)
    # ... and beats the wrecked fine-tuned one
    wrecked = Estimator(fitted_ae, keep_frozen=False, **params).fit(X, target)
    assert wrecked.fine_tuned_ and not hasattr(wrecked, "validation_scores_")
    assert kept.score(X, target) > wrecked.score(X, target)


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_without_a_validation_split_keep_frozen_does_not_fine_tune(Estimator, data, fitted_ae):
    """No validation split (patience=None here; too few labels in use): nothing can show that
    fine-tuning helps, so keep_frozen keeps the pre-trained network with the frozen head
    fitted on every label, and no fine-tuning epoch runs; keep_frozen=False fine-tunes."""
    from seqae.tasks.classifier import _frozen_head

    X, y = data
    target = y if Estimator is SequenceClassifier else y + 0.0
    params = dict(max_epochs=2, freeze_epochs=0, encoder_lr=3.0, clip_grad_norm=None,
                  patience=None, random_state=0)
    if Estimator is SequenceClassifier:  # the codes' head (not a head on the series)
        params["series_kernel"] = None
    kept = Estimator(fitted_ae, **params).fit(X, target)
    assert not kept.fine_tuned_ and kept.frozen_head_ == "svm" and kept.n_epochs_ == 0
    assert not kept.early_stopping_ and not hasattr(kept, "validation_scores_")
    np.testing.assert_allclose(kept.transform(X), fitted_ae.transform(X), atol=1e-5)
    features = _standardised_codes(fitted_ae, X)
    if Estimator is SequenceClassifier:
        head = _frozen_head(True, features, target, 0, "svm")
        np.testing.assert_array_equal(kept.predict(X), head.predict(features))
        np.testing.assert_allclose(kept.decision_function(X),
                                   head.decision_function(features), atol=1e-2)
    else:
        head = _frozen_head(False, features, (target - target.mean()) / target.std(), 0, "svm")
        np.testing.assert_allclose(kept.predict(X), head.predict(features) * target.std()
                                   + target.mean(), atol=1e-2)
    tuned = Estimator(fitted_ae, keep_frozen=False, **params).fit(X, target)
    assert tuned.fine_tuned_ and tuned.n_epochs_ == 2 and tuned.frozen_head_ is None
    assert not hasattr(tuned, "validation_scores_")
    # from scratch there are no pre-trained codes to keep: it trains
    scratch = Estimator(fitted_ae, pretrain=False, **params).fit(X, target)
    assert scratch.fine_tuned_ and scratch.n_epochs_ == 2


@pytest.mark.parametrize("name", ["linear_probe", "keep_frozen", "frozen_head",
                                  "series_kernel"])
def test_new_options_have_one_row_and_the_same_text(name):
    from seqae._engine.params import PARAMS

    row = PARAMS[name]
    assert SequenceClassifier._parameter_constraints[name] == row.constraints
    assert SequenceClassifier().get_params()[name] == row.default
    flat = " ".join(SequenceClassifier.__doc__.split())
    assert " ".join(row.doc.split()) in flat


def test_auto_max_epochs_follows_the_number_of_labels(data, fitted_ae):
    from seqae._engine.budget import FINE_TUNING_STEPS, fine_tuning_epochs

    X, y = data
    # 60 labels, no validation split, batches of 20: 3 steps an epoch -> 0 frozen epochs and
    # ceil(250 / 3) = 84 thawed ones
    assert fine_tuning_epochs(60, 20, 0) == -(-FINE_TUNING_STEPS // 3) == 84
    # many labels: fewer epochs; the frozen ones come on top; at most 100 in all
    assert fine_tuning_epochs(400, 16, 10) == 10 + 10
    assert fine_tuning_epochs(8, 16, 10) == 100
    # fit uses it: 60 labels in batches of 4 (15 steps an epoch): 17 epochs, all of them run
    fitted = SequenceClassifier(fitted_ae, freeze_epochs=0, batch_size=4, patience=None,
                                keep_frozen=False, random_state=0).fit(X, y)
    assert fitted.max_epochs_ == fitted.n_epochs_ == 17 == fitted.net_.max_epochs


def test_keep_frozen_a_tie_keeps_the_probe(data, fitted_ae):
    X, y = data
    # learning rates too small to move anything: the fine-tuned network is the probe's
    # network, so the two tie on the validation rows, and a tie must keep the frozen codes
    clf = SequenceClassifier(fitted_ae, max_epochs=2, lr=1e-12, encoder_lr=1e-12,
                             linear_probe=True, frozen_head="linear", random_state=0).fit(X, y)
    scores = clf.validation_scores_
    assert scores["fine-tuned"] == scores["frozen"]
    assert not clf.fine_tuned_


def test_fine_tuning_must_win_by_two_validation_sequences(data, fitted_ae, monkeypatch):
    from seqae.tasks import classifier
    from seqae.tasks.classifier import _fine_tuning_wins

    # the classifier: counted in validation sequences (of 10 here)
    assert not _fine_tuning_wins(True, 0.8, 0.8, 10)  # a tie
    assert not _fine_tuning_wins(True, 0.9, 0.8, 10)  # one lucky sequence
    assert _fine_tuning_wins(True, 1.0, 0.8, 10)
    assert not _fine_tuning_wins(True, 0.6, 0.8, 10)
    # the regressor: a lower squared error is enough
    assert _fine_tuning_wins(False, -0.1, -0.2, 10) and not _fine_tuning_wins(False, -1, -1, 10)
    # fit reads the margin: with none, the tie of the test above keeps the fine-tuned network
    X, y = data
    params = dict(max_epochs=2, lr=1e-12, encoder_lr=1e-12, linear_probe=True,
                  frozen_head="linear", random_state=0)
    monkeypatch.setattr(classifier, "MIN_FINE_TUNING_GAIN", 0)
    clf = SequenceClassifier(fitted_ae, **params).fit(X, y)
    assert clf.validation_scores_["fine-tuned"] == clf.validation_scores_["frozen"]
    assert clf.fine_tuned_


def _ring(n, dim=4, random_state=0):
    """Points whose class is whether their norm lies in a band: no linear model separates
    them, an RBF kernel does."""
    rng = np.random.default_rng(random_state)
    features = rng.standard_normal((n, dim))
    norm = np.linalg.norm(features, axis=1)
    return features, ((norm > np.quantile(norm, 0.3)) & (norm < np.quantile(norm, 0.7))).astype(int)


def test_frozen_head_is_chosen_by_cross_validation():
    from seqae.tasks.classifier import _frozen_head

    features, y = _ring(150)
    assert _frozen_head(True, features, y, 0).named_steps["map"] != "passthrough"
    assert _frozen_head(True, features, y, 0, "linear").named_steps["map"] == "passthrough"
    # classes split by a hyperplane: the linear head (first on a tie, simpler)
    line = (features[:, 0] > 0).astype(int)
    assert _frozen_head(True, features, line, 0).named_steps["map"] == "passthrough"
    # regression: a target that is a function of the norm wants the kernel too
    target = np.linalg.norm(features, axis=1) ** 2
    assert _frozen_head(False, features, target, 0).named_steps["map"] != "passthrough"
    # the kernel: every row an anchor, gamma = 1 / n_features (SVC's 'scale' on
    # standardised inputs)
    kernel = _frozen_head(True, features, y, 0, "rbf").named_steps["map"]
    assert kernel.components_.shape == (150, 4) and kernel.gamma == 0.25


def test_refit_of_the_frozen_head_keeps_its_choices():
    """keep_frozen's refit on every label keeps the map and C chosen on the training rows
    (no second cross-validation) and refits the model on all the rows given."""
    from seqae.tasks.classifier import _frozen_head

    features, y = _ring(150)
    chosen = _frozen_head(True, features[:100], y[:100], 0)
    refit = _frozen_head(True, features, y, 0, like=chosen)
    assert refit.named_steps["map"] != "passthrough"
    assert refit.named_steps["map"].components_.shape == (150, 4)
    assert refit.named_steps["model"].C == chosen.named_steps["model"].C
    assert refit.named_steps["model"].n_features_in_ == 150
    linear = _frozen_head(True, features[:100], y[:100], 0, "linear")
    assert _frozen_head(True, features, y, 0, like=linear).named_steps["map"] == "passthrough"
    ridge = _frozen_head(False, features[:100], features[:100, 0], 0, "linear")
    assert (_frozen_head(False, features, features[:, 0], 0, like=ridge)
            .named_steps["model"].alpha == ridge.named_steps["model"].alpha_)


def test_keep_frozen_cross_validates_the_head_once(monkeypatch):
    from seqae.tasks import classifier

    calls = []
    original = classifier._logistic_cv
    monkeypatch.setattr(classifier, "_logistic_cv",
                        lambda *args, **kw: calls.append(1) or original(*args, **kw))
    X, y = ring_sequences(80)
    model = SequenceClassifier(tiny_ae(), frozen_head="rbf", max_epochs=3, freeze_epochs=0,
                               encoder_lr=3.0, clip_grad_norm=None, patience=50,
                               random_state=0).fit(X, y)
    assert not model.fine_tuned_ and len(calls) == 1


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_refit_does_not_inherit_the_kept_head(Estimator):
    """A second fit of the same estimator is the first one again: the fine-tuning network
    does not start from the kernel head that the first fit kept (a bug: it read the
    previous fit's n_kernel_features_)."""
    X, y = ring_sequences(80)
    target = y if Estimator is SequenceClassifier else y + 0.0
    model = Estimator(tiny_ae(), frozen_head="rbf", max_epochs=3, freeze_epochs=0,
                      encoder_lr=3.0, clip_grad_norm=None, patience=50, random_state=0)
    first = model.fit(X, target).validation_scores_
    assert model.n_kernel_features_ > 0  # the first fit kept a kernel head
    assert model.fit(X, target).validation_scores_ == first


def ring_sequences(n, n_timesteps=16, random_state=0):
    """Sines whose class is whether their amplitude lies in a middle band."""
    rng = np.random.default_rng(random_state)
    amplitude = rng.uniform(0.2, 2.0, n)
    t = np.linspace(0, 2 * np.pi, n_timesteps)
    X = amplitude[:, None] * np.sin(t + rng.uniform(0, 2 * np.pi, (n, 1)))
    y = ((amplitude > 0.8) & (amplitude < 1.4)).astype(int)
    return X + 0.05 * rng.standard_normal(X.shape), y


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_keep_frozen_keeps_a_kernel_head(Estimator, tmp_path):
    """Where fine-tuning hurts and the kept head is an RBF kernel, the network predicts what
    the kernel model on the standardised frozen codes predicts, and keeps doing so after
    save/load."""
    import seqae
    from seqae.tasks.classifier import _frozen_head

    X, y = ring_sequences(80)
    target = y if Estimator is SequenceClassifier else y + 0.0
    ae = tiny_ae().fit(X)
    params = dict(max_epochs=3, freeze_epochs=0, encoder_lr=3.0, clip_grad_norm=None,
                  patience=50, random_state=0)
    model = Estimator(ae, frozen_head="rbf", **params).fit(X, target)
    assert not model.fine_tuned_ and model.n_kernel_features_ == 80
    assert model.net_.module_.kernel.anchors.shape == (80, 8)
    features = _standardised_codes(ae, X)
    # the head compared on the training rows, then refitted on every label with its C
    classification = Estimator is SequenceClassifier
    labels = target if classification else (target - target.mean()) / target.std()
    train = np.setdiff1d(np.arange(len(X)), model._validation_rows(labels, 0))
    chosen = _frozen_head(classification, features[train], labels[train], 0, "rbf")
    reference = _frozen_head(classification, features, labels, 0, like=chosen)
    if Estimator is SequenceClassifier:
        np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(features),
                                   atol=1e-3)
    else:
        np.testing.assert_allclose(model.predict(X), reference.predict(features) * target.std()
                                   + target.mean(), atol=1e-3)
    seqae.save(model, tmp_path / "model")
    loaded = seqae.load(tmp_path / "model")
    assert loaded.n_kernel_features_ == 80
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    # the linear head: no kernel layer
    linear = Estimator(ae, frozen_head="linear", **params).fit(X, target)
    assert not linear.fine_tuned_ and linear.n_kernel_features_ == 0
    assert linear.net_.module_.kernel is None
    # (ONNX export of the kernel head: test_onnx_export)


def test_svm_head_chooses_C_over_repeated_folds(monkeypatch):
    """The SVM head's C is the best mean accuracy over SVM_CV_REPEATS repeats of the k-fold
    split (GridSearchCV over a RepeatedStratifiedKFold); on these codes one k-fold alone
    would choose another C, so the repeats are what decides it. Above
    MAX_PRECOMPUTED_ROWS labels (SVC's own kernel per fit) the same C and score."""
    from sklearn.model_selection import GridSearchCV, RepeatedStratifiedKFold
    from sklearn.svm import SVC

    from seqae.tasks.classifier import SVM_C_GRID, SVM_CV_REPEATS, _svm

    rng = np.random.default_rng(0)
    y = np.arange(30) % 2
    X = rng.standard_normal((30, 6)) + 0.8 * y[:, None]
    X = (X - X.mean(0)) / X.std(0)

    def best_C(repeats):
        folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0)
        search = GridSearchCV(SVC(gamma=1.0 / (6 * X.var())), {"C": SVM_C_GRID}, cv=folds)
        return search.fit(X, y).best_params_["C"]

    model, score = _svm(True, X, y, 0)
    assert SVM_CV_REPEATS == 3
    assert model.C == best_C(SVM_CV_REPEATS) != best_C(1)
    assert 0.5 < score <= 1.0
    from seqae.tasks import classifier

    monkeypatch.setattr(classifier, "MAX_PRECOMPUTED_ROWS", len(y) - 1)
    large, large_score = _svm(True, X, y, 0)
    assert large.C == model.C and large_score == pytest.approx(score, abs=1e-12)


def test_svm_cv_predicts_what_svc_predicts(monkeypatch):
    """The head's CV calls libsvm as SVC does, without its per-fit checks: on random
    problems of 2-4 classes (string labels, a class missing from some test folds) and
    every C of the grid, the same hits as SVC(kernel='precomputed'); and SVC itself where
    scikit-learn's binding is missing."""
    from sklearn.metrics.pairwise import rbf_kernel
    from sklearn.svm import SVC

    from seqae.tasks import classifier

    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(12):
        n, k = int(rng.integers(12, 60)), int(rng.integers(2, 5))
        y = np.array(list("abcd"))[rng.integers(0, k, n)]
        X = rng.standard_normal((n, 5)) + (y == "a")[:, None]
        K = rbf_kernel(X, gamma=float(rng.uniform(0.05, 1.0)))
        train = rng.permutation(n)[: 2 * n // 3]
        test = np.setdiff1d(np.arange(n), train)
        if len(np.unique(y[train])) < 2:
            continue
        args = (K[np.ix_(train, train)], y[train], K[np.ix_(test, train)], y[test],
                classifier.SVM_C_GRID)
        expected = [np.sum(SVC(kernel="precomputed", C=C).fit(args[0], args[1])
                           .predict(args[2]) == args[3]) for C in classifier.SVM_C_GRID]
        np.testing.assert_array_equal(classifier._svc_cv_hits(*args), expected)
        checked += 1
    assert checked >= 10
    monkeypatch.setattr(classifier, "_libsvm", None)
    np.testing.assert_array_equal(classifier._svc_cv_hits(*args), expected)


@pytest.mark.parametrize("Estimator, n_classes", [(SequenceClassifier, 2),
                                                  (SequenceClassifier, 3),
                                                  (SequenceRegressor, 1)])
def test_keep_frozen_keeps_the_svm_of_the_protocol(Estimator, n_classes, tmp_path):
    """frozen_head='svm': where fine-tuning hurts, the network predicts what the benchmarks'
    codes + SVM protocol (gamma='scale', C by stratified CV over SVM_C_GRID repeated
    SVM_CV_REPEATS times, fitted on every label's standardised frozen codes) predicts: the
    same labels, the same decision values (SVC's one-vs-rest shape for three classes), after
    save/load too."""
    import seqae
    from sklearn.model_selection import GridSearchCV, RepeatedKFold, RepeatedStratifiedKFold
    from sklearn.svm import SVC, SVR

    from seqae.tasks.classifier import SVM_C_GRID, SVM_CV_REPEATS

    X, y = ring_sequences(90)
    if n_classes == 3:  # a third class: the largest amplitudes
        y = np.where(np.abs(X).max(1) > 1.6, 2, y)
    target = y if Estimator is SequenceClassifier else y + 0.0
    ae = tiny_ae().fit(X)
    # (the classifier's codes alone: series_kernel has its own tests)
    codes_only = {"series_kernel": None} if Estimator is SequenceClassifier else {}
    model = Estimator(ae, frozen_head="svm", max_epochs=3, freeze_epochs=0, encoder_lr=3.0,
                      clip_grad_norm=None, patience=50, random_state=0,
                      **codes_only).fit(X, target)
    assert not model.fine_tuned_ and model.frozen_head_ == "svm"
    features = _standardised_codes(ae, X)
    gamma = 1.0 / (features.shape[1] * features.var())
    if Estimator is SequenceClassifier:
        folds = RepeatedStratifiedKFold(n_splits=5, n_repeats=SVM_CV_REPEATS, random_state=0)
        search = GridSearchCV(SVC(gamma=gamma), {"C": SVM_C_GRID}, cv=folds)
        reference = search.fit(features, target).best_estimator_
        np.testing.assert_array_equal(model.predict(X), reference.predict(features))
        # (float32 in the network: decision values agree to rounding)
        np.testing.assert_allclose(model.decision_function(X),
                                   reference.decision_function(features), atol=1e-2)
        assert len(model.decision_function(X).shape) == (1 if n_classes == 2 else 2)
    else:
        labels = (target - target.mean()) / target.std()
        search = GridSearchCV(SVR(gamma=gamma), {"C": SVM_C_GRID},
                              cv=RepeatedKFold(n_splits=5, n_repeats=SVM_CV_REPEATS,
                                               random_state=0),
                              scoring="neg_mean_squared_error")
        reference = search.fit(features, labels).best_estimator_
        np.testing.assert_allclose(model.predict(X), reference.predict(features)
                                   * target.std() + target.mean(), atol=1e-2)
    assert model.n_kernel_features_ == len(reference.support_vectors_)
    seqae.save(model, tmp_path / "model")
    loaded = seqae.load(tmp_path / "model")
    assert loaded.frozen_head_ == "svm"
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))



def bumps(n, n_timesteps=16, random_state=0):
    """Noise with one bump, at step 5 (class 1) or step 10 (class 0): plain in the raw
    series, lost by the code of a barely trained autoencoder of 2 values."""
    rng = np.random.default_rng(random_state)
    y = np.arange(n) % 2
    X = 0.3 * rng.standard_normal((n, n_timesteps))
    X[np.arange(n), np.where(y == 1, 5, 10)] += 2.0
    return X, y


def _series_kernel_case():
    X, y = bumps(60)
    ae = RAESCTransformer(n_components=2, max_epochs=1, batch_size=16, random_state=0).fit(X)
    params = dict(max_epochs=2, freeze_epochs=0, patience=50, random_state=0)
    return X, y, ae, params


def _rocket_features(series, X_new):
    """MiniRocket's features of univariate ``X_new`` by the fitted layer of ``series``."""
    with torch.no_grad():
        return series.rocket(torch.as_tensor(X_new[:, :, None],
                                             dtype=torch.float32)).double().numpy()


def _reference_inputs(ae, X, series, X_new, new_series):
    """The reference SVM's inputs for new sequences: their codes and series' features,
    standardised with the training sequences' statistics."""
    codes = ae.transform(X)
    scale = np.where(codes.std(0) > 1e-6, codes.std(0), 1)
    return np.hstack([(ae.transform(X_new) - codes.mean(0)) / scale,
                      (new_series - series.mean) / series.scale])


@pytest.mark.parametrize("view, n_features", [("minirocket", 9996), ("raw", 16)])
def test_series_kernel_keeps_what_the_codes_lose(view, n_features, tmp_path, monkeypatch):
    """series_kernel: the frozen SVM head's CV chooses a mix of the codes' and the series'
    RBF kernels where the codes lose the class (MiniRocket's ridge, which comes first and
    ties here, left out: its own test is below); the network then predicts what that SVM
    (fitted on every label's standardised codes and series' features) predicts, after
    save/load too; switched off, the head reads the codes alone and is near chance."""
    import seqae
    from seqae.tasks.classifier import SERIES_KERNELS, _series_inputs, _svm

    monkeypatch.setitem(SERIES_KERNELS, "minirocket", (("minirocket", 0.5, 2),))
    X, y, ae, params = _series_kernel_case()
    model = SequenceClassifier(ae, series_kernel=view, **params).fit(X, y)
    assert not model.fine_tuned_ and model.frozen_head_ == "svm"
    assert model.series_kernel_ == view and model.n_series_features_ == n_features
    assert float(model.net_.module_.series_weight) == 0.5
    assert (model.net_.module_.rocket is None) == (view == "raw")
    inputs, mix, series = _series_inputs(view, X[:, :, None], 0, 16,
                                         _standardised_codes(ae, X))
    series = series[view]
    reference = _svm(True, inputs, y, 0, mix=mix)[0]
    assert reference.weight == 0.5 and reference.view == view
    assert model.n_kernel_features_ == len(reference.support_)
    X_test, y_test = bumps(100, random_state=1)
    new_series = X_test if view == "raw" else _rocket_features(series, X_test)
    inputs = _reference_inputs(ae, X, series, X_test, new_series)
    np.testing.assert_array_equal(model.predict(X_test), reference.predict(inputs))
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(inputs), atol=1e-2)
    assert model.score(X_test, y_test) > 0.9
    seqae.save(model, tmp_path / "model")
    loaded = seqae.load(tmp_path / "model")
    assert loaded.series_kernel_ == view and loaded.n_series_features_ == n_features
    np.testing.assert_array_equal(loaded.decision_function(X_test),
                                  model.decision_function(X_test))
    codes_only = SequenceClassifier(ae, series_kernel=None, **params).fit(X, y)
    assert codes_only.series_kernel_ is None and codes_only.n_series_features_ == 0
    assert codes_only.net_.module_.series_kernel is None
    assert codes_only.score(X_test, y_test) < 0.7


def test_minirocket_kernel_reads_the_unlabelled_and_needs_no_gate():
    """The default ('auto'): with 3 labels per class MiniRocket's mix is still chosen, and
    its features' statistics are those of every sequence, the unlabelled ones too; the raw
    values' mix waits for 10 labels per class."""
    from seqae.tasks.classifier import SERIES_KERNELS, _series_features, _SeriesMix, _svm

    X, y, ae, params = _series_kernel_case()
    assert SequenceClassifier().series_kernel == "auto"
    assert SERIES_KERNELS["auto"][0] == ("minirocket", None, 1)  # the ridge, first
    y_partial = np.full_like(y, -1)
    y_partial[:6] = y[:6]  # 3 labels per class
    model = SequenceClassifier(ae, **params).fit(X, y_partial)
    assert model.series_kernel_ == "minirocket" and model.n_series_features_ == 9996
    series = _series_features("minirocket", X[:, :, None], 0, 16)
    np.testing.assert_allclose(model.net_.module_.series_mean.numpy(), series.mean,
                               atol=1e-5)
    # 'raw': the codes alone below 10 labels per class, the mix from 10
    assert SERIES_KERNELS["raw"] == (("raw", 1.0, 10), ("raw", 0.5, 10))
    inputs = np.hstack([_standardised_codes(ae, X), (X - X.mean(0)) / X.std(0)])
    mix = _SeriesMix(2, (("raw", 2, 18),), SERIES_KERNELS["raw"])
    for per_class, weight in ((9, 1.0), (10, 0.5)):
        rows = np.r_[np.flatnonzero(y == 0)[:per_class], np.flatnonzero(y == 1)[:per_class]]
        assert _svm(True, inputs[rows], y[rows], 0, mix=mix)[0].weight == weight
    # 'auto': where the raw values carry the class and MiniRocket's block does not, the CV
    # takes the raw values' mix from 10 labels per class, and cannot before
    noise = np.random.default_rng(0).standard_normal((len(X), 30))
    inputs = np.hstack([_standardised_codes(ae, X), noise, (X - X.mean(0)) / X.std(0)])
    mix = _SeriesMix(2, (("minirocket", 2, 32), ("raw", 32, 48)), SERIES_KERNELS["auto"])
    for per_class, view in ((9, "minirocket"), (10, "raw")):
        rows = np.r_[np.flatnonzero(y == 0)[:per_class], np.flatnonzero(y == 1)[:per_class]]
        fitted = _svm(True, inputs[rows], y[rows], 0, mix=mix)[0]
        assert fitted.view == view and fitted.weight == 0.5
        assert fitted.series_support_vectors_.shape[1] == (30 if view == "minirocket" else 16)


def test_ridge_candidate_is_a_linear_layer_on_minirocket(monkeypatch, tmp_path):
    """A ridge on MiniRocket's features (a candidate of ``weight=None``): where the CV picks
    it, the network's head is a linear layer on the standardised features (weights of 0 on
    the code) and predicts what the ridge on the same features predicts, after save/load
    too; with one label in some class it is taken without CV only where it comes first."""
    import seqae
    from seqae.tasks.classifier import (RIDGE_ALPHAS, SERIES_KERNELS, _series_inputs,
                                        _SeriesMix, _SeriesRidge, _svm)

    X, y, ae, params = _series_kernel_case()
    monkeypatch.setitem(SERIES_KERNELS, "minirocket", (("minirocket", None, 1),))
    model = SequenceClassifier(ae, series_kernel="minirocket", **params).fit(X, y)
    assert not model.fine_tuned_ and model.frozen_head_ == "ridge"
    assert model.series_kernel_ == "minirocket" and model.n_series_features_ == 9996
    assert model.n_kernel_features_ == 0 and model.net_.module_.series_kernel is None
    head = model.net_.module_.head
    assert head.in_features == 2 + 9996 and not head.weight[:, :2].any()
    inputs, mix, series = _series_inputs("minirocket", X[:, :, None], 0, 16,
                                         _standardised_codes(ae, X))
    reference = _svm(True, inputs, y, 0, mix=mix)[0]
    assert isinstance(reference, _SeriesRidge) and reference.alpha_ in RIDGE_ALPHAS
    series = series["minirocket"]
    X_test, y_test = bumps(100, random_state=1)
    new_inputs = _reference_inputs(ae, X, series, X_test, _rocket_features(series, X_test))
    np.testing.assert_array_equal(model.predict(X_test), reference.predict(new_inputs))
    np.testing.assert_allclose(model.decision_function(X_test),
                               reference.decision_function(new_inputs), atol=1e-3)
    assert model.score(X_test, y_test) > 0.9
    seqae.save(model, tmp_path / "model")
    loaded = seqae.load(tmp_path / "model")
    assert loaded.frozen_head_ == "ridge"
    np.testing.assert_array_equal(loaded.decision_function(X_test),
                                  model.decision_function(X_test))
    # one label per class: no CV; the ridge where it comes first, else the codes' SVM
    rows = np.r_[0, 1]
    first = _SeriesMix(2, mix.blocks, (("minirocket", None, 1), ("minirocket", 0.5, 2)))
    last = _SeriesMix(2, mix.blocks, (("minirocket", 0.5, 2), ("minirocket", None, 1)))
    assert isinstance(_svm(True, inputs[rows], y[rows], 0, mix=first)[0], _SeriesRidge)
    codes_svm = _svm(True, inputs[rows], y[rows], 0, mix=last)[0]
    assert not isinstance(codes_svm, _SeriesRidge) and codes_svm.weight == 1.0


def test_ridge_cv_reads_the_rows_own_basis():
    """The head's CV scores the ridge on ``_row_space`` of its block (n columns, not
    thousands): the same alpha and decision values as on the block itself, in every fold."""
    from sklearn.linear_model import RidgeClassifierCV

    from seqae.tasks.classifier import RIDGE_ALPHAS, _row_space

    rng = np.random.default_rng(0)
    block = rng.standard_normal((40, 500)) + np.repeat(rng.standard_normal((4, 500)), 10, 0)
    y = np.repeat(np.arange(4), 10)
    rows = _row_space(block)
    assert rows.shape == (40, 40)
    np.testing.assert_allclose(rows @ rows.T, block @ block.T, atol=1e-8)
    for train, test in ((np.arange(0, 40, 2), np.arange(1, 40, 2)),
                        (np.arange(30), np.arange(30, 40))):
        full = RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(block[train], y[train])
        small = RidgeClassifierCV(alphas=RIDGE_ALPHAS).fit(rows[train], y[train])
        assert full.alpha_ == small.alpha_
        np.testing.assert_allclose(full.decision_function(block[test]),
                                   small.decision_function(rows[test]), atol=1e-8)


def test_series_kernel_without_one_length():
    """Sequences of different lengths: MiniRocket's view reads each resampled to the longest
    (the raw values' view, which needs one length, keeps the codes); a head on the raw
    values refuses shorter sequences at predict (padding is not a value), MiniRocket's
    resamples them; its codes take them either way. Under 9 steps 'minirocket' keeps the
    codes and 'auto' reads the raw values."""
    X, y, ae, params = _series_kernel_case()
    ragged = [x[:n] for x, n in zip(X, np.random.default_rng(0).integers(12, 17, len(X)))]
    ragged[0] = X[0]  # the longest: the autoencoder's length
    model = SequenceClassifier(ae, **params).fit(ragged, y)
    assert not model.fine_tuned_ and model.series_kernel_ == "minirocket"
    assert SequenceClassifier(ae, series_kernel="raw", **params).fit(
        ragged, y).series_kernel_ is None
    assert model.predict(ragged).shape == (60,)
    raw = SequenceClassifier(ae, series_kernel="raw", **params).fit(X, y)
    assert raw.series_kernel_ == "raw"
    with pytest.raises(ValueError, match="series_kernel"):
        raw.predict(ragged)
    assert raw.predict(list(X)).shape == (60,) and raw.transform(ragged).shape == (60, 2)
    short = X[:, 2:10]  # 8 steps: too short for MiniRocket's kernels
    model = SequenceClassifier(None, series_kernel="minirocket", pretrain=False,
                               **params).fit(short, y)
    assert model.series_kernel_ is None
    model = SequenceClassifier(None, pretrain=False, **params).fit(short, y)
    assert model.series_kernel_ in (None, "raw") and model.net_.module_.rocket is None


def test_minirocket_view_of_ragged_sequences_is_the_resampled_svm():
    """On sequences of different lengths the network predicts what the SVM on the codes and
    the MiniRocket features of the sequences resampled to the longest training length
    predicts, new sequences resampled the same way (shorter ones too)."""
    import torch

    from seqae.modules.rocket import resample
    from seqae.tasks.classifier import _series_inputs, _svm

    X, y, ae, params = _series_kernel_case()
    rng = np.random.default_rng(1)
    ragged = [x[:n] for x, n in zip(X, rng.integers(12, 17, len(X)))]
    ragged[0] = X[0]
    model = SequenceClassifier(ae, series_kernel="minirocket", **params).fit(ragged, y)
    assert model.series_kernel_ == "minirocket"
    X3 = np.zeros((60, 16, 1))
    lengths = np.array([len(x) for x in ragged])
    for i, x in enumerate(ragged):
        X3[i, :len(x), 0] = x
    codes = ae.transform(ragged)
    scale = np.where(codes.std(0) > 1e-6, codes.std(0), 1)
    inputs, mix, series = _series_inputs("minirocket", X3, 0, 16,
                                         (codes - codes.mean(0)) / scale, lengths)
    reference = _svm(True, inputs, y, 0, mix=mix)[0]
    X_new = [x[:n] for x, n in zip(bumps(40, random_state=3)[0],
                                   rng.integers(10, 17, 40))]
    new3 = np.zeros((40, 16, 1))
    for i, x in enumerate(X_new):
        new3[i, :len(x), 0] = x
    with torch.no_grad():
        features = series["minirocket"].rocket(resample(
            torch.as_tensor(new3, dtype=torch.float32), [len(x) for x in X_new], 16))
    new_inputs = np.hstack([(ae.transform(X_new) - codes.mean(0)) / scale,
                            (features.double().numpy() - series["minirocket"].mean)
                            / series["minirocket"].scale])
    np.testing.assert_array_equal(model.predict(X_new), reference.predict(new_inputs))
    np.testing.assert_allclose(model.decision_function(X_new),
                               reference.decision_function(new_inputs), atol=1e-2)


@pytest.mark.parametrize("Estimator", [SequenceClassifier, SequenceRegressor])
def test_default_pretraining_is_raesc_at_the_larger_step(Estimator):
    """autoencoder=None pre-trains RAESCTransformer with lr=PRETRAINING_LR (3e-3, chosen for
    the codes of a classifier) and every other parameter at the autoencoder's default."""
    from seqae.tasks._common import PRETRAINING_LR

    built = Estimator()._autoencoder()
    assert PRETRAINING_LR == 3e-3
    assert isinstance(built, RAESCTransformer)
    assert built.get_params() == RAESCTransformer(lr=3e-3).get_params()
    assert RAESCTransformer().lr == 1e-3  # the autoencoders' own default is unchanged
