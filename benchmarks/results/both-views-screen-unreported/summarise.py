import json
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "head-gamma-screen-unreported")]
from heads import summarise  # noqa: E402

# the screen did not time the evidence column raw-mix: its CPU seconds print as nan
rows = [json.loads(line) for line in (Path(__file__).resolve().parent / "runs.jsonl").open()]
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as runs:
    for row in rows:
        runs.write(json.dumps({"raw-mix_cpu_s": float("nan"), **row}) + "\n")
summarise(runs.name, ["today", "both-cv10", "thirds-cv10", "raw-mix"])
Path(runs.name).unlink()
