"""Scratch screen (issue 23, session 13): the labels per class that ``raw_kernel`` needs.

``heads.run_constants`` (in ``../head-gamma-screen-unreported``): the cells of that screen
on other fractions and sets, and ``seqae.tasks.classifier._svm`` with ``n_codes`` (the raw
kernel's weight chosen with ``C`` by the head's repeated CV) under
``MIN_LABELS_FOR_RAW_KERNEL`` set to the gate ``g``: ``gate10`` (today's), ``gate5``,
``gate7`` (candidates), ``gate2`` (evidence: no gate beyond the CV's own two per class).

    python screen.py --seeds 0 1 2 --fractions 0.25 0.5 --sets Adiac ...
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "head-gamma-screen-unreported"))
from heads import run_constants  # noqa: E402

if __name__ == "__main__":
    run_constants({"gate10": ("MIN_LABELS_FOR_RAW_KERNEL", 10), "gate5": ("MIN_LABELS_FOR_RAW_KERNEL", 5),
     "gate7": ("MIN_LABELS_FOR_RAW_KERNEL", 7), "gate2": ("MIN_LABELS_FOR_RAW_KERNEL", 2)})
