"""Several machines, one PostgreSQL gradebook: each grades its shard (--shard i/N --db-url URL).

A real PostgreSQL 15 server is started for the module (tests/support/postgres_server.py) and always
stopped. Two "machines" (separate course and output dirs, as on two hosts) grade their shards of
one class at the same time; any machine's export then has every student once, with the right
score and the status the other machine recorded.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import socket
from pathlib import Path

import pytest

from support import toy_course
from autograder.__main__ import main
from autograder.course import Course
from autograder.release.generate import release
from autograder.intake.shard import shard_of
from autograder.workers import run_parallel
from support.postgres_server import postgres_server

GOOD = "def add(a, b):\n    return a + b"
WRONG = "def add(a, b):\n    return 3"
# student -> (body or None for a broken file, expected score)
CLASS = {"ada": (GOOD, 3.0), "ben": (WRONG, 1.0), "cy": (GOOD, 3.0), "dee": (WRONG, 1.0),
         "eve": (None, 0.0), "fay": (GOOD, 3.0)}
ABSENT = "gus"  # on the roster only


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


def _machine(tmp: Path, name: str) -> list[str]:
    return ["--course-dir", str(tmp / name / "course"), "--output-dir", str(tmp / name / "out")]


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_two_shards_grade_into_one_postgres_gradebook(tmp_path, pg_url, monkeypatch):
    root = toy_course.make_course_root(tmp_path / "repo")
    (folder,) = release(Course.from_env(root=root, course_dir=tmp_path / "scratch"))
    monkeypatch.setattr("autograder.course.REPO_ROOT", root)  # the command grades the toy course
    subs = tmp_path / "subs"
    for student, (body, _) in CLASS.items():
        (subs / student).mkdir(parents=True)
        text = json.dumps(toy_course.student_notebook(folder / "toy.ipynb", body)) if body \
            else '{"cells": ['
        (subs / student / "toy.ipynb").write_text(text)
    roster = tmp_path / "roster.txt"
    roster.write_text("\n".join([*CLASS, ABSENT]) + "\n")
    shares = {k: sorted(s for s in [*CLASS, ABSENT] if shard_of(s, 2) == k) for k in (1, 2)}
    assert shares[1] and shares[2], shares  # both machines have work, or the test proves little

    def shard(k):  # one machine: its own course dir, the shared gradebook
        return _cli(["grade", "toy", "--submissions", str(subs), "--roster", str(roster),
                     "--shard", f"{k}/2", "--db-url", pg_url, "--workers", "1", "--no-progress",
                     *_machine(tmp_path, f"machine{k}")])

    results = dict(run_parallel(shard, [1, 2], workers=2))  # both at once
    assert all(isinstance(r, tuple) for r in results.values()), results
    for k in (1, 2):
        code, out, err = results[k]
        assert code == 0, err[-3000:]
        submitted = [s for s in shares[k] if s in CLASS]
        assert f"of {len(submitted)} students" in out and f"shard {k}/2" in out, out
        graded_here = {p.parent.parent.name for p in
                       (tmp_path / f"machine{k}" / "out" / "feedback").glob("*/toy/*.html")}
        assert graded_here == set(shares[k])  # each machine wrote only its students' feedback

    code, _, err = _cli(["export", "toy", "--db-url", pg_url, *_machine(tmp_path, "machine1")])
    assert code == 0, err
    with open(tmp_path / "machine1" / "out" / "grades" / "toy.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student_id"] for r in rows] == sorted([*CLASS, ABSENT])
    scores = {r["student_id"]: float(r["score"]) for r in rows}
    assert scores == {**{s: want for s, (_, want) in CLASS.items()}, ABSENT: 0.0}
    assert sum(scores.values()) == sum(want for _, want in CLASS.values())
    status = {r["student_id"]: r["status"] for r in rows}
    assert "not a valid notebook" in status["eve"]  # recorded by whichever machine graded eve
    assert status[ABSENT] == "no submission"
    assert all(status[s] == "ok" for s in CLASS if s != "eve")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.mark.parametrize("command", ["grade", "export"])
def test_unreachable_gradebook_server_is_a_clear_error(tmp_path, command):
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    url = f"postgresql://grader:s3cret-pw@127.0.0.1:{_closed_port()}/gradebook"
    args = ["grade", "ps1", "--submissions", str(tmp_path / "subs")] if command == "grade" \
        else ["export", "ps1"]
    code, out, err = _cli([*args, "--db-url", url, *_machine(tmp_path, "m")])
    assert code == 2, (out, err)
    assert "cannot reach the gradebook database postgresql://grader:***@127.0.0.1" in err, err
    assert "Connection refused" in err and "is running" in err
    assert "s3cret-pw" not in err + out


def test_a_db_url_that_is_not_a_url_is_named(tmp_path):
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    code, _, err = _cli(["grade", "ps1", "--submissions", str(tmp_path / "subs"),
                         "--db-url", "localhost:5432", *_machine(tmp_path, "m")])
    assert code == 2 and "is not a database URL" in err and "postgresql://" in err, err
