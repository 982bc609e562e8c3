"""The exploration behind seqae's feature defaults: a plain PyTorch GRU autoencoder.

Not seqae: a minimal GRU encoder -> readout -> linear code -> repeated code -> GRU decoder,
written out here so that readouts, a bidirectional encoder, frames and the contrastive term
could be tried in minutes before any of them went into the package. The classifier protocol
is ``benchmarks/features/ucr.py``'s (StandardScaler -> RBF SVC, C by stratified CV on the training
split). Each configuration is a JSON object of ``run``'s keyword arguments:

* ``readout``: ``'last'``, ``'mean'``, ``'max'``, ``'mm'`` (mean+max) or ``'lmm'``
  (last+mean+max);
* ``bidir``, ``patch`` (frames of that many steps), ``H`` (hidden units), ``nC`` (code);
* ``contrast`` (weight of InfoNCE between the code and the code of a random stretched
  sub-series of at least ``minf`` of the sequence, temperature ``tau``), ``noise``;
* ``steps`` (optimizer steps, batches of ``bs``), ``seed``.

The figures quoted in benchmarks/README.md ("Tried, not adopted" and the readout
comparison) came from these commands (on the shared machine, so the seconds are rough)::

    python benchmarks/features/explore_codes.py ArrowHead,GunPoint '{"readout":"last"}' \\
        '{"readout":"mean"}' '{"readout":"lmm"}' '{"readout":"lmm","bidir":true}' \\
        '{"readout":"lmm","contrast":1.0}'
    python benchmarks/features/explore_codes.py ItalyPowerDemand,ArrowHead \\
        '{"readout":"lmm","contrast":1.0}' '{"readout":"mm","contrast":1.0}' \\
        '{"readout":"lmm","contrast":0.3}' '{"readout":"lmm","contrast":1.0,"H":32,"nC":32}' \\
        '{"readout":"lmm","contrast":1.0,"seed":1}'
    python benchmarks/features/explore_codes.py OSULeaf '{"readout":"lmm"}' \\
        '{"readout":"lmm","contrast":1.0}' '{"readout":"mm","contrast":1.0,"H":32,"nC":32}'
    python benchmarks/features/explore_codes.py ItalyPowerDemand,ArrowHead \\
        '{"readout":"lmm","contrast":1.0,"minf":0.8}' \\
        '{"readout":"mm","contrast":1.0,"minf":0.8}' \\
        '{"readout":"lmm","contrast":1.0,"minf":0.8,"seed":1}' \\
        '{"readout":"lmm","contrast":1.0,"patch":2}'
    python benchmarks/features/explore_codes.py OSULeaf \\
        '{"readout":"lmm","contrast":1.0,"patch":4}' \\
        '{"readout":"lmm","patch":4}' '{"readout":"mm","contrast":1.0,"patch":4}'
"""

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import load_splits as load  # noqa: E402
from harness.protocol import svc_accuracy  # noqa: E402

STATS = {"last": ("last",), "mean": ("mean",), "max": ("max",), "mm": ("mean", "max"),
         "lmm": ("last", "mean", "max")}


class Autoencoder(nn.Module):
    def __init__(self, n_features, n_steps, hidden, n_code, readout, bidir, patch=1):
        super().__init__()
        self.patch, self.n_steps = patch, n_steps
        self.n_frames = -(-n_steps // patch)
        self.stats = STATS[readout]
        self.encoder = nn.GRU(n_features * patch, hidden, batch_first=True,
                              bidirectional=bidir)
        self.code = nn.Linear(hidden * (2 if bidir else 1) * len(self.stats), n_code)
        self.decoder = nn.GRU(n_code, hidden, batch_first=True)
        self.output = nn.Linear(hidden, n_features * patch)

    def frames(self, x):
        n, steps, m = x.shape
        padded = self.n_frames * self.patch
        return F.pad(x, (0, 0, 0, padded - steps)).reshape(n, self.n_frames, self.patch * m)

    def encode(self, x):
        outputs, state = self.encoder(self.frames(x))
        pooled = {"last": torch.cat(list(state), 1), "mean": outputs.mean(1),
                  "max": outputs.amax(1)}
        return self.code(torch.cat([pooled[s] for s in self.stats], 1))

    def decode(self, code):
        hidden, _ = self.decoder(code[:, None].expand(-1, self.n_frames, -1))
        y = self.output(hidden)
        return y.reshape(len(y), -1, y.shape[2] // self.patch)[:, :self.n_steps]


def stretched_crop(x, generator, min_fraction=0.5):
    """A random sub-series of at least ``min_fraction`` of each sequence, resampled to the
    full length, with a random gain and jitter."""
    n, steps, m = x.shape
    views = []
    for i in range(n):
        length = max(2, int(steps * (min_fraction + (1 - min_fraction)
                                     * torch.rand(1, generator=generator))))
        start = int(torch.randint(0, steps - length + 1, (1,), generator=generator))
        window = x[i, start:start + length].T[None]
        views.append(F.interpolate(window, size=steps, mode="linear",
                                   align_corners=True)[0].T)
    views = torch.stack(views)
    gain = 1 + 0.1 * torch.randn(n, 1, m, generator=generator)
    return views * gain + 0.03 * torch.randn(views.shape, generator=generator)


def info_nce(a, b, temperature=0.2):
    a, b = F.normalize(a, dim=1), F.normalize(b, dim=1)
    logits = a @ b.T / temperature
    labels = torch.arange(len(a))
    return 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels))


def run(data, H=64, nC=64, readout="last", bidir=False, patch=1, steps=500, bs=16,
        contrast=0.0, noise=0.0, seed=0, minf=0.5, tau=0.2):
    X_train, y_train, X_test, y_test = data
    torch.manual_seed(seed)
    n, n_steps, n_features = X_train.shape
    model = Autoencoder(n_features, n_steps, H, nC, readout, bidir, patch)
    optimizer = torch.optim.Adam(model.parameters(), 1e-3)
    x = torch.tensor(X_train, dtype=torch.float32)
    generator = torch.Generator().manual_seed(seed)
    bs = min(bs, n)
    start, step = time.perf_counter(), 0
    while step < steps:
        order = torch.randperm(n, generator=generator)
        for i in range(0, n - bs + 1, bs):
            batch = x[order[i:i + bs]]
            if noise:
                batch_in = batch + noise * torch.randn(batch.shape, generator=generator)
            else:
                batch_in = batch
            code = model.encode(batch_in)
            loss = F.mse_loss(model.decode(code), batch)
            if contrast:
                view = model.encode(stretched_crop(batch, generator, minf))
                loss = loss + contrast * info_nce(code, view, tau)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step >= steps:
                break
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        codes_train = model.encode(x).numpy()
        codes_test = model.encode(torch.tensor(X_test, dtype=torch.float32)).numpy()
        reconstruction = F.mse_loss(model.decode(model.encode(x)), x).item()
    return svc_accuracy(codes_train, y_train, codes_test, y_test), seconds, reconstruction


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", help="data sets, separated by commas")
    parser.add_argument("configs", nargs="*", metavar="CONFIG",
                        help="JSON objects of run's keyword arguments")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    names, configs = args.datasets.split(","), [json.loads(c) for c in args.configs]
    for name in names:
        data = load(name)
        raw = svc_accuracy(data[0][:, :, 0], data[1], data[2][:, :, 0], data[3])
        print(f"{name} raw-svc {raw:.3f}", flush=True)
        for config in configs:
            accuracy, seconds, reconstruction = run(data, **config)
            print(f"{name} {json.dumps(config)} acc={accuracy:.3f} fit={seconds:.1f}s "
                  f"rec={reconstruction:.3f}", flush=True)


if __name__ == "__main__":
    main()
