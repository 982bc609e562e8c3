"""The isometry term's distance cache: the default fit with and without it, interleaved.

``ShapeDistanceCache`` (``seqae.modules.losses``) computes the SBD between two training
sequences once per fit instead of in every batch that holds both. This script fits the
default ``RAESCTransformer`` on issue 23's cost data (``fit_cost.py``: 500 noisy sines of
500 steps) alternately with the cache ("after") and with it switched off at run time
("before": every batch computes its distances in full, as before the cache), ``--repeats``
times each, and reports the median CPU seconds of each, their ratio (< 1 is faster) and the
largest difference between the two fits' codes (the same seed: equal up to float rounding).

    OMP_NUM_THREADS=1 python benchmarks/cost/sbd_cache.py
"""

import argparse
import json
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: the harness
from harness.data import cost_sines  # noqa: E402
from harness.report import machine_description, median, utc_now  # noqa: E402

from seqae import RAESCTransformer  # noqa: E402
from seqae.modules import losses  # noqa: E402


@contextmanager
def cache_enabled(enabled):
    """``enabled=False``: every call of the cache computes the batch's distances in full."""
    original = losses.ShapeDistanceCache.__call__
    if not enabled:
        losses.ShapeDistanceCache.__call__ = (
            lambda self, x, mask=None: losses.shape_based_distances(x, mask))
    try:
        yield
    finally:
        losses.ShapeDistanceCache.__call__ = original


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    X = cost_sines(np.random.default_rng(0), args.n, args.steps)[0]
    seconds, codes = {"before": [], "after": []}, {}
    for _ in range(args.repeats):
        for name, enabled in (("before", False), ("after", True)):
            with cache_enabled(enabled):
                start = time.process_time()
                model = RAESCTransformer(random_state=0, verbose=0).fit(X)
                seconds[name].append(time.process_time() - start)
            codes[name] = model.transform(X)
            print(json.dumps({"variant": name, "cpu_s": round(seconds[name][-1], 2)}),
                  flush=True)
    before, after = median(seconds["before"]), median(seconds["after"])
    print(json.dumps({"machine": machine_description("cpu"), "utc": utc_now(),
                      "data": f"{args.n} x {args.steps}", "repeats": args.repeats,
                      "median_cpu_s_before": round(before, 2),
                      "median_cpu_s_after": round(after, 2),
                      "ratio_after_before": round(after / before, 3),
                      "max_abs_code_difference": float(np.abs(codes["before"]
                                                              - codes["after"]).max())}))


if __name__ == "__main__":
    main()
