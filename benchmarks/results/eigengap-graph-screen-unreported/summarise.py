"""``python summarise.py > table.md``: mean NMI (std over seeds) per set and step."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
rows = [json.loads(line) for p in sorted(HERE.glob("runs-*.jsonl")) for line in p.open()]
steps = ["documented", "gap-3", "gap-2", "codes", "ppv"]
cells = defaultdict(lambda: defaultdict(list))
for r in rows:
    for s in steps:
        cells[r["set"]][s].append(r[s])
    cells[r["set"]]["choices"].append(f'{r["gap-3"]}/{r["gap-3_choice"]}/{r["gap-2_choice"]}')
print("| set | " + " | ".join(steps) + " | gap-3 / gap-2 choices |")
print("|---" * (len(steps) + 2) + "|")
for name in cells:
    print(f"| {name} | " + " | ".join(f"{np.mean(cells[name][s]):.3f} ± {np.std(cells[name][s]):.3f}"
                                    for s in steps)
          + " | " + ", ".join(c.split("/", 1)[1] for c in cells[name]["choices"]) + " |")
means = {s: np.mean([np.mean(cells[n][s]) for n in cells]) for s in steps}
print("| **mean** | " + " | ".join(f"**{means[s]:.4f}**" for s in steps) + " | |")
worst = {s: min(np.mean(cells[n][s]) - np.mean(cells[n]["documented"]) for n in cells)
         for s in steps}
print("| worst set vs documented | " + " | ".join(f"{worst[s]:+.3f}" for s in steps) + " | |")
