"""The screen's table: ``python summarise.py > table.md`` (reads ``runs.jsonl``)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
from heads import summarise  # noqa: E402

summarise(HERE / "runs.jsonl", ["ridge-first", "mix", "minirocket"])
