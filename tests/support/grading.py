"""Helpers for tests that grade whole classes: student notebooks from the release, the CLI, the
CSV and the gradebook's cell scores."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.cells import nbgrader_meta
from autograder.course import REPO_ROOT, Course


def source_of(assignment: str) -> Path:
    return REPO_ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def release_of(assignment: str) -> Path:
    return REPO_ROOT / "exercises" / assignment / f"{assignment}.ipynb"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True)


def read_csv(path: Path) -> dict[str, dict]:
    with open(path, newline="") as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def cell_scores(course: Course, student: str, assignment: str = "ps1") -> dict[str, tuple[float, float]]:
    with Gradebook(course.db_url) as gb:
        nb = gb.find_submission_notebook(assignment, assignment, student)
        return {g.name: (g.score, g.max_score) for g in nb.grades}


def max_points(source: Path) -> float:
    nb = nbformat.read(str(source), as_version=4)
    return float(sum(nbgrader_meta(c).get("points", 0) for c in nb.cells
                     if nbgrader_meta(c).get("grade")))


def manual_points(source: Path) -> float:
    """Points of the answers an instructor grades by hand (graded cells the student writes)."""
    nb = nbformat.read(str(source), as_version=4)
    return float(sum(nbgrader_meta(c).get("points", 0) for c in nb.cells
                     if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution")))


def waiting(points: float) -> str:
    """The CSV status of a row whose only missing points wait for manual grading."""
    return f"needs manual grading ({points:g} point{'s' if points != 1 else ''})"


def filled_release(replace: dict[str, str] | None = None, assignment: str = "ps1") -> dict:
    """What a student hands in: the release with every solution cell written (the reference's
    code or written answer, markers removed), then the cells named in ``replace`` swapped for
    other code."""
    source = {c.metadata["nbgrader"]["grade_id"]: c.source
              for c in nbformat.read(str(source_of(assignment)), as_version=4).cells
              if nbgrader_meta(c).get("solution")}
    nb = json.loads(release_of(assignment).read_text())
    for cell in nb["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in source:
            code = "\n".join(ln for ln in source[grade_id].splitlines()
                             if "BEGIN SOLUTION" not in ln and "END SOLUTION" not in ln)
            cell["source"] = (replace or {}).get(grade_id, code)
    return nb


def write_student(root: Path, student: str, name: str | None, content) -> None:
    folder = root / student
    folder.mkdir(parents=True, exist_ok=True)
    if name is not None:
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content))
