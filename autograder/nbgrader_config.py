"""nbgrader configuration for this repository, for the plain ``nbgrader`` command line.

    nbgrader autograde ps1 --NbGrader.config_file=autograder/nbgrader_config.py

(``--config=`` is silently ignored by nbgrader.) The course root is computed from this file's
location, never the current directory. Everything is defined once, in ``autograder/course.py``;
``python -m autograder`` uses the same definitions. Set AUTOGRADER_COURSE_DIR /
AUTOGRADER_OUTPUT_DIR to move the gradebook and work dirs / grades and feedback elsewhere, and
AUTOGRADER_DB_URL to use a gradebook server (e.g. PostgreSQL) instead of the SQLite file.
"""
import os
import sys

_repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _repo not in sys.path:
    sys.path.insert(0, _repo)

from autograder.course import Course  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it runs this file)
c.merge(Course.from_env().nbgrader_config())
