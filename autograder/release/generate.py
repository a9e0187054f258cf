"""Generate the student release (exercises/) from the nbgrader source (solutions/).

nbgrader's generate_assignment replaces solution regions with ``# YOUR CODE HERE`` /
``raise NotImplementedError()`` and strips hidden-test regions. Run without the gradebook the
output is byte-identical from the same source, which is what makes the staleness test possible.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.converters import GenerateAssignment

from autograder import nbgrader_run
from autograder.course import Course, CourseError


def _generate(course: Course, assignment: str, release_dir: Path, use_db: bool) -> None:
    config = course.nbgrader_config()
    config.CourseDirectory.release_directory = str(release_dir)
    config.CourseDirectory.assignment_id = assignment
    config.GenerateAssignment.no_database = not use_db
    config.SaveCells.enabled = use_db  # what nbgrader's --no-db flag also sets
    if use_db:
        course.work_dir.mkdir(parents=True, exist_ok=True)
    problem = nbgrader_run.run(GenerateAssignment, config, force=True, create_assignment=True)
    if problem:
        hint = (f"\n(the gradebook {course.gradebook_label} holds grades for an older version of "
                f"{assignment}; move it away to start a new one)" if "Cannot modify" in problem else "")
        raise CourseError(f"nbgrader could not generate {assignment!r} from "
                          f"{course.source_dir / assignment}: {problem}{hint}")


def release(course: Course, assignments: list[str] | None = None,
            release_dir: Path | None = None) -> list[Path]:
    """Regenerate ``release_dir/<a>/`` (default exercises/) for the given or all assignments.

    Releasing all assignments also removes release folders whose source no longer exists.
    Returns the folders written.
    """
    release_dir = Path(release_dir) if release_dir else course.release_dir
    names = [course.check_assignment(a) for a in assignments] if assignments else course.assignments()
    if not names:
        raise CourseError(f"no assignments: {course.source_dir} has no folder with a notebook")
    if not assignments and release_dir.is_dir():
        for stale in sorted(p for p in release_dir.iterdir() if p.is_dir() and p.name not in names):
            shutil.rmtree(stale)
    for name in names:
        _generate(course, name, release_dir, use_db=False)
    return [release_dir / name for name in names]


def register(course: Course, assignment: str) -> None:
    """Put the assignment (notebooks, cells, points, hidden-test source) into the gradebook.

    autograde needs it there. The release nbgrader writes as a side effect goes to a scratch
    folder in the course work dir, so grading never rewrites the committed exercises/.
    """
    _generate(course, assignment, course.scratch_release_dir, use_db=True)
