"""Autograde one student's staged submission: restored, run in a sandbox, decided outside it.

nbgrader's Autograde still does the bookkeeping (the submission in the gradebook, locked cells
and hidden tests put back from it, scores, late penalties, the autograded notebook that feedback
is made from); four steps change:

* before it, restore.py puts each notebook back into the assignment's shape (deleted, moved or
  renamed cells), so nbgrader never fails a notebook for a changed ``grade_id``;
* ``Execute`` becomes kernel.SandboxExecute (sandbox.py: no solutions, gradebook, other students
  or network in reach; time, CPU, memory, process and output limits; nothing left running);
* visible.RecordVisibleTests makes each visible test cell record the results of the student's
  functions as it runs;
* verdict.DecideHiddenTests decides every ``run_group`` cell in this process from the records
  the kernel published, and every visible test cell by replaying its record here (visible.py),
  before SaveAutoGrades scores the cells.

The hidden inputs are drawn for this submission (decide/seeds.py): from the course secret
(records/gradebook.py), the assignment, the student and a digest of the restored notebooks' code.
"""
from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,
                                    LimitOutput, SaveAutoGrades)

from autograder import nbgrader_run
from autograder.course import Course
from autograder.decide.seeds import DrawKey, code_digest, submission_key
from autograder.sandbox.kernel import SandboxExecute
from autograder.intake.restore import restore
from autograder.sandbox.box import bwrap_available
from autograder.decide.verdict import DecideHiddenTests
from autograder.decide.visible import RecordVisibleTests

PREPROCESSORS = [RecordVisibleTests, SandboxExecute, DecideHiddenTests, IgnorePattern,
                 ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
                 CheckCellMetadata]


class RunLog:
    """Where SandboxExecute says why a run stopped and which limits it hit (traitlets
    deep-copies config values, so this object copies to itself)."""

    def __init__(self):
        self.problem: str | None = None
        self.hits: list[str] = []   # each limit hit: which cell, what it used
        self.backstop = False       # a wall-clock backstop was hit (the machine may be to blame)

    def __deepcopy__(self, memo):
        return self


def restore_staged(course: Course, assignment: str, student: str) -> list[str]:
    """Rewrite each staged notebook in the assignment's shape; the notes say what changed."""
    staged = sorted((course.submitted_dir / student / assignment).glob("*.ipynb"))
    notes = []
    for path in staged:
        release = course.scratch_release_dir / assignment / path.name
        if not release.exists():
            release = course.release_dir / assignment / path.name
        if not release.exists():
            continue  # not one of the assignment's notebooks: nbgrader skips it
        prefix = f"{path.name}: " if len(staged) > 1 else ""
        try:
            student_nb = json.loads(path.read_text(encoding="utf-8"))
            restored, changes = restore(student_nb, nbformat.read(str(release), as_version=4))
        except Exception as exc:  # graded as handed in; nbgrader says what it cannot grade
            notes.append(f"{prefix}its cells could not be matched to the assignment's "
                         f"({type(exc).__name__}: {exc}); graded as handed in")
            continue
        nbformat.write(restored, str(path))
        notes += [prefix + note for note in changes]
    return notes


@functools.lru_cache(maxsize=None)
def _secret(course: Course) -> str:
    from autograder.records.gradebook import course_secret

    return course_secret(course)


def _notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):  # unreadable: its bytes count as its code
        return {"cells": [{"cell_type": "code", "source": path.read_bytes().hex()}]}


def draw_key(course: Course, assignment: str, student: str) -> DrawKey:
    """The key this submission's hidden inputs are drawn from: the course secret, the
    assignment, the student and the code of the staged (restored) notebooks."""
    staged = sorted((course.submitted_dir / student / assignment).glob("*.ipynb"))
    digest = code_digest({path.name: _notebook(path) for path in staged})
    return submission_key(_secret(course), assignment, student, digest)


def autograde(course: Course, assignment: str, student: str, config,
              notes: list[str] | None = None, log: RunLog | None = None) -> str | None:
    """None when graded, else why not (for the student). Appends what was restored to notes;
    ``log`` receives the limits the run hit."""
    problem = bwrap_available()
    if problem:
        return f"the grader cannot run notebooks safely here: {problem}"
    changes = restore_staged(course, assignment, student)
    if notes is not None:
        notes += changes
    log = log if log is not None else RunLog()
    config.Autograde.autograde_preprocessors = PREPROCESSORS
    config.SandboxExecute.run_log = log
    config.SandboxExecute.release_root = str(course.release_dir)
    config.DecideHiddenTests.source_root = str(course.source_dir)
    config.RecordVisibleTests.source_root = str(course.source_dir)
    config.DecideHiddenTests.draw_key = key = draw_key(course, assignment, student)
    with _kernel_inputs(course, assignment, key):
        problem = nbgrader_run.run(Autograde, config, force=True, create_student=True)
    if problem is None:
        return None
    return f"the grader could not run your notebook: {log.problem or problem}"


def _kernel_inputs(course: Course, assignment: str, key: DrawKey):
    """While grading: the kernel's bundle holds this submission's inputs (sandbox/bundle.py)."""
    from autograder.decide.hidden import has_specs, hidden_checks
    from autograder.sandbox.bundle import submission

    if not has_specs(assignment):
        return contextlib.nullcontext()
    return submission(hidden_checks(assignment, course.source_dir / assignment, key))


def prepare(course: Course, assignment: str) -> None:
    """Once per grading run, in the parent before the workers fork, so each child starts warm:
    the course secret (shared by every shard), the specs and the instructor's solution
    (hidden.py), the kernel-side code (sandbox/bundle.py), and torch when a judge of the
    assignment uses it. Starts no kernel and no thread (forking after threads is unsafe)."""
    import inspect

    from autograder.decide.hidden import has_specs, load_groups, warm
    from autograder.sandbox.bundle import bundle_dir, bundle_files

    _secret(course)
    if not has_specs(assignment):
        bundle_dir(None)
        return
    warm(assignment, course.source_dir / assignment)
    bundle_files(None)
    groups = load_groups(assignment)
    judges = {inspect.getmodule(c.judge) for g in groups.values() for c in g.checks}
    if any("import torch" in inspect.getsource(m) for m in judges if m is not None):
        import torch  # noqa: F401 (1-2 s, paid once here instead of once per student)
