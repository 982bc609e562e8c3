"""Table of runs.jsonl: mean over seeds per set and fraction, and the pre-registered rule."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
HEADS = ("svm", "self-training", "spreading")
rows = [json.loads(line) for line in open(HERE / "runs.jsonl")]
lines = []
for fraction in sorted({r["fraction"] for r in rows}):
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["fraction"] == fraction:
            for h in HEADS:
                by[r["set"]][h].append(r[h])
    sets = sorted(by)
    assert all(len(by[s]["svm"]) == 3 for s in sets), fraction
    lines += [f"**{fraction:.0%} of the labels** (test accuracy, mean ± std over 3 seeds)", "",
              "| head | " + " | ".join(sets) + " | mean | sets ≥ svm |", "|---" * (len(sets) + 3) + "|"]
    for h in HEADS:
        m = [np.mean(by[s][h]) for s in sets]
        ge = sum(np.mean(by[s][h]) >= np.mean(by[s]["svm"]) - 1e-9 for s in sets)
        lines.append(f"| {h} | " + " | ".join(f"{np.mean(by[s][h]):.3f} ± {np.std(by[s][h]):.3f}"
                                              for s in sets) + f" | **{np.mean(m):.3f}** | {ge} |")
    lines.append("")
added = sum(r["self-training_added"] for r in rows)
lines.append(f"Pseudo-labels added by self-training, over all {len(rows)} runs: {added}.")
(HERE / "table.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
