"""Scratch screen (issue 23, session 13): the codes' kernel weights ``raw_kernel`` chooses from.

``heads.run_constants`` (in ``../head-gamma-screen-unreported``) with
``RAW_KERNEL_WEIGHTS`` set to: ``w2`` (today's, (1, 0.5)), ``w3`` (the candidate,
(1, 0.5, 0.25)), ``w4`` (evidence: (1, 0.5, 0.25, 0), 0 the raw series alone).

    python screen.py --seeds 0 1 2 --fractions 0.25 0.5 0.75 1.0 --sets Adiac ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "head-gamma-screen-unreported"))
from heads import run_constants  # noqa: E402

if __name__ == "__main__":
    run_constants({"w2": ("RAW_KERNEL_WEIGHTS", (1.0, 0.5)),
     "w3": ("RAW_KERNEL_WEIGHTS", (1.0, 0.5, 0.25)),
     "w4": ("RAW_KERNEL_WEIGHTS", (1.0, 0.5, 0.25, 0.0))})
