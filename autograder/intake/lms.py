"""What ``--submissions PATH`` holds, turned into one :class:`Submission` per student.

PATH is either a folder of student folders (collect.py) or an LMS export zip:

* **Canvas** ("Download Submissions"): flat files named ``NAME_[LATE_]USERID_SUBID_FILE``, e.g.
  ``smithjohn_LATE_12345_67890_ps1.ipynb``; Canvas renames a resubmitted file ``ps1-1.ipynb``,
  ``ps1-2.ipynb``, ... Student id: NAME (``smithjohn``).
* **Moodle** ("Download all submissions"): one folder per student and submission plugin,
  ``Full Name_12345_assignsubmission_file_/ps1.ipynb`` (or the same prefix on flat file names).
  Student id: the full name in lower case without spaces or accents (``johnsmith``).
* any other zip: unpacked and read as a folder of student folders (it may wrap them in one
  top folder).

If a ``--roster`` lists the LMS's numeric id (``12345``) or ``NAME_12345`` instead, that id is
used. Two students with the same NAME but different numeric ids become ``NAME_12345`` and
``NAME_67890``.

**Latest counts.** When a student's export holds several files that are versions of one
notebook (same name once a resubmission suffix ``-N`` or `` (N)`` is removed), the one graded
is the latest: the highest resubmission number N (none = 0), then the newest timestamp the zip
stores for the file, then the highest LMS submission id. The student's note says which file was
graded. Only the chosen file of each name is unpacked (to ``<course-dir>/intake/ASSIGNMENT``,
fresh each run), never to a path the zip names.
"""
from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.intake.folders import (Submission, collect, student_folders, student_id_problem,
                                submission_from_folder)
from autograder.course import CourseError

CANVAS = re.compile(r"^(?P<name>[A-Za-z0-9]+)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_"
                    r"(?P<file>.*)$")
RESUBMISSION = re.compile(r"^(?P<base>.+?)(?:-(?P<n>\d+)| \((?P<m>\d+)\))$")
_SKIP = ("__MACOSX", ".ipynb_checkpoints")
MAX_FILE_BYTES = 512 * 2 ** 20  # a notebook larger than this is not unpacked (zip bomb guard)


@dataclass
class Intake:
    kind: str  # "folder", "lms zip", "zip of folders"
    submissions: list[Submission]
    ignored: list[str] = field(default_factory=list)  # zip entries not attributable to a student


@dataclass
class _Entry:
    info: zipfile.ZipInfo
    lms: str  # "canvas" or "moodle"
    name: str  # the student's name as the export spells it
    user: str  # the LMS's numeric user id
    file: str  # the file's name as the student uploaded it
    late: bool = False
    sub_id: int = 0
    hidden: bool = False  # e.g. .ipynb_checkpoints/: the student is there, the file is ignored

    @property
    def base_and_number(self) -> tuple[str, int]:
        """('ps1.ipynb', 2) for 'ps1-2.ipynb' or 'ps1 (2).ipynb'."""
        path = PurePosixPath(self.file)
        match = RESUBMISSION.match(path.stem)
        if not match:
            return path.name, 0
        return match["base"] + path.suffix, int(match["n"] or match["m"])

    @property
    def order(self) -> tuple:
        """Sort key: larger = later (see the module docstring)."""
        return self.base_and_number[1], self.info.date_time, self.sub_id, self.file


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    return tuple(p for p in info.filename.replace("\\", "/").split("/") if p)


def _skipped(parts: tuple[str, ...]) -> bool:
    return not parts or any(p in _SKIP or p.startswith(".") for p in parts)


def _classify(info: zipfile.ZipInfo) -> _Entry | None:
    parts = _parts(info)
    if len(parts) == 1 and (m := CANVAS.match(parts[0])):
        return _Entry(info, "canvas", m["name"].lower(), m["user"], m["file"], bool(m["late"]),
                      int(m["sub"]), hidden=_skipped((m["file"],)))
    if m := MOODLE.match(parts[0]):
        inside = ([m["file"]] if m["file"] else []) + list(parts[1:])
        if inside:
            return _Entry(info, "moodle", m["name"], m["user"], "/".join(inside),
                          hidden=_skipped(tuple(inside)))
    return None


def _student_ids(people: set[tuple[str, str, str]], known: set[str]) -> dict[tuple, str]:
    """(lms, name, user) -> student id; see the module docstring."""
    slugs = defaultdict(set)
    for person in people:
        slugs[_slug(person[1]) or person[2]].add(person)
    ids = {}
    for slug, same in slugs.items():
        for lms, name, user in same:
            for candidate in (slug, user, f"{slug}_{user}"):
                if candidate in known:
                    ids[(lms, name, user)] = candidate
                    break
            else:
                ids[(lms, name, user)] = slug if len(same) == 1 else f"{slug}_{user}"
    return ids


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(info) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)


def _lms_submissions(archive: zipfile.ZipFile, entries: list[_Entry], expected: list[str],
                     scratch: Path, known: set[str]) -> list[Submission]:
    ids = _student_ids({(e.lms, e.name, e.user) for e in entries}, known)
    by_student: dict[str, list[_Entry]] = defaultdict(list)
    for e in entries:
        by_student[ids[(e.lms, e.name, e.user)]].append(e)
    subs = []
    for student in sorted(by_student):
        mine = by_student[student]
        problem = student_id_problem(student, "the name in the LMS export")
        visible = [e for e in mine if not e.hidden]
        notebooks = [e for e in visible if e.file.lower().endswith(".ipynb")]
        if problem or not notebooks:
            others = sorted(PurePosixPath(e.file).name for e in visible)
            subs.append(Submission(student, problem=problem or "no notebook was submitted" + (
                f" (found only: {', '.join(others[:5])}{', ...' if len(others) > 5 else ''})")))
            continue
        versions: dict[str, list[_Entry]] = defaultdict(list)
        for e in notebooks:
            versions[e.base_and_number[0]].append(e)
        folder = scratch / student
        notes, too_big = [], []
        for base, group in sorted(versions.items()):
            latest = max(group, key=lambda e: e.order)
            if latest.info.file_size > MAX_FILE_BYTES:
                too_big.append(f"{latest.file} is larger than {MAX_FILE_BYTES // 2 ** 20} MB")
                continue
            _unpack(archive, latest.info, folder / PurePosixPath(base).name)
            if len(group) > 1:
                when = "%04d-%02d-%02d %02d:%02d" % latest.info.date_time[:5]
                notes.append(f"{len(group)} submissions of {base}: graded the latest, "
                             f"{latest.file} ({when})")
            if latest.late:
                notes.append(f"{latest.file} was marked LATE by the LMS")
        if not folder.is_dir():
            subs.append(Submission(student, problem="; ".join(too_big)))
            continue
        sub = submission_from_folder(folder, expected, student)
        sub.notes = notes + too_big + sub.notes
        if mine[0].lms == "canvas":
            sub.lms_user_id = mine[0].user
        subs.append(sub)
    return subs


def _safe_extract(archive: zipfile.ZipFile, dest: Path) -> None:
    """Unpack a plain zip of student folders; names with '..' or absolute paths are refused."""
    for info in archive.infolist():
        parts = _parts(info)
        if ".." in parts or info.filename.startswith(("/", "\\")) or (parts and ":" in parts[0]):
            raise CourseError(f"the zip holds an unsafe path {info.filename!r}; not unpacking it")
        if info.is_dir() or _skipped(parts):
            continue
        if info.file_size > MAX_FILE_BYTES:
            continue
        _unpack(archive, info, dest.joinpath(*parts))


def _folder_root(extracted: Path) -> Path:
    """The folder holding the student folders: descend through one wrapping top folder."""
    children = [p for p in extracted.iterdir() if not p.name.startswith(".")]
    if len(children) == 1 and children[0].is_dir() and any(q.is_dir() for q in children[0].iterdir()):
        return children[0]
    return extracted


def check_path(path: Path) -> None:
    """A CourseError if ``path`` cannot be submissions (cheap: run before anything is loaded)."""
    path = Path(path)
    if not path.exists():
        raise CourseError(f"submissions path {path} does not exist")
    if path.is_dir():
        student_folders(path)
    elif not zipfile.is_zipfile(path):
        raise CourseError(f"{path} is not a folder or a zip file; --submissions takes a folder "
                          "holding one folder per student, or an LMS export zip (Canvas, Moodle)")


def load(path: Path, expected: list[str], scratch: Path, known: set[str] | frozenset = frozenset()
         ) -> Intake:
    """Read ``path`` (folder or zip); ``scratch`` is emptied and receives unpacked files;
    ``known`` are roster ids (an LMS student whose numeric id is on the roster gets that id)."""
    path = Path(path)
    check_path(path)
    if path.is_dir():
        return Intake("folder", collect(path, expected))
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        with zipfile.ZipFile(path) as archive:
            # Top-level debris (__MACOSX/, .DS_Store) is dropped here; hidden files inside a
            # student's submission still show the student handed something in.
            infos = [i for i in archive.infolist() if not i.is_dir() and not _skipped(_parts(i)[:1])]
            entries = {i: _classify(i) for i in infos}
            recognised = [e for e in entries.values() if e]
            if recognised:
                ignored = sorted(i.filename for i, e in entries.items()
                                 if e is None and not _skipped(_parts(i)))
                return Intake("lms zip", _lms_submissions(archive, recognised, expected, scratch,
                                                          set(known)), ignored)
            _safe_extract(archive, scratch / "_zip")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
        raise CourseError(f"cannot read the zip {path}: {exc}") from None
    unpacked = scratch / "_zip"
    if not unpacked.is_dir() or not any(unpacked.iterdir()):
        raise CourseError(f"the zip {path} holds no files")
    root = _folder_root(unpacked)
    if not any(p.is_dir() for p in root.iterdir()):
        raise CourseError(f"the zip {path} is not a Canvas or Moodle export (no file named like "
                          "smithjohn_12345_67890_ps1.ipynb or 'John Smith_12345_assignsubmission_"
                          "file_/ps1.ipynb') and holds no student folders")
    return Intake("zip of folders", collect(root, expected))
