"""A tiny nbgrader assignment ("toy") in a temporary course root, for grader and leak tests.

It does not depend on solutions/ps1, so the grading machinery is tested even while the real
assignment changes. Its hidden test imports ``autograder.decide.checks`` like the real ones do, so it
also proves the grading kernel can import the repository's autograder package.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "toy"
MAX_SCORE = 3.0  # 1 visible + 2 hidden

SOLUTION_LINE = "total = a + b  # the toy solution"
HIDDEN_LINE = 'assert not compare("sum", add(10, -3), 7, rtol=0, atol=0), "add(10, -3) is wrong"'
PUBLIC_LINE = "result_of_public_call = add(1, 2)"


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook():
    cells = [
        new_markdown_cell("# Toy assignment\nImplement `add(a, b)` (3 points: 1 visible, 2 hidden)."),
        new_code_cell(
            "def add(a, b):\n"
            "    ### BEGIN SOLUTION\n"
            f"    {SOLUTION_LINE}\n"
            "    return total\n"
            "    ### END SOLUTION",
            metadata=_meta("add", solution=True)),
        new_code_cell(f"{PUBLIC_LINE}\nassert result_of_public_call == 3",
                      metadata=_meta("add_visible", grade=True, locked=True, points=1)),
        new_code_cell(
            "from autograder.kernel_side.plaindata import compare\n"
            "### BEGIN HIDDEN TESTS\n"
            f"{HIDDEN_LINE}\n"
            "### END HIDDEN TESTS",
            metadata=_meta("add_hidden", grade=True, locked=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def make_course_root(root: Path) -> Path:
    """Write solutions/toy/toy.ipynb under ``root`` and return ``root``."""
    src = root / "solutions" / ASSIGNMENT
    src.mkdir(parents=True)
    nbformat.write(source_notebook(), src / f"{ASSIGNMENT}.ipynb")
    return root


def student_notebook(release_nb: Path, body: str) -> dict:
    """The released notebook with the student's ``add`` replaced by ``body``."""
    nb = json.loads(release_nb.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "add":
            cell["source"] = body
    return nb
