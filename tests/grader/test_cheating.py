"""The cheat and crash catalog (tests/cheats/ps1.py) graded in one run of the real command.

Every case gets its row; cheats get no point at all, hidden or visible (their functions are
all wrong), honest submissions get exactly the points the in-process oracle gives (hidden:
harness.evaluate_group on the same functions; visible: the visible cell run on them, as plain
nbgrader does); runs that must stop say why; every feedback page names what happened and shows
no hidden-test source; nothing the students started is left running, and nothing changes after
grading ends.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest
from nbgrader.api import Gradebook

from autograder.cells import nbgrader_meta as _meta
from autograder.course import REPO_ROOT, Course
from autograder.decide.checks import evaluate_group, load_groups
from autograder.release.leaks import secret_lines
from cheats.ps1 import CASES, FUNCTIONS, WRONG, Case

A = "ps1"
SOURCE = REPO_ROOT / "solutions" / A / f"{A}.ipynb"
RELEASE = REPO_ROOT / "exercises" / A / f"{A}.ipynb"
MARKER = f"cheatmark{uuid.uuid4().hex[:10]}"
LIMITS = "cell_timeout=6,notebook_timeout=120,interrupt_grace=3"

pytestmark = pytest.mark.slow


def reference_bodies() -> dict[str, str]:
    cells = nbformat.read(str(SOURCE), as_version=4).cells
    return {_meta(c)["grade_id"]: "\n".join(ln for ln in c.source.splitlines()
                                            if "BEGIN SOLUTION" not in ln and "END SOLUTION" not in ln)
            for c in cells if _meta(c).get("solution") and _meta(c)["grade_id"] in FUNCTIONS}


def bodies_of(case: Case) -> dict[str, str]:
    ref = reference_bodies()
    chosen = {**WRONG, **case.bodies}
    return {f: ref[f] if body is None else body for f, body in chosen.items()}


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def notebook_for(case: Case, values: dict[str, str]) -> dict:
    nb = json.loads(RELEASE.read_text())
    bodies = bodies_of(case)
    cells = []
    for cell in nb["cells"]:
        gid = _meta(cell).get("grade_id")
        if gid in bodies:
            cell["source"] = fill(bodies[gid], values)
        cells.append(cell)
        if gid == "setup" and case.preamble:
            cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                          "outputs": [], "source": fill(case.preamble, values)})
    nb["cells"] = cells
    return nb


def oracle(case: Case) -> dict[str, float]:
    """grade_id -> points (hidden and visible) the case's functions earn, judged in this process."""
    cells = nbformat.read(str(SOURCE), as_version=4).cells
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        exec(next(c.source for c in cells if _meta(c).get("grade_id") == "setup"), ns)
        for body in bodies_of(case).values():
            exec(body, ns)
    groups = load_groups(A)
    points = {}
    for c in cells:
        match = re.search(r'run_group\("ps1", "([^"]+)"', c.source)
        if match:
            group = groups[match.group(1)]
            with np.errstate(all="ignore"):
                failed = evaluate_group(group, ns)
            points[_meta(c)["grade_id"]] = 0.0 if failed else float(group.points)
        elif _meta(c).get("grade_id", "").startswith("visible_"):
            try:
                with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
                    exec(c.source, dict(ns))
                points[_meta(c)["grade_id"]] = float(_meta(c)["points"])
            except Exception:
                points[_meta(c)["grade_id"]] = 0.0
    return points


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cheats")
    subs = tmp / "submissions"
    course = Course.from_env(course_dir=tmp / "course", output_dir=tmp / "out")
    values = {"{repo}": str(REPO_ROOT), "{course}": str(course.work_dir),
              "{other}": str(course.submitted_dir / "honest-reference"), "{marker}": MARKER}
    for case in CASES:
        folder = subs / case.name
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_text(json.dumps(notebook_for(case, values)))
    env = {**os.environ, "AUTOGRADER_LIMITS": LIMITS}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", A, "--submissions",
                           str(subs), "--course-dir", str(course.work_dir), "--output-dir",
                           str(course.output_dir), "--no-progress"],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(course.grades_csv(A), newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return SimpleNamespace(course=course, proc=proc, rows=rows, seconds=seconds, done=time.time())


def cell_scores(course: Course, student: str) -> dict[str, float]:
    with Gradebook(course.db_url) as gb:
        nb = gb.find_submission_notebook(A, A, student)
        return {g.name: g.score for g in nb.grades}


def feedback_page(catalog, student: str) -> str:
    return (catalog.course.feedback_dir / student / A / f"{A}.html").read_text()


def autograded_outputs(catalog, student: str) -> str:
    nb = nbformat.read(catalog.course.autograded_dir / student / A / f"{A}.ipynb", as_version=4)
    return "\n".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_wrong_base_fails_every_test_cell():
    points = oracle(Case("wrong", ""))
    assert set(points.values()) == {0.0}
    assert any(g.startswith("visible_") for g in points) and any(g.startswith("hidden_") for g in points)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gets_no_undeserved_point(catalog, case):
    row = catalog.rows[case.name]
    if case.status != "ok":
        assert float(row["score"]) == 0.0 and case.status in row["status"], row
        return
    if case.limit:
        assert row["status"].startswith("limit hit: cell ") and case.limit in row["status"], row
    else:
        assert row["status"] == "ok", row
    scores = {g: s for g, s in cell_scores(catalog.course, case.name).items()
              if g.startswith(("hidden_", "visible_"))}
    expected = oracle(case) if case.hidden == "honest" else {g: 0.0 for g in scores}
    assert scores == expected
    assert float(row["score"]) == sum(scores.values())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_feedback_says_what_happened(catalog, case):
    page = feedback_page(catalog, case.name)
    assert case.feedback in page or case.feedback in page.replace("&#x27;", "'"), case.name
    if case.status != "ok":
        assert case.feedback in catalog.rows[case.name]["status"]


def test_feedback_shows_no_hidden_test_source(catalog):
    secret = [s.line for s in secret_lines(REPO_ROOT / "solutions")
              if s.kind in ("hidden test", "solution")]
    for case in CASES:
        text = feedback_page(catalog, case.name)
        assert "BEGIN HIDDEN TESTS" not in text, case.name
        assert "run_group(" not in text or "run_group(" in case.preamble, case.name
        leaked = [line for line in secret if line in text
                  and line not in fill("".join(bodies_of(case).values()), {})]
        assert not leaked, (case.name, leaked[:3])


def test_feedback_shows_visible_tests_as_students_wrote_them(catalog):
    # Graded through run_visible, shown with their own source and what they printed here.
    page = feedback_page(catalog, "honest-reference")
    assert "run_visible" not in page
    assert page.count("Visible test (1 point)") == 5
    assert "relative error" in page and "visible test passed" in page
    wrong = feedback_page(catalog, "honest-wrong")
    assert "is too far from the expected values" in wrong


def test_kernel_reaches_no_solution_gradebook_spec_or_other_student(catalog):
    out = autograded_outputs(catalog, "cheat-read-secrets")
    probes = re.findall(r"probe (\S+) -> (\w+)", out)
    assert len(probes) == 9, out[:2000]
    assert all(result == "DENIED" for _, result in probes), probes
    assert "search found 0 []" in out


def test_kernel_writes_no_grade_file(catalog):
    out = autograded_outputs(catalog, "cheat-fake-grade-files")
    wrote = re.findall(r"^wrote (\S+)", out, re.M)
    assert set(wrote) <= {"ps1.ipynb", "gradebook.db"}, wrote  # its own private copies only
    with Gradebook(catalog.course.db_url) as gb:  # still a gradebook, still this grade
        assert gb.find_submission(A, "cheat-fake-grade-files").score == \
            float(catalog.rows["cheat-fake-grade-files"]["score"])


def test_no_network_from_the_kernel(catalog):
    out = autograded_outputs(catalog, "cheat-network")
    assert out.count("no network to") == 4 and "CONNECTED" not in out, out


def _marked_processes() -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if MARKER in text and "pytest" not in text:
            found.append(text)
    return found


def test_nothing_outlives_grading_nor_changes_grades_later(catalog):
    assert _marked_processes() == []
    csv_before = catalog.course.grades_csv(A).read_bytes()
    gradebook = catalog.course.gradebook.read_bytes()
    time.sleep(max(0.0, catalog.done + 8 - time.time()))  # past the rewriters' sleep
    assert _marked_processes() == []
    assert catalog.course.gradebook.read_bytes() == gradebook
    assert MARKER.encode() not in gradebook
    assert catalog.course.grades_csv(A).read_bytes() == csv_before
    assert not (Path("/tmp") / MARKER).exists()


def test_every_student_has_a_row_and_the_run_reports_its_time(catalog):
    assert sorted(catalog.rows) == sorted(c.name for c in CASES)
    print(f"catalog of {len(CASES)} graded in {catalog.seconds:.1f} s")
