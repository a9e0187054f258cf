"""The gradebook database beyond nbgrader's own tables: reachability, a lock, grading status,
the course secret.

The gradebook is nbgrader's (``Course.db_url``): a SQLite file by default, or a PostgreSQL server
that several grading machines share (each grading its shard of the students). Three things the
grader needs from it that nbgrader does not give:

* :func:`check_reachable`: fail at once, in words, when the database cannot be reached;
* :func:`exclusive`: one grader at a time registers the assignment (nbgrader's
  ``generate_assignment`` inserts cells and students; two machines doing it at once collide);
* the table ``autograder_status``: why each student has their score ("ok" or the reason for a 0)
  and the grader's notes, kept beside the grades so ``export`` on any machine can say it;
* the table ``autograder_secret``: the course secret hidden inputs are drawn from
  (decide/seeds.py), made by the first grader that needs it and read by every other, unless
  ``$AUTOGRADER_COURSE_SECRET`` gives it (:func:`course_secret`).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import zlib
from pathlib import Path
from typing import Iterator

from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, delete, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from autograder.course import Course, CourseError
from autograder.decide.seeds import SECRET_ENV, check_secret, new_secret

_META = MetaData()
STATUS = Table(
    "autograder_status", _META,
    Column("assignment", String(128), primary_key=True),
    Column("student", String(128), primary_key=True),
    Column("status", Text, nullable=False),
    Column("notes", Text, nullable=False),  # JSON list of strings
)

SECRET = Table(
    "autograder_secret", MetaData(),  # its own metadata: created on demand, race-free
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
_COURSE_SECRET = "course"

_LOCK_KEY = zlib.crc32(b"autograder:gradebook") & 0x7FFFFFFF  # one advisory-lock id for all runs
CONNECT_TIMEOUT_S = 10


def _engine(course: Course) -> Engine:
    url = make_url(course.db_url)
    args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.get_backend_name() == "postgresql" else {}
    if course.uses_sqlite_file:
        course.work_dir.mkdir(parents=True, exist_ok=True)
    return create_engine(url, connect_args=args)


def check_reachable(course: Course) -> None:
    """Connect once; a CourseError saying what is wrong and what to do if that fails."""
    label = course.gradebook_label
    try:
        engine = _engine(course)
    except ArgumentError:
        raise CourseError(f"{course.db_url!r} is not a database URL; give e.g. "
                          "postgresql://USER:PASSWORD@HOST:5432/DATABASE (--db-url or "
                          "$AUTOGRADER_DB_URL), or leave it out for the SQLite gradebook") from None
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise CourseError(f"no database driver for {label} ({exc}); PostgreSQL needs psycopg2 "
                          "(pip install -r requirements.txt)") from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise CourseError(f"cannot reach the gradebook database {label}: {reason}. Check that the "
                          "database server is running and that the URL's host, port, user, "
                          "password and database name are right") from None
    finally:
        engine.dispose()


@contextlib.contextmanager
def exclusive(course: Course) -> Iterator[None]:
    """Hold a lock that every grader of this gradebook shares (for registering the assignment).

    PostgreSQL: a session advisory lock, so graders on other machines wait too. SQLite file: a
    file lock beside it (SQLite is for graders on one machine anyway).
    """
    url = make_url(course.db_url)
    if url.get_backend_name() == "postgresql":
        engine = _engine(course)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                    conn.commit()
        finally:
            engine.dispose()
    elif url.get_backend_name() == "sqlite" and url.database:
        lock_path = Path(f"{url.database}.lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    else:  # another server kind: nbgrader supports it, but we have no lock for it
        yield


def ensure_status_table(course: Course) -> None:
    engine = _engine(course)
    try:
        _META.create_all(engine, checkfirst=True)
    finally:
        engine.dispose()


def save_status(course: Course, assignment: str, records: dict[str, tuple[str, list[str]]]) -> None:
    """Record {student: (status, notes)} for ``assignment``, replacing earlier records."""
    if not records:
        return
    engine = _engine(course)
    try:
        with engine.begin() as conn:
            conn.execute(delete(STATUS).where(STATUS.c.assignment == assignment,
                                              STATUS.c.student.in_(list(records))))
            conn.execute(STATUS.insert(), [
                {"assignment": assignment, "student": student, "status": status,
                 "notes": json.dumps(list(notes))}
                for student, (status, notes) in records.items()])
    finally:
        engine.dispose()


def load_status(course: Course, assignment: str) -> dict[str, tuple[str, list[str]]]:
    """{student: (status, notes)} as the grading runs recorded them ({} if none)."""
    engine = _engine(course)
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, STATUS.name):
                return {}
            rows = conn.execute(select(STATUS).where(STATUS.c.assignment == assignment))
            return {r.student: (r.status, json.loads(r.notes)) for r in rows}
    finally:
        engine.dispose()


def course_secret(course: Course) -> str:
    """The course secret: ``$AUTOGRADER_COURSE_SECRET`` if set, else the one stored in the
    gradebook, made there (32 random bytes) by the first grader that asks. Two graders asking
    at once get the same one: the first insert wins and both read what was stored."""
    if os.environ.get(SECRET_ENV):
        try:
            return check_secret(os.environ[SECRET_ENV], f"${SECRET_ENV}")
        except ValueError as exc:
            raise CourseError(str(exc)) from None
    engine = _engine(course)
    try:
        for attempt in range(2):
            try:
                SECRET.create(engine, checkfirst=True)
            except SQLAlchemyError:  # another grader created it between the check and ours
                if attempt:
                    raise
                continue
            break
        with engine.begin() as conn:
            found = conn.execute(select(SECRET.c.value).where(SECRET.c.name == _COURSE_SECRET))
            value = found.scalar()
        if value is None:
            try:
                with engine.begin() as conn:
                    conn.execute(SECRET.insert(), {"name": _COURSE_SECRET, "value": new_secret()})
            except IntegrityError:
                pass  # another grader stored one first: theirs counts
            with engine.connect() as conn:
                value = conn.execute(select(SECRET.c.value)
                                     .where(SECRET.c.name == _COURSE_SECRET)).scalar()
    finally:
        engine.dispose()
    try:
        return check_secret(value, f"the gradebook's table {SECRET.name}")
    except ValueError as exc:
        raise CourseError(str(exc)) from None
