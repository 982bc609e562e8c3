"""Scratch check (issue 23, session 13): ``raw_kernel`` on FordA, a large unreported set.

``heads.run_constants`` (in ``../head-gamma-screen-unreported``) with
``RAW_KERNEL_WEIGHTS`` set to ``codes`` ((1,): the codes' SVM alone) and ``mix`` ((1, 0.5):
today's default), the gate of 10 labels per class as it is.

    python screen.py --seeds 0 1 2 --fractions 0.02 0.05 0.1 0.25 --sets FordA
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "head-gamma-screen-unreported"))
from heads import run_constants  # noqa: E402

if __name__ == "__main__":
    run_constants({"codes": ("RAW_KERNEL_WEIGHTS", (1.0,)),
                   "mix": ("RAW_KERNEL_WEIGHTS", (1.0, 0.5))})
