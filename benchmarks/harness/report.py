"""Where a figure came from, written down (the harness's report module): the machine line,
the command line, threads, medians, markdown tables and the ``results.json`` / ``table.md``
files of a run."""

import json
import os
import platform
import shlex
import statistics
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import torch

from . import ROOT


def set_threads(n_threads):
    """Set torch's intra-op threads (``None`` keeps torch's default); return the count used."""
    if n_threads:
        torch.set_num_threads(n_threads)
    return torch.get_num_threads()


def machine_description(device):
    """One line naming the machine a figure was measured on."""
    if str(device).startswith("cuda"):
        hardware = torch.cuda.get_device_name(torch.device(device))
    else:
        hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores"
    return (f"{hardware}; torch {torch.__version__}, {torch.get_num_threads()} intra-op "
            f"thread(s); Python {platform.python_version()}")


def utc_now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def median(values):
    return statistics.median(values) if values else float("nan")


def script_path(script):
    """``benchmarks/<folder>/<name>.py`` for a script's ``__file__`` (relative to the
    checkout), or ``benchmarks/<script>`` for a name given relative to ``benchmarks/``."""
    path = Path(script)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return path.as_posix()
    return f"benchmarks/{path.as_posix()}"


def command_line(script, argv=None):
    """The command that ran: ``python benchmarks/<folder>/<name>.py <arguments>``."""
    arguments = argv if argv is not None else sys.argv[1:]
    return " ".join(["python", script_path(script), *(shlex.quote(a) for a in arguments)])


def markdown_table(head, rows):
    """A markdown table: ``head`` (column names) and ``rows`` (lists of cells)."""
    lines = ["| " + " | ".join(map(str, head)) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows]
    return "\n".join(lines)


def dump_rows(rows, path):
    """Write ``rows`` as JSON to the file ``path`` (``--out``); nothing where it is ``None``."""
    if path:
        Path(path).write_text(json.dumps(rows, indent=1))


def write_results(out, command, machine, payload, table=None):
    """Write ``results.json`` (the command, the machine, the date and ``payload``) to the
    folder ``out``, and ``table.md`` (the command, the machine and ``table``) when a table is
    given; return the folder."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(
        {"command": command, "machine": machine, "date": utc_now(), **payload}, indent=1))
    if table:
        (out / "table.md").write_text(f"`{command}`\n\n{machine}, {utc_now()}\n\n{table}\n")
    return out


def report(script, argv, threads, produce_rows, markdown):
    """Run ``produce_rows()`` on ``threads`` torch threads (warnings silenced), print the
    machine, the rows' ``markdown`` tables, the total seconds and the command (``script``:
    the script's ``__file__``)."""
    set_threads(threads)
    warnings.filterwarnings("ignore")
    start = time.perf_counter()
    print(f"# {utc_now()}; {machine_description('cpu')}")
    rows = produce_rows()
    print()
    print(markdown(rows))
    print(f"\ntotal {time.perf_counter() - start:.0f} s; command: "
          f"{command_line(script, argv)}")
    return rows
