"""Recurrent building blocks: an encoder that returns the context and a decoder with a
time-distributed dense output. All tensors are batch-first ``(batch, time, features)``."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

__all__ = ["ACTIVATIONS", "ActivationLSTM", "make_rnn", "RecurrentEncoder", "RecurrentDecoder"]

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

    def __init__(self, input_size, hidden_size, activation="relu"):
        super().__init__()
        self.hidden_size = hidden_size
        self.activation = activation
        self.input_proj = nn.Linear(input_size, 4 * hidden_size)
        self.hidden_proj = nn.Linear(hidden_size, 4 * hidden_size, bias=False)

    def forward(self, x, state=None):
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


def make_rnn(cell, input_size, hidden_size, *, num_layers=1, activation="tanh"):
    """A batch-first recurrent layer: ``'gru'`` or ``'lstm'`` (fused kernels), or an
    :class:`ActivationLSTM` when an LSTM with a non-tanh activation is asked for."""
    if cell == "gru":
        if activation != "tanh":
            raise ValueError("a GRU supports only activation='tanh'")
        return nn.GRU(input_size, hidden_size, num_layers=num_layers, batch_first=True)
    if cell == "lstm":
        if activation == "tanh":
            return nn.LSTM(input_size, hidden_size, num_layers=num_layers, batch_first=True)
        if num_layers != 1:
            raise ValueError("an LSTM with a custom activation has a single layer")
        return ActivationLSTM(input_size, hidden_size, activation)
    raise ValueError(f"unknown cell {cell!r}; expected 'gru' or 'lstm'")


class RecurrentEncoder(nn.Module):
    """RNN over the input sequence; its final hidden state (last layer) is the context C.

    ``lengths`` (an int tensor, one per sequence) makes the context of a zero-padded batch
    each sequence's state at its own last step, so it does not depend on the padding. In
    training the batch is packed (``pack_padded_sequence``: no work on padded steps); in
    evaluation the RNN runs over the whole padded batch and the output at step
    ``lengths - 1`` is taken. Both give the same state (the RNN is causal); the second keeps
    the shapes fixed, so that inference results are bitwise independent of the other
    sequences in the batch (packing shrinks the per-step batch as sequences end).
    """

    def __init__(self, n_features, hidden_size, cell="gru", activation="tanh"):
        super().__init__()
        self.rnn = make_rnn(cell, n_features, hidden_size, activation=activation)

    def forward(self, x, lengths=None):
        if lengths is None:
            _, state = self.rnn(x)
        elif self.training and isinstance(self.rnn, nn.RNNBase):
            packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                          enforce_sorted=False)
            _, state = self.rnn(packed)
        else:
            outputs, _ = self.rnn(x)
            last = (lengths.to(outputs.device) - 1).view(-1, 1, 1)
            return outputs.gather(1, last.expand(-1, 1, outputs.shape[2]))[:, 0]
        hidden = state[0] if isinstance(state, tuple) else state  # LSTM: (h, c)
        return hidden[-1]


class RecurrentDecoder(nn.Module):
    """RNN over the bridge's sequence, then a dense layer applied at every step
    (Keras' ``TimeDistributed(Dense(n_features))``)."""

    def __init__(self, input_size, hidden_size, n_features, cell="gru", activation="tanh"):
        super().__init__()
        self.cell = cell
        self.rnn = make_rnn(cell, input_size, hidden_size, activation=activation)
        self.output = nn.Linear(hidden_size, n_features)

    def forward(self, inputs, initial_hidden=None):
        state = None
        if initial_hidden is not None:
            state = initial_hidden.unsqueeze(0)
            if self.cell == "lstm":
                state = (state, torch.zeros_like(state))
        hidden_sequence, _ = self.rnn(inputs, state)
        return self.output(hidden_sequence)
