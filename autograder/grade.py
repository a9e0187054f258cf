"""Grade one assignment for a class, through nbgrader.

The steps, each its own function so a later grader can replace one (an LMS-zip collector, a
sandboxed ``autograde_student`` deciding outside the kernel, a pool of workers over
``grade_student``) without touching the rest:

1. ``collect``            find each student's notebooks (collect.py);
2. ``register``           sync the assignment from solutions/ into the gradebook (release.py);
3. ``grade_student``      per student: stage the files, autograde, write feedback; a student who
                          cannot be graded gets no submission in the gradebook (score 0, never an
                          earlier grade) and a feedback page saying why;
4. ``save_status``, ``write_grades``   grades/ASSIGNMENT.csv with a status per student (export.py).
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateFeedback
from tqdm import tqdm

from autograder import feedback, nbgrader_run
from autograder.collect import Submission, collect, stage
from autograder.course import Course
from autograder.export import write_grades
from autograder.release import register

OK = "ok"


@dataclass
class Outcome:
    student: str
    status: str  # "ok", or why the student got 0 without being graded
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Report:
    assignment: str
    outcomes: list[Outcome]
    seconds: float
    grades_csv: Path

    @property
    def graded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == OK]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != OK]


def _config(course: Course, assignment: str, student: str):
    config = course.nbgrader_config()
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    return config


def autograde_student(course: Course, assignment: str, student: str) -> str | None:
    """nbgrader autograde (forced) of the staged submission: None on success, else why not."""
    problem = nbgrader_run.run(Autograde, _config(course, assignment, student),
                               force=True, create_student=True)
    return None if problem is None else f"the grader could not run your notebook: {problem}"


def write_feedback(course: Course, assignment: str, student: str, notes: list[str]) -> str | None:
    """nbgrader's feedback HTML (hidden tests hidden, see feedback.py) plus the grader's notes."""
    problem = nbgrader_run.run(GenerateFeedback, _config(course, assignment, student), force=True)
    for page in (course.feedback_dir / student / assignment).glob("*.html"):
        feedback.add_notes(page, notes)
    return problem


def _drop_submission(course: Course, assignment: str, student: str) -> None:
    with Gradebook(course.db_url) as gb:
        try:
            gb.remove_submission(assignment, student)
        except MissingEntry:
            pass


def grade_student(course: Course, assignment: str, sub: Submission) -> Outcome:
    start = time.perf_counter()
    for folder in (course.submitted_dir, course.autograded_dir, course.feedback_dir):
        shutil.rmtree(folder / sub.student / assignment, ignore_errors=True)  # fresh every run
    problem = sub.problem
    if problem is None:
        stage(sub, course.submitted_dir / sub.student / assignment)
        problem = autograde_student(course, assignment, sub.student)
    notes = list(sub.notes)
    if problem is None:
        failed = write_feedback(course, assignment, sub.student, notes)
        if failed:  # graded all the same; the instructor must know the student has no page
            notes.append(f"feedback could not be generated: {failed}")
    else:
        _drop_submission(course, assignment, sub.student)
        for name in course.notebooks(assignment):
            page = course.feedback_dir / sub.student / assignment / name.replace(".ipynb", ".html")
            feedback.write_failure_page(page, sub.student, assignment, problem)
    return Outcome(sub.student, OK if problem is None else problem, notes,
                   time.perf_counter() - start)


def save_status(course: Course, assignment: str, outcomes: list[Outcome]) -> None:
    """Remember why each student has their score, for ``export`` (merged across runs)."""
    path = course.status_file(assignment)
    status = json.loads(path.read_text()) if path.exists() else {}
    for o in outcomes:
        status[o.student] = {"status": o.status, "notes": o.notes}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(status, indent=1, sort_keys=True) + "\n")


def register_students(course: Course, students: list[str]) -> None:
    with Gradebook(course.db_url) as gb:
        for student in students:
            gb.update_or_create_student(student)


def grade_submissions(course: Course, assignment: str, subs: list[Submission],
                      progress: bool = True) -> Report:
    start = time.perf_counter()
    register(course, assignment)
    register_students(course, [s.student for s in subs])
    outcomes = []
    bar = tqdm(subs, desc=f"grading {assignment}", unit="student", disable=not progress)
    for sub in bar:
        bar.set_postfix_str(sub.student)
        outcomes.append(grade_student(course, assignment, sub))
        save_status(course, assignment, outcomes[-1:])  # kept even if the run is interrupted
    return Report(assignment, outcomes, time.perf_counter() - start, write_grades(course, assignment))


def grade(course: Course, assignment: str, submissions: Path, progress: bool = True) -> Report:
    """Grade every student folder in ``submissions``; see the module docstring."""
    course.check_assignment(assignment)
    subs = collect(Path(submissions), course.notebooks(assignment))
    return grade_submissions(course, assignment, subs, progress)
