"""Run one nbgrader step (a converter app) in this process and say in one line what went wrong.

nbgrader logs a generic "[ERROR] There was an error processing ..." and the real cause as the
last exception line of a logged traceback; "[WARNING]" lines (e.g. an unknown cell id) often
explain it. Students and instructors get that one line, not the traceback.
"""
from __future__ import annotations

import re
import warnings

from nbformat.warnings import MissingIDFieldWarning
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from autograder.sandbox.environment import grading_env

_EXCEPTION_LINE = re.compile(r"^\s*((?:[\w.]+\.)?\w*(?:Error|Exception|Exit|Interrupt)\b.*)$")
_GENERIC = ("There was an error processing", "Please see the", "Traceback")
_ROUTINE_WARNINGS = ("Attribute 'checksum'", "Removing failed assignment")  # in every run


def failure_reason(result: dict) -> str:
    log = result.get("log", "").splitlines()
    errors = [ln[len("[ERROR] "):].strip() for ln in log if ln.startswith("[ERROR] ")]
    errors = [ln for ln in errors if ln and not ln.startswith(_GENERIC)]
    exceptions = [m.group(1).strip() for ln in log if (m := _EXCEPTION_LINE.match(ln))]
    warned = [ln[len("[WARNING] "):].strip() for ln in log if ln.startswith("[WARNING] ")]
    warned = [ln for ln in warned if not ln.startswith(_ROUTINE_WARNINGS)]
    cause = (errors or exceptions or result.get("error", "").strip().splitlines()[-1:]
             or ["unknown error"])[-1]
    return cause + (f" ({'; '.join(warned[:3])})" if warned else "")


def run(app_class, config: Config, **traits) -> str | None:
    """Run ``app_class`` (e.g. nbgrader's Autograde) with ``config``; None, or why it failed."""
    app = app_class(coursedir=CourseDirectory(config=config), config=config)
    for name, value in traits.items():
        setattr(app, name, value)
    with grading_env(), warnings.catch_warnings():
        # Harmless noise: nbgrader's first autograde of a student trips an SQLAlchemy autoflush
        # warning; nbformat warns about students' notebooks saved without cell ids.
        warnings.simplefilter("ignore", SAWarning)
        warnings.simplefilter("ignore", MissingIDFieldWarning)
        result = capture_log(app)
    return None if result["success"] else failure_reason(result)
