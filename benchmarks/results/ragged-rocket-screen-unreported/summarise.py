"""The table of this screen's runs.jsonl (``heads.summarise``): ``python summarise.py > table.md``."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "head-gamma-screen-unreported"))
from heads import summarise  # noqa: E402

summarise(HERE / "runs.jsonl", ("codes", "rocket-mix", "minirocket"))
