"""grades/ASSIGNMENT.csv from the gradebook: nbgrader export's columns plus ``status``, ``notes``.

The rows and values follow nbgrader's CsvExportPlugin (every student in the gradebook; score 0
without a submission). ``status`` is "ok" only for a complete score: otherwise it says why the
student was not graded, which limit the run hit (or which cells were restored), as the grading
runs recorded it (gradebook.py), and how many points still wait for manual grading (read from
the gradebook at export, so exporting again after grading by hand clears it). Rows are sorted by
student id, so the same gradebook always gives the same file.
"""
from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry

from autograder.records import gradebook
from autograder.course import Course, CourseError

# nbgrader 0.9's CsvExportPlugin columns, in its order.
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                    "email", "raw_score", "late_submission_penalty", "score", "max_score"]
COLUMNS = NBGRADER_COLUMNS + ["status", "notes"]
NO_SUBMISSION = "no submission"


def _text(value) -> str:
    return "" if value is None else str(value)


def manual_points(submission) -> float:
    """Points of the submission's cells that wait for the instructor (nbgrader's
    needs_manual_grade: written answers, and any cell whose autograde needs a look) and have no
    manual score yet (formgrader clears the flag when it sets one; a script may only set it)."""
    return float(sum(g.max_score for nb in submission.notebooks for g in nb.grades
                     if g.needs_manual_grade and g.manual_score is None))


def write_grades(course: Course, assignment: str):
    """(Re)write grades/ASSIGNMENT.csv from the gradebook; returns its path."""
    rows = grade_rows(course, assignment)
    out = course.grades_csv(assignment)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return out


def grade_rows(course: Course, assignment: str) -> list[dict[str, str]]:
    """One row per student in the gradebook: the CSV's columns plus ``lms_user_id``."""
    if course.uses_sqlite_file and not course.gradebook.exists():
        raise CourseError(f"no gradebook at {course.gradebook}: grade {assignment!r} first "
                          f"(python -m autograder grade {assignment} --submissions PATH)")
    gradebook.check_reachable(course)
    recorded = gradebook.load_status(course, assignment)
    rows = []
    with Gradebook(course.db_url) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"assignment {assignment!r} is not in the gradebook "
                              f"{course.gradebook_label}: grade {assignment!r} first") from None
        for student in sorted(gb.students, key=lambda s: s.id):
            row = {"assignment": a.name, "duedate": a.duedate, "student_id": student.id,
                   "last_name": student.last_name, "first_name": student.first_name,
                   "email": student.email, "max_score": a.max_score,
                   "lms_user_id": student.lms_user_id}
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                default = NO_SUBMISSION
            else:
                penalty = sub.late_submission_penalty
                row.update(timestamp=sub.timestamp, raw_score=sub.score,
                           late_submission_penalty=penalty, score=max(0.0, sub.score - penalty))
                default = "ok"
            status, notes = recorded.get(student.id, (default, []))
            if default == NO_SUBMISSION and status == "ok":
                status = NO_SUBMISSION  # its submission was removed since (e.g. by hand)
            if default == "ok":
                waiting = manual_points(sub)
                if waiting:
                    text = f"needs manual grading ({waiting:g} point{'s' if waiting != 1 else ''})"
                    status = text if status == "ok" else f"{status}; {text}"
            row["status"] = status
            row["notes"] = "; ".join(notes)
            rows.append({k: _text(v) for k, v in row.items()})
    return rows
