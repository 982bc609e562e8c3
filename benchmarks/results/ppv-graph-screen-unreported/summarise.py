"""Per-set and overall mean NMI of each step in runs.jsonl (mean and std over seeds), sets
within 0.05 of the documented step, and the PPV features' CPU seconds:
``python summarise.py > table.md``."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

STEPS = ("L2 + spectral", "L2 + spectral + PPV", "PPV spectral")
rows = [json.loads(line) for line in (Path(__file__).parent / "runs.jsonl").open()]
cells = defaultdict(lambda: defaultdict(list))
sbd_s = {}
for r in rows:
    sbd_s[r["set"]] = max(sbd_s.get(r["set"], 0.0), r["ppv_cpu_s"])
    for step in STEPS:
        cells[r["set"]][step].append(r[step])
print("| set | " + " | ".join(STEPS) + " | PPV features CPU s (max over seeds) |")
print("|---" * (len(STEPS) + 2) + "|")
for name in cells:
    print(f"| {name} | " + " | ".join(
        f"{np.mean(cells[name][s]):.3f} ± {np.std(cells[name][s]):.3f}" for s in STEPS)
        + f" | {sbd_s[name]:.1f} |")
means = {s: np.mean([np.mean(cells[n][s]) for n in cells]) for s in STEPS}
print("| **mean** | " + " | ".join(f"**{means[s]:.4f}**" for s in STEPS) + " | |")
base = "L2 + spectral"
near = {s: sum(np.mean(cells[n][s]) >= np.mean(cells[n][base]) - 0.05 for n in cells)
        for s in STEPS}
print("| sets no more than 0.05 below the documented step | "
      + " | ".join(f"{near[s]}/{len(cells)}" for s in STEPS) + " | |")
