"""Recurrent building blocks: an encoder that returns the context and a decoder with a
time-distributed dense output. All tensors are batch-first ``(batch, time, features)``."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

__all__ = ["ACTIVATIONS", "READOUTS", "READOUT_WIDTHS", "ActivationLSTM", "make_rnn",
           "parse_readout", "RecurrentEncoder", "RecurrentDecoder"]

#: What an encoder can read out of its states (joined with '+', e.g. ``'last+mean+max'``).
READOUTS = ("last", "mean", "max", "quarters")
#: How many vectors of the RNN's width each read-out contributes (``'quarters'``: one per
#: quarter of the sequence).
READOUT_WIDTHS = {"last": 1, "mean": 1, "max": 1, "quarters": 4}

ACTIVATIONS = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "identity": lambda x: x,
}


class ActivationLSTM(nn.Module):
    """Single-layer LSTM whose cell and output activation can be chosen (Keras' ``activation``).

    The gates keep the sigmoid. PyTorch's fused LSTM kernels fix that activation to tanh, so
    this layer runs a Python loop over time steps (with the input projection of all steps
    computed in one matrix product); it is only used when an activation other than tanh is
    asked for. Same call convention as ``nn.LSTM(batch_first=True)`` for a single layer.
    """

    def __init__(self, input_size: int, hidden_size: int, activation: str = "relu") -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.activation = activation
        self.input_proj = nn.Linear(input_size, 4 * hidden_size)
        self.hidden_proj = nn.Linear(hidden_size, 4 * hidden_size, bias=False)

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        act = ACTIVATIONS[self.activation]
        batch, n_steps, _ = x.shape
        if state is None:
            h = x.new_zeros(batch, self.hidden_size)
            c = x.new_zeros(batch, self.hidden_size)
        else:
            h, c = (s[-1] for s in state)
        projected = self.input_proj(x)  # every step's input projection in one GEMM
        outputs = []
        for t in range(n_steps):
            i, f, g, o = (projected[:, t] + self.hidden_proj(h)).chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * act(g)
            h = torch.sigmoid(o) * act(c)
            outputs.append(h)
        return torch.stack(outputs, dim=1), (h.unsqueeze(0), c.unsqueeze(0))


def make_rnn(cell: str, input_size: int, hidden_size: int, *, num_layers: int = 1,
             activation: str = "tanh", bidirectional: bool = False) -> nn.Module:
    """A batch-first recurrent layer: ``'gru'`` or ``'lstm'`` (fused kernels), or an
    :class:`ActivationLSTM` when an LSTM with a non-tanh activation is asked for.

    ``num_layers`` stacks layers (each of ``hidden_size`` units) and ``bidirectional`` adds a
    backward direction (of another ``hidden_size`` units), as in ``torch.nn.GRU``; the
    custom-activation LSTM supports neither.
    """
    options = {"num_layers": num_layers, "batch_first": True, "bidirectional": bidirectional}
    if cell == "gru":
        if activation != "tanh":
            raise ValueError("a GRU supports only activation='tanh'")
        return nn.GRU(input_size, hidden_size, **options)
    if cell == "lstm":
        if activation == "tanh":
            return nn.LSTM(input_size, hidden_size, **options)
        if num_layers != 1 or bidirectional:
            raise ValueError("an LSTM with a custom activation has a single, forward layer; "
                             "use activation='tanh' for num_layers > 1 or bidirectional")
        return ActivationLSTM(input_size, hidden_size, activation)
    raise ValueError(f"unknown cell {cell!r}; expected 'gru' or 'lstm'")


def _hidden(state):
    return state[0] if isinstance(state, tuple) else state  # LSTM: (h, c)


def parse_readout(readout: object) -> tuple[str, ...]:
    """``'last+mean+max'`` -> ``('last', 'mean', 'max')``; a ``ValueError`` for anything else
    than distinct names of :data:`READOUTS` joined with '+'."""
    stats = tuple(readout.split("+")) if isinstance(readout, str) else ()
    if not stats or len(set(stats)) != len(stats) or not set(stats) <= set(READOUTS):
        raise ValueError(f"readout must be one or more of {READOUTS} joined with '+', each "
                         f"once (e.g. 'last+mean+max'); got {readout!r}")
    return stats


def _quarter_means(outputs: Tensor, lengths: Tensor | None) -> Tensor:
    """``(batch, 4 x width)``: ``outputs`` (``(batch, time, width)``) averaged over each
    quarter of each sequence's own steps (its first ``lengths`` ones; all of them without
    ``lengths``), see :class:`RecurrentEncoder`."""
    n_steps = outputs.shape[1]
    if lengths is None:
        lengths = torch.full((outputs.shape[0],), n_steps, dtype=torch.long)
    length = lengths.to(outputs.device, torch.long)[:, None]  # (batch, 1)
    quarter = torch.arange(4, device=outputs.device)
    start = torch.div(quarter * length, 4, rounding_mode="floor")  # (batch, 4)
    end = -torch.div(-(quarter + 1) * length, 4, rounding_mode="floor")  # ceil
    step = torch.arange(n_steps, device=outputs.device)[None, :, None]  # (1, time, 1)
    weights = ((step >= start[:, None, :]) & (step < end[:, None, :])).to(outputs.dtype)
    means = torch.einsum("btq,btw->bqw", weights, outputs) / weights.sum(1)[:, :, None]
    return means.flatten(1)


class RecurrentEncoder(nn.Module):
    """RNN over the input sequence, read out into one vector per sequence (the context C).

    ``readout`` says what is read out of the RNN's states; several are concatenated in the
    order given (``'last+mean+max'``):

    * ``'last'``: the final hidden state of the last layer (the RAES paper's context). With
      ``bidirectional=True``, the final forward state (after reading the whole sequence)
      followed by the final backward state (after reading it backwards, i.e. at the first
      time step);
    * ``'mean'`` / ``'max'``: the last layer's outputs (both directions) averaged / maximised
      over the time steps. The final state of a long sequence forgets its beginning; a pooled
      state sees every step (TimeNet and TS2Vec read out pooled states for this reason);
    * ``'quarters'``: the outputs averaged over each quarter of the sequence's own steps,
      the four means concatenated (quarter ``q`` of ``L`` steps: steps ``floor(q L / 4)`` to
      ``ceil((q + 1) L / 4) - 1``, so that no quarter is empty, overlapping by a step where
      4 does not divide ``L``). A whole-sequence pool forgets *where* a pattern occurred;
      the quarters keep it coarsely (a pyramid pooling over time).

    ``output_size`` says how many values come out: ``hidden_size x directions`` times the
    number of read-outs (``'quarters'`` counting 4).

    ``lengths`` (an int tensor, one per sequence) makes the readout of a zero-padded batch
    depend only on each sequence's own steps (the final state is taken at its own last step,
    pooling skips the padding). In training the batch is packed (``pack_padded_sequence``:
    no work on padded steps); in evaluation the RNN runs over the whole padded batch and the
    output at step ``lengths - 1`` is taken. Both give the same state (the RNN is causal);
    the second keeps the shapes fixed, so that inference results are bitwise independent of
    the other sequences in the batch (packing shrinks the per-step batch as sequences end). A
    bidirectional encoder is packed in evaluation too: its backward direction must start at
    each sequence's own last step, so the padding would otherwise leak into the code; its
    codes are then independent of the other sequences up to float rounding, not bitwise.
    """

    def __init__(self, n_features: int, hidden_size: int, cell: str = "gru",
                 activation: str = "tanh", num_layers: int = 1, bidirectional: bool = False,
                 readout: str = "last") -> None:
        super().__init__()
        self.rnn = make_rnn(cell, n_features, hidden_size, num_layers=num_layers,
                            activation=activation, bidirectional=bidirectional)
        self.bidirectional = bidirectional
        self.readout = parse_readout(readout)
        self.output_size = (hidden_size * (2 if bidirectional else 1)
                            * sum(READOUT_WIDTHS[stat] for stat in self.readout))

    def forward(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        outputs, last = self._run(x, lengths)
        if self.readout == ("last",):
            return last
        valid = None
        if lengths is not None:
            steps = torch.arange(x.shape[1], device=x.device)
            valid = (steps < lengths.to(x.device)[:, None])[:, :, None]
        features = []
        for stat in self.readout:
            if stat == "last":
                features.append(last)
            elif stat == "mean":
                if valid is None:
                    features.append(outputs.mean(dim=1))
                else:
                    # valid is set only with lengths
                    n_steps = lengths.to(  # type: ignore[union-attr]
                        outputs.device, outputs.dtype)[:, None]
                    features.append(torch.where(valid, outputs, 0).sum(dim=1) / n_steps)
            elif stat == "max":
                features.append((outputs if valid is None else
                                 outputs.masked_fill(~valid, float("-inf"))).amax(dim=1))
            else:  # quarters
                features.append(_quarter_means(outputs, lengths))
        return features[0] if len(features) == 1 else torch.cat(features, dim=1)

    def _run(self, x, lengths):
        """``(outputs, last)``: the last layer's outputs ``(batch, time, directions x hidden)``
        (``None`` when the readout does not need them) and the final state as described."""
        need_outputs = self.readout != ("last",)
        pack = self.training or self.bidirectional
        if lengths is not None and pack and isinstance(self.rnn, nn.RNNBase):
            packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                          enforce_sorted=False)
            packed_outputs, state = self.rnn(packed)
            outputs = None
            if need_outputs:
                outputs = pad_packed_sequence(packed_outputs, batch_first=True,
                                              total_length=x.shape[1])[0]
            return outputs, self._final(state)
        outputs, state = self.rnn(x)
        if lengths is not None:  # a forward RNN: its output at each sequence's last step
            last = (lengths.to(outputs.device) - 1).view(-1, 1, 1)
            return outputs, outputs.gather(1, last.expand(-1, 1, outputs.shape[2]))[:, 0]
        return outputs, self._final(state)

    def _final(self, state):
        hidden = _hidden(state)  # (num_layers * num_directions, batch, hidden)
        if self.bidirectional:
            return torch.cat([hidden[-2], hidden[-1]], dim=1)
        return hidden[-1]


class RecurrentDecoder(nn.Module):
    """RNN over the bridge's sequence, then a dense layer applied at every step
    (Keras' ``TimeDistributed(Dense(n_features))``).

    Unconditioned (default), the RNN reads only the bridge's sequence. Conditioned
    (``conditional=True``, Srivastava et al.; the VRAE paper), step ``t`` also reads the
    output of step ``t - 1`` (zeros at the first step): the target's previous step when a
    ``teacher`` sequence is given (teacher forcing, used in training), else the decoder's own
    previous output, passed through ``feedback`` (e.g. ``'sigmoid'`` when the outputs are
    logits), step by step.

    Parameters
    ----------
    input_size, hidden_size, n_features : int
        Features per step of the bridge's sequence, RNN units, output features.
    cell, activation : str
        As in :func:`make_rnn`.
    num_layers : int
        Stacked RNN layers.
    conditional : bool
        Feed the previous output back as input.
    feedback : str
        Activation (a key of ``ACTIVATIONS``) applied to an output before it is fed back.
    """

    def __init__(self, input_size, hidden_size, n_features, cell="gru", activation="tanh",
                 num_layers=1, conditional=False, feedback="identity"):
        super().__init__()
        self.cell = cell
        self.n_features = n_features
        self.conditional = conditional
        self.feedback = feedback
        rnn_input = input_size + (n_features if conditional else 0)
        self.rnn = make_rnn(cell, rnn_input, hidden_size, num_layers=num_layers,
                            activation=activation)
        self.output = nn.Linear(hidden_size, n_features)

    def _initial_state(self, initial_hidden):
        if initial_hidden is None:
            return None
        state = initial_hidden if initial_hidden.dim() == 3 else initial_hidden.unsqueeze(0)
        if self.cell == "lstm":
            state = (state, torch.zeros_like(state))
        return state

    def forward(self, inputs: Tensor, initial_hidden: Tensor | None = None,
                teacher: Tensor | None = None) -> Tensor:
        """Decode ``inputs`` ``(batch, steps, input_size)``.

        ``initial_hidden`` is ``(batch, hidden)`` or ``(num_layers, batch, hidden)``;
        ``teacher`` ``(batch, steps, n_features)`` is the target, used for teacher forcing by
        a conditioned decoder (ignored otherwise).
        """
        state = self._initial_state(initial_hidden)
        if not self.conditional:
            if _repeats_over_time(inputs) and _steps_repeated_input(self.rnn, inputs.device):
                hidden_sequence = _run_repeated_input(self.rnn, inputs[:, 0], inputs.shape[1],
                                                      state)
            else:
                hidden_sequence, _ = self.rnn(inputs, state)
            return self.output(hidden_sequence)
        if teacher is not None:  # teacher forcing: all steps in one call
            previous = torch.cat([torch.zeros_like(teacher[:, :1]), teacher[:, :-1]], dim=1)
            hidden_sequence, _ = self.rnn(torch.cat([inputs, previous], dim=2), state)
            return self.output(hidden_sequence)
        feedback = ACTIVATIONS[self.feedback]
        previous = inputs.new_zeros(inputs.shape[0], 1, self.n_features)
        outputs = []
        for t in range(inputs.shape[1]):
            hidden, state = self.rnn(torch.cat([inputs[:, t:t + 1], previous], dim=2), state)
            step = self.output(hidden)
            outputs.append(step)
            previous = feedback(step)
        return torch.cat(outputs, dim=1)


def _repeats_over_time(inputs):
    """True when ``inputs`` is one vector per sequence seen at every step: a stride-0 view
    along time, as :class:`~seqae.modules.bridges.RepeatVector` returns (then every step's
    values are the same memory, so they are equal by construction)."""
    return inputs.dim() == 3 and inputs.shape[1] > 1 and inputs.stride(1) == 0


def _steps_repeated_input(rnn, device):
    """Whether :func:`_run_repeated_input` handles ``rnn`` on ``device``.

    Only on the CPU: there PyTorch's GRU/LSTM runs step by step anyway, and it first projects
    the input of *every* step (``W_ih x_t`` for all ``t``, forward and backward), which for a
    repeated input is the same product ``n_steps`` times. On CUDA the cuDNN kernel is faster
    than any per-step loop, so the repeated view goes to it unchanged.
    """
    return (device.type == "cpu" and type(rnn) in (nn.GRU, nn.LSTM) and rnn.num_layers == 1
            and rnn.bias and not rnn.bidirectional and getattr(rnn, "proj_size", 0) == 0)


def _run_repeated_input(rnn, step_input, n_steps, state=None):
    """Hidden sequence of a single-layer ``nn.GRU``/``nn.LSTM`` whose input is ``step_input``
    at each of ``n_steps`` steps, with the input projection ``W_ih x + b_ih`` computed once.

    The same equations and parameters as ``rnn`` (PyTorch's gate order and formulas), so the
    result equals ``rnn(step_input.unsqueeze(1).expand(-1, n_steps, -1), state)[0]`` up to
    float rounding; it is not bitwise identical to ATen's kernel, which sums in another order.

    Parameters
    ----------
    rnn : nn.GRU or nn.LSTM
        Single layer, with biases, batch-first.
    step_input : torch.Tensor of shape (batch, input_size)
    n_steps : int
    state : torch.Tensor or tuple of torch.Tensor or None
        Initial state as ``rnn`` takes it (``(1, batch, hidden)``; LSTM: ``(h, c)``).

    Returns
    -------
    torch.Tensor of shape (batch, n_steps, hidden_size)
    """
    lstm = isinstance(rnn, nn.LSTM)
    input_gates = F.linear(step_input, rnn.weight_ih_l0, rnn.bias_ih_l0)  # once, not n_steps times
    if state is None:
        h = step_input.new_zeros(step_input.shape[0], rnn.hidden_size)
        c = h
    elif lstm:
        h, c = state[0][0], state[1][0]
    else:
        h = state[0]
    outputs = []
    if lstm:
        for _ in range(n_steps):
            gates = input_gates + F.linear(h, rnn.weight_hh_l0, rnn.bias_hh_l0)
            i, f, g, o = gates.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outputs.append(h)
    else:
        reset_in, update_in, new_in = input_gates.chunk(3, dim=1)
        for _ in range(n_steps):
            reset_h, update_h, new_h = F.linear(h, rnn.weight_hh_l0, rnn.bias_hh_l0).chunk(3, 1)
            reset = torch.sigmoid(reset_in + reset_h)
            update = torch.sigmoid(update_in + update_h)
            new = torch.tanh(new_in + reset * new_h)
            h = new + update * (h - new)  # = (1 - z) * n + z * h
            outputs.append(h)
    return torch.stack(outputs, dim=1)
