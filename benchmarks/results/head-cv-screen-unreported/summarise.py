"""runs.jsonl -> table.md: mean test accuracy per set and head at each fraction (seeds
averaged), the mean over sets, and the heads' median CPU seconds."""
import collections
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
HEADS = ("svm", "svm-rep3")
rows = [json.loads(line) for line in open(HERE / "runs.jsonl")]
lines = []
for fraction in sorted({r["fraction"] for r in rows}):
    cells = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in rows:
        if r["fraction"] == fraction:
            for head in HEADS:
                cells[r["set"]][head].append(r[head])
    lines += [f"**{fraction:.0%} of the labels**", "", "| set | " + " | ".join(HEADS) + " |",
              "|---|" + "---|" * len(HEADS)]
    for name, by_head in cells.items():
        lines.append(f"| {name} | " + " | ".join(
            f"{np.mean(by_head[h]):.3f} ± {np.std(by_head[h]):.3f}" for h in HEADS) + " |")
    means = [np.mean([np.mean(cells[s][h]) for s in cells]) for h in HEADS]
    seconds = [np.median([r[f"{h}_cpu_s"] for r in rows if r["fraction"] == fraction])
               for h in HEADS]
    lines.append("| **mean** | " + " | ".join(f"**{m:.4f}**" for m in means) + " |")
    lines.append("| CPU s (median) | " + " | ".join(f"{s:.3f}" for s in seconds) + " |")
    lines.append("")
(HERE / "table.md").write_text("\n".join(lines))
print("\n".join(lines))
