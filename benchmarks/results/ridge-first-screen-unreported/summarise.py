"""The screen's table: ``python summarise.py > table.md`` (reads ``runs-*.jsonl``)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "head-gamma-screen-unreported")]
from heads import summarise  # noqa: E402

runs = HERE / "runs.jsonl"
runs.write_text("".join(p.read_text() for p in sorted(HERE.glob("runs-*.jsonl"))))
summarise(runs, ["today", "ridge-cv", "ridge-first", "ridge", "minirocket"])
