"""A busy machine costs honest students nothing: cells are budgeted in CPU time, not wall-clock.

The test itself loads the machine: two busy-loop processes per core, started here and ended
here by pid. Under that load, with a tight per-cell budget (6 CPU seconds), honest ps1
submissions (some importing torch and matplotlib first, as students do) get every automatic
point, with the written answer shown as waiting for the instructor, and a student with an infinite loop still gets a row saying which limit was hit.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograder.course import Course
from autograder.grade import grade
from autograder.sandbox.box import LIMITS_ENV
from support.grading import (filled_release, manual_points, max_points, read_csv, source_of,
                             waiting, write_student)

A = "ps1"
HEAVY_IMPORTS = "import torch\nimport matplotlib.pyplot as plt\n"


def reference_code(function: str) -> str:
    cell = filled_release()  # the reference with markers removed
    return next("".join(c["source"]) for c in cell["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == function)


@pytest.mark.slow
def test_honest_students_lose_nothing_on_a_loaded_machine(tmp_path, monkeypatch):
    monkeypatch.setenv(LIMITS_ENV, "cell_timeout=6,interrupt_grace=5")
    subs = tmp_path / "subs"
    rel_error = reference_code("rel_error")
    for i in range(2):
        write_student(subs, f"plain-{i}", f"{A}.ipynb", filled_release())
        write_student(subs, f"imports-{i}", f"{A}.ipynb",
                      filled_release({"rel_error": HEAVY_IMPORTS + rel_error}))
    write_student(subs, "loops", f"{A}.ipynb",
                  filled_release({"rel_error": rel_error + "\nwhile True:\n    pass\n"}))
    course = Course.from_env(course_dir=tmp_path / "course", output_dir=tmp_path / "out")

    cores = len(os.sched_getaffinity(0))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * cores)]
    try:
        report = grade(course, A, subs, progress=False)
    finally:
        for proc in busy:
            os.kill(proc.pid, 9)
            proc.wait()

    rows = read_csv(report.grades_csv)
    # Every automatic point; a written answer waits for the instructor and says so.
    by_hand = manual_points(source_of(A))
    expected = (max_points(source_of(A)) - by_hand, waiting(by_hand) if by_hand else "ok")
    for student in ("plain-0", "plain-1", "imports-0", "imports-1"):
        assert (float(rows[student]["score"]), rows[student]["status"]) == expected, rows[student]
    loops = rows["loops"]
    assert "limit hit: cell " in loops["status"] and "s of CPU time, over the limit of 6 s" \
        in loops["status"], loops
