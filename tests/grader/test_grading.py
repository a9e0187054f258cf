"""Grading end to end through nbgrader: `python -m autograder grade` and `export`.

One grade run of the real ps1 covers: the reference solution (every automatic point), the blank release
(0), a partly wrong implementation (partial), a renamed notebook, an empty folder, a truncated
notebook, and every variant in tests/mutants/ps1 pasted into the reference (each wrong version
loses points in its own part, each differently-written correct version keeps every automatic
point). A written answer waits for the instructor: its points are missing from the score and the
status says so.
One grade run each of ps2 and ps3 covers every variant in tests/mutants/ps2, ps3 (a student
holds one variant of every function, so a few students cover them all) and the written answer
that nbgrader leaves for the instructor, graded by hand and exported.
A small toy assignment covers re-grading and the ways nbgrader itself can fail.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins.export import CsvExportPlugin

import mutants.ps2
import mutants.ps3
from support import toy_course
from support.grading import (cell_scores, filled_release, manual_points, max_points, read_csv,
                             release_of, run_cli, source_of, waiting, write_student)
from autograder.course import REPO_ROOT, Course
from autograder.records.export import COLUMNS, NBGRADER_COLUMNS
from autograder.grade import grade
from autograder.release.leaks import secret_lines
from autograder.release.generate import release
from mutants.ps1 import all_variants, variant_source

A = "ps1"
SOURCE = REPO_ROOT / "solutions" / A / f"{A}.ipynb"
RELEASE = REPO_ROOT / "exercises" / A / f"{A}.ipynb"
WRONG = all_variants("wrong")
CORRECT = all_variants("correct")
# A plausible wrong rel_error: no 1e-8 floor, so 0/0 gives nan.
NO_FLOOR = "def rel_error(x, y):\n    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y)))\n"


# ---- one grade run of ps1 for the whole class ------------------------------------------------

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def ps1_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ps1")
    subs = tmp / "submissions"
    reference = filled_release()
    write_student(subs, "reference", f"{A}.ipynb", reference)
    write_student(subs, "blank", f"{A}.ipynb", RELEASE.read_text())
    write_student(subs, "partial", f"{A}.ipynb", filled_release({"rel_error": NO_FLOOR}))
    write_student(subs, "renamed", "Ps1-final (1).ipynb", reference)
    write_student(subs, "empty", None, None)
    write_student(subs, "truncated", f"{A}.ipynb", json.dumps(reference)[:5000])
    for kind, variants in (("wrong", WRONG), ("correct", CORRECT)):
        for function, name in variants:
            write_student(subs, f"{kind}-{function}-{name}", f"{A}.ipynb",
                          filled_release({function: variant_source(function, name)}))
    course = Course.from_env(course_dir=tmp / "course", output_dir=tmp / "out")
    proc = run_cli("grade", A, "--submissions", str(subs), "--course-dir", str(course.work_dir),
                   "--output-dir", str(course.output_dir))
    assert proc.returncode == 0, proc.stderr[-3000:]
    by_hand = manual_points(SOURCE)
    # What a complete submission gets from the grader: every automatic point, the written
    # answer waiting for the instructor.
    complete = (max_points(SOURCE) - by_hand, waiting(by_hand) if by_hand else "ok")
    return SimpleNamespace(course=course, proc=proc, subs=subs, rows=read_csv(course.grades_csv(A)),
                           max=max_points(SOURCE), by_hand=by_hand, complete=complete)


@slow
def test_every_student_folder_gets_exactly_one_row(ps1_run):
    folders = sorted(p.name for p in ps1_run.subs.iterdir())
    assert sorted(ps1_run.rows) == folders
    assert all(float(r["max_score"]) == ps1_run.max for r in ps1_run.rows.values())


@slow
def test_csv_has_nbgrader_export_columns_and_values(ps1_run, tmp_path):
    plugin = CsvExportPlugin(to=str(tmp_path / "nbgrader.csv"), assignment=[A])
    with Gradebook(ps1_run.course.db_url) as gb:
        plugin.export(gb)
    theirs = read_csv(tmp_path / "nbgrader.csv")
    with open(ps1_run.course.grades_csv(A), newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    assert list(next(iter(theirs.values()))) == NBGRADER_COLUMNS
    assert {s: {k: r[k] for k in NBGRADER_COLUMNS} for s, r in ps1_run.rows.items()} == theirs


@slow
def test_ps1_has_a_written_answer_graded_by_hand(ps1_run):
    assert ps1_run.by_hand == 1 and ps1_run.complete[1] == "needs manual grading (1 point)"


@slow
def test_reference_solution_gets_every_automatic_point(ps1_run):
    row = ps1_run.rows["reference"]
    assert (float(row["score"]), row["status"]) == ps1_run.complete
    lost = {c: s for c, s in cell_scores(ps1_run.course, "reference").items() if s[0] < s[1]}
    assert lost == {"written_batch_size": (0.0, ps1_run.by_hand)}, lost


@slow
def test_blank_release_scores_zero(ps1_run):
    row = ps1_run.rows["blank"]
    assert (float(row["score"]), row["status"]) == (0.0, "ok")
    assert all(score == 0 for score, _ in cell_scores(ps1_run.course, "blank").values())


@slow
def test_wrong_rel_error_loses_points_only_in_its_part(ps1_run):
    assert 0 < float(ps1_run.rows["partial"]["score"]) < ps1_run.complete[0]
    scores = cell_scores(ps1_run.course, "partial")
    lost = {cell for cell, (score, full) in scores.items()
            if score < full and cell != "written_batch_size"}
    assert lost and all("rel_error" in cell for cell in lost), lost


@slow
def test_renamed_notebook_is_graded_and_told(ps1_run):
    row = ps1_run.rows["renamed"]
    assert (float(row["score"]), row["status"]) == ps1_run.complete
    assert "Ps1-final (1).ipynb" in row["notes"]
    page = (ps1_run.course.feedback_dir / "renamed" / A / f"{A}.html").read_text()
    assert "Ps1-final (1).ipynb" in page


@pytest.mark.parametrize("student, why", [("empty", "no notebook was submitted"),
                                          ("truncated", "not a valid notebook")])
@slow
def test_ungradable_submission_gets_zero_and_a_reason(ps1_run, student, why):
    row = ps1_run.rows[student]
    assert float(row["score"]) == 0.0 and why in row["status"]
    page = (ps1_run.course.feedback_dir / student / A / f"{A}.html").read_text()
    assert why in page
    assert f"{student}: " in ps1_run.proc.stdout and why in ps1_run.proc.stdout


@slow
def test_summary_counts_graded_and_failed_students(ps1_run):
    out = ps1_run.proc.stdout
    total = len(ps1_run.rows)
    assert f"graded {total - 2} of {total} students" in out
    assert "Not graded, score 0 (2):" in out
    assert re.search(r"in \d+\.\d s \(\d+\.\d\d s per graded student\)", out)


@slow
def test_feedback_hides_hidden_tests_but_says_what_failed(ps1_run):
    hidden = [s.line for s in secret_lines(REPO_ROOT / "solutions") if s.kind == "hidden test"]
    assert hidden, "no hidden-test lines found in solutions/: nothing to check"
    pages = sorted(ps1_run.course.feedback_dir.glob(f"*/{A}/*.html"))
    assert len(pages) == len(ps1_run.rows)
    for page in pages:
        text = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in text, page
        assert not [line for line in hidden if line in text], page
    partial = (ps1_run.course.feedback_dir / "partial" / A / f"{A}.html").read_text()
    assert "hidden checks in &#x27;rel_error" in partial or "hidden checks in 'rel_error" in partial


@slow
def test_export_rewrites_the_csv_from_the_gradebook(ps1_run):
    path = ps1_run.course.grades_csv(A)
    before = path.read_bytes()
    path.unlink()
    proc = run_cli("export", A, "--course-dir", str(ps1_run.course.work_dir),
                   "--output-dir", str(ps1_run.course.output_dir))
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == before


@slow
@pytest.mark.parametrize("function, name", WRONG, ids=[f"{f}-{n}" for f, n in WRONG])
def test_each_wrong_version_loses_points_in_its_part(ps1_run, function, name):
    student = f"wrong-{function}-{name}"
    assert ps1_run.rows[student]["status"] == ps1_run.complete[1]
    assert float(ps1_run.rows[student]["score"]) < ps1_run.complete[0]
    lost = [cell for cell, (score, full) in cell_scores(ps1_run.course, student).items()
            if score < full and function in cell]
    assert lost, f"{name} kept every point of {function}'s tests"


@slow
@pytest.mark.parametrize("function, name", CORRECT, ids=[f"{f}-{n}" for f, n in CORRECT])
def test_each_differently_written_correct_version_keeps_every_automatic_point(ps1_run, function,
                                                                             name):
    row = ps1_run.rows[f"correct-{function}-{name}"]
    assert (float(row["score"]), row["status"]) == ps1_run.complete


# ---- ps2 and ps3: every variant, and the written answer graded by hand -----------------------

OPTIM_VARIANTS = {"ps2": mutants.ps2, "ps3": mutants.ps3}


def one_variant_per_function(variants, kind: str) -> dict[str, dict[str, str]]:
    """{student: {function: variant}}: student k holds the k-th variant of every function that
    has one (the hidden checks of one function never call another, so they do not interfere)."""
    names = {f: variants.REGISTRY[f][kind] for f in variants.FUNCTIONS}
    return {f"{kind}-{k}": {f: v[k] for f, v in names.items() if k < len(v)}
            for k in range(max(map(len, names.values())))}


def grade_cells(source: Path) -> dict[str, dict]:
    """grade_id -> nbgrader metadata of every graded cell, plus the function it belongs to."""
    cells = {}
    for c in nbformat.read(str(source), as_version=4).cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade"):
            group = re.search(r'run_group\("\w+", "(\w+)\.', c.source)
            function = group.group(1) if group else meta["grade_id"].removeprefix("visible_")
            cells[meta["grade_id"]] = {**meta, "function": function}
    return cells


@pytest.fixture(scope="module", params=sorted(OPTIM_VARIANTS))
def optim_run(request, tmp_path_factory):
    a, variants = request.param, OPTIM_VARIANTS[request.param]
    tmp = tmp_path_factory.mktemp(a)
    subs = tmp / "submissions"
    write_student(subs, "reference", f"{a}.ipynb", filled_release(assignment=a))
    write_student(subs, "blank", f"{a}.ipynb", release_of(a).read_text())
    students = {**one_variant_per_function(variants, "wrong"),
                **one_variant_per_function(variants, "correct")}
    for student, chosen in students.items():
        code = {f: variants.variant_source(f, v) for f, v in chosen.items()}
        write_student(subs, student, f"{a}.ipynb", filled_release(code, assignment=a))
    course = Course.from_env(course_dir=tmp / "course", output_dir=tmp / "out")
    proc = run_cli("grade", a, "--submissions", str(subs), "--course-dir", str(course.work_dir),
                   "--output-dir", str(course.output_dir))
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = grade_cells(source_of(a))
    written = {g: m["points"] for g, m in cells.items() if m["solution"]}
    assert len(written) == 1, written
    return SimpleNamespace(a=a, course=course, rows=read_csv(course.grades_csv(a)), cells=cells,
                           max=max_points(source_of(a)), written=written, students=students)


def grade_record(run, student: str, grade_id: str):
    with Gradebook(run.course.db_url) as gb:
        g = gb.find_grade(grade_id, run.a, run.a, student)
        return SimpleNamespace(auto=g.auto_score, manual=g.manual_score,
                               needs_manual=g.needs_manual_grade)


def test_optim_reference_gets_every_autograded_point_and_the_written_answer_waits(optim_run):
    (written, points), = optim_run.written.items()
    row = optim_run.rows["reference"]
    assert (float(row["score"]), row["status"]) == (optim_run.max - points, waiting(points))
    assert float(row["max_score"]) == optim_run.max
    scores = cell_scores(optim_run.course, "reference", optim_run.a)
    assert {c: s for c, s in scores.items() if s[0] < s[1]} == {written: (0.0, points)}
    record = grade_record(optim_run, "reference", written)
    assert record.auto is None and record.needs_manual and record.manual is None


def test_optim_blank_release_scores_zero_and_its_empty_answer_needs_no_grading(optim_run):
    row = optim_run.rows["blank"]
    assert (float(row["score"]), row["status"]) == (0.0, "ok")
    (written, _), = optim_run.written.items()
    record = grade_record(optim_run, "blank", written)
    assert record.auto == 0 and not record.needs_manual  # nbgrader: unchanged answer, 0 points


def test_optim_each_wrong_version_loses_points_in_its_part(optim_run):
    kept = []
    for student, chosen in optim_run.students.items():
        if not student.startswith("wrong-"):
            continue
        assert optim_run.rows[student]["status"] == waiting(sum(optim_run.written.values()))
        scores = cell_scores(optim_run.course, student, optim_run.a)
        for function, variant in chosen.items():
            lost = [c for c, (score, full) in scores.items()
                    if score < full and optim_run.cells[c]["function"] == function]
            if not lost:
                kept.append(f"{function}: {variant}")
    assert not kept, f"wrong versions that kept every point of their part: {kept}"
    graded = sum(len(chosen) for student, chosen in optim_run.students.items()
                 if student.startswith("wrong-"))
    assert graded == len(OPTIM_VARIANTS[optim_run.a].all_variants("wrong"))


def test_optim_correct_versions_keep_every_autograded_point(optim_run):
    (written, points), = optim_run.written.items()
    for student in (s for s in optim_run.students if s.startswith("correct-")):
        row = optim_run.rows[student]
        assert (float(row["score"]), row["status"]) == (optim_run.max - points, waiting(points)), \
            student
        lost = [c for c, (score, full) in cell_scores(optim_run.course, student, optim_run.a).items()
                if score < full and c != written]
        assert not lost, (student, lost)


def test_optim_instructor_grades_the_written_answer_and_export_completes_the_score(optim_run):
    """What formgrader does when the instructor enters a score: set the grade's manual_score
    and clear needs_manual_grade; export then shows the full score and status "ok"."""
    (written, points), = optim_run.written.items()
    student = "correct-0"
    assert float(optim_run.rows[student]["score"]) == optim_run.max - points
    with Gradebook(optim_run.course.db_url) as gb:
        grade = gb.find_grade(written, optim_run.a, optim_run.a, student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.db.commit()
    proc = run_cli("export", optim_run.a, "--course-dir", str(optim_run.course.work_dir),
                   "--output-dir", str(optim_run.course.output_dir))
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(optim_run.course.grades_csv(optim_run.a))
    assert (float(rows[student]["score"]), rows[student]["status"]) == (optim_run.max, "ok")
    assert (float(rows["reference"]["score"]), rows["reference"]["status"]) == \
        (optim_run.max - points, waiting(points))  # still waiting


# ---- re-grading and nbgrader failures, on the toy assignment ---------------------------------

@pytest.fixture
def toy(tmp_path):
    course = Course.from_env(root=toy_course.make_course_root(tmp_path / "repo"),
                             course_dir=tmp_path / "course", output_dir=tmp_path / "out")
    (folder,) = release(course)
    return SimpleNamespace(course=course, release=folder / "toy.ipynb", subs=tmp_path / "subs")


def toy_student(toy, student, body, name="toy.ipynb", edit=None):
    nb = toy_course.student_notebook(toy.release, body)
    if edit:
        edit(nb)
    shutil.rmtree(toy.subs / student, ignore_errors=True)
    write_student(toy.subs, student, name, nb)


GOOD = "def add(a, b):\n    return b + a"


def toy_grade(toy) -> dict[str, dict]:
    report = grade(toy.course, "toy", toy.subs, progress=False)
    return read_csv(report.grades_csv)


@slow
def test_files_released_beside_the_notebook_reach_the_kernel_read_only(tmp_path):
    root = toy_course.make_course_root(tmp_path / "repo")
    (root / "solutions" / "toy" / "offset.txt").write_text("0")
    (root / "solutions" / "toy" / "weights").mkdir()
    (root / "solutions" / "toy" / "weights" / "w.txt").write_text("0")
    course = Course.from_env(root=root, course_dir=tmp_path / "course", output_dir=tmp_path / "out")
    (folder,) = release(course)
    assert [p.name for p in course.released_files("toy")] == ["offset.txt", "weights"]
    toy = SimpleNamespace(course=course, release=folder / "toy.ipynb", subs=tmp_path / "subs")
    # Full marks only if both files hold the release's 0, not the student's own upload.
    toy_student(toy, "reader", "def add(a, b):\n    return (a + b + int(open('offset.txt').read())\n"
                               "            + int(open('weights/w.txt').read()))")
    (toy.subs / "reader" / "offset.txt").write_text("5")
    # Full marks only if writing over the released file fails.
    toy_student(toy, "writer", "def add(a, b):\n    try:\n        open('offset.txt', 'w').write('9')\n"
                               "    except OSError:\n        return a + b\n    return 0")
    rows = toy_grade(toy)
    assert rows["reader"]["score"] == rows["writer"]["score"] == "3.0", rows
    assert (folder / "offset.txt").read_text() == "0"


@slow
def test_regrading_replaces_old_grades_and_never_keeps_a_stale_one(toy):
    toy_student(toy, "alice", GOOD)
    toy_student(toy, "bob", GOOD)
    first = toy_grade(toy)
    assert [first[s]["score"] for s in ("alice", "bob")] == ["3.0", "3.0"]
    assert toy_grade(toy) == first  # same submissions, same CSV

    (toy.subs / "alice" / "toy.ipynb").write_text('{"cells": [')  # alice resubmits a broken file
    toy_student(toy, "bob", "def add(a, b):\n    return 3")  # bob resubmits a wrong one
    second = toy_grade(toy)
    assert (second["alice"]["score"], second["bob"]["score"]) == ("0.0", "1.0")
    assert "not a valid notebook" in second["alice"]["status"]
    page = (toy.course.feedback_dir / "alice" / "toy" / "toy.html").read_text()
    assert "not a valid notebook" in page and "Grade cell" not in page  # no stale feedback

    toy_student(toy, "alice", GOOD)
    assert toy_grade(toy)["alice"]["score"] == "3.0"


def _rename_hidden_grade_id(nb):
    nb["cells"][3]["metadata"]["nbgrader"]["grade_id"] = "my_own_id"


def _delete_visible_test(nb):
    del nb["cells"][2]


@slow
def test_what_nbgrader_cannot_grade_scores_zero_with_a_reason(toy):
    toy_student(toy, "good", GOOD)
    toy_student(toy, "regraded_id", GOOD, edit=_rename_hidden_grade_id)
    toy_student(toy, "deleted_test", GOOD, edit=_delete_visible_test)
    toy_student(toy, "exits", "import os\ndef add(a, b):\n    return a + b\nos._exit(1)")
    toy_student(toy, "two_files", GOOD, name="first.ipynb")
    toy_student(toy, "two_files_b", GOOD, name="second.ipynb")
    shutil.move(toy.subs / "two_files_b" / "second.ipynb", toy.subs / "two_files" / "second.ipynb")
    (toy.subs / "two_files_b").rmdir()
    rows = toy_grade(toy)
    assert rows["good"]["score"] == "3.0" and rows["good"]["status"] == "ok"
    assert rows["deleted_test"]["score"] == "3.0"  # nbgrader restores the deleted test cell
    # A changed grade_id is matched back to its cell and graded (intake/restore.py); the status
    # says cells were restored, so a score that lost points to it is never marked "ok".
    assert rows["regraded_id"]["score"] == "3.0"
    assert rows["regraded_id"]["status"].startswith("graded after restoring the assignment's cells")
    for student, why in [("exits", "Kernel died"),
                         ("two_files", "could not tell which of first.ipynb, second.ipynb")]:
        assert rows[student]["score"] == "0.0" and why in rows[student]["status"], rows[student]
        page = (toy.course.feedback_dir / student / "toy" / "toy.html").read_text()
        assert why in page


@slow
def test_checkpoints_and_hidden_files_are_not_submissions(toy):
    toy_student(toy, "carol", GOOD)
    ckpt = toy.subs / "carol" / ".ipynb_checkpoints"
    ckpt.mkdir()
    (ckpt / "toy-checkpoint.ipynb").write_text('{"cells": [')
    rows = toy_grade(toy)
    assert (rows["carol"]["score"], rows["carol"]["notes"]) == ("3.0", "")


# ---- bad input, said clearly (fast: nothing is graded) ---------------------------------------

@pytest.mark.parametrize("args, message", [
    (["grade", "no_such_ps", "--submissions", "."], "unknown assignment 'no_such_ps'"),
    (["grade", A, "--submissions", "/nonexistent/subs"], "/nonexistent/subs does not exist"),
    (["grade", A, "--submissions", str(SOURCE)], "is not a folder"),
])
def test_bad_cli_input_is_named(args, message):
    proc = run_cli(*args)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    if "unknown" in message:
        assert A in proc.stderr  # lists the known assignments


def test_folder_without_student_folders_is_refused(tmp_path):
    (tmp_path / "ps1.ipynb").write_text("{}")
    proc = run_cli("grade", A, "--submissions", str(tmp_path), "--course-dir", str(tmp_path / "c"))
    assert proc.returncode == 2 and "one folder per student" in proc.stderr


def test_export_before_grading_says_to_grade_first(tmp_path):
    proc = run_cli("export", A, "--course-dir", str(tmp_path / "c"), "--output-dir", str(tmp_path))
    assert proc.returncode == 2 and "grade 'ps1' first" in proc.stderr


# ---- matching a student's files to the assignment's notebooks (fast) ------------------------

EMPTY_NB = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("files, expected, matched, problem", [
    (["ps1 (1).ipynb"], ["ps1.ipynb"], {"ps1.ipynb": "ps1 (1).ipynb"}, None),
    (["Ps1-final.ipynb", "scratch.ipynb"], ["ps1.ipynb"], {"ps1.ipynb": "Ps1-final.ipynb"}, None),
    (["ps1.ipynb", "ps1 (1).ipynb"], ["ps1.ipynb"], {"ps1.ipynb": "ps1.ipynb"}, None),
    (["sub/ps1.ipynb"], ["ps1.ipynb"], {"ps1.ipynb": "ps1.ipynb"}, None),
    (["x.ipynb", "y.ipynb"], ["ps1.ipynb"], {}, "could not tell which of x.ipynb, y.ipynb is ps1.ipynb"),
    (["a/ps1.ipynb", "b/ps1.ipynb"], ["ps1.ipynb"], {}, "several files are named ps1.ipynb"),
    (["notes.pdf"], ["ps1.ipynb"], {}, "no notebook was submitted (found only: notes.pdf)"),
    # Two-notebook assignment: a stray copy of part 1 is never taken for part 2.
    (["ps1.ipynb", "ps1 (1).ipynb"], ["ps1.ipynb", "ps1_part2.ipynb"], {"ps1.ipynb": "ps1.ipynb"}, None),
    (["PS1_part2 (2).ipynb", "ps1 copy.ipynb"], ["ps1.ipynb", "ps1_part2.ipynb"],
     {"ps1.ipynb": "ps1 copy.ipynb", "ps1_part2.ipynb": "PS1_part2 (2).ipynb"}, None),
])
def test_student_files_are_matched_to_the_assignment_notebooks(tmp_path, files, expected, matched,
                                                               problem):
    from autograder.intake.folders import collect

    for name in files:
        path = tmp_path / "subs" / "stu" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(EMPTY_NB if name.endswith(".ipynb") else "%PDF")
    (sub,) = collect(tmp_path / "subs", expected)
    assert {k: v.name for k, v in sub.files.items()} == matched
    assert (sub.problem is None) if problem is None else (problem in sub.problem), sub.problem
    if len(matched) < len(expected) and matched:
        assert any("not submitted, scored 0" in note for note in sub.notes)


@pytest.mark.parametrize("content, why", [
    (b"", "is empty"), (b'{"cells": [', "broken JSON at line 1"), (b"\xff\xfe\x00", "UTF-8"),
    (b"[1, 2]", "not a Jupyter notebook"),
    (b'{"cells": [], "nbformat": 99}', "not a readable notebook: Unsupported nbformat version 99"),
])
def test_unreadable_notebooks_are_named_with_the_reason(tmp_path, content, why):
    from autograder.intake.folders import unreadable_reason

    path = tmp_path / "ps1.ipynb"
    path.write_bytes(content)
    assert why in unreadable_reason(path)
    path.write_text(EMPTY_NB)
    assert unreadable_reason(path) is None
