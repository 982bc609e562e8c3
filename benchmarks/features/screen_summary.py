"""Summarise a pre-registered screen of variants against the defaults on unreported sets.

A screen (``benchmarks/README.md`` section 16) runs, per variant ``V`` and seed ``S``,
``ucr.py --no-baselines --set ...`` on nine unreported sets into ``DIR/V-ucr-seedS.log`` and
``clustering.py --steps 'L2 + spectral' --set ...`` on six into
``DIR/V-clustering-seedS.log``. This script reads those logs and the defaults' runs
(section 15's ``w10`` logs in ``results/sbd-weight-unreported``: deterministic, so reused),
writes ``DIR/table.md`` (means ± std over the seeds, per set) and applies the rule of the
screens: a variant passes if its clustering NMI mean is at least 0.01 above the defaults'
with the accuracy mean at most 0.005 below, or the accuracy mean at least 0.01 above with
the NMI mean at most 0.005 below; of those that pass, the larger sum of the two gains is
adopted.

    python benchmarks/features/screen_summary.py benchmarks/results/views-screen-unreported \\
        cropmask mask
    python benchmarks/features/screen_summary.py benchmarks/results/code-size-screen2-unreported \\
        nc128 --defaults benchmarks/results/code-size-screen-unreported nc96
"""

import argparse
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parents[1] / "results"
DEFAULTS = (RESULTS / "sbd-weight-unreported", "w10")
ACCURACY = re.compile(r"^(\w+): RAESC \{'accuracy': ([0-9.]+)", re.M)
NMI = re.compile(r"^(\w+) seed \d+: RAESC L2 \+ spectral ([0-9.]+)", re.M)


def read(sources):
    """``(accuracy, nmi)``: ``{variant: {set: [score per seed]}}`` from the logs."""
    acc, nmi = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))
    for variant, (folder, prefix) in sources.items():
        for table, kind, pattern in ((acc, "ucr", ACCURACY), (nmi, "clustering", NMI)):
            for log in sorted(Path(folder).glob(f"{prefix}-{kind}-seed*.log")):
                for match in pattern.finditer(log.read_text()):
                    table[variant][match[1]].append(float(match[2]))
    return acc, nmi


def mean(table, variant):
    return float(np.mean([np.mean(v) for v in table[variant].values()]))


def rule(d_accuracy, d_nmi):
    """The screens' pre-registered rule on the two mean differences."""
    return (d_nmi >= 0.01 and d_accuracy >= -0.005) or (d_accuracy >= 0.01 and d_nmi >= -0.005)


def summary(acc, nmi, variants, n_seeds=3):
    """The markdown of ``table.md``."""
    lines = []
    names = ["default", *variants]
    for title, table in (("codes + RBF SVC accuracy (ucr protocol)", acc),
                         ("L2 + spectral NMI", nmi)):
        sets = sorted(table["default"])
        lines += [f"**{title}**, mean ± std over seeds", "",
                  "| variant | " + " | ".join(sets) + " | mean |",
                  "|---" * (len(sets) + 2) + "|"]
        for variant in names:
            missing = [s for s in sets if len(table[variant][s]) != n_seeds]
            if missing:
                raise ValueError(f"{variant}: not {n_seeds} seeds on {missing} ({title})")
            lines.append(f"| {variant} | " + " | ".join(
                f"{np.mean(table[variant][s]):.3f} ± {np.std(table[variant][s]):.3f}"
                for s in sets) + f" | **{mean(table, variant):.3f}** |")
        lines.append("")
    passing = {}
    for variant in variants:
        d_acc = mean(acc, variant) - mean(acc, "default")
        d_nmi = mean(nmi, variant) - mean(nmi, "default")
        if rule(d_acc, d_nmi):
            passing[variant] = d_acc + d_nmi
        lines.append(f"Rule, {variant} minus the default: accuracy {d_acc:+.3f}, NMI "
                     f"{d_nmi:+.3f}: {'passes' if rule(d_acc, d_nmi) else 'does not pass'}.")
    lines += ["", f"Adopted: {max(passing, key=passing.get)}." if passing else
              "Adopted: none; the default stays."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--defaults", nargs=2, metavar=("FOLDER", "PREFIX"),
                        help="the defaults' logs (FOLDER/PREFIX-ucr-seedS.log, ...); "
                             "default: section 15's w10 runs")
    args = parser.parse_args(argv)
    defaults = DEFAULTS if args.defaults is None else (Path(args.defaults[0]),
                                                       args.defaults[1])
    sources = {"default": defaults, **{v: (args.folder, v) for v in args.variants}}
    text = summary(*read(sources), args.variants)
    (args.folder / "table.md").write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main()
