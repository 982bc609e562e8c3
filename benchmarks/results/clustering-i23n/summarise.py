"""The NMI table of the three parts: python benchmarks/results/clustering-i23n/summarise.py benchmarks/results/clustering-i23n"""
import glob
import json
import sys

import numpy as np

METHODS = ["RAESC L2 + spectral + MiniRocket", "RAESC L2 + spectral", "k-means raw", "k-Shape"]
HEADER = ("| data set (n × T, k) | L2 + spectral + MiniRocket (documented now) | "
          "L2 + spectral (section 16) | k-means raw | k-Shape |")


def main(directory, methods=METHODS, header=HEADER):
    """Print the table of ``directory``'s parts: ``methods[0]`` (new) against ``methods[1]``
    (old) and the baselines."""
    res = {}
    for p in sorted(glob.glob(directory + '/part-*/results.json')):
        res.update(json.load(open(p))["results"])
    print(header)
    print("|---|---|---|---|---|")
    vals = {}
    for name, r in res.items():
        cells = []
        for m in methods:
            if m in r["summary"]:
                mean, std = r["summary"][m]["nmi"]
                vals[name, m] = mean
                cells.append(f"{mean:.3f} ± {std:.3f}")
            else:
                cells.append("-")
        print(f"| {name} ({r['shape']}) | " + " | ".join(cells) + " |")
    ten = [n for n in res if (n, "k-Shape") in vals]
    print("| **mean** (%d sets with k-Shape) | " % len(ten) + " | ".join(
        f"**{np.mean([vals[n, m] for n in ten]):.3f}**" for m in methods) + " |")
    print("| mean (all %d sets) | " % len(res) + " | ".join(
        f"{np.mean([vals[n, m] for n in res]):.3f}" if all((n, m) in vals for n in res) else "-"
        for m in methods) + " |")
    new, old = methods[0], methods[1]
    print()
    print("sets new >= k-means raw:", sum(vals[n, new] >= vals[n, "k-means raw"] for n in res), "/", len(res))
    print("sets old >= k-means raw:", sum(vals[n, old] >= vals[n, "k-means raw"] for n in res), "/", len(res))
    print("sets new >= k-Shape:", sum(vals[n, new] >= vals[n, "k-Shape"] for n in ten), "/", len(ten))
    print("new vs old per set:", {n: round(vals[n, new] - vals[n, old], 3) for n in res})


if __name__ == "__main__":
    main(sys.argv[1])
