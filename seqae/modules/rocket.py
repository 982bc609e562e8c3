"""MiniRocket's random convolution features as a fixed layer.

After Dempster, Schmidt & Webb, "MiniRocket: A Very Fast (Almost) Deterministic Transform
for Time Series Classification" (KDD 2021) and its multivariate form in aeon: 84 kernels
of length 9 (weights -1, with 2 at three of the nine positions), each at a set of dilations
spaced exponentially up to the sequence's length; for every kernel and dilation a few
biases, quantiles of the kernel's output on one training sequence; and one feature per
bias, the proportion of positive values (PPV) of the output minus the bias. Kernels and
dilations alternate between zero padding ("same" output) and the valid part only. Nothing
is trained: the biases and the channels each kernel reads come from :meth:`fit`.
Written for seqae from the paper's description (torch, batch-first); the features are
the paper's, not bitwise aeon's (other random draws).
"""

import itertools
import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["MiniRocketFeatures", "resample"]

KERNEL_LENGTH = 9
#: The positions of the weight 2 in the 84 kernels (every 3 of the 9 positions).
KERNEL_POSITIONS = tuple(itertools.combinations(range(KERNEL_LENGTH), 3))
GOLDEN_RATIO = (math.sqrt(5) + 1) / 2
#: Biases x time steps compared with one kernel output in one tensor operation
#: (``forward``): fewer operations (a smaller graph to export), a bounded intermediate.
COMPARED_PER_STEP = 4096


def resample(x, lengths, n_steps):
    """Each sequence of ``x`` ``(batch, time, channels)`` (its first ``lengths[i]`` steps; the
    rest is padding) linearly resampled to ``n_steps`` steps, first and last values kept:
    ``(batch, n_steps, channels)``, as :func:`numpy.interp` on an even grid would. For
    MiniRocket's features of sequences of different lengths (what its authors do with
    ragged data, and what the benchmarks do for the baseline)."""
    lengths = torch.as_tensor(lengths, device=x.device).to(x.dtype)
    grid = torch.linspace(0, 1, n_steps, dtype=x.dtype, device=x.device)
    last = (lengths[:, None] - 1).clamp_min(0)
    positions = grid[None, :] * last
    lower = positions.floor().minimum(last)
    upper = (lower + 1).minimum(last)
    fraction = (positions - lower)[:, :, None]
    index = lower.long()[:, :, None].expand(-1, -1, x.shape[2])
    start = torch.gather(x, 1, index)
    end = torch.gather(x, 1, upper.long()[:, :, None].expand(-1, -1, x.shape[2]))
    return start + fraction * (end - start)


def _dilations(n_steps, n_features, max_dilations):
    """``(dilations, features per kernel at each)``: the paper's exponential spacing."""
    n_kernels = len(KERNEL_POSITIONS)
    per_kernel = max(1, n_features // n_kernels)
    n_dilations = min(per_kernel, max_dilations)
    largest = math.log2(max(n_steps - 1, 1) / (KERNEL_LENGTH - 1))
    spaced = [int(2 ** (largest * i / max(n_dilations - 1, 1))) if largest > 0 else 1
              for i in range(n_dilations)]
    dilations = sorted(set(spaced))
    counts = [int(spaced.count(d) * per_kernel / n_dilations) for d in dilations]
    i = 0
    while sum(counts) < per_kernel:  # the remainder, one by one from the smallest dilation
        counts[i] += 1
        i = (i + 1) % len(counts)
    return dilations, counts


class MiniRocketFeatures(nn.Module):
    """MiniRocket's PPV features of ``(batch, time, channels)`` sequences of ``n_steps``.

    ``forward(x) -> (batch, n_features_out)`` with ``n_features_out`` the largest multiple
    of 84 up to ``n_features`` (9,996 for the paper's 10,000). The channel masks and the
    biases are buffers, set by :meth:`fit`; a module that was not fitted has zero biases.

    Parameters
    ----------
    n_steps : int
        Length of the sequences (at least 9).
    n_channels : int
        Channels (features per step). A kernel at a dilation reads the sum of a random
        subset of at most 9 channels (aeon's multivariate MiniRocket); every channel
        where there is one.
    n_features : int
        Number of features asked for (the paper's 10,000).
    max_dilations : int
        Most dilations per kernel (the paper's 32).

    Examples
    --------
    >>> import torch
    >>> from seqae.modules import MiniRocketFeatures
    >>> x = torch.randn(20, 50, 1)                  # 20 univariate sequences of 50 steps
    >>> layer = MiniRocketFeatures(50, 1).fit(x, torch.Generator().manual_seed(0))
    >>> layer.in_batches(x).shape
    torch.Size([20, 9996])
    """

    def __init__(self, n_steps, n_channels, n_features=10_000, max_dilations=32):
        super().__init__()
        if n_steps < KERNEL_LENGTH:
            raise ValueError(f"MiniRocket needs sequences of at least {KERNEL_LENGTH} steps, "
                             f"got {n_steps}")
        self.n_steps, self.n_channels = n_steps, n_channels
        self.dilations, self.counts = _dilations(n_steps, n_features, max_dilations)
        kernels = -torch.ones(len(KERNEL_POSITIONS), KERNEL_LENGTH)
        for k, positions in enumerate(KERNEL_POSITIONS):
            kernels[k, list(positions)] = 2.0
        self.register_buffer("kernels", kernels)
        for i, count in enumerate(self.counts):
            self.register_buffer(f"channels_{i}", torch.ones(len(KERNEL_POSITIONS),
                                                             n_channels))
            self.register_buffer(f"biases_{i}", torch.zeros(len(KERNEL_POSITIONS), count))
        self.n_features_out = len(KERNEL_POSITIONS) * sum(self.counts)

    def _weight(self, i):
        # (84, channels, 9): each kernel on the sum of its channels
        return getattr(self, f"channels_{i}")[:, :, None] * self.kernels[:, None, :]

    def _outputs(self, x, i):
        """The 84 kernels' outputs at dilation ``i``, zero padded: ``(batch, 84, time)``."""
        dilation = self.dilations[i]
        return F.conv1d(x.transpose(1, 2), self._weight(i), dilation=dilation,
                        padding=(KERNEL_LENGTH - 1) * dilation // 2)

    @torch.no_grad()
    def fit(self, x, generator=None):
        """Draw the channels and fit the biases on ``x`` ``(n, time, channels)``; returns
        ``self``. ``generator``: a :class:`torch.Generator` for the draws."""
        n_kernels = len(KERNEL_POSITIONS)
        largest = math.log2(min(self.n_channels, 9) + 1)
        quantiles = torch.tensor([(j * GOLDEN_RATIO) % 1 for j in
                                  range(1, self.n_features_out + 1)], dtype=torch.float64)
        start = 0
        for i, count in enumerate(self.counts):
            channels = torch.zeros(n_kernels, self.n_channels)
            if self.n_channels == 1:
                channels[:] = 1.0
            else:
                sizes = (2 ** (torch.rand(n_kernels, generator=generator) * largest)).long()
                for k in range(n_kernels):
                    chosen = torch.randperm(self.n_channels, generator=generator)
                    channels[k, chosen[:max(1, int(sizes[k]))]] = 1.0
            getattr(self, f"channels_{i}").copy_(channels)
            rows = torch.randint(len(x), (n_kernels,), generator=generator)
            outputs = self._outputs(x[rows].to(self.kernels), i)  # (84 rows, 84, time)
            own = outputs[torch.arange(n_kernels), torch.arange(n_kernels)].double()
            q = quantiles[start:start + n_kernels * count].reshape(n_kernels, count)
            biases = torch.stack([torch.quantile(own[k], q[k]) for k in range(n_kernels)])
            getattr(self, f"biases_{i}").copy_(biases.to(self.kernels))
            start += n_kernels * count
        return self

    @torch.no_grad()
    def in_batches(self, x, batch_size=64):
        """``forward`` over ``x`` ``batch_size`` sequences at a time, without gradients (the
        intermediate grows with the batch): the features of a whole data set."""
        return torch.cat([self(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])

    def forward(self, x):
        features = []
        for i, count in enumerate(self.counts):
            outputs = self._outputs(x, i)
            padding = (KERNEL_LENGTH - 1) * self.dilations[i] // 2
            biases = getattr(self, f"biases_{i}")
            # kernels alternate with the dilation between the padded output (whole) and its
            # valid part: at an even dilation index the even kernels read the whole output
            first, second = (0, 1) if i % 2 == 0 else (1, 0)
            whole, valid = outputs[:, first::2], outputs[:, second::2, padding:-padding]
            for part, part_biases in ((whole, biases[first::2]), (valid, biases[second::2])):
                # a few biases at a time: (batch, 42, biases, time) stays small
                per_step = max(1, COMPARED_PER_STEP // self.n_steps)
                for j in range(0, count, per_step):
                    step = part_biases[:, j:j + per_step, None]
                    positive = (part[:, :, None, :] > step).to(x.dtype).mean(-1)
                    features.append(positive.transpose(1, 2).flatten(1))
        return torch.cat(features, -1) if features else x.new_zeros(len(x), 0)
