"""Mean test accuracy per fraction and head over the sets (3 seeds) of runs-*.jsonl."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
HEADS = ("today", "margin-0.02", "margin-0.05", "ridge", "minirocket")
rows = [json.loads(line) for path in sorted(HERE.glob("runs-*.jsonl"))
        for line in path.read_text().splitlines() if line.strip()]
fractions = sorted({r["fraction"] for r in rows})
sets = sorted({r["set"] for r in rows})
cell = defaultdict(list)
for r in rows:
    for h in HEADS:
        cell[r["set"], r["fraction"], h].append(r[h])
print("| head | " + " | ".join(f"{f:.0%}" for f in fractions) + " | mean of the four |")
print("|---" * (len(fractions) + 2) + "|")
overall = {}
for h in HEADS:
    means = [np.mean([np.mean(cell[s, f, h]) for s in sets]) for f in fractions]
    overall[h] = means
    print(f"| `{h}` | " + " | ".join(f"{m:.4f}" for m in means) + f" | {np.mean(means):.4f} |")
print(f"\n{len(sets)} sets: {', '.join(sets)}\n")
print("| set | " + " | ".join(f"today / m0.02 / m0.05 at {f:.0%}" for f in fractions) + " |")
print("|---" * (len(fractions) + 1) + "|")
for s in sets:
    print(f"| {s} | " + " | ".join(
        " / ".join(f"{np.mean(cell[s, f, h]):.3f}" for h in HEADS[:3]) for f in fractions)
        + " |")
switched = defaultdict(int)
for r in rows:
    for m in ("0.02", "0.05"):
        if r.get("today_head") and r[f"margin-{m}_head"] != r["today_head"]:
            switched[m] += 1
print(f"\ncells where a margin changed the head: 0.02: {switched['0.02']}, "
      f"0.05: {switched['0.05']} of {len(rows)}")
