import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "head-gamma-screen-unreported")]
from heads import summarise  # noqa: E402

summarise(Path(__file__).resolve().parent / "runs.jsonl", ["today", "near-1"])
