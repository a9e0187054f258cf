"""Per-notebook cost of the sandboxed kernel and the outside decision, against plain execution.

For each solution notebook (hidden tests included), run it REPEAT times:

* ``plain``:   nbgrader's Execute as nbgrader runs it (a TCP kernel, hidden checks judged in the
               kernel, ``shutdown_kernel = "immediate"`` as our course config sets);
* ``boxed``:   kernel.SandboxExecute (bubblewrap box, ipc kernel, limits) then
               verdict.DecideHiddenTests (records decoded and judged in this process).

Figures (medians, seconds per notebook): the two totals, their difference, and where the boxed
time goes: box set-up (folder copy, cgroups), kernel start (launch to the first cell), cells,
shutdown and teardown, and the outside decision. Both run in this one process, after one
warm-up run each (imports, the kernel bundle, the reference forms are made once per process).

    .venv/bin/python -m benchmarks sandbox_overhead
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.sandbox.environment import grading_env
from autograder.sandbox.kernel import SandboxExecute
from autograder.sandbox.box import Box, Limits
from autograder.decide.verdict import DecideHiddenTests
from nbgrader.preprocessors import Execute

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
REPEAT = 3


class _Timed(SandboxExecute):
    """SandboxExecute that notes when the first cell starts and when the cells end."""

    def preprocess_cell(self, cell, resources, index):
        self.marks.setdefault("first_cell", time.perf_counter())
        out = super().preprocess_cell(cell, resources, index)
        self.marks["last_cell"] = time.perf_counter()
        return out


def _boxed(path: Path, workdir: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(workdir)}, "nbgrader": {"assignment": path.parent.name}}
    ex = _Timed(limits=Limits(cell_timeout=120, notebook_timeout=600))
    ex.marks = {}
    box_setup = []
    original_init = Box.__init__

    def init(self, *a, **k):
        t = time.perf_counter()
        original_init(self, *a, **k)
        box_setup.append(time.perf_counter() - t)

    Box.__init__ = init
    try:
        start = time.perf_counter()
        nb, resources = ex.preprocess(nb, resources)
        executed = time.perf_counter()
    finally:
        Box.__init__ = original_init
    DecideHiddenTests(source_root=str(SOLUTIONS)).preprocess(nb, resources)
    end = time.perf_counter()
    failed = [c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not failed, f"{path}: the reference solution failed {len(failed)} cells when boxed"
    m = ex.marks
    return {"total": end - start, "box_setup": box_setup[0],
            "kernel_start": m["first_cell"] - start - box_setup[0],
            "cells": m["last_cell"] - m["first_cell"], "shutdown": executed - m["last_cell"],
            "decide": end - executed}


def _plain(path: Path, workdir: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with grading_env():
        Execute(timeout=120, shutdown_kernel="immediate").preprocess(
            nb, {"metadata": {"path": str(workdir)}})
    return time.perf_counter() - start


def run() -> dict:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for path in sorted(SOLUTIONS.glob("*/*.ipynb")):
            name = path.parent.name
            _plain(path, workdir), _boxed(path, workdir)  # warm-up
            plain = statistics.median(_plain(path, workdir) for _ in range(REPEAT))
            boxed = [_boxed(path, workdir) for _ in range(REPEAT)]
            med = {k: statistics.median(b[k] for b in boxed) for k in boxed[0]}
            figures[f"{name}_plain_s"] = round(plain, 2)
            figures[f"{name}_boxed_s"] = round(med["total"], 2)
            figures[f"{name}_boxed_minus_plain_s"] = round(med["total"] - plain, 2)
            for k in ("box_setup", "kernel_start", "cells", "shutdown", "decide"):
                figures[f"{name}_boxed_{k}_s"] = round(med[k], 3)
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:40} {value}")
