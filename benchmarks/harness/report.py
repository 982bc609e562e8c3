"""Helpers shared by the benchmark scripts (not part of the seqae package)."""

import os
import platform
import statistics
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout without installing seqae
    sys.path.insert(0, str(ROOT))

from seqae import RAESCTransformer, RAESTransformer, RAETransformer  # noqa: E402

# The paper's models and setting (``paper()``; arguments given at the call override them).
MODELS = {
    "RAE": RAETransformer.paper,
    "RAES": RAESTransformer.paper,
    "RAESC": RAESCTransformer.paper,
}


def set_threads(n_threads):
    """Set torch's intra-op threads (``None`` keeps torch's default); return the count used."""
    if n_threads:
        torch.set_num_threads(n_threads)
    return torch.get_num_threads()


def machine_description(device):
    """One line naming the machine a figure was measured on."""
    if str(device).startswith("cuda"):
        hardware = torch.cuda.get_device_name(torch.device(device))
    else:
        hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores"
    return (f"{hardware}; torch {torch.__version__}, {torch.get_num_threads()} intra-op "
            f"thread(s); Python {platform.python_version()}")


def utc_now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def median(values):
    return statistics.median(values) if values else float("nan")


def report(script, argv, threads, produce_rows, markdown):
    """Run ``produce_rows()`` on ``threads`` torch threads (warnings silenced), print the
    machine, the rows' ``markdown`` tables, the total seconds and the command."""
    set_threads(threads)
    warnings.filterwarnings("ignore")
    start = time.perf_counter()
    print(f"# {utc_now()}; {machine_description('cpu')}")
    rows = produce_rows()
    print()
    print(markdown(rows))
    arguments = " ".join(argv if argv is not None else sys.argv[1:])
    print(f"\ntotal {time.perf_counter() - start:.0f} s; command: python benchmarks/{script} "
          f"{arguments}")
    return rows
