"""
====================================================
GunPoint: autoencoder codes as classifier features
====================================================

A :class:`~seqae.RAESCTransformer` compresses each GunPoint series into a short code and an
SVM classifies the codes. ``GridSearchCV`` tunes the context-size ratio ``sigma`` (how many
values the code has per input value) together with the SVM's ``C``, with the pipeline's
transformer cached so that each autoencoder is trained once per fold, not once per ``C``.
Two baselines are computed in the same script: an SVM on the raw series and the 1-nearest-
neighbour classifier with Euclidean distance (the standard UCR baseline).
"""

# %%
# The data
# --------
# GunPoint (UCR): 50 training and 150 test series of 150 points, two classes (drawing a gun
# or pointing a finger). aeon returns ``(n_cases, n_channels, n_timepoints)``;
# :func:`seqae.interop.from_channels_first` gives seqae's ``(n_cases, n_timepoints,
# n_channels)``. The series are smooth, so every third point keeps their shape and makes
# training three times faster.
import os
import tempfile

import matplotlib.pyplot as plt
from aeon.datasets import load_gunpoint
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from seqae import RAESCTransformer
from seqae.interop import from_channels_first
from seqae.plotting import plot_history, plot_reconstructions

FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"  # the docs' CI build: a few epochs only

X_train, y_train = load_gunpoint(split="train")
X_test, y_test = load_gunpoint(split="test")
X_train = from_channels_first(X_train)[:, ::3]
X_test = from_channels_first(X_test)[:, ::3]
print("train", X_train.shape, "test", X_test.shape)

# %%
# Autoencoder codes + SVM, tuned by cross-validation
# ---------------------------------------------------
# ``sigma=0.25`` gives codes of ``0.25 * 50 = 12`` values, ``0.5`` of 25. The codes are
# standardised before the RBF-kernel SVM. ``memory`` caches the fitted autoencoder of each
# (``sigma``, fold) pair, so the three values of ``C`` reuse it.
with tempfile.TemporaryDirectory() as cache:
    pipe = Pipeline(
        [
            ("ae", RAESCTransformer(max_epochs=3 if FAST else 100, lr=1e-2, random_state=0)),
            ("scale", StandardScaler()),
            ("clf", SVC()),
        ],
        memory=cache,
    )
    search = GridSearchCV(pipe, {"ae__sigma": [0.25, 0.5], "clf__C": [1, 10, 100]}, cv=3)
    search.fit(X_train, y_train)
    ae_accuracy = search.score(X_test, y_test)
print("best parameters:", search.best_params_)
print(f"cross-validated accuracy: {search.best_score_:.3f}")

# %%
# Baselines on the raw series
# ---------------------------
raw_train, raw_test = X_train[:, :, 0], X_test[:, :, 0]
raw_svc = GridSearchCV(SVC(), {"C": [1, 10, 100]}, cv=3).fit(raw_train, y_train)
svc_accuracy = raw_svc.score(raw_test, y_test)
nn_accuracy = KNeighborsClassifier(n_neighbors=1).fit(raw_train, y_train).score(raw_test,
                                                                                 y_test)

print(f"test accuracy, RAESC codes + SVM:   {ae_accuracy:.3f}")
print(f"test accuracy, raw series + SVM:    {svc_accuracy:.3f}")
print(f"test accuracy, 1-NN Euclidean:      {nn_accuracy:.3f}")

# %%
# What the chosen autoencoder learned
# -----------------------------------
# Its training loss per epoch, and two test series beside their reconstructions from the
# code.
ae = search.best_estimator_.named_steps["ae"]
fig = plt.figure(figsize=(9, 3.5), layout="constrained")
left, right = fig.subfigures(1, 2)
plot_history(ae, ax=left.subplots())
plot_reconstructions(ae, X_test, n_sequences=2, axes=right.subplots(2, 1, sharex=True))
plt.show()

# %%
# On this small training set (50 series) the raw-series SVM is hard to beat: the
# autoencoder has to learn its features from the same 50 series. The codes pay off where the
# series are long or multivariate and the code is much shorter than the input, and where
# unlabelled data can train the autoencoder (see the clustering example).
