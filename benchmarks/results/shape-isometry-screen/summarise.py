"""Table of runs.jsonl (mean +- std over seeds per set, means over sets) and the rule."""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
scores = defaultdict(dict)  # (protocol, variant) -> {set: [scores]}
seconds = defaultdict(list)
for line in open(HERE / "runs.jsonl"):
    r = json.loads(line)
    scores[r["protocol"], r["variant"]].setdefault(r["set"], []).append(r["score"])
    seconds[r["protocol"], r["variant"]].append(r["cpu_s"])
lines, means = [], {}
for protocol, metric in (("ucr", "codes + RBF SVC test accuracy"), ("clustering", "L2 + spectral NMI")):
    sets = sorted(scores[protocol, "euclid"])
    lines += [f"**{protocol}** ({metric}; mean ± std over seeds)", "",
              "| variant | " + " | ".join(sets) + " | mean | sets > euclid / < euclid | median fit CPU s |",
              "|---" * (len(sets) + 4) + "|"]
    for variant in ("euclid", "znorm", "sbd"):
        runs = scores[protocol, variant]
        assert all(len(runs[s]) == 3 for s in sets), (protocol, variant)
        m = {s: np.mean(runs[s]) for s in sets}
        means[protocol, variant] = np.mean(list(m.values()))
        base = {s: np.mean(scores[protocol, "euclid"][s]) for s in sets}
        wins = sum(m[s] > base[s] + 1e-9 for s in sets)
        losses = sum(m[s] < base[s] - 1e-9 for s in sets)
        lines.append(f"| {variant} | " + " | ".join(
            f"{m[s]:.3f} ± {np.std(runs[s]):.3f}" for s in sets)
            + f" | **{means[protocol, variant]:.3f}** | {wins} / {losses} | "
            f"{np.median(seconds[protocol, variant]):.1f} |")
    lines.append("")
lines.append("**Rule** (README.md, committed before the runs):")
for variant in ("znorm", "sbd"):
    du = means["ucr", variant] - means["ucr", "euclid"]
    dc = means["clustering", variant] - means["clustering", "euclid"]
    a = dc >= 0.01 and du >= -0.005
    b = du >= 0.01 and dc >= -0.005
    lines.append(f"- {variant}: ucr {du:+.3f}, clustering {dc:+.3f}: (a) {'met' if a else 'not met'}, "
                 f"(b) {'met' if b else 'not met'}")
(HERE / "table.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
