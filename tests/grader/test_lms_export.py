"""Grades back to the LMS (Canvas and Moodle gradebook imports) and shards from a job array."""
from __future__ import annotations

import pytest

from autograder.course import CourseError
from autograder.intake.shard import parse_shard
from autograder.records.lms_export import lms_rows

GRADES = [
    {"student_id": "smithjohn", "first_name": "John", "last_name": "Smith", "email": "js@uni.edu",
     "score": "21.0", "lms_user_id": "12345"},
    {"student_id": "doejane", "first_name": "Jane", "last_name": "Doe", "email": "",
     "score": "7.5", "lms_user_id": ""},
]
ROSTER = {"doejane": {"sis_user_id": "S-2", "section": "B", "id_number": "2002"}}


def test_canvas_file_has_canvas_identity_columns_then_the_assignment_column():
    header, rows, missing = lms_rows("canvas", "ps1", GRADES, ROSTER, column="ps1 (98765)")
    # Canvas's gradebook CSV: Student, ID, SIS User ID, SIS Login ID, Section, then assignments.
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ps1 (98765)"]
    assert rows == [
        {"Student": "Smith, John", "ID": "12345", "SIS User ID": "", "SIS Login ID": "",
         "Section": "", "ps1 (98765)": "21.0"},
        {"Student": "Doe, Jane", "ID": "", "SIS User ID": "S-2", "SIS Login ID": "",
         "Section": "B", "ps1 (98765)": "7.5"}]
    assert missing == []


def test_canvas_column_and_identities_come_from_a_canvas_gradebook_export(tmp_path):
    exported = tmp_path / "canvas.csv"
    exported.write_text("Student,ID,SIS User ID,SIS Login ID,Section,ps1 (4242),Quiz 1 (7)\n"
                        "    Points Possible,,,,,25,10\n"
                        '"Smith, John",12345,SIS-1,jsmith,A,,9\n')
    header, rows, missing = lms_rows("canvas", "ps1", GRADES[:1], {}, lms_gradebook=exported)
    assert header[-1] == "ps1 (4242)"
    assert rows == [{"Student": "Smith, John", "ID": "12345", "SIS User ID": "SIS-1",
                     "SIS Login ID": "jsmith", "Section": "A", "ps1 (4242)": "21.0"}]


def test_canvas_export_without_the_assignment_column_says_to_name_it(tmp_path):
    exported = tmp_path / "canvas.csv"
    exported.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (7)\n")
    with pytest.raises(CourseError, match="--column"):
        lms_rows("canvas", "ps1", GRADES, {}, lms_gradebook=exported)


def test_moodle_file_is_keyed_by_email_or_id_number():
    header, rows, missing = lms_rows("moodle", "ps1", GRADES, ROSTER)
    assert header == ["First name", "Last name", "ID number", "Email address", "ps1"]
    assert [(r["Email address"], r["ID number"], r["ps1"]) for r in rows] == [
        ("js@uni.edu", "", "21.0"), ("", "2002", "7.5")]


def test_students_the_lms_cannot_match_are_left_out_and_named():
    header, rows, missing = lms_rows("moodle", "ps1", GRADES, {})
    assert [r["ps1"] for r in rows] == ["21.0"] and missing == ["doejane"]
    with pytest.raises(CourseError, match="no student can be matched"):
        lms_rows("moodle", "ps1", GRADES[1:], {})


@pytest.mark.parametrize("env, shard", [
    ({"SLURM_ARRAY_TASK_ID": "0"}, (1, 4)),
    ({"SLURM_ARRAY_TASK_ID": "3"}, (4, 4)),
    ({"JOB_COMPLETION_INDEX": "2"}, (3, 4)),
    ({"JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "0"}, (2, 4))])
def test_shard_auto_takes_the_job_array_index(env, shard):
    assert parse_shard("auto/4", env) == shard


@pytest.mark.parametrize("env, message", [
    ({}, "neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set"),
    ({"SLURM_ARRAY_TASK_ID": "4"}, "is not an index from 0 to 3"),
    ({"JOB_COMPLETION_INDEX": "x"}, "is not an index from 0 to 3")])
def test_shard_auto_outside_a_job_array_says_what_is_missing(env, message):
    with pytest.raises(CourseError, match=message):
        parse_shard("auto/4", env)


def test_shard_auto_reads_the_environment(monkeypatch):
    monkeypatch.delenv("JOB_COMPLETION_INDEX", raising=False)
    monkeypatch.setenv("SLURM_ARRAY_TASK_ID", "1")
    assert parse_shard("auto/2") == (2, 2)
