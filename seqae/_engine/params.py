"""The estimators' parameters: one table, from which everything else is derived.

Each :class:`Param` row holds a parameter's name, default, scikit-learn constraint,
numpydoc type and description, and where its value goes:

* ``MODULE``: a keyword argument of the same name of the PyTorch module class
  (``module__<name>`` of the skorch net);
* ``CRITERION``: a keyword argument of the same name of the criterion;
* ``TRAINING``: read by the estimator's ``fit`` (training loop, sizes, validation).

A row may go to both the module and the criterion (e.g. ``sparsity``: the module returns
the code, the criterion weights its L1 norm). An estimator lists the rows it takes
(``_params``); :class:`~seqae.autoencoders.base.BaseSequenceAutoencoder` derives from that list, when
the class is created:

* ``_parameter_constraints`` (scikit-learn's validation in ``fit``);
* the numpydoc "Parameters" section of the class docstring (its ``{parameters}`` line);
* the module's and the criterion's keyword arguments in ``fit`` (:func:`module_kwargs`,
  :func:`criterion_kwargs`);

and checks that the explicit ``__init__`` signature (which scikit-learn's ``get_params``
reads) has exactly these names, in this order, with these defaults: a class whose signature
and table disagree fails at import. Adding a parameter is adding one row here and its name
to the estimators' lists (and ``__init__`` signatures); see the contributor notes in
``docs/contributing.rst``.
"""

import inspect
import itertools
import textwrap
from dataclasses import dataclass, replace
from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..modules import ISOMETRY_METRICS, LIKELIHOODS, LOSSES, MODES, VIEW_MODES
from ..modules.rnn import ACTIVATIONS, READOUTS

__all__ = ["Param", "PARAMS", "MODULE", "CRITERION", "TRAINING", "FINE_TUNING", "rows",
           "arguments", "module_kwargs", "criterion_kwargs", "parameters_section",
           "check_signature", "apply_table", "TableParams", "ATTRIBUTES",
           "READOUT_OPTIONS", "DEFAULT_SCORE", "DEFAULT_WINDOW_RANGE"]

MODULE, CRITERION, TRAINING = "module", "criterion", "training"

#: Every valid ``readout``: one or more of the encoder's read-outs, each once, joined with
#: ``'+'`` in any order (what :func:`seqae.modules.rnn.parse_readout` accepts).
READOUT_OPTIONS = frozenset(
    "+".join(names) for k in range(1, len(READOUTS) + 1)
    for names in itertools.permutations(READOUTS, k))
#: The detector's default window score (see ``AutoencoderAnomalyDetector``'s ``score``).
DEFAULT_SCORE = "combined"
#: The detector's default number of autoencoders (``n_estimators``).
DEFAULT_N_ESTIMATORS = 1
#: Smallest and largest window the data-derived default may take (the period is searched
#: beyond the largest, so that a longer period is reported, not replaced by a harmonic).
DEFAULT_WINDOW_RANGE = (8, 1024)


@dataclass(frozen=True)
class Param:
    """One row of the parameter table.

    Attributes
    ----------
    name : str
        The estimator's parameter name, and the module's/criterion's keyword argument.
    default : object
        Default value (``__init__``'s default must equal it).
    constraints : list
        scikit-learn parameter constraints (``_parameter_constraints[name]``).
    type : str
        numpydoc type of the parameter (what precedes ``, default=``).
    doc : str
        numpydoc description: true of every estimator that lists the row.
    to : tuple of str
        Where the value goes: ``MODULE``, ``CRITERION`` and/or ``TRAINING``.
    note : str
        What the parameter does in one estimator beyond ``doc`` (set through :func:`rows`'s
        ``changes``; ``doc`` itself, the meaning, is the same for every estimator).
    """

    name: str
    default: object
    constraints: list
    type: str
    doc: str
    to: tuple = (TRAINING,)
    note: str = ""

    def numpydoc(self):
        """The row's numpydoc entry (indented for a class docstring)."""
        text = textwrap.dedent(self.doc).strip()
        if self.note:
            text += "\n" + textwrap.dedent(self.note).strip()
        body = textwrap.indent(text, " " * 8)
        return f"    {self.name} : {self.type}, default={self.default!r}\n{body}"


_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]
_NON_NEGATIVE = [Interval(Real, 0, None, closed="left")]

_ROWS = [
    Param("n_components", None, [Interval(Integral, 1, None, closed="left"), None],
          "int or None", """
        Context size ``n_C``: the length of the code ``transform`` returns. ``None``: set
        by ``sigma`` (``n_components_`` holds the value used). Setting both
        ``n_components`` and a ``sigma`` other than ``'auto'`` is a ``ValueError`` in
        ``fit``: they say the same thing."""),
    Param("sigma", "auto", [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
          "float or 'auto'", """
        Context-size ratio (Eq. 3 of the RAES paper), used when ``n_components=None``: the
        code has ``n_C = round(sigma * m_X * n_X)`` values for inputs of ``n_X`` time
        steps with ``m_X`` features each. ``'auto'``: ``n_C = min(m_X * n_X, 96)`` (sigma
        = 1, the paper's largest context, capped so that long or multivariate series keep
        a small code and network), or ``n_components`` when that is set; ``sigma_`` holds
        the ratio used. ``score`` makes it searchable without labels, e.g.
        ``GridSearchCV(RAESCTransformer(), {'sigma': [0.25, 0.5, 1.0]})``; a larger code
        tends to reconstruct better, so such a search tends to the largest value."""),
    Param("stretch", True, ["boolean"], "bool", """
        What RAES (and the VRAE with ``bridge='reshape'``) does where Eq. 1 cannot hold
        (``n_C`` not a multiple of the decoder's number of steps, ``n_X`` or its frames):
        ``True`` stretches ``C`` to the next multiple,
        filling each gap with the average of its two neighbours, then applies Eq. 1 (the
        paper's alternative, Sec. 2.3); where ``n_C`` is a multiple the layout is exactly
        Eq. 1 either way. ``False`` makes ``fit`` raise a ``ValueError`` there, naming the
        values that work (the paper's Table 1 leaves those cells out).""", (MODULE,)),
    Param("kernel_size", 3, _POSITIVE_INT, "int", """
        Width of the filters of the RAESC bridge's convolution (Eq. 2; 'same' padding,
        stride 1).""", (MODULE,)),
    Param("pool_size", 3, _POSITIVE_INT, "int", """
        Width of the RAESC bridge's max-pooling window ('same' padding, stride 1); 1
        disables pooling.""", (MODULE,)),
    Param("cell", "gru", [StrOptions({"gru", "lstm"})], "{'gru', 'lstm'}", """
        Recurrent cell of the encoder and the decoder (the RAES paper uses GRU).""",
          (MODULE,)),
    Param("hidden_size", None, [Interval(Integral, 1, None, closed="left"), None],
          "int or None", """
        Units of each recurrent layer whose size the code does not fix: the decoder's (and,
        in the VRAE, whose code is computed from the encoder's states by a linear layer,
        the encoder's, per direction). ``None``: ``n_C``, as in the RAES paper, the VRAE
        paper and the LSTM autoencoder tutorial. The encoder of the other models has
        ``n_C`` units (``n_C // 2`` per direction when bidirectional).""", (MODULE,)),
    Param("readout", "mean+max", [StrOptions(set(READOUT_OPTIONS))], "str", """
        What the encoder reads out of its states: ``'last'`` (its final hidden state: the
        RAES paper's context), ``'mean'`` or ``'max'`` (its outputs averaged or maximised
        over the time steps), ``'quarters'`` (its outputs averaged over each quarter of the
        sequence: four vectors that keep, coarsely, *where* things happen), or several
        joined with ``'+'`` (e.g. ``'last+mean+max'``, concatenated). With ``'last'`` the
        final state is the code itself (the VRAE maps it to the posterior's mean and
        log-variance); any other readout is mapped to the code's ``n_C`` values (the VRAE's
        mean and log-variance) by a linear layer. A pooled readout sees every step (the
        final state of a long series forgets its beginning); on real data it gave better
        features (``benchmarks/features/ucr.py``). ``'mean+max+quarters'`` helps where the
        position of a pattern carries the class and hurts elsewhere (on nine unreported sets:
        FaceFour +0.19 accuracy, BirdChicken -0.15; ``benchmarks/README.md`` section 16):
        choose it by cross-validation on your training data. Ragged sequences are pooled
        over their own steps only.""", (MODULE,)),
    Param("num_layers", 1, _POSITIVE_INT, "int", """
        Stacked recurrent layers in the encoder and in the decoder; the readout reads the
        last encoder layer.""", (MODULE,)),
    Param("bidirectional", False, ["boolean"], "bool", """
        Bidirectional encoder: the readout reads both directions (the final forward state
        followed by the final backward state; pooled outputs of both). Each direction has
        ``n_C // 2`` units (the VRAE's: ``hidden_size``). Where the final state is the code
        itself (``readout='last'``, all models but the VRAE), the code is the two final
        states side by side, so ``n_C`` must be even; otherwise the linear readout layer
        maps both directions to the code and any ``n_C`` works. With
        ragged input the backward direction starts at each sequence's own last step
        (packed sequences, also at inference, so such codes are independent of the other
        sequences passed with them up to float rounding rather than bitwise).""",
          (MODULE,)),
    Param("conditional_decoder", False, ["boolean"], "bool", """
        Conditioned decoder (Srivastava et al.; the VRAE paper's decoder): each step also
        reads the previous step's output, zeros at the first step. In training that is the
        target's previous step (teacher forcing); in ``inverse_transform`` and
        ``score_samples`` the decoder's own previous output, step by step. ``False`` is
        the unconditioned decoder of the RAES paper.""", (MODULE,)),
    Param("reverse_target", False, ["boolean"], "bool", """
        Train the decoder to emit the sequence in reverse order (Srivastava et al.; the
        first output step reconstructs the last input step). Outputs are flipped back, so
        reconstructions are always in natural time order; a predicted future is never
        reversed. Ragged sequences are reversed within their own lengths (the first output
        step is each sequence's last step, not the padding).""", (MODULE,)),
    Param("noise", 0.0, _NON_NEGATIVE, "float", """
        Denoising autoencoder (Eq. 5 of the Oxford slides): standard deviation of the
        Gaussian noise added to the encoder's input in training (a fresh draw per batch);
        the target stays the clean sequence. No noise at inference.""", (MODULE,)),
    Param("sparsity", 0.0, _NON_NEGATIVE, "float", """
        Sparse autoencoder (Eq. 3 of the Oxford slides): weight ``lambda`` of the code's L1
        norm added to the loss (``loss + lambda * mean_over_batch(sum |code|)``).""",
          (MODULE, CRITERION)),
    Param("jacobian_penalty", 0.0, _NON_NEGATIVE, "float", """
        Contractive autoencoder (Eq. 4 of the Oxford slides): weight ``lambda`` of the
        squared Frobenius norm of the code's Jacobian with respect to the input,
        ``loss + lambda * mean_over_batch(||d code / d x||_F^2)``, which makes the code
        insensitive to small changes of the input. The norm is estimated per batch by one
        random projection (Hutchinson: ``||v^T J||^2`` for ``v ~ N(0, I)``, unbiased), a
        vector-Jacobian product through the encoder with double backpropagation; an epoch
        of the paper's models took 1.6-1.8 times as long (``benchmarks/README.md``). Only observed input entries
        count (padding and missing values are left out). 0 (the default) computes
        nothing.""", (MODULE, CRITERION)),
    Param("contrastive", 1.0, _NON_NEGATIVE, "float", """
        Weight of a contrastive term added to the reconstruction loss: each training
        sequence is also encoded from a random view of it (see ``contrastive_view``), and
        InfoNCE (temperature 0.2) pulls the codes of the two views together and pushes those
        of the other sequences of the batch apart (in batches of more than 256 sequences,
        of the others of its random group of at most 256: memory stays linear in
        ``batch_size``). It shapes the code for telling sequences
        apart (TS2Vec and TimesURL combine such terms with reconstruction); 0 trains the
        plain autoencoder of the paper. It costs a second encoder pass per batch and, on
        sum-of-sines data, the sequence-aware models' faster convergence (see the user
        guide, "What the defaults cost").""", (MODULE, CRITERION)),
    Param("contrastive_view", "stretch+mask", [StrOptions(set(VIEW_MODES))], "str", """
        How the contrastive term's view is made (no effect when ``contrastive=0``):
        ``'stretch'``, a random sub-series of at least half of the sequence resampled to its
        length; ``'crop'``, the same sub-series as a shorter sequence (time scale kept);
        ``'mask'``, the whole sequence with a random 20% of its steps zeroed;
        ``'stretch+mask'`` and ``'crop+mask'``, a sub-series, then 20% of its steps zeroed.
        Every view also gets a random gain per feature and Gaussian jitter. A view says
        what the code should ignore: stretching teaches it to ignore time scale, which hurts
        where classes differ in duration (``benchmarks/README.md`` compares the views on
        real data).""", (MODULE,)),
    Param("isometry", 10.0, _NON_NEGATIVE, "float", """
        Weight of a distance-preserving term added to the loss: over each training batch,
        the mean of ``(d(z_i, z_j) / mean d(z) - d(x_i, x_j) / mean d(x))^2`` over its pairs
        of sequences, ``d(z)`` the Euclidean distance between codes and ``d(x)`` the
        ``isometry_metric`` distance between input sequences (observed entries only; by
        default k-Shape's shape-based distance), each divided by its mean over the batch's
        pairs. It keeps the codes' geometry close to the series' own, which the RBF kernel
        of a downstream SVC and distance-based clustering read (after SPIRAL, Lei et al.,
        IJCAI 2019, which preserves DTW distances). Its cost per batch: the input distances
        and a ``batch x batch x n_components`` difference of codes (memory quadratic in
        ``batch_size``); on the CPU, the SBD of a pair of training sequences is computed once
        per fit and then read from a cache of up to 2048 sequences (32 MiB, emptied after
        training); 0 computes nothing. The default 10 was chosen on development sets
        that are not reported, by rules written before the runs: with the Euclidean
        distance, 3 beat 0 (codes + RBF SVC 0.734 against 0.704, nine sets, 3 seeds) and 10
        did not beat 3 (``benchmarks/README.md`` section 13); with the default
        ``isometry_metric='sbd'``, 10 beat 3 (0.778 against 0.761; clustering NMI 0.689
        against 0.660 on six sets; section 15). The paper's preset and the detector's and
        imputer's reconstruction models use 0.""", (MODULE, CRITERION)),
    Param("isometry_metric", "sbd", [StrOptions(set(ISOMETRY_METRICS))],
          "{'sbd', 'euclidean'}", """
        The distance between input sequences that the ``isometry`` term asks the codes to
        keep (no effect when ``isometry=0``): ``'sbd'``, the square root of k-Shape's
        shape-based distance (Paparrizos & Gravano, SIGMOD 2015): each sequence
        z-normalised per feature, compared at the lag that aligns it best with the other, so
        that the codes learn to ignore offset, scale and shift, as k-Shape does;
        ``'euclidean'``, the sequences as they are. ``'sbd'`` costs an FFT
        cross-correlation of every pair of the batch (``batch x batch x 2 time`` values, in
        blocks), on the CPU only for the pairs not met before in the fit (see
        ``isometry``). The default ``'sbd'`` was chosen on data sets that are not reported, by a
        rule written before the runs (RAESC, 3 seeds, ``isometry=3``;
        ``benchmarks/README.md`` section 15): codes + RBF SVC 0.761 against 0.734 on nine
        sets, clustering NMI 0.660 against 0.619 on six; it also loses on some of them
        (FaceFour: 0.636 against 0.701).""",
          (CRITERION,)),
    Param("loss", "mse", [StrOptions(set(LOSSES))], "{'mse', 'mae'}", """
        Reconstruction loss: mean squared or mean absolute error, averaged over sequences,
        time steps and features.""", (CRITERION,)),
    # -- the VRAE's own ------------------------------------------------------------------
    Param("bridge", "zeros", [StrOptions({"zeros", "repeat", "reshape", "conv"})],
          "{'zeros', 'repeat', 'reshape', 'conv'}", """
        Decoder input sequence made from the latent ``z``: ``'zeros'`` (none: ``z`` enters
        through the decoder's initial state only, the VRAE paper), ``'repeat'`` (``z`` at
        every step), or the RAES paper's sequence-aware layouts: ``'reshape'`` (Eq. 1, as
        RAES; ``stretch`` applies) and ``'conv'`` (Eq. 2, as RAESC; ``kernel_size`` and
        ``pool_size`` apply).""", (MODULE,)),
    Param("beta", 1.0, _NON_NEGATIVE, "float", """
        Weight of the KL term (``beta``-VAE); 1 is the plain ELBO.""", (CRITERION,)),
    Param("kl_warmup", 0, [Interval(Integral, 0, None, closed="left")], "int", """
        KL warm-up: over the first ``kl_warmup`` epochs the KL weight rises linearly from 0
        (first epoch) to ``beta`` (reached at epoch ``kl_warmup + 1``); the weight of each
        epoch is in ``net_.history[:, 'kl_weight']``. 0 uses ``beta`` from the start. The
        warm-up weights the training loss only: the validation loss is always the full
        negative ELBO (weight ``beta``), so that epochs stay comparable for
        ``patience``."""),
    Param("likelihood", "gaussian", [StrOptions(set(LIKELIHOODS))],
          "{'gaussian', 'bernoulli'}", """
        Output distribution. ``'gaussian'``: squared error, outputs are means.
        ``'bernoulli'``: binary cross-entropy for data in [0, 1] (e.g. piano rolls, as in
        the VRAE paper); outputs (``inverse_transform``, ``sample``) are probabilities.""",
          (MODULE, CRITERION)),
    # -- the LSTM autoencoder's own ------------------------------------------------------
    Param("activation", "tanh", [StrOptions(set(ACTIVATIONS))],
          "{'tanh', 'relu', 'sigmoid', 'identity'}", """
        Cell and output activation of both LSTMs (Keras' ``activation``; the gates keep the
        sigmoid). ``'tanh'`` runs PyTorch's fused LSTM kernels; any other value runs a
        step-by-step LSTM, which is much slower on long sequences and supports neither
        ``num_layers > 1`` nor ``bidirectional``. The tutorial uses ``'relu'``.""",
          (MODULE,)),
    Param("mode", "reconstruction", [StrOptions(set(MODES))],
          "{'reconstruction', 'prediction', 'composite'}", """
        What the model learns (see above).""", (MODULE,)),
    Param("n_future", 1, _POSITIVE_INT, "int", """
        Number ``k`` of final steps of each training sequence that are the future to
        predict; used by the prediction modes only (must be less than ``n_X``).""",
          (MODULE,)),
    Param("prediction_weight", 1.0, _NON_NEGATIVE, "float", """
        Weight of the prediction loss in mode ``'composite'`` (the reconstruction's is
        1).""", (CRITERION,)),
    # -- training: every estimator's, one meaning ---------------------------------------
    Param("max_epochs", "auto", [Interval(Integral, 1, None, closed="left"),
                                 StrOptions({"auto"})], "int or 'auto'", """
        Number of passes over the training data (the classifier and regressor: over the
        labelled sequences, in fine-tuning; early stopping may stop sooner). ``'auto'``: as
        many as make about 250 optimizer steps (at least one epoch), so that small data sets
        train as long as large ones (the classifier and regressor: ``freeze_epochs`` more,
        at most 100 in all); ``max_epochs_`` holds the value used. The RAES paper trains
        100 epochs."""),
    Param("batch_size", "auto", [Interval(Integral, 1, None, closed="left"),
                                 StrOptions({"auto"})], "int or 'auto'", """
        Sequences per mini-batch (the classifier and regressor: labelled sequences per
        fine-tuning step). ``'auto'``: an eighth of the training sequences, at least 16 and
        at most 100 (and at most all of them); ``batch_size_`` holds the value used. The
        RAES paper uses 100."""),
    Param("lr", 1e-3, [Interval(Real, 0, None, closed="neither")], "float", """
        Learning rate of the optimizer: Adam's for the autoencoders (the RAES paper's
        optimizer and rate); the classifier's and regressor's AdamW's for the head (the
        encoder's is ``encoder_lr``)."""),
    Param("validation_fraction", 0.0, [Interval(Real, 0, 1, closed="left")],
          "float in [0, 1)", """
        Fraction of the training sequences held out to record a validation loss per epoch
        (``net_.history[:, 'valid_loss']``), which ``patience`` watches; 0 trains on all of
        them. The classifier holds out a stratified fraction of the labelled sequences, and
        only when every class has at least 5 labels (the regressor: when there are at least
        15 labelled sequences); otherwise all of them train."""),
    Param("device", "auto", [str, torch.device], "{'auto', 'cpu', 'cuda'} or str", """
        Where to train and infer: ``'auto'`` picks CUDA when it is available, else the CPU.
        Asking for ``'cuda'`` (or ``'cuda:<index>'``) without a CUDA device raises a
        ``ValueError`` in ``fit``.
        A model trained on CUDA can be pickled and unpickled on a CPU-only machine: skorch
        maps its weights to the CPU (with a ``DeviceWarning``) and ``transform`` runs
        there."""),
    Param("random_state", None, ["random_state"], "int, RandomState instance or None", """
        Seeds weight initialisation, shuffling and the validation split. An int gives the
        same model on every ``fit`` (bitwise on the CPU); the global NumPy and PyTorch
        random states are left untouched either way. An estimator that trains an autoencoder
        (classifier, regressor, detector, imputer) seeds it too: its clone's own
        ``random_state`` is replaced (the detector and the imputer keep it when this is
        ``None``)."""),
    Param("verbose", "auto", ["verbose", StrOptions({"auto"})], "int or 'auto'", """
        ``'auto'``: a progress bar over the epochs (with the latest loss, kept after
        ``fit``) when standard error is a terminal or in a Jupyter notebook; elsewhere (a
        script's log, CI, ``nohup``) a line every 30 seconds of training and one at the
        end, to the ``'seqae'`` logger (level INFO) where logging is configured, else to
        standard error, so that a fit shorter than 30 s prints nothing. Where the loss has
        several terms (e.g. the reconstruction and the contrastive term), both show
        ``train_loss (total)`` and each term unweighted (``reconstruction``,
        ``contrastive``, ...; recorded in the history as ``train_reconstruction``, ...). 0
        is silent; 1 prints skorch's per-epoch table of losses and durations (coloured only
        on a terminal); 2 adds skorch's progress bar over each epoch's batches. The
        classifier and regressor report their fine-tuning (the pre-training reports as the
        autoencoder's own ``verbose`` says); the detector and the imputer set it on the
        autoencoder they train."""),
    Param("callbacks", None, [list, None], "list of skorch callbacks or None", """
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``), as a list of
        callbacks or ``(name, callback)`` tuples; copied at each ``fit``."""),
    Param("missing", "error", [StrOptions({"error", "mask"})], "{'error', 'mask'}", """
        What NaN in ``X`` means. ``'error'``: a ``ValueError``. ``'mask'``: a missing value;
        the encoder reads it as 0 (the mean of standardised data), the loss and
        ``score_samples`` use only the observed entries, and
        ``inverse_transform(transform(X))`` fills the gaps (imputation). Infinities are
        always an error."""),
    Param("clip_grad_norm", None, [Interval(Real, 0, None, closed="neither"), None],
          "float or None", """
        Clip the gradients' global L2 norm to this value before each optimiser step
        (skorch's ``GradientNormClipping``); ``None`` does not clip. A remedy for exploding
        losses on long sequences."""),
    Param("patience", None, [Interval(Integral, 1, None, closed="left"), None],
          "int or None", """
        Early stopping: stop when the validation loss has not improved for ``patience``
        epochs and restore the weights of the best epoch (kept in memory; no files are
        written); ``None`` trains all ``max_epochs``. It needs a validation split: the
        autoencoders raise a ``ValueError`` in ``fit`` when ``validation_fraction=0``; the
        classifier and regressor stop early only when they hold one out (see
        ``validation_fraction``)."""),
    Param("patch_size", "auto", [Interval(Integral, 1, None, closed="left"),
                                 StrOptions({"auto"})], "int or 'auto'", """
        Read the sequences as frames of ``patch_size`` consecutive steps: the recurrent
        encoder and decoder run ``ceil(n_X / patch_size)`` steps of ``patch_size * m_X``
        values, and a sequence-aware context (Eq. 1 and 2) is laid out over those frames
        (``decoder_input_shape_``). Inputs, outputs, the loss and ``score_samples`` stay
        per time step. ``'auto'``: ``ceil(n_X / 64)``, so the recurrent nets never run
        more than 64 steps (1 below 65 steps); ``patch_size_`` holds the value used. 1
        is the paper's models at any length. Long series train many times faster, and a
        recurrent net remembers 64 steps better than 1000."""),
    # -- the tasks' own: classifier and regressor ----------------------------------------
    Param("autoencoder", None, [HasMethods(["fit", "transform"]), None],
          "seqae autoencoder or None", """
        The autoencoder to pre-train (a clone of it, with ``random_state`` set from this
        estimator's) and fine-tune: any seqae transformer (RAE, RAES, RAESC, VRAE, LSTM-AE).
        ``None`` uses ``RAESCTransformer(lr=3e-3)``: its defaults with three times the
        step, which made better codes for a classifier on data sets we do not report
        (the autoencoders keep ``lr=1e-3``, better for clustering; ``benchmarks/README.md``
        section 17). A fitted one is reused
        without pre-training (it must have been fitted on sequences of the same layout); in
        either case the fitted autoencoder itself is never changed by fine-tuning (a copy of
        its network is fine-tuned) and is kept as ``autoencoder_``. Its ``missing``
        parameter decides whether NaN marks missing values (``'mask'``) or is an error."""),
    Param("pretrain", True, ["boolean"], "bool", """
        ``False`` trains the same network from scratch on the labelled sequences alone
        (every layer re-initialised; an unfitted autoencoder is fitted for one epoch only to
        build it): what pre-training buys is the difference."""),
    Param("reconstruction_weight", 1.0, _NON_NEGATIVE, "float", """
        Weight of the auxiliary reconstruction loss during fine-tuning (0: none)."""),
    Param("freeze_epochs", 10, [Interval(Integral, 0, None, closed="left")], "int", """
        Epochs at the start of fine-tuning in which only the head trains."""),
    Param("encoder_lr", 1e-3, [Interval(Real, 0, None, closed="neither")], "float", """
        Learning rate of the autoencoder's weights once they are unfrozen."""),
    Param("weight_decay", 1e-2, _NON_NEGATIVE, "float", """
        AdamW's decoupled weight decay, on the head's weights only."""),
    Param("dropout", 0.1, [Interval(Real, 0, 1, closed="left")], "float", """
        Dropout on the code in front of the head, in training."""),
    # -- the detector's, the imputer's and SlidingWindows' own ---------------------------
    Param("estimator", None, [HasMethods(["fit", "transform"]), None],
          "seqae autoencoder or None", """
        The seqae autoencoder trained on the task's data (RAE, RAES, RAESC, VRAE, LSTM-AE),
        cloned in ``fit`` (by the detector, once per member of its ensemble). ``None`` uses
        a small RAESC trained to reconstruct (:func:`seqae.anomaly.default_autoencoder`):
        ``n_components`` a quarter of the values of a training window or sequence (between
        4 and 32), about 300 optimizer steps in batches of 64, ``lr=5e-3``, gradient
        clipping at 1, the encoder's final state as the code, no contrastive term, and
        frames beyond 64 steps."""),
    Param("window_size", None, [Interval(Integral, 1, None, closed="left"), None],
          "int or None", """
        Steps per window. ``None`` derives it from the series seen in ``fit``: its
        fundamental period (:func:`~seqae.anomaly.dominant_period`, searched from
        ``window_range[0]`` to a third of the series' length), clipped to ``window_range``
        (the detector's: 8 and 1024 steps; a longer period gives the largest window and a
        ``UserWarning``) and to the series' length; ``window_reason_`` says which and why.
        A given size longer than the series is a ``ValueError`` that names the largest
        valid one."""),
    Param("stride", 1, _POSITIVE_INT, "int", """
        Steps between the starts of consecutive windows (the detector's, in ``predict``: 1
        starts a window at every time point)."""),
    Param("window_range", DEFAULT_WINDOW_RANGE, [tuple], "tuple of int", """
        Smallest and largest window size the data-derived default may take. A period
        longer than the largest is still found, and the window clipped to the largest then
        says so (``window_reason_``, and a ``UserWarning``): such a window sees part of a
        period only."""),
    Param("normalize", "series", [StrOptions({"series", "window", "none"})],
          "{'series', 'window', 'none'}", """
        How values are scaled before windowing. ``'series'``: each channel is standardised
        with the mean and standard deviation of the series seen in ``fit`` (the same
        affine map for every window, so level shifts and amplitude changes stay visible).
        ``'window'``: each window and channel is z-normalised on its own (only its shape
        counts, as in the matrix profile's z-normalised distance; level and scale anomalies
        become invisible; constant windows become zeros). ``'none'``: raw values (the
        autoencoder wants them roughly in [-1, 1])."""),
    Param("max_fit_windows", 1000, _POSITIVE_INT, "int", """
        At most this many windows train the autoencoder, drawn at random (seeded by
        ``random_state``; :func:`~seqae.anomaly.training_window_indices`), which bounds the
        cost of ``fit`` on long series."""),
    Param("score", DEFAULT_SCORE,
          [StrOptions({"combined", "reconstruction", "nearest-code"})],
          "{'combined', 'reconstruction', 'nearest-code'}", """
        The window score. ``'reconstruction'``: the autoencoder's ``score_samples``,
        negated (mean squared reconstruction error; for :class:`~seqae.VRAETransformer`
        the negative ELBO). It ranks an anomaly that is *easier* to reconstruct than normal
        data (e.g. a stretch at lower amplitude) as normal or more normal, and more so the
        less the autoencoder has learnt. ``'nearest-code'``: the Euclidean distance of the
        window's code (``estimator.transform``) to the nearest code of a training window
        (all training windows, or a random draw of 10,000 of them): a window that matches
        no stretch of the training series scores high whether it is harder or easier to
        reconstruct; in ``fit_predict``, and in ``predict`` on the very series seen in
        ``fit`` (same values), a window's own neighbourhood (a quarter of a window on
        either side) is not a match, as in the matrix profile's self-join. ``'combined'``:
        both, each as a robust z-score on the training series (``score_location_``,
        ``score_scale_``), averaged. The default had the highest mean VUS-PR on the
        real-derived series of sets that the benchmark does not report
        (benchmarks/README.md, section 5)."""),
    Param("n_estimators", DEFAULT_N_ESTIMATORS, _POSITIVE_INT, "int", """
        Autoencoders in the ensemble, each trained with its own seed
        (:func:`~seqae.anomaly.member_seeds`) on its own random draw of windows, for the
        full training budget. With more than one, or with ``score='combined'``, each
        autoencoder's window scores are put on a common scale (robust z-scores on the
        training series) and averaged, as an isolation forest averages its trees; more
        members make the ranking depend less on the seed, at that many times the cost."""),
    Param("contamination", "auto", [StrOptions({"auto"}), Interval(Real, 0, 0.5, closed="right")],
          "'auto' or float in (0, 0.5]", """
        Sets ``threshold_``, the score above which :meth:`predict_labels` labels a time
        point anomalous, from the scores of the training series (``train_scores_``). A
        float is the expected fraction of anomalous time points in the training series:
        the threshold is the ``1 - contamination`` quantile of its scores (as PyOD's
        ``contamination``; on a clean training series, about that fraction of normal time
        points will be labelled anomalous). ``'auto'``: a robust three-sigma rule, the
        median of the training scores plus 3 robust standard deviations
        (:func:`~seqae.anomaly.robust_location_scale`: ``1.4826 * MAD``, or ``1.2533``
        times the mean absolute deviation where more than half the scores are equal and
        the MAD is 0), which assumes no fraction. Either way ``predict`` (the scores) is
        unchanged."""),
    Param("correction", "interpolate", [StrOptions({"interpolate", "none"})],
          "{'interpolate', 'none'}", """
        ``'interpolate'``: the reconstruction's error at the observed entries is
        interpolated linearly along time into the gaps and added to the reconstruction
        there, so a filled gap joins its observed neighbours without a jump and keeps the
        shape the autoencoder gives it (for a single missing step: linear interpolation
        plus the autoencoder's curvature). ``'none'``: the reconstruction as it is."""),
    Param("blend", "auto", [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
          "'auto' or float in [0, 1]", """
        How much of the autoencoder's fill is used on top of linear interpolation along
        time: a filled value is ``linear + w * (autoencoder - linear)`` (``w = 1``: the
        autoencoder's fill alone; ``w = 0``: linear interpolation, the end values held).
        ``'auto'`` chooses ``w`` at ``fit`` on observed entries held back from training
        (each training sequence loses the entries another training sequence misses, or a
        random fifth where none is missing; ``seqae.tasks.impute.held_back_entries``): the
        ``w`` in ``[0, 1]`` (steps of 0.05) with the least mean absolute error on them, per
        channel (``blend_``) and per gap distance (``blend_by_gap_``: an entry 1, 2, 3-4,
        5-8, 9-16 or more steps from its nearest observed neighbour; a distance with fewer
        than 30 held-back entries takes the channel's weight), since the autoencoder helps
        little next to an observed value and most in the middle of a long gap. It shrinks
        the autoencoder's contribution to 0 where it does not beat interpolation (smooth,
        densely sampled series with short gaps) and keeps it where it does (long gaps,
        periodic shapes). The autoencoder is then trained without the held-back entries.
        A float fixes ``w`` and trains on every observed entry."""),
    # -- SequenceClassifier / SequenceRegressor (issue 23; the tasks read these rows'
    # constraints, their docstrings carry the same text) -----------------------------------
    Param("linear_probe", False, ["boolean"], "bool", """
        Start the head from a linear model fitted on the standardised frozen codes of the
        labelled training rows (multinomial logistic regression, ``C`` chosen by stratified
        CV over 1e-3 ... 1e3 when every class has at least 3 labels, else ``C=1``; the
        regressor: ``RidgeCV``), rather than from random weights. Off by
        default: on training halves it lowered accuracy at 10% of the labels
        (``benchmarks/README.md``, section 10)."""),
    Param("keep_frozen", True, ["boolean"], "bool", """
        Fine-tune only where held-out labels show that it helps. Where no validation split
        can be held out (see ``validation_fraction``; e.g. fewer than 5 labels of some
        class, or ``patience=None``), nothing can show it: the pre-trained network is kept
        with a head on its frozen codes fitted on every label (``frozen_head``), and no
        fine-tuning runs (with ``pretrain=False`` it does: there are no pre-trained codes) (on training halves of ten sets at 10% and 25% of the labels,
        frozen codes + SVC scored 0.588 against 0.570 for fine-tuning without a validation
        split, ``benchmarks/README.md`` section 14).
        Where a validation split is held out, compare the
        fine-tuned network with a head on the frozen codes (fitted without the validation
        rows) on the validation rows, and keep the fine-tuned one only where it is better
        (the classifier: at least two more validation sequences right, so that a tie or
        one lucky sequence of a split of a few keeps the frozen codes; the regressor: a
        lower squared error);
        otherwise ``net_`` holds the pre-trained network with that head, refitted on every
        label with the choices made on the training rows (``frozen_head`` says which head;
        its ``C`` or ``alpha`` is not cross-validated again, except the SVM's, whose whole
        protocol is rerun on every label). ``False`` always keeps the fine-tuned network."""),
    Param("series_kernel", "auto", [StrOptions({"auto", "minirocket", "raw"}), None],
          "{'auto', 'minirocket', 'raw'} or None", """
        With ``frozen_head='svm'`` and no missing value, the head may read a view of the
        series themselves beside the codes, each feature standardised over all of ``X``: the
        SVM's repeated CV chooses, with ``C``, among candidate heads, so that the head keeps
        what the codes lose. ``'minirocket'``: MiniRocket's 9,996 features (Dempster et al.,
        KDD 2021; :class:`~seqae.modules.rocket.MiniRocketFeatures`, its biases drawn from
        every sequence of ``X``, labelled or not; at least 9 steps; sequences of different
        lengths each resampled to the longest, at ``predict`` too), read either by
        MiniRocket's own head, a ridge classifier on the features alone (``alpha`` over
        1e-3 ... 1e3 by its leave-one-out; first in a tie, and taken without CV where some
        class has a single label), or by the SVM on the even mix of the codes' RBF kernel
        and an RBF kernel on the features (``gamma='scale'`` of each). ``'raw'``: the codes
        alone or the even mix with the values themselves, only where every class has at
        least 10 labels and the sequences have one length. ``'auto'``: the ``'minirocket'``
        candidates, and where every class has at least 10 labels and the sequences have one
        length the raw values' even mix too; ``'raw'`` for sequences under 9 steps. Every
        head is layers of the network (``save``/``load``, ONNX); ``series_kernel_`` says
        which view the fitted head reads, ``frozen_head_`` whether by the ridge
        (``'ridge'``) or the SVM; a head on the raw values predicts sequences of the
        training length only (shorter ones are refused: padding is not a value;
        ``transform`` takes them). On twelve unreported sets (3 seeds) the ridge first in
        the CV scored 0.736 at 10% of the labels and 0.892 with every label, against 0.671
        and 0.818 for the head without the ridge, and 0.697 and 0.862 for MiniRocket on the
        labelled sequences; most of the gain is on the two sets with a single label in some class,
        and a tie to the ridge costs DiatomSizeReduction (0.776 against 0.912 at 5-25%).
        The raw values' mix is where they carry the class (ChlorineConcentration: 0.903
        against 0.765 for the ridge with every label; ``benchmarks/README.md`` sections 19
        and 20). ``None``: the codes alone."""),
    Param("frozen_head", "svm", [StrOptions({"auto", "linear", "rbf", "svm"})],
          "{'svm', 'rbf', 'linear', 'auto'}", """
        The head on the standardised frozen codes that ``keep_frozen`` compares fine-tuning
        with, and keeps. ``'svm'``: the codes + RBF SVM protocol of the benchmarks (an
        :class:`~sklearn.svm.SVC`, the regressor an :class:`~sklearn.svm.SVR`, with
        ``gamma='scale'`` and ``C`` chosen over 1e-3 ... 1e4 by stratified k-fold CV, k =
        min(5, smallest class), repeated 3 times with different splits for a steadier
        choice; ``C=1`` where some class has a single label), with its
        support vectors and dual coefficients as layers of the network, so that
        ``save``/``load`` and ONNX export keep working. With more than two classes the
        network gives one-vs-one votes, ties broken by confidence, as
        ``SVC(break_ties=True)``. ``predict_proba`` is then the softmax of
        ``decision_function`` (SVC's), not a calibrated probability.
        ``'rbf'``: logistic regression (the regressor: ridge) on RBF kernel features
        (``gamma = 1 / n_components_``, every labelled training sequence, at most 1000, an
        anchor). ``'linear'``: the same on the codes themselves. ``'auto'``: the one of
        those two that cross-validation on the labelled training rows prefers (a tie keeps
        the linear head). For these three, ``C`` (``alpha``) is chosen by cross-validation
        over 1e-3 ... 1e3 (``C=1`` where some class has fewer than 3 labels).
        ``'svm'`` is the default: on eight unreported sets at 10%, 25% and 100% of the
        labels it scored 0.636 against 0.621 for ``'rbf'`` (the default before), above it
        at each fraction; at 25% the logistic head with ``C=1`` on 2-3 labels per class
        fell far behind (Adiac 0.216 against 0.489; ``benchmarks/README.md`` section 14).
        The regressor's SVR was not measured against the ridge head.
        ``n_kernel_features_`` records the kernel's size where the kept head is an SVM or
        an RBF one (0 otherwise), ``frozen_head_`` which head was kept (``None`` where
        fine-tuning was)."""),
]

#: The table: every parameter of every estimator, by name.
PARAMS = {row.name: row for row in _ROWS}

#: The one place where a shared parameter has another default: the classifier's and the
#: regressor's fine-tuning budget. Fine-tuning a pre-trained network on tens of labels is
#: another job than training an autoencoder on all the data: a fixed, short schedule with a
#: faster head, clipping and early stopping on a labelled split (the settings measured in
#: benchmarks/README.md, section 8). Each name keeps its row's constraint and meaning.
FINE_TUNING = {"batch_size": 16, "lr": 1e-2, "clip_grad_norm": 1.0,
               "validation_fraction": 0.2, "patience": 20}


def rows(*names, **changes):
    """The rows called ``names``, in that order; ``changes`` maps a name to a dict of
    fields that differ for one estimator: a ``note`` on what the parameter does there, a
    default from :data:`FINE_TUNING`, a narrower ``estimator`` constraint (the methods a
    task calls), or the LSTM-AE's ``n_components`` (an int, the tutorial's 100).
    ``tests/_engine/test_params.py`` checks that nothing else differs."""
    unknown = set(changes) - set(names)
    if unknown:
        raise ValueError(f"changes for parameters not listed: {sorted(unknown)}")
    return tuple(replace(PARAMS[name], **changes.get(name, {})) for name in names)


def arguments(values):
    """An ``__init__``'s arguments from its ``locals()`` (for ``super().__init__(**...)``)."""
    return {name: value for name, value in values.items()
            if name not in ("self", "__class__")}


def module_kwargs(estimator):
    """``{name: value}`` of the estimator's parameters that go to its module."""
    return {row.name: getattr(estimator, row.name) for row in estimator._params
            if MODULE in row.to}


def criterion_kwargs(estimator):
    """``{name: value}`` of the estimator's parameters that go to its criterion."""
    return {row.name: getattr(estimator, row.name) for row in estimator._params
            if CRITERION in row.to}


def parameters_section(params, attributes=None):
    """The numpydoc "Parameters" section of ``params`` (heading included; for a class
    docstring's ``{parameters}`` line), followed by an "Attributes" section of the text
    ``attributes`` when it is given."""
    section = "Parameters\n    ----------\n" + "\n".join(row.numpydoc() for row in params)
    if attributes:
        section += "\n\n    Attributes\n    ----------\n    " + attributes
    return section


def check_signature(cls):
    """Raise ``TypeError`` unless ``cls.__init__`` takes exactly ``cls._params``, in order,
    with their defaults, the first positional or keyword and the others keyword-only."""
    signature = inspect.signature(cls.__init__)
    given = [p for p in signature.parameters.values() if p.name != "self"]
    expected = [(row.name, row.default) for row in cls._params]
    actual = [(p.name, p.default) for p in given]
    if actual != expected:
        raise TypeError(f"{cls.__name__}.__init__ disagrees with its parameter table: "
                        f"{actual} != {expected}")
    kinds = [p.kind for p in given]
    if kinds[:1] != [inspect.Parameter.POSITIONAL_OR_KEYWORD] or any(
            kind is not inspect.Parameter.KEYWORD_ONLY for kind in kinds[1:]):
        raise TypeError(f"{cls.__name__}.__init__ must take its first parameter positionally "
                        "and the others by keyword only")


def apply_table(cls):
    """Give ``cls`` what its ``_params`` rows say: check its ``__init__`` signature
    (:func:`check_signature`), set ``_parameter_constraints`` and write the numpydoc entries
    (and the class's ``_attributes_doc``) into the ``{parameters}`` line of its
    docstring."""
    check_signature(cls)
    cls._parameter_constraints = {row.name: list(row.constraints) for row in cls._params}
    if cls.__doc__:
        cls.__doc__ = cls.__doc__.replace(
            "{parameters}", parameters_section(cls._params, cls._attributes_doc))


class TableParams:
    """Mixin of every seqae estimator: a class that sets ``_params`` (rows of the table, in
    ``__init__``'s order) gets its constraints and its docstring's parameters from them, and
    fails at import when its signature disagrees (:func:`apply_table`)."""

    _params: tuple = ()
    _parameter_constraints: dict = {}
    #: Attributes a family of estimators shares, documented once (the autoencoders':
    #: :data:`ATTRIBUTES`); ``None``: the class docstring has its own section.
    _attributes_doc: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if vars(cls).get("_params"):
            apply_table(cls)


ATTRIBUTES = """net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the PyTorch module and
        ``net_.history`` the per-epoch record (``train_loss``, ``valid_loss``, ``dur``).
    device_ : str
        The device the model was trained on.
    n_components_ : int
        Context size ``n_C``: the number of columns ``transform`` returns.
    sigma_ : float
        The effective context-size ratio ``n_components_ / (n_channels_ * n_timesteps_)``.
    patch_size_ : int
        Steps per frame the recurrent nets read (see ``patch_size``).
    max_epochs_, batch_size_ : int
        The training budget used (``'auto'`` resolved).
    decoder_input_shape_ : tuple of int
        ``(steps, features)`` of the sequence the decoder reads.
    n_timesteps_ : int
        Length ``n_X`` of the training sequences (and of the reconstructions); for a list of
        sequences of different lengths, the longest one (the others are padded to it).
    n_channels_ : int
        Features per time step ``m_X``.
    input_ndim_ : {2, 3}
        Layout seen in ``fit``; ``inverse_transform`` returns the same.
    n_features_in_ : int
        Number of columns of ``X`` as scikit-learn counts them (``X.shape[1]``, i.e. the
        number of time steps; the padded length for a list of sequences).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of a 2D ``X`` that had string column names (e.g. a DataFrame)."""
