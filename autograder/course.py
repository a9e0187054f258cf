"""Where everything lives, and the nbgrader configuration that follows from it.

Three places, kept apart on purpose:

* the repository (``root``): ``solutions/`` (nbgrader source) and ``exercises/`` (the release);
* the course work dir: per-class state nbgrader keeps while grading (``gradebook.db``,
  ``submitted/``, ``autograded/``); default ``autograder/course/`` (gitignored: the gradebook
  stores hidden-test source). The gradebook may instead be a database server (``db_url``, e.g.
  PostgreSQL shared by several grading machines, each with its own work dir);
* the output dir: what the instructor hands out, ``grades/ASSIGNMENT.csv`` and
  ``feedback/STUDENT/ASSIGNMENT/*.html``; default the repository root (both gitignored).

``autograder/nbgrader_config.py`` uses :meth:`Course.nbgrader_config` too, so the ``nbgrader``
command line and ``python -m autograder`` always agree.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

# The repository holding solutions/ and exercises/; this file is <repo>/autograder/course.py.
REPO_ROOT = Path(__file__).resolve().parent.parent
# The directory to put on the grading kernel's PYTHONPATH so hidden tests can import
# ``autograder.harness`` (independent of which course is being graded).
PACKAGE_PARENT = REPO_ROOT

COURSE_DIR_ENV = "AUTOGRADER_COURSE_DIR"
OUTPUT_DIR_ENV = "AUTOGRADER_OUTPUT_DIR"
DB_URL_ENV = "AUTOGRADER_DB_URL"


class CourseError(Exception):
    """Bad input from the instructor (unknown assignment, missing folder, ...)."""


@dataclass(frozen=True)
class Course:
    root: Path = REPO_ROOT
    work_dir: Path = REPO_ROOT / "autograder" / "course"
    output_dir: Path = REPO_ROOT
    # A SQLAlchemy URL of a gradebook server (postgresql://user:pw@host:port/db); None = the
    # SQLite file work_dir/gradebook.db.
    database_url: str | None = None

    @classmethod
    def from_env(cls, course_dir: str | os.PathLike | None = None,
                 output_dir: str | os.PathLike | None = None,
                 root: str | os.PathLike | None = None,
                 db_url: str | None = None) -> "Course":
        """Explicit arguments win over the environment variables, which win over defaults."""
        course_dir = course_dir or os.environ.get(COURSE_DIR_ENV)
        output_dir = output_dir or os.environ.get(OUTPUT_DIR_ENV)
        db_url = db_url or os.environ.get(DB_URL_ENV) or None
        base = Path(root).resolve() if root else REPO_ROOT
        return cls(root=base,
                   work_dir=Path(course_dir).resolve() if course_dir else base / "autograder" / "course",
                   output_dir=Path(output_dir).resolve() if output_dir else base,
                   database_url=db_url)

    # ---- the repository ------------------------------------------------------------------
    @property
    def source_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def release_dir(self) -> Path:
        return self.root / "exercises"

    def assignments(self) -> list[str]:
        """Every folder of solutions/ holding a notebook is an assignment (no hard-coded list)."""
        if not self.source_dir.is_dir():
            return []
        return sorted(p.name for p in self.source_dir.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))

    def check_assignment(self, assignment: str) -> str:
        known = self.assignments()
        if assignment not in known:
            raise CourseError(
                f"unknown assignment {assignment!r}; known assignments (folders of "
                f"{self.source_dir} with a notebook): {', '.join(known) or 'none'}")
        return assignment

    def notebooks(self, assignment: str) -> list[str]:
        """The assignment's notebook file names, e.g. ``["ps1.ipynb"]``."""
        return sorted(p.name for p in (self.source_dir / assignment).glob("*.ipynb"))

    def released_files(self, assignment: str) -> list[Path]:
        """What the release holds beside its notebooks (data, weights: files or folders).

        The grading kernel gets exactly these, read-only, in its working folder; a student's
        upload of a file of the same name is never used."""
        return released_files(self.release_dir / assignment)


    # ---- per-class state and outputs -----------------------------------------------------
    @property
    def gradebook(self) -> Path:
        return self.work_dir / "gradebook.db"

    @property
    def db_url(self) -> str:
        if self.database_url is None:
            return f"sqlite:///{self.gradebook}"
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; we ship psycopg2.
        if self.database_url.startswith("postgresql://"):
            return "postgresql+psycopg2://" + self.database_url[len("postgresql://"):]
        return self.database_url

    @property
    def uses_sqlite_file(self) -> bool:
        return self.database_url is None

    @property
    def gradebook_label(self) -> str:
        """The gradebook for messages: its file, or its URL without the password."""
        if self.database_url is None:
            return str(self.gradebook)
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except Exception:  # not a URL at all: say so where it is used, show it as given
            return self.database_url

    @property
    def submitted_dir(self) -> Path:
        return self.work_dir / "submitted"

    @property
    def autograded_dir(self) -> Path:
        return self.work_dir / "autograded"

    @property
    def scratch_release_dir(self) -> Path:
        """Where grading registers the assignment (nbgrader writes a release there too);
        never the committed exercises/, which only ``release`` rewrites."""
        return self.work_dir / "release"

    @property
    def intake_dir(self) -> Path:
        """Where an LMS export zip is unpacked, one folder per student (fresh every run)."""
        return self.work_dir / "intake"

    @property
    def feedback_dir(self) -> Path:
        return self.output_dir / "feedback"

    def grades_csv(self, assignment: str) -> Path:
        return self.output_dir / "grades" / f"{assignment}.csv"

    # ---- nbgrader ------------------------------------------------------------------------
    def nbgrader_config(self) -> Config:
        c = Config()
        # Absolute paths: nbgrader joins them onto root unchanged, and they stay right
        # whatever the current directory is.
        c.CourseDirectory.root = str(self.root)
        c.CourseDirectory.source_directory = str(self.source_dir)
        c.CourseDirectory.release_directory = str(self.release_dir)
        c.CourseDirectory.submitted_directory = str(self.submitted_dir)
        c.CourseDirectory.autograded_directory = str(self.autograded_dir)
        c.CourseDirectory.feedback_directory = str(self.feedback_dir)
        c.CourseDirectory.db_url = self.db_url
        # nbgrader's apps default to course "" but never create that course row, while its
        # Gradebook() creates "default_course": PostgreSQL enforces the foreign key (SQLite does
        # not), so use the row that exists.
        c.CourseDirectory.course_id = "default_course"
        # Restore test cells a student deleted (otherwise they silently score 0).
        c.OverwriteCells.add_missing_cells = True
        # Per-cell limit; the kernel's state is disposable, so no graceful shutdown wait.
        c.Execute.timeout = 60
        c.Execute.shutdown_kernel = "immediate"
        # The kernel's own start-up warnings would only clutter the grading progress bar.
        c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
        # Feedback must not show hidden-test source (nbgrader's default does).
        from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
        from nbgrader.preprocessors import GetGrades

        from autograder.records.feedback import HideHiddenTests
        c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTests]
        return c


def released_files(folder: Path) -> list[Path]:
    """The entries of a release folder that are not notebooks (nor hidden: ``.x``)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if not p.name.startswith(".") and p.suffix != ".ipynb")


def released_file(assignment: str, name: str) -> Path:
    """The grader's own copy of a file released with ``assignment`` (for inputs and judges)."""
    path = Course.from_env().release_dir / assignment / name
    if not path.exists():
        raise CourseError(f"{path} is missing: put {name} beside the notebook in "
                          f"solutions/{assignment}/ and run make exercises")
    return path
