"""Scratch screen (issue 23): the isometry term's input distance made shape-based.

Monkeypatches ``seqae.modules.losses.isometry_loss`` so that ``d(x_i, x_j)`` is
* ``euclid``: the package's term as it is (the default, for the same-run comparison);
* ``znorm``:  the Euclidean distance of the series z-normalised per channel, i.e.
  ``sqrt(1 - NCC_0)`` (NCC_0 the normalised cross-correlation at lag 0);
* ``sbd``:    ``sqrt(SBD) = sqrt(1 - max_lag NCC)``, the shape-based distance of k-Shape
  (Paparrizos & Gravano 2015) on z-normalised series, the lag free (zero padding), channels
  summed in the cross-correlation.
For each (variant, seed, set): one RAESC fit on the training split -> codes + RBF SVC
accuracy on the test split (ucr.py's protocol), or one fit on the merged z-normalised set ->
L2 + spectral NMI (clustering.py's protocol). Unreported sets only.

    python screen.py VARIANT SEED {ucr|clustering} SET [SET ...]
"""
import json
import sys
import time
import warnings

sys.path.insert(0, "/work/main/benchmarks")
sys.path.insert(0, "/work/main/benchmarks/features")
import torch  # noqa: E402

from harness.data import load_splits  # noqa: E402
from harness.protocol import clustering_scores, svc_accuracy  # noqa: E402
from harness.report import set_threads  # noqa: E402
from seqae import RAESCTransformer  # noqa: E402
from seqae.modules import losses  # noqa: E402

_euclid = losses.isometry_loss
MODE = {"v": "euclid"}


def _shape_distance(x, mask, shift):
    x = losses._observed(x, mask)
    n_obs = x.new_full((1, 1, 1), x.shape[1]) if mask is None \
        else mask.sum(1, keepdim=True).clamp(min=1)
    mean = x.sum(1, keepdim=True) / n_obs
    x = x - mean
    if mask is not None:
        x = torch.where(mask, x, x.new_zeros(()))
    norm = x.flatten(1).norm(dim=1).clamp(min=1e-12)
    if shift:
        T = x.shape[1]
        n = 1 << (2 * T - 1).bit_length()
        f = torch.fft.rfft(x, n=n, dim=1)  # (B, F, C)
        cc = torch.fft.irfft((f[:, None] * f[None].conj()).sum(-1), n=n, dim=-1)  # (B, B, n)
        ncc = cc.max(-1).values
    else:
        flat = x.flatten(1)
        ncc = flat @ flat.T
    ncc = ncc / (norm[:, None] * norm[None, :])
    return (1 - ncc).clamp(min=0).sqrt()


def isometry_loss(code, x, mask=None):
    if MODE["v"] == "euclid":
        return _euclid(code, x, mask)
    if len(code) < 2:
        return code.new_zeros(())
    with torch.no_grad():
        d = _shape_distance(x.detach().double(), mask, MODE["v"] == "sbd")
    pairs = ~torch.eye(len(code), dtype=torch.bool, device=code.device)
    d_x = d[pairs]
    d_z = (code[:, None, :] - code[None, :, :])[pairs].pow(2).sum(-1).clamp(min=1e-12).sqrt()
    d_x = d_x / d_x.mean().clamp(min=1e-12)
    return (d_z / d_z.mean().clamp(min=1e-12) - d_x.to(d_z)).pow(2).mean()


losses.isometry_loss = isometry_loss


def main():
    variant, seed, protocol, sets = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    MODE["v"] = variant
    set_threads(1)
    for name in sets:
        est = RAESCTransformer(random_state=seed)
        start = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if protocol == "ucr":
                Xtr, ytr, Xte, yte = load_splits(name)
                est.fit(Xtr)
                score = svc_accuracy(est.transform(Xtr), ytr, est.transform(Xte), yte)
            else:
                import numpy as np
                from clustering import _l2, _spectral, load
                X, y = load(name)
                codes = est.fit_transform(X)
                score = clustering_scores(y, _spectral(_l2(codes), len(np.unique(y)), seed))["nmi"]
        print(json.dumps({"variant": variant, "seed": seed, "protocol": protocol, "set": name,
                          "score": score, "cpu_s": time.process_time() - start}), flush=True)


if __name__ == "__main__":
    main()
