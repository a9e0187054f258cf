"""grades/ASSIGNMENT.csv from the gradebook: nbgrader export's columns plus ``status``, ``notes``.

The rows and values follow nbgrader's CsvExportPlugin (every student in the gradebook; score 0
without a submission); ``status`` says "ok" or why the student was not graded, from the status
the last grading run recorded, so a 0 is never unexplained.
"""
from __future__ import annotations

import csv
import json

from nbgrader.api import Gradebook, MissingEntry

from autograder.course import Course, CourseError

# nbgrader 0.9's CsvExportPlugin columns, in its order.
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                    "email", "raw_score", "late_submission_penalty", "score", "max_score"]
COLUMNS = NBGRADER_COLUMNS + ["status", "notes"]


def _text(value) -> str:
    return "" if value is None else str(value)


def write_grades(course: Course, assignment: str):
    """(Re)write grades/ASSIGNMENT.csv from the gradebook; returns its path."""
    if not course.gradebook.exists():
        raise CourseError(f"no gradebook at {course.gradebook}: grade {assignment!r} first "
                          f"(python -m autograder grade {assignment} --submissions PATH)")
    path = course.status_file(assignment)
    recorded = json.loads(path.read_text()) if path.exists() else {}
    rows = []
    with Gradebook(course.db_url) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"assignment {assignment!r} is not in the gradebook {course.gradebook}: "
                              f"grade it first") from None
        for student in gb.students:
            row = {"assignment": a.name, "duedate": a.duedate, "student_id": student.id,
                   "last_name": student.last_name, "first_name": student.first_name,
                   "email": student.email, "max_score": a.max_score}
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                default = "no submission"
            else:
                penalty = sub.late_submission_penalty
                row.update(timestamp=sub.timestamp, raw_score=sub.score,
                           late_submission_penalty=penalty, score=max(0.0, sub.score - penalty))
                default = "ok"
            record = recorded.get(student.id, {})
            row["status"] = record.get("status", default)
            row["notes"] = "; ".join(record.get("notes", []))
            rows.append({k: _text(v) for k, v in row.items()})
    out = course.grades_csv(assignment)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out
