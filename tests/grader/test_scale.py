"""Grading many students at once: workers give the same grades as one process, the SQLite
gradebook takes concurrent writers, a crashed grading process costs only its student, and
shards split a class without overlap."""
from __future__ import annotations

import csv
import json
import os
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbgrader.api import Gradebook

from support import toy_course
from autograder import grade as grade_module
from autograder.course import Course, CourseError
from autograder.sandbox.environment import grading_environment
from autograder.grade import grade
from autograder.release.generate import release
from autograder.intake.shard import parse_shard, shard_of
from autograder.workers import Failed, run_parallel

GOOD = "def add(a, b):\n    return a + b"


def _mixed_batch(subs: Path, release_nb: Path) -> None:
    """Honest, wrong, broken and crashing students of the toy assignment."""
    def student(name, body, file="toy.ipynb", edit=None):
        nb = toy_course.student_notebook(release_nb, body)
        if edit:
            edit(nb)
        (subs / name).mkdir(parents=True)
        (subs / name / file).write_text(json.dumps(nb))

    student("good", GOOD)
    student("wrong", "def add(a, b):\n    return 3")
    student("swapped", "def add(a, b):\n    return a - b")
    student("renamed", GOOD, file="Toy final (2).ipynb")
    student("no_test_cell", GOOD, edit=lambda nb: nb["cells"].pop(2))
    student("exits", "import os\ndef add(a, b):\n    return a + b\nos._exit(1)")
    student("raises", "raise ValueError('oops')\ndef add(a, b):\n    return a + b")
    (subs / "truncated").mkdir()
    (subs / "truncated" / "toy.ipynb").write_text('{"cells": [{"cell_type": "co')
    (subs / "nothing").mkdir()


def _cell_scores(course: Course) -> dict:
    with Gradebook(course.db_url) as gb:
        return {(s.student.id, g.name): (g.score, g.max_score)
                for s in gb.find_assignment("toy").submissions
                for nb in s.notebooks for g in nb.grades}


@pytest.mark.slow
def test_two_workers_give_exactly_the_grades_of_one(tmp_path):
    root = toy_course.make_course_root(tmp_path / "repo")
    runs = {}
    for workers in (1, 2):
        course = Course.from_env(root=root, course_dir=tmp_path / f"course{workers}",
                                 output_dir=tmp_path / f"out{workers}")
        if workers == 1:
            (folder,) = release(course)
            _mixed_batch(tmp_path / "subs", folder / "toy.ipynb")
        report = grade(course, "toy", tmp_path / "subs", progress=False, workers=workers)
        assert report.workers == workers
        runs[workers] = SimpleNamespace(course=course, report=report,
                                        csv=report.grades_csv.read_bytes())
    one, two = runs[1], runs[2]
    assert two.csv == one.csv
    rows = {r["student_id"]: r for r in csv.DictReader(one.csv.decode().splitlines())}
    assert rows["good"]["score"] == "3.0" and rows["wrong"]["score"] == "1.0"  # a real mix
    assert rows["exits"]["score"] == "0.0" and rows["exits"]["status"] != "ok"
    assert _cell_scores(two.course) == _cell_scores(one.course)
    assert ([(o.student, o.status) for o in two.report.outcomes]
            == [(o.student, o.status) for o in one.report.outcomes])
    pages = {w: sorted(str(p.relative_to(r.course.feedback_dir))
                       for p in r.course.feedback_dir.rglob("*.html")) for w, r in runs.items()}
    assert pages[1] == pages[2] and len(pages[1]) == len(rows)


def _write_submissions(url: str, worker: int, count: int) -> int:
    os.environ.update(grading_environment())  # nbgrader runs `alembic` from this venv's bin
    for i in range(count):
        with Gradebook(url) as gb:
            gb.update_or_create_student(f"w{worker}_{i}")
            gb.update_or_create_submission("a", f"w{worker}_{i}")
    return count


def test_sqlite_gradebook_takes_concurrent_writers(tmp_path):
    """What the worker processes do to the shared SQLite file, at a far higher rate."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    os.environ.update(grading_environment())
    with Gradebook(url) as gb:
        gb.update_or_create_assignment("a")
    results = dict(run_parallel(lambda w: _write_submissions(url, w, 20), range(3), workers=3))
    assert results == {0: 20, 1: 20, 2: 20}, results
    with Gradebook(url) as gb:
        assert len(gb.find_assignment("a").submissions) == 60


# ---- the worker processes ------------------------------------------------------------------

def _job(item):
    kind, path = item
    start = time.time()
    time.sleep(0.4)
    Path(path).write_text(f"{start} {time.time()} {os.getpid()}")
    if kind == "raise":
        raise RuntimeError("boom")
    if kind == "exit":
        os._exit(3)
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    return kind.upper()


def test_workers_report_results_errors_and_deaths_within_the_worker_limit(tmp_path):
    kinds = ["a", "raise", "exit", "kill", "b", "c", "d", "e"]
    items = [(k, str(tmp_path / f"{i}.txt")) for i, k in enumerate(kinds)]
    results = {item[0]: result for item, result in run_parallel(_job, items, workers=2)}
    assert results["a"] == "A" and results["b"] == "B" and results["c"] == "C"
    assert isinstance(results["raise"], Failed) and "RuntimeError: boom" in str(results["raise"])
    assert str(results["exit"]) == "the grading process died (exit code 3)"
    assert str(results["kill"]) == "the grading process was killed by SIGKILL"
    runs = [tuple(map(float, Path(p).read_text().split())) for _, p in items]
    overlap = max(sum(1 for s, e, _ in runs if s <= t < e) for t, _, _ in runs)
    assert overlap == 2  # two at a time, never more
    # Workers serve several items (a raise does not end one); the two that died were replaced.
    assert len({pid for _, _, pid in runs}) <= 2 + 2 < len(kinds)


@pytest.mark.slow
def test_a_crashed_grading_process_costs_only_its_student(tmp_path, monkeypatch):
    root = toy_course.make_course_root(tmp_path / "repo")
    course = Course.from_env(root=root, course_dir=tmp_path / "course", output_dir=tmp_path / "out")
    (folder,) = release(course)
    for name in ("ok_student", "crasher"):
        (tmp_path / "subs" / name).mkdir(parents=True)
        (tmp_path / "subs" / name / "toy.ipynb").write_text(
            json.dumps(toy_course.student_notebook(folder / "toy.ipynb", GOOD)))
    real = grade_module.grade_student

    def dies_for_crasher(course, assignment, sub):
        if sub.student == "crasher":
            os.kill(os.getpid(), signal.SIGKILL)  # like the kernel OOM-killing the grader
        return real(course, assignment, sub)

    monkeypatch.setattr(grade_module, "grade_student", dies_for_crasher)  # forked children see it
    report = grade(course, "toy", tmp_path / "subs", progress=False, workers=2)
    rows = {r["student_id"]: r for r in csv.DictReader(report.grades_csv.open())}
    assert (rows["ok_student"]["score"], rows["ok_student"]["status"]) == ("3.0", "ok")
    assert rows["crasher"]["score"] == "0.0"
    assert "killed by SIGKILL" in rows["crasher"]["status"]
    assert "killed by SIGKILL" in (course.feedback_dir / "crasher" / "toy" / "toy.html").read_text()


# ---- shards ---------------------------------------------------------------------------------

def test_shards_split_a_class_without_overlap_and_do_not_move_when_it_grows():
    students = [f"student{i:03d}" for i in range(200)]
    shards = {s: shard_of(s, 3) for s in students}
    assert set(shards.values()) == {1, 2, 3}
    assert all(40 < list(shards.values()).count(k) < 100 for k in (1, 2, 3))  # roughly even
    assert {s: shard_of(s, 3) for s in students[:50]} == {s: shards[s] for s in students[:50]}


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_bad_shard_is_named(text):
    with pytest.raises(CourseError, match="is not i/N"):
        parse_shard(text)
    assert parse_shard(" 2 / 3 ") == (2, 3)
