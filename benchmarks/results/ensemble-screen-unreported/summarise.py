"""nmi.jsonl, ucr.jsonl -> table.md: per-set mean ± std over seeds and the mean over sets,
beside the defaults' (one GRU) figures of ../code-size-screen-unreported (table.md there)."""
import collections
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
lines = []
for name, key, what in (("nmi.jsonl", "nmi", "L2 + spectral NMI"),
                        ("ucr.jsonl", "accuracy", "codes + RBF SVC accuracy (ucr protocol)")):
    per = collections.defaultdict(list)
    seconds = []
    for line in open(HERE / name):
        row = json.loads(line)
        per[row["set"]].append(row[key])
        seconds.append(row["cpu_s"])
    lines += [f"**{what}, two LSTM models (`lstm2`)**", "", "| set | lstm2 |", "|---|---|"]
    lines += [f"| {s} | {np.mean(v):.3f} ± {np.std(v):.3f} |" for s, v in per.items()]
    lines += [f"| **mean** | **{np.mean([np.mean(v) for v in per.values()]):.3f}** |",
              f"| CPU s per run (median, both fits) | {np.median(seconds):.1f} |", ""]
(HERE / "table.md").write_text("\n".join(lines))
print("\n".join(lines))
