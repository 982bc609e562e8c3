"""Means of the runs (logs of ucr.py and clustering.py) and the pre-registered rule."""
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
acc, nmi = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))
for w in (3, 10):
    for log in HERE.glob(f"w{w}-ucr-seed*.log"):
        for m in re.finditer(r"^(\w+): RAESC \{'accuracy': ([0-9.]+)", log.read_text(), re.M):
            acc[w][m[1]].append(float(m[2]))
    for log in HERE.glob(f"w{w}-clustering-seed*.log"):
        for m in re.finditer(r"^(\w+) seed \d+: RAESC L2 \+ spectral ([0-9.]+)", log.read_text(), re.M):
            nmi[w][m[1]].append(float(m[2]))
lines = []
for name, table in (("codes + RBF SVC accuracy (ucr protocol)", acc), ("L2 + spectral NMI", nmi)):
    sets = sorted(table[3])
    lines += [f"**{name}**, mean ± std over seeds", "",
              "| isometry | " + " | ".join(sets) + " | mean |", "|---" * (len(sets) + 2) + "|"]
    for w in (3, 10):
        assert all(len(table[w][s]) == 3 for s in sets), (name, w)
        lines.append(f"| {w} | " + " | ".join(f"{np.mean(table[w][s]):.3f} ± {np.std(table[w][s]):.3f}"
                                               for s in sets)
                     + f" | **{np.mean([np.mean(table[w][s]) for s in sets]):.3f}** |")
    lines.append("")
da = np.mean([np.mean(v) for v in acc[10].values()]) - np.mean([np.mean(v) for v in acc[3].values()])
dn = np.mean([np.mean(v) for v in nmi[10].values()]) - np.mean([np.mean(v) for v in nmi[3].values()])
adopt = (dn >= 0.01 and da >= -0.005) or (da >= 0.01 and dn >= -0.005)
lines.append(f"Rule: isometry=10 minus 3: accuracy {da:+.3f}, NMI {dn:+.3f}: "
             f"{'met, 10 would replace 3' if adopt else 'not met, 3 stays'}.")
(HERE / "table.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
