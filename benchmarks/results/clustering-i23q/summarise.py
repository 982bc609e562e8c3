"""The NMI table of the three parts: python benchmarks/results/clustering-i23q/summarise.py benchmarks/results/clustering-i23q"""
import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "i23n", Path(__file__).resolve().parent.parent / "clustering-i23n" / "summarise.py")
i23n = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i23n)

if __name__ == "__main__":
    i23n.main(sys.argv[1],
              ["RAESC L2 + spectral, graph by eigengap", "RAESC L2 + spectral + MiniRocket",
               "k-means raw", "k-Shape"],
              "| data set (n × T, k) | graph by eigengap (documented now) | "
              "L2 + spectral + MiniRocket (section 19) | k-means raw | k-Shape |")
