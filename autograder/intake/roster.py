"""The class list (``--roster FILE``): every student who must get a row, submission or not.

Two formats, told apart by the first line that is not blank or a ``#`` comment:

* a CSV file with a header row naming a ``student_id`` column (``id`` or ``username`` also
  accepted) and optionally ``first_name``, ``last_name``, ``email`` (other columns ignored);
* otherwise one student id per line.

Ids must match how the submissions name students: the folder names of a submissions folder,
or for an LMS zip the name the export gives (see intake.py; its numeric LMS id also matches).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from autograder.intake.folders import student_id_problem
from autograder.course import CourseError

ID_COLUMNS = ("student_id", "studentid", "id", "username")
NAME_COLUMNS = ("first_name", "last_name", "email", "lms_user_id")


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """{student id: {first_name, last_name, email present in the file}} in file order."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"roster file {path} does not exist (--roster takes a CSV file with a "
                          "student_id column, or a text file with one student id per line)")
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: spreadsheet programs add a BOM
    except UnicodeDecodeError:
        raise CourseError(f"roster file {path} is not UTF-8 text; save it as CSV (UTF-8)") from None
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise CourseError(f"roster file {path} lists no students")
    entries: list[tuple[int, str, dict[str, str]]] = []
    if "," in lines[0][1] or "\t" in lines[0][1]:
        dialect = "excel-tab" if "\t" in lines[0][1] and "," not in lines[0][1] else "excel"
        reader = csv.reader(io.StringIO("\n".join(ln for _, ln in lines)), dialect=dialect)
        header = [_column(h) for h in next(reader)]
        id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
        if id_col is None:
            raise CourseError(f"roster file {path}: its header ({', '.join(header)}) has no "
                              f"student_id column; name the column of student ids student_id")
        for (number, _), row in zip(lines[1:], reader):
            fields = {c: row[header.index(c)].strip() for c in NAME_COLUMNS
                      if c in header and header.index(c) < len(row) and row[header.index(c)].strip()}
            entries.append((number, row[id_col].strip() if id_col < len(row) else "", fields))
    else:
        entries = [(number, ln.strip(), {}) for number, ln in lines]
    roster: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for number, student, fields in entries:
        problem = "empty student id" if not student else student_id_problem(student, "the id")
        if problem:
            raise CourseError(f"roster file {path}, line {number}: {problem}")
        if student in seen:
            raise CourseError(f"roster file {path}: student {student!r} is listed twice "
                              f"(lines {seen[student]} and {number})")
        seen[student] = number
        roster[student] = fields
    return roster
