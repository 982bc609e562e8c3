"""Mean NMI per set and step over the seeds of runs-*.jsonl (markdown), and the choices."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
STEPS = ("gap-3", "gap-4", "sbd", "codes", "ppv", "mean")
rows = [json.loads(line) for path in sorted(HERE.glob("runs-*.jsonl"))
        for line in path.read_text().splitlines() if line.strip()]
by_set = defaultdict(list)
for row in rows:
    by_set[row["set"]].append(row)
print("| set (n, k) | " + " | ".join(STEPS) + " | gap-4 choices | SBD CPU s |")
print("|---" * (len(STEPS) + 3) + "|")
means = defaultdict(list)
for name, runs in by_set.items():
    cells = []
    for step in STEPS:
        values = [r[step] for r in runs]
        means[step].append(np.mean(values))
        cells.append(f"{np.mean(values):.3f} ± {np.std(values):.3f}")
    choices = ", ".join(r["gap-4_choice"] for r in sorted(runs, key=lambda r: r["seed"]))
    print(f"| {name} ({runs[0]['n']}, {runs[0]['k']}) | " + " | ".join(cells)
          + f" | {choices} | {runs[0]['sbd_cpu_s']:.1f} |")
print(f"| **mean** ({len(by_set)} sets) | "
      + " | ".join(f"**{np.mean(means[s]):.3f}**" for s in STEPS) + " | | |")
worst = min(np.array(means["gap-4"]) - np.array(means["gap-3"]))
print(f"\ngap-4 - gap-3: mean {np.mean(means['gap-4']) - np.mean(means['gap-3']):+.4f}, "
      f"worst set {worst:+.4f}")
