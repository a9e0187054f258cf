"""Grades as a file the LMS's own gradebook import reads: Canvas or Moodle.

* Canvas (Grades -> Import): a CSV whose first columns are ``Student, ID, SIS User ID,
  SIS Login ID, Section`` and then one column per assignment, named as Canvas names it
  (``ps1 (12345)``: the name and Canvas's assignment id). Canvas matches rows by ``ID`` (its
  numeric user id, read from the submission zip's file names or a roster ``lms_user_id``
  column), else by SIS User ID or SIS Login ID.
* Moodle (Grades -> Import -> CSV file): a CSV with ``Email address`` and ``ID number`` columns
  to map to the user (Moodle asks which one), and the grade column, named after the grade item.

Identifiers come from the gradebook (name, email, LMS user id) and, when given, the roster CSV
(``sis_user_id``, ``sis_login_id``, ``section``, ``id_number``, ``email`` columns) or a gradebook
exported from the LMS (``--lms-gradebook``), whose identity columns and assignment column name
are then used as they are.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from autograder.course import Course, CourseError

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDENTITY = ["First name", "Last name", "ID number", "Email address"]
FORMATS = ("canvas", "moodle")


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_csv(path: Path, what: str) -> list[dict[str, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"{what} {path} cannot be read as UTF-8 CSV ({exc})") from None
    return list(csv.DictReader(io.StringIO(text)))


def roster_identities(path: Path | None) -> dict[str, dict[str, str]]:
    """{student id: {normalised column: value}} of every column of a roster CSV."""
    if path is None:
        return {}
    out = {}
    for row in _read_csv(path, "roster file"):
        row = {_key(k): (v or "").strip() for k, v in row.items() if k}
        student = next((row[c] for c in ("student_id", "studentid", "id", "username")
                        if row.get(c)), "")
        if student:
            out[student] = row
    return out


def canvas_column(rows: list[dict[str, str]], assignment: str) -> str | None:
    """The column of a Canvas gradebook export that holds ``assignment`` ("ps1 (12345)")."""
    headers = list(rows[0]) if rows else []
    matches = [h for h in headers if h == assignment or h.startswith(f"{assignment} (")]
    return matches[0] if len(matches) == 1 else None


def lms_rows(fmt: str, assignment: str, grades: list[dict[str, str]],
             roster: dict[str, dict[str, str]], column: str | None = None,
             lms_gradebook: Path | None = None) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """(header, rows, students left out) of the LMS import file. ``grades`` are the CSV
    export's rows (student_id, first_name, last_name, email, score, lms_user_id). A student the
    LMS could not match (no identifier) is left out and named."""
    if fmt not in FORMATS:
        raise CourseError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    exported = _read_csv(lms_gradebook, "LMS gradebook") if lms_gradebook else []
    if lms_gradebook and column is None and fmt == "canvas":
        column = canvas_column(exported, assignment)
        if column is None:
            raise CourseError(f"{lms_gradebook} has no single column named {assignment!r} or "
                              f"'{assignment} (<id>)'; give the column with --column")
    column = column or assignment
    rows, missing = [], []
    for g in grades:
        who = roster.get(g["student_id"], {})
        score = g["score"]
        if fmt == "canvas":
            lms_id = g.get("lms_user_id") or who.get("lms_user_id", "")
            sis = who.get("sis_user_id", "")
            login = who.get("sis_login_id", "")
            found = next((r for r in exported if lms_id and r.get("ID") == lms_id
                          or sis and r.get("SIS User ID") == sis
                          or r.get("SIS Login ID") in (login or None, g["student_id"])), None)
            if found:
                row = {k: found.get(k, "") for k in CANVAS_IDENTITY}
            else:
                name = ", ".join(p for p in (g["last_name"], g["first_name"]) if p)
                row = {"Student": name or g["student_id"], "ID": lms_id, "SIS User ID": sis,
                       "SIS Login ID": login, "Section": who.get("section", "")}
            if not (row["ID"] or row["SIS User ID"] or row["SIS Login ID"]):
                missing.append(g["student_id"])
                continue
            rows.append({**row, column: score})
        else:
            email = g["email"] or who.get("email", "")
            number = who.get("id_number", "")
            if not (email or number):
                missing.append(g["student_id"])
                continue
            rows.append({"First name": g["first_name"], "Last name": g["last_name"],
                         "ID number": number, "Email address": email, column: score})
    if grades and not rows:
        raise CourseError(f"no student can be matched in the LMS: each needs {need_of(fmt)}")
    return (CANVAS_IDENTITY if fmt == "canvas" else MOODLE_IDENTITY) + [column], rows, missing


def need_of(fmt: str) -> str:
    return ("a Canvas ID (from a Canvas submissions zip, or an lms_user_id, sis_user_id or "
            "sis_login_id column in --roster), or pass --lms-gradebook" if fmt == "canvas"
            else "an email address or an id_number (columns email, id_number in --roster)")


def write_lms_grades(course: Course, assignment: str, fmt: str, grades: list[dict[str, str]],
                     roster: Path | None = None, column: str | None = None,
                     lms_gradebook: Path | None = None) -> tuple[Path, list[str]]:
    """Write grades/ASSIGNMENT-FORMAT.csv; returns it and the students left out."""
    header, rows, missing = lms_rows(fmt, assignment, grades, roster_identities(roster), column,
                            lms_gradebook)
    out = course.grades_csv(assignment).with_name(f"{assignment}-{fmt}.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out, missing
