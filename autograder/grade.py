"""Grade one assignment for a class, through nbgrader.

The steps, each its own function so one can be replaced without touching the rest:

1. ``intake.load``        find each student's notebooks in a folder of student folders or an LMS
                          export zip (intake.py, collect.py);
2. ``_prepare``           sync the assignment from solutions/ into the gradebook (release.py),
                          one grader at a time even across machines (gradebook.exclusive);
3. ``grade_student``      per student, in ``workers`` forked worker processes (workers.py;
                          one that dies costs only the student it was grading): stage the files, autograde, write feedback; a student who
                          cannot be graded gets no submission in the gradebook (score 0, never an
                          earlier grade) and a feedback page saying why;
4. ``gradebook.save_status``, ``write_grades``   the status of each student, kept in the gradebook,
                          and grades/ASSIGNMENT.csv from it (export.py).

Only this shard's students (``--shard i/N``, shard.py) are graded; the gradebook (SQLite file, or
a PostgreSQL server shared by the shards) holds everyone's grades.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import GenerateFeedback
from tqdm import tqdm

from autograder import nbgrader_run
from autograder.intake import lms as intake
from autograder.records import feedback, gradebook
from autograder.intake.folders import Submission, stage
from autograder.course import Course
from autograder.sandbox.environment import THREAD_VARS
from autograder.records.export import NO_SUBMISSION, write_grades
from autograder.release.generate import register
from autograder.intake.shard import in_shard
from autograder.workers import default_workers, run_parallel

OK = "ok"


@dataclass
class Outcome:
    student: str
    status: str  # "ok" when graded, or why the student got 0 without being graded
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    limits: list[str] = field(default_factory=list)    # limits the run hit: which cell, what used
    backstop: bool = False     # one was a wall-clock backstop (the machine's load may be to blame)
    restored: list[str] = field(default_factory=list)  # cells put back into the assignment's shape

    @property
    def csv_status(self) -> str:
        """The CSV's status: "ok" only for a run that lost nothing to a limit or a restore."""
        if self.status != OK:
            return self.status
        parts = [f"limit hit: {hit}" for hit in self.limits]
        if self.restored:
            parts.append(f"graded after restoring the assignment's cells ({len(self.restored)} "
                         "change(s), see notes)")
        return "; ".join(parts) or OK


@dataclass
class Report:
    assignment: str
    outcomes: list[Outcome]  # one per student graded in this run (this shard's submitters)
    seconds: float
    grades_csv: Path
    workers: int = 1
    shard: tuple[int, int] | None = None
    absent: list[str] = field(default_factory=list)  # on the roster, not in the submissions
    unsubmitted: list[str] = field(default_factory=list)  # of those, never graded: 0 rows
    not_on_roster: list[str] = field(default_factory=list)  # graded, but missing from the roster
    intake: "intake.Intake | None" = None

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


def autograde_student(course: Course, assignment: str, student: str,
                      notes: list[str] | None = None, log=None) -> str | None:
    """nbgrader autograde (forced) of the staged submission, with the notebook restored to the
    assignment's shape, run in a sandbox and its hidden tests decided outside it (autograde.py):
    None on success, else why not. What was restored is appended to ``notes``, the limits the
    run hit to ``log`` (an autograde.RunLog)."""
    from autograder.autograde import autograde

    return autograde(course, assignment, student, _config(course, assignment, student), notes,
                     log)


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


def _failure_pages(course: Course, assignment: str, student: str, reason: str) -> None:
    for name in course.notebooks(assignment):
        page = course.feedback_dir / student / assignment / name.replace(".ipynb", ".html")
        feedback.write_failure_page(page, student, assignment, reason)


def _clear_outputs(course: Course, assignment: str, student: str) -> None:
    for folder in (course.submitted_dir, course.autograded_dir, course.feedback_dir):
        shutil.rmtree(folder / student / assignment, ignore_errors=True)  # fresh every run


# nbgrader's words when the gradebook does not (yet) hold the assignment's notebooks.
_UNREGISTERED = "No notebooks found"


def grade_student(course: Course, assignment: str, sub: Submission) -> Outcome:
    from autograder.autograde import RunLog

    start = time.perf_counter()
    _clear_outputs(course, assignment, sub.student)
    problem = sub.problem
    notes = list(sub.notes)
    log = RunLog()
    if problem is None:
        stage(sub, course.submitted_dir / sub.student / assignment)
        problem = autograde_student(course, assignment, sub.student, notes, log)
        for _ in range(3):
            if problem is None or _UNREGISTERED not in problem:
                break
            # Another grader sharing the gradebook (a shard) was registering the assignment
            # while this one read it, and does so holding the gradebook lock: wait until it
            # has finished, then grade again from scratch. Never costs the student a point.
            with gradebook.exclusive(course):
                pass
            notes, log = list(sub.notes), RunLog()
            stage(sub, course.submitted_dir / sub.student / assignment)
            problem = autograde_student(course, assignment, sub.student, notes, log)
    restored = notes[len(sub.notes):]
    notes += [f"limit hit: {hit}" for hit in log.hits]
    if problem is None:
        failed = write_feedback(course, assignment, sub.student, notes)
        if failed:  # graded all the same; the instructor must know the student has no page
            notes.append(f"feedback could not be generated: {failed}")
    else:
        _drop_submission(course, assignment, sub.student)
        _failure_pages(course, assignment, sub.student, problem)
    return Outcome(sub.student, OK if problem is None else problem, notes,
                   time.perf_counter() - start, limits=list(log.hits), backstop=log.backstop,
                   restored=restored)


# A student whose grading met a busy database is graded again (SQLite: another worker was
# writing for longer than the driver waits; PostgreSQL: a serialization conflict).
_DB_BUSY = ("database is locked", "could not serialize access", "deadlock detected")
DB_RETRIES = 3


def _grade_in_worker(job: tuple[Course, str, Submission]) -> Outcome:
    course, assignment, sub = job
    # One thread per worker for BLAS/OpenMP and the judges' torch references: workers x threads
    # <= cores (the kernels get the same from their environment).
    os.environ.update({var: "1" for var in THREAD_VARS})
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    for attempt in range(1, DB_RETRIES + 1):
        outcome = grade_student(course, assignment, sub)
        if attempt == DB_RETRIES or not any(b in outcome.status for b in _DB_BUSY):
            return outcome
        time.sleep(0.5 * attempt)
    return outcome


def _settle(course: Course, assignment: str, sub: Submission, result) -> Outcome:
    """The child's Outcome, or (it raised or died) a 0 with the reason, like any failure."""
    if isinstance(result, Outcome):
        return result
    reason = f"{result}; score 0, ask the instructor to look at this submission"
    _clear_outputs(course, assignment, sub.student)
    _drop_submission(course, assignment, sub.student)
    _failure_pages(course, assignment, sub.student, reason)
    return Outcome(sub.student, reason, list(sub.notes))


def register_students(course: Course, students: dict[str, dict[str, str]]) -> None:
    """Add or update students (id -> first_name/last_name/email known for them)."""
    with Gradebook(course.db_url) as gb:
        for student, fields in sorted(students.items()):
            gb.update_or_create_student(student, **fields)


def _has_submission(course: Course, assignment: str, students: list[str]) -> set[str]:
    with Gradebook(course.db_url) as gb:
        return {s.student.id for s in gb.find_assignment(assignment).submissions
                if s.student.id in set(students)}


def _prepare(course: Course, assignment: str) -> None:
    """Register the assignment (one grader at a time, also across machines), then do in this
    process what every student's grading would otherwise redo: the forked workers inherit it."""
    with gradebook.exclusive(course):
        register(course, assignment)
        gradebook.ensure_status_table(course)
    from autograder.autograde import prepare

    prepare(course, assignment)


def grade_submissions(course: Course, assignment: str, subs: list[Submission],
                      progress: bool = True, workers: int = 1,
                      roster: dict[str, dict[str, str]] | None = None,
                      shard: tuple[int, int] | None = None) -> Report:
    """Grade ``subs`` (this shard's share) with ``workers`` processes; see the module docstring."""
    start = time.perf_counter()
    roster = roster or {}
    mine = sorted((s for s in subs if in_shard(s.student, shard)), key=lambda s: s.student)
    absent = sorted(set(s for s in roster if in_shard(s, shard)) - {s.student for s in subs})
    _prepare(course, assignment)
    register_students(course, {**{s: roster.get(s, {}) for s in absent},
                               **{s.student: {**roster.get(s.student, {}),
                                              **({"lms_user_id": s.lms_user_id}
                                                 if s.lms_user_id else {})} for s in mine}})
    # Roster students who handed in nothing: a 0 with a page saying so, unless an earlier run
    # graded a submission of theirs (e.g. the on-time batch before this late one) or recorded
    # why it could not: that stays.
    recorded = gradebook.load_status(course, assignment)
    unsubmitted = sorted(set(absent) - _has_submission(course, assignment, absent)
                         - {s for s, (status, _) in recorded.items() if status != NO_SUBMISSION})
    for student in unsubmitted:
        _clear_outputs(course, assignment, student)
        _failure_pages(course, assignment, student, NO_SUBMISSION)
    gradebook.save_status(course, assignment, {s: (NO_SUBMISSION, []) for s in unsubmitted})

    tqdm.monitor_interval = 0  # no monitor thread: workers are forked while the bar is shown
    by_student = {s.student: s for s in mine}
    outcomes = _run(course, assignment, mine, workers, progress, f"grading {assignment}")
    # A wall-clock backstop measures the machine as much as the student: whoever hit one is
    # graded again once, alone, after everyone else, and that run counts.
    again = [by_student[o.student] for o in outcomes.values() if o.backstop]
    if again:
        for student, outcome in _run(course, assignment, again, 1, progress,
                                     f"grading again alone ({len(again)})").items():
            outcome.notes.append("graded again alone at the end of the run, after a wall-clock "
                                 "limit was hit while other students were being graded")
            outcomes[student] = outcome
            gradebook.save_status(course, assignment,
                                  {student: (outcome.csv_status, outcome.notes)})
    outcomes = [outcomes[s] for s in sorted(outcomes)]
    return Report(assignment, outcomes, time.perf_counter() - start,
                  write_grades(course, assignment), workers=workers, shard=shard,
                  absent=absent, unsubmitted=unsubmitted,
                  not_on_roster=[s.student for s in mine if roster and s.student not in roster])


def _run(course: Course, assignment: str, subs: list[Submission], workers: int, progress: bool,
         label: str) -> dict[str, Outcome]:
    """Grade ``subs`` in ``workers`` processes; each student's status is saved as it comes."""
    outcomes = {}
    by_student = {s.student: s for s in subs}
    bar = tqdm(total=len(subs), desc=label, unit="student", disable=not progress)
    try:
        for (_, _, sub), result in run_parallel(_grade_in_worker,
                                                [(course, assignment, s) for s in subs], workers):
            outcome = _settle(course, assignment, by_student[sub.student], result)
            outcomes[outcome.student] = outcome
            # Saved at once: kept even if the run is interrupted.
            gradebook.save_status(course, assignment,
                                  {outcome.student: (outcome.csv_status, outcome.notes)})
            bar.set_postfix_str(outcome.student if outcome.status == OK else f"{outcome.student} (0)")
            bar.update()
    finally:
        bar.close()
    return outcomes


def grade(course: Course, assignment: str, submissions: Path, progress: bool = True,
          workers: int | None = None, roster: dict[str, dict[str, str]] | None = None,
          shard: tuple[int, int] | None = None) -> Report:
    """Grade what ``submissions`` holds (folder of student folders or LMS zip); see intake.py."""
    course.check_assignment(assignment)
    gradebook.check_reachable(course)
    found = intake.load(Path(submissions), course.notebooks(assignment),
                        course.intake_dir / assignment, known=set(roster or ()))
    report = grade_submissions(course, assignment, found.submissions, progress,
                               workers or default_workers(), roster, shard)
    report.intake = found
    return report
