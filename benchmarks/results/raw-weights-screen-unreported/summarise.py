"""Per-set and overall mean test accuracy of each head in runs.jsonl (mean over seeds),
at each fraction, and the heads' median CPU seconds: ``python summarise.py > table.md``."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HEADS = ("w2", "w3", "w4")
rows = [json.loads(line) for line in (Path(__file__).parent / "runs.jsonl").open()]
for fraction in sorted({r["fraction"] for r in rows}):
    cells = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["fraction"] == fraction:
            for head in HEADS:
                cells[r["set"]][head].append(r[head])
    print(f"\n## {fraction:.0%} of the labels (mean over seeds; std in brackets)\n")
    print("| set | " + " | ".join(HEADS) + " |")
    print("|---" * (len(HEADS) + 1) + "|")
    for name in sorted(cells):
        print(f"| {name} | " + " | ".join(
            f"{np.mean(cells[name][h]):.3f} ({np.std(cells[name][h]):.3f})" for h in HEADS)
            + " |")
    means = {h: np.mean([np.mean(cells[n][h]) for n in cells]) for h in HEADS}
    print("| **mean** | " + " | ".join(f"**{means[h]:.4f}**" for h in HEADS) + " |")
    wins = {h: sum(np.mean(cells[n][h]) >= np.mean(cells[n]["w2"]) for n in cells)
            for h in HEADS}
    print("| sets >= w2 | " + " | ".join(f"{wins[h]}/{len(cells)}" for h in HEADS) + " |")
    cpu = {h: np.median([r[f"{h}_cpu_s"] for r in rows if r["fraction"] == fraction])
           for h in HEADS}
    print("| median CPU s | " + " | ".join(f"{cpu[h]:.2f}" for h in HEADS) + " |")
