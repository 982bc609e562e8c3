"""
=====================================================
Classification with 10% of the labels (GunPoint)
=====================================================

A user has many sequences and labels for a few of them. :class:`~seqae.SequenceClassifier`
puts the unlabelled ones to work: it pre-trains a seqae autoencoder (by default
``RAESCTransformer(lr=3e-3)``, the step that made better codes for a classifier) on all the
sequences, fits a head on the labelled ones (by cross-validation, a ridge classifier on
MiniRocket's features of the series, standardised with every sequence, or an RBF SVM on a
mix of the codes' kernel and those features' kernel), and fine-tunes the encoder with a
classification head only where held-out labels show that fine-tuning beats that head
(``keep_frozen``). Unlabelled sequences are marked with the label ``-1``, scikit-learn's
semi-supervised convention.

Here GunPoint's training split keeps 10% of its labels (5 series, at least 2 per class):
too few to hold any out, so the classifier keeps the frozen head and does not fine-tune. It is compared with the same network fine-tuned anyway (``keep_frozen=False``),
with that network trained from scratch on the 5 labels (``pretrain=False``), and with an
RBF SVM on the raw series trained on the same 5 labels.
``benchmarks/features/semisupervised.py`` makes this comparison over label fractions, seeds and
data sets, with MiniRocket and self-training beside it.
"""

# %%
# The data, with 10% of the training labels
# -----------------------------------------
import os

import matplotlib.pyplot as plt
import numpy as np
from aeon.datasets import load_gunpoint
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from seqae import RAESCTransformer, SequenceClassifier
from seqae.interop import from_channels_first

FAST = os.environ.get("SEQAE_EXAMPLES_FAST") == "1"  # the docs' CI build: a few epochs only

X_train, y_train = load_gunpoint(split="train")
X_test, y_test = load_gunpoint(split="test")
X_train, X_test = from_channels_first(X_train), from_channels_first(X_test)

rng = np.random.default_rng(0)
labelled = np.concatenate([
    rng.choice(np.flatnonzero(y_train == label),
               max(2, round(0.1 * np.sum(y_train == label))), replace=False)
    for label in np.unique(y_train)])
y_partial = y_train.astype(object)
y_partial[np.setdiff1d(np.arange(len(y_train)), labelled)] = -1
print(f"{len(labelled)} labelled of {len(y_train)} training series:",
      dict(zip(*np.unique(y_train[labelled], return_counts=True))))

# %%
# Pre-train on all 50 series; the 5 labelled ones fit the head
# ------------------------------------------------------------
# The autoencoder is fitted once and passed to every classifier: a fitted autoencoder is
# reused as it is (no second pre-training); ``pretrain=False`` re-initialises every layer of
# the same network instead. ``lr=3e-3`` is what ``autoencoder=None`` would pre-train.
ae = RAESCTransformer(lr=3e-3, max_epochs=3 if FAST else "auto", random_state=0).fit(X_train)
epochs = {"max_epochs": 3} if FAST else {}
clf = SequenceClassifier(ae, random_state=0, **epochs).fit(X_train, y_partial)
print(f"fine-tuned: {clf.fine_tuned_}, frozen head: {clf.frozen_head_}, "
      f"view of the series: {clf.series_kernel_}")
tuned = SequenceClassifier(ae, keep_frozen=False, random_state=0, **epochs)
tuned.fit(X_train, y_partial)
scratch = SequenceClassifier(ae, pretrain=False, random_state=0, **epochs)
scratch.fit(X_train[labelled], y_train[labelled])

# %%
# The raw-series SVM on the same 5 labels
# ---------------------------------------
# Standardised series, RBF kernel, ``C`` by 2-fold cross-validation over the labelled series.
svm = GridSearchCV(make_pipeline(StandardScaler(), SVC()), {"svc__C": np.logspace(-3, 4, 8)},
                   cv=StratifiedKFold(2, shuffle=True, random_state=0))
svm.fit(X_train[labelled, :, 0], y_train[labelled])

scores = {
    f"SequenceClassifier\n(frozen head: {clf.frozen_head_})": clf.score(X_test, y_test),
    "fine-tuned anyway\n(keep_frozen=False)": tuned.score(X_test, y_test),
    "same network,\nfrom scratch": scratch.score(X_test, y_test),
    "raw-series SVM": svm.score(X_test[:, :, 0], y_test),
}
for name, score in scores.items():
    print(f"{name.replace(chr(10), ' '):40s} test accuracy {score:.3f}")

# %%
# Accuracy, and the fine-tuning curves
# ------------------------------------
# Fine-tuning (forced here): the first ``freeze_epochs`` epochs train the head alone on the
# pre-trained codes; then the encoder trains too, at its own smaller learning rate. With
# fewer than 5 labels per class there is no validation split, so all ``max_epochs`` epochs
# run, and nothing tells whether they helped: the default classifier trained none.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
left.bar(range(len(scores)), list(scores.values()), color=["C0", "C3", "C1", "C2"])
left.set_xticks(range(len(scores)), list(scores), fontsize=8)
left.set_ylim(0.4, 1.0)
left.set_ylabel("test accuracy (150 series)")
for name, model in [("pre-trained, keep_frozen=False", tuned), ("from scratch", scratch)]:
    right.plot(model.net_.history[:, "train_loss"], label=name)
right.axvline(clf.freeze_epochs - 0.5, color="grey", linestyle=":", label="encoder unfrozen")
right.set_xlabel("fine-tuning epoch")
right.set_ylabel("training loss")
right.legend()
plt.show()

# %%
# One draw of 5 labels says little: ``benchmarks/features/semisupervised.py`` averages three seeds
# per label fraction and data set, and ``benchmarks/README.md`` gives its tables, including
# where the pre-trained classifier loses.
