"""Run the benchmarks and report their figures.

    python -m benchmarks              # every benchmarks/<name>.py that defines run()
    python -m benchmarks site_build   # only the named ones

A benchmark is a module in this folder whose `run()` returns a dict of figures
({name: number or short text}; put the unit in the name, e.g. "clean_build_s").
The figures are printed as a table and written to benchmarks/results/<UTC time>.json
(gitignored). Exits 1 if any benchmark raised.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def discover() -> dict:
    """{name: run function} for every module here (not starting with _) that defines run().
    A module that fails to import is kept, as a run() that raises its import error."""
    found = {}
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__package__}.{info.name}")
        except Exception as error:
            found[info.name] = functools.partial(_reraise, error)
            continue
        if callable(getattr(module, "run", None)):
            found[info.name] = module.run
    return found


def _reraise(error: Exception):
    raise error


def table(results: dict) -> str:
    rows = [("benchmark", "figure", "value")]
    for name, figures in results.items():
        for key, value in figures.items():
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            rows.append((name, key, shown))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    available = discover()
    unknown = [name for name in argv if name not in available]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {sorted(available)}", file=sys.stderr)
        return 2
    chosen = argv or list(available)
    results, failed = {}, []
    for name in chosen:
        print(f"[benchmarks] {name} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            figures = dict(available[name]())
        except Exception:
            traceback.print_exc()
            failed.append(name)
            figures = {"error": traceback.format_exc(limit=1).strip().splitlines()[-1]}
        figures["benchmark_wall_s"] = round(time.perf_counter() - start, 2)
        results[name] = figures
    print(table(results))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps({
        "utc": stamp,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "results": results,
    }, indent=1) + "\n")
    print(f"\nwritten: {out.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
