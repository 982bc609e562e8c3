"""The NMI table of the three parts: python benchmarks/results/clustering-i23q/summarise.py benchmarks/results/clustering-i23q"""
import json, glob, sys, numpy as np
res = {}
for p in sorted(glob.glob(sys.argv[1] + '/part-*/results.json')):
    res.update(json.load(open(p))["results"])
methods = ["RAESC L2 + spectral, graph by eigengap", "RAESC L2 + spectral + MiniRocket", "k-means raw", "k-Shape"]
print("| data set (n × T, k) | graph by eigengap (documented now) | L2 + spectral + MiniRocket (section 19) | k-means raw | k-Shape |")
print("|---|---|---|---|---|")
vals = {}
for name, r in res.items():
    cells = []
    for m in methods:
        if m in r["summary"]:
            mean, std = r["summary"][m]["nmi"]; vals[name, m] = mean; cells.append(f"{mean:.3f} ± {std:.3f}")
        else:
            cells.append("-")
    print(f"| {name} ({r['shape']}) | " + " | ".join(cells) + " |")
ten = [n for n in res if (n, "k-Shape") in vals]
print("| **mean** (%d sets with k-Shape) | " % len(ten) + " | ".join(f"**{np.mean([vals[n, m] for n in ten]):.3f}**" for m in methods) + " |")
print("| mean (all %d sets) | " % len(res) + " | ".join(f"{np.mean([vals[n, m] for n in res]):.3f}" if all((n, m) in vals for n in res) else "-" for m in methods) + " |")
new, old = methods[0], methods[1]
print()
print("sets new >= k-means raw:", sum(vals[n, new] >= vals[n, "k-means raw"] for n in res), "/", len(res))
print("sets old >= k-means raw:", sum(vals[n, old] >= vals[n, "k-means raw"] for n in res), "/", len(res))
print("sets new >= k-Shape:", sum(vals[n, new] >= vals[n, "k-Shape"] for n in ten), "/", len(ten))
print("new vs old per set:", {n: round(vals[n, new] - vals[n, old], 3) for n in res})
