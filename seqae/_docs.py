"""Docstring pieces shared by the estimators (one wording for one parameter everywhere)."""

SIGMA = """sigma : float or 'auto', default='auto'
        Context-size ratio (Eq. 3 of the RAES paper): the code has
        ``n_C = round(sigma * m_X * n_X)`` values for inputs of ``n_X`` time steps with
        ``m_X`` features each. ``'auto'``: ``n_C = min(m_X * n_X, 64)`` (sigma = 1, the
        paper's largest context, capped so that long or multivariate series keep a small
        code and network); ``sigma_`` holds the value used. Ignored when ``n_components``
        is set."""

N_COMPONENTS = """n_components : int or None, default=None
        Context size ``n_C`` (the length of the code returned by ``transform``); overrides
        ``sigma`` when set."""

CELL = """cell : {'gru', 'lstm'}, default='gru'
        Recurrent cell of the encoder and the decoder (the paper uses GRU)."""

TRAINING = """max_epochs : int or 'auto', default='auto'
        Number of passes over the training data. ``'auto'``: as many as make about 500
        optimizer steps (at least one epoch), so that small data sets train as long as
        large ones; ``max_epochs_`` holds the value used. The paper trains 100 epochs.
    batch_size : int or 'auto', default='auto'
        Sequences per mini-batch. ``'auto'``: an eighth of the training sequences, at least
        16 and at most 100 (and at most all of them); ``batch_size_`` holds the value used.
        The paper uses 100.
    lr : float, default=1e-3
        Learning rate of the Adam optimizer.
    validation_fraction : float in [0, 1), default=0.0
        Fraction of the training sequences held out to record a validation loss per epoch
        (``net_.history[:, 'valid_loss']``); 0 trains on all of them.
    device : {'auto', 'cpu', 'cuda'} or str, default='auto'
        Where to train and infer: ``'auto'`` picks CUDA when it is available, else the CPU.
        Asking for ``'cuda'`` (or ``'cuda:<index>'``) without a CUDA device raises a
        ``ValueError`` in ``fit``.
        A model trained on CUDA can be pickled and unpickled on a CPU-only machine: skorch
        maps its weights to the CPU (with a ``DeviceWarning``) and ``transform`` runs there.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and the validation split. An int gives the same
        model on every ``fit`` (bitwise on the CPU); the global NumPy and PyTorch random
        states are left untouched either way.
    verbose : int or 'auto', default='auto'
        ``'auto'``: a progress bar over the epochs (with the latest loss, kept after
        ``fit``) when standard error is a terminal or in a Jupyter notebook, else silent. 0
        is silent; 1 prints skorch's per-epoch table of losses and durations (coloured only
        on a terminal); 2 adds skorch's progress bar over each epoch's batches.
    callbacks : list of skorch callbacks or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``), as a list of
        callbacks or ``(name, callback)`` tuples; copied at each ``fit``.
    missing : {'error', 'mask'}, default='error'
        What NaN in ``X`` means. ``'error'``: a ``ValueError``. ``'mask'``: a missing value;
        the encoder reads it as 0 (the mean of standardised data), the loss and
        ``score_samples`` use only the observed entries, and
        ``inverse_transform(transform(X))`` fills the gaps (imputation). Infinities are
        always an error.
    clip_grad_norm : float or None, default=None
        Clip the gradients' global L2 norm to this value before each optimiser step
        (skorch's ``GradientNormClipping``); ``None`` does not clip. A remedy for exploding
        losses on long sequences.
    patience : int or None, default=None
        Early stopping: stop when the validation loss has not improved for ``patience``
        epochs and restore the weights of the best epoch (kept in memory; no files are
        written). Needs ``validation_fraction > 0``; ``None`` trains all ``max_epochs``.
    patch_size : int or 'auto', default='auto'
        Read the sequences as frames of ``patch_size`` consecutive steps: the recurrent
        encoder and decoder run ``ceil(n_X / patch_size)`` steps of ``patch_size * m_X``
        values, and the context's sequence-aware layout (Eq. 1 and 2) is over those frames
        (``decoder_input_shape_``). Inputs, outputs, the loss and ``score_samples`` stay per
        time step. ``'auto'``: ``ceil(n_X / 128)``, so the recurrent nets never run more than
        128 steps (1 below 129 steps: the paper's model); ``patch_size_`` holds the value
        used. Long series train many times faster, and a recurrent net remembers 128 steps
        better than 1000."""

ATTRIBUTES = """net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the PyTorch module and
        ``net_.history`` the per-epoch record (``train_loss``, ``valid_loss``, ``dur``).
    device_ : str
        The device the model was trained on.
    n_components_ : int
        Context size ``n_C``: the number of columns ``transform`` returns.
    sigma_ : float
        The effective context-size ratio ``n_components_ / (n_channels_ * n_timesteps_)``.
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

READOUT = """readout : str, default='mean+max'
        What the encoder reads out of its states to make the code: ``'last'`` (its final
        hidden state, the RAES paper's context), ``'mean'`` or ``'max'`` (its outputs
        averaged or maximised over the time steps), or several joined with ``'+'`` (e.g.
        ``'last+mean+max'``, concatenated). A pooled readout sees every step (the final state
        of a long series forgets its beginning) and is mapped to the ``n_C`` values of the
        code by a linear layer; on real data it gave better features
        (``benchmarks/ucr.py``). Ragged sequences are pooled over their own steps only."""

DECODER = READOUT + """
    num_layers : int, default=1
        Stacked recurrent layers in the encoder and in the decoder. Every encoder layer has
        the code's size, and the code is the last layer's final state, so ``n_C`` (and
        ``sigma``) keep their meaning.
    bidirectional : bool, default=False
        Bidirectional encoder. The code is the last layer's final forward state followed by
        its final backward state, so each direction has ``n_C / 2`` units (``n_C`` must be
        even) and the code keeps ``n_C`` values. With ragged input the backward direction
        starts at each sequence's own last step (packed sequences, also at inference, so
        such codes are independent of the other sequences passed with them up to float
        rounding rather than bitwise).
    conditional_decoder : bool, default=False
        Conditioned decoder (Srivastava et al.): each step also reads the previous step's
        output, zeros at the first step. In training that is the target's previous step
        (teacher forcing); in ``inverse_transform`` and ``score_samples`` the decoder's own
        previous output, step by step. ``False`` is the unconditioned decoder of the paper.
    reverse_target : bool, default=False
        Train the decoder to emit the sequence in reverse order (Srivastava et al.; the
        first output step reconstructs the last input step). Outputs are flipped back, so
        reconstructions are always in natural time order. Ragged sequences are reversed
        within their own lengths (the first output step is each sequence's last step, not
        the padding)."""

REGULARISATION = """contrastive : float, default=1.0
        Weight of a contrastive term added to the reconstruction loss: each training
        sequence is also encoded from a random view of it (see ``contrastive_view``), and
        InfoNCE (temperature 0.2) pulls the codes of the two views together and pushes those
        of the other sequences of the batch apart. It shapes the code for telling sequences
        apart (TS2Vec and TimesURL combine such terms with reconstruction); 0 trains the
        plain autoencoder of the paper. It costs a second encoder pass per batch.
    contrastive_view : str, default='stretch+mask'
        How the view is made: ``'stretch'``, a random sub-series of at least half of the
        sequence resampled to its length; ``'crop'``, the same sub-series as a shorter
        sequence (time scale kept); ``'mask'``, the whole sequence with a random 20% of its
        steps zeroed; ``'stretch+mask'`` and ``'crop+mask'``, a sub-series, then 20% of its
        steps zeroed. Every view also gets a random gain per feature and Gaussian jitter.
        A view says what the code should ignore: stretching teaches it to ignore time
        scale, which hurts where classes differ in duration (``benchmarks/README.md``
        compares the views on real data).
    noise : float, default=0.0
        Denoising autoencoder: standard deviation of the Gaussian noise added to the
        encoder's input in training (a fresh draw per batch); the target stays the clean
        sequence. No noise at inference.
    sparsity : float, default=0.0
        Sparse autoencoder: weight ``lambda`` of the code's L1 norm added to the loss
        (``loss + lambda * mean_over_batch(sum |code|)``).
    loss : {'mse', 'mae'}, default='mse'
        Reconstruction loss: mean squared or mean absolute error, averaged over sequences,
        time steps and features."""
