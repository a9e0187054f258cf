"""Intake: LMS export zips (Canvas, Moodle), the latest of several submissions, rosters.

Fast tests read zips built here (nothing is graded); one slow test grades a Canvas and then a
Moodle export of the toy assignment end to end through the command line, with a roster.
"""
from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from support import toy_course
from support.grading import read_csv
from autograder.__main__ import main
from autograder.course import Course, CourseError
from autograder.intake.lms import load
from autograder.release.generate import release
from autograder.intake.roster import read_roster

EXPECTED = ["ps1.ipynb"]


def notebook(marker: str) -> str:
    """A valid empty notebook that says which version it is."""
    return json.dumps({"cells": [], "metadata": {"version": marker}, "nbformat": 4,
                       "nbformat_minor": 5})


def make_zip(path: Path, entries: list[tuple[str, str, tuple]]) -> Path:
    """entries: (name inside the zip, content, (year, month, day, hour, minute, second))."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, content, when in entries:
            archive.writestr(zipfile.ZipInfo(name, when), content)
    return path


def version_of(sub, name: str = "ps1.ipynb") -> str:
    return json.loads(sub.files[name].read_text())["metadata"]["version"]


def by_student(intake) -> dict:
    return {s.student: s for s in intake.submissions}


DAY1, DAY2, DAY3 = (2024, 3, 1, 9, 0, 0), (2024, 3, 2, 9, 0, 0), (2024, 3, 3, 9, 0, 0)


# ---- Canvas ---------------------------------------------------------------------------------

def test_canvas_names_give_student_ids_and_the_highest_resubmission_wins(tmp_path):
    archive = make_zip(tmp_path / "canvas.zip", [
        ("smithjohn_LATE_12345_67890_ps1.ipynb", notebook("first"), DAY2),
        ("smithjohn_12345_67890_ps1-1.ipynb", notebook("second"), DAY1),  # numbering beats time
        ("smithjohn_12345_67890_ps1-2.ipynb", notebook("third"), DAY1),
        ("doejane_222_333_PS1 final.ipynb", notebook("jane"), DAY1),  # renamed by the student
        ("leeann_LATE_444_555_ps1.ipynb", notebook("ann"), DAY3),
        ("kimbo_666_777_report.pdf", "%PDF", DAY1),
        ("README.txt", "not a submission", DAY1),
        ("__MACOSX/._smithjohn_12345_67890_ps1.ipynb", "junk", DAY1),
    ])
    intake = load(archive, EXPECTED, tmp_path / "scratch")
    subs = by_student(intake)
    assert intake.kind == "lms zip" and sorted(subs) == ["doejane", "kimbo", "leeann", "smithjohn"]
    assert version_of(subs["smithjohn"]) == "third"
    assert any("3 submissions of ps1.ipynb: graded the latest, ps1-2.ipynb" in n
               for n in subs["smithjohn"].notes), subs["smithjohn"].notes
    assert not any("LATE" in n for n in subs["smithjohn"].notes)  # the late one was not graded
    assert version_of(subs["doejane"]) == "jane"
    assert any("PS1 final.ipynb" in n and "graded as ps1.ipynb" in n for n in subs["doejane"].notes)
    assert any("marked LATE" in n for n in subs["leeann"].notes)
    assert subs["kimbo"].problem == "no notebook was submitted (found only: report.pdf)"
    assert intake.ignored == ["README.txt"]
    # Nothing but the chosen files is unpacked, each under its student's folder.
    unpacked = sorted(str(p.relative_to(tmp_path / "scratch")) for p in
                      (tmp_path / "scratch").rglob("*") if p.is_file())
    assert unpacked == ["doejane/PS1 final.ipynb", "leeann/ps1.ipynb", "smithjohn/ps1.ipynb"]


@pytest.mark.parametrize("newer", ["a", "b"])
def test_without_numbering_the_newest_timestamp_wins(tmp_path, newer):
    folder = "Jane Doe_222_assignsubmission_file_"
    archive = make_zip(tmp_path / "moodle.zip", [  # same name twice: only the time differs
        (f"{folder}/a/ps1.ipynb", notebook("a"), DAY3 if newer == "a" else DAY1),
        (f"{folder}/b/ps1.ipynb", notebook("b"), DAY1 if newer == "a" else DAY3),
    ])
    (sub,) = load(archive, EXPECTED, tmp_path / "scratch").submissions
    assert version_of(sub) == newer
    assert any("2 submissions of ps1.ipynb: graded the latest" in n for n in sub.notes)


def test_same_canvas_name_with_two_user_ids_is_two_students(tmp_path):
    archive = make_zip(tmp_path / "c.zip", [
        ("smithjohn_111_1_ps1.ipynb", notebook("one"), DAY1),
        ("smithjohn_222_2_ps1.ipynb", notebook("two"), DAY1),
    ])
    subs = by_student(load(archive, EXPECTED, tmp_path / "s"))
    assert {s: version_of(sub) for s, sub in subs.items()} == {"smithjohn_111": "one",
                                                               "smithjohn_222": "two"}


def test_roster_ids_may_be_the_lms_numeric_ids(tmp_path):
    archive = make_zip(tmp_path / "c.zip", [
        ("smithjohn_12345_1_ps1.ipynb", notebook("x"), DAY1),
        ("doejane_222_2_ps1.ipynb", notebook("y"), DAY1),
    ])
    subs = by_student(load(archive, EXPECTED, tmp_path / "s", known={"12345", "doejane"}))
    assert sorted(subs) == ["12345", "doejane"]


# ---- Moodle ---------------------------------------------------------------------------------

def test_moodle_folders_and_flat_names(tmp_path):
    archive = make_zip(tmp_path / "moodle.zip", [
        ("John Smith_12345_assignsubmission_file_/ps1.ipynb", notebook("john-old"), DAY1),
        ("John Smith_12345_assignsubmission_file_/ps1-1.ipynb", notebook("john-new"), DAY1),
        ("John Smith_12345_assignsubmission_onlinetext_/onlinetext.html", "<p>hi</p>", DAY1),
        ("José Núñez_777_assignsubmission_file_/work/ps1.ipynb", notebook("jose"), DAY1),
        ("Ann Lee_888_assignsubmission_file_ps1.ipynb", notebook("ann"), DAY1),
        ("Bo Kim_999_assignsubmission_file_/.ipynb_checkpoints/ps1-checkpoint.ipynb", "{", DAY1),
    ])
    subs = by_student(load(archive, EXPECTED, tmp_path / "scratch"))
    assert sorted(subs) == ["annlee", "bokim", "johnsmith", "josenunez"]
    assert version_of(subs["johnsmith"]) == "john-new"
    assert version_of(subs["josenunez"]) == "jose"
    assert version_of(subs["annlee"]) == "ann"
    assert subs["bokim"].problem.startswith("no notebook was submitted")


def test_a_broken_latest_version_is_not_replaced_by_an_older_good_one(tmp_path):
    archive = make_zip(tmp_path / "c.zip", [
        ("smithjohn_1_1_ps1.ipynb", notebook("good"), DAY1),
        ("smithjohn_1_2_ps1-1.ipynb", '{"cells": [', DAY2),
    ])
    (sub,) = load(archive, EXPECTED, tmp_path / "s").submissions
    assert sub.files == {} and "not a valid notebook" in sub.problem


# ---- other zips and bad input ---------------------------------------------------------------

def test_a_zip_of_student_folders_is_read_like_a_folder(tmp_path):
    archive = make_zip(tmp_path / "plain.zip", [
        ("submissions/alice/ps1.ipynb", notebook("alice"), DAY1),
        ("submissions/bob/Ps1 (2).ipynb", notebook("bob"), DAY1),
    ])
    intake = load(archive, EXPECTED, tmp_path / "s")
    subs = by_student(intake)
    assert intake.kind == "zip of folders"
    assert {s: version_of(sub) for s, sub in subs.items()} == {"alice": "alice", "bob": "bob"}


@pytest.mark.parametrize("entries, message", [
    ([("../evil/ps1.ipynb", "{}", DAY1), ("x/ps1.ipynb", "{}", DAY1)], "unsafe path"),
    ([("ps1.ipynb", "{}", DAY1)], "not a Canvas or Moodle export"),
])
def test_unusable_zips_are_refused_with_the_reason(tmp_path, entries, message):
    archive = make_zip(tmp_path / "bad.zip", entries)
    with pytest.raises(CourseError, match=message):
        load(archive, EXPECTED, tmp_path / "s")
    assert not (tmp_path / "evil").exists()


def test_a_file_that_is_neither_folder_nor_zip_is_refused(tmp_path):
    (tmp_path / "subs.tar").write_bytes(b"not a zip")
    with pytest.raises(CourseError, match="is not a folder or a zip file"):
        load(tmp_path / "subs.tar", EXPECTED, tmp_path / "s")


# ---- roster ---------------------------------------------------------------------------------

def test_roster_csv_with_names_and_plain_list(tmp_path):
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text("\ufeffStudent ID,First Name,Last Name,Email,Section\n"
                        "smithjohn,John,Smith,js@example.org,A\n"
                        "doejane,Jane,Doe,,B\n", encoding="utf-8")
    assert read_roster(csv_file) == {
        "smithjohn": {"first_name": "John", "last_name": "Smith", "email": "js@example.org"},
        "doejane": {"first_name": "Jane", "last_name": "Doe"}}
    plain = tmp_path / "roster.txt"
    plain.write_text("# class of 2024\nsmithjohn\n\n  doejane  \n")
    assert read_roster(plain) == {"smithjohn": {}, "doejane": {}}


@pytest.mark.parametrize("text, message", [
    ("name,section\nJohn,A\n", "has no student_id column"),
    ("alice\nbob\nalice\n", "'alice' is listed twice (lines 1 and 3)"),
    ("alice\nb*b\n", "line 2: the id 'b*b' cannot be used"),
    ("# nobody\n\n", "lists no students"),
])
def test_bad_rosters_are_named(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(CourseError, match=message.replace("*", r"\*").replace("(", r"\(")
                       .replace(")", r"\)")):
        read_roster(path)


def test_missing_roster_file_is_named():
    with pytest.raises(CourseError, match="roster file /nonexistent.csv does not exist"):
        read_roster(Path("/nonexistent.csv"))


# ---- end to end: Canvas then Moodle exports of the toy assignment, with a roster -----------

GOOD = "def add(a, b):\n    return a + b"
WRONG = "def add(a, b):\n    return 3"  # passes the visible test only: 1 of 3 points


@pytest.mark.slow
def test_lms_exports_graded_end_to_end_with_roster_and_idempotent_reruns(tmp_path, monkeypatch,
                                                                          capsys):
    root = toy_course.make_course_root(tmp_path / "repo")
    course = Course.from_env(root=root, course_dir=tmp_path / "course", output_dir=tmp_path / "out")
    (folder,) = release(course)
    monkeypatch.setattr("autograder.course.REPO_ROOT", root)  # the command grades the toy course
    dirs = ["--course-dir", str(course.work_dir), "--output-dir", str(course.output_dir)]

    def cli(*args) -> str:
        code = main([*args, *dirs])
        out, err = capsys.readouterr()
        assert code == 0, err[-3000:]
        return out

    def nb(body):
        return json.dumps(toy_course.student_notebook(folder / "toy.ipynb", body))

    canvas = make_zip(tmp_path / "canvas.zip", [
        ("smithjohn_12345_10_toy.ipynb", nb(WRONG), DAY1),
        ("smithjohn_LATE_12345_11_toy-1.ipynb", nb(GOOD), DAY2),  # the late resubmission counts
        ("doejane_222_12_toy.ipynb", nb(WRONG), DAY1),
        ("brokenbob_333_13_toy.ipynb", '{"cells": [', DAY1),
        ("visitor_444_14_toy.ipynb", nb(GOOD), DAY1),  # not on the roster: graded, registered
    ])
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,first_name,last_name\nsmithjohn,John,Smith\ndoejane,Jane,Doe\n"
                      "brokenbob,Bob,Broken\nabsentann,Ann,Absent\njohnsmith2,John,Smith\n")
    grade = ["grade", "toy", "--no-progress", "--submissions"]
    out = cli(*grade, str(canvas), "--roster", str(roster), "--workers", "2")
    csv_path = course.grades_csv("toy")
    rows = read_csv(csv_path)
    assert sorted(rows) == ["absentann", "brokenbob", "doejane", "johnsmith2", "smithjohn",
                            "visitor"]
    got = {s: (r["score"], r["status"]) for s, r in rows.items()}
    assert got["smithjohn"] == ("3.0", "ok") and "marked LATE" in rows["smithjohn"]["notes"]
    assert got["doejane"] == ("1.0", "ok") and got["visitor"] == ("3.0", "ok")
    assert got["brokenbob"][0] == "0.0" and "not a valid notebook" in got["brokenbob"][1]
    assert got["absentann"] == ("0.0", "no submission") == got["johnsmith2"]
    assert (rows["smithjohn"]["first_name"], rows["smithjohn"]["last_name"]) == ("John", "Smith")
    assert "nothing submitted, score 0 (2): absentann, johnsmith2" in out
    assert "not on the roster (1): visitor" in out
    assert "graded 3 of 4 students" in out
    assert "Score: 0." in (course.feedback_dir / "absentann" / "toy" / "toy.html").read_text()
    first = csv_path.read_bytes()

    # Re-running the same export changes nothing; export rebuilds the same file.
    cli(*grade, str(canvas), "--roster", str(roster), "--workers", "1")
    assert csv_path.read_bytes() == first
    csv_path.unlink()
    cli("export", "toy")
    assert csv_path.read_bytes() == first

    # For Canvas's gradebook import: Canvas's own user ids, read from the zip's file names.
    out = cli("export", "toy", "--format", "canvas", "--column", "toy (777)")
    with open(csv_path.with_name("toy-canvas.csv"), newline="") as fh:
        lms = list(csv.DictReader(fh))
    assert list(lms[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "toy (777)"]
    assert {r["ID"]: (r["Student"], r["toy (777)"]) for r in lms} == {
        "12345": ("Smith, John", "3.0"), "222": ("Doe, Jane", "1.0"),
        "333": ("Broken, Bob", "0.0"), "444": ("visitor", "3.0")}
    assert "left out, the LMS could not match them (2): absentann, johnsmith2" in out

    # A later Moodle batch (no roster): its student joins; everyone graded before keeps a grade.
    moodle = make_zip(tmp_path / "moodle.zip", [
        ("Ann Absent_555_assignsubmission_file_/toy.ipynb", nb(WRONG), DAY1),
        ("Ann Absent_555_assignsubmission_file_/v2/toy.ipynb", nb(GOOD), DAY3),  # newest wins
    ])
    cli(*grade, str(moodle))
    rows = read_csv(csv_path)
    assert (rows["annabsent"]["score"], rows["annabsent"]["status"]) == ("3.0", "ok")
    assert {s: (r["score"], r["status"]) for s, r in rows.items() if s != "annabsent"} == got
