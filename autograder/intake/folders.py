"""Find each student's notebooks in a submissions folder and stage them for nbgrader.

The submissions folder holds one folder per student (the folder name is the student id).
Students rename files (``ps1 (1).ipynb``, ``Ps1-final.ipynb``), submit nothing, or submit
broken JSON; each case becomes a :class:`Submission` that either maps every file to the
assignment's notebook name or says, in words a student understands, why it cannot be graded.
Another ingester (e.g. an LMS zip) only has to produce the same list of Submissions.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import CourseError

_SKIP_PARTS = ("__MACOSX",)
_GLOB_CHARS = set("*?[]")


@dataclass
class Submission:
    student: str
    files: dict[str, Path] = field(default_factory=dict)  # assignment notebook -> student file
    problem: str | None = None  # why nothing can be graded; None = gradable
    notes: list[str] = field(default_factory=list)  # graded, but the student should know
    lms_user_id: str = ""  # the LMS's own id of the student (Canvas), kept for grade export


def _notebook_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p in _SKIP_PARTS for p in parts):
            continue  # .ipynb_checkpoints, hidden files, macOS zip debris
        if path.is_file():
            found.append(path)
    return found


def _key(name: str) -> str:
    """'Ps1-final (1).ipynb' -> 'ps1final1': compare names ignoring case and punctuation."""
    return re.sub(r"[^a-z0-9]", "", Path(name).stem.lower())


def match_notebooks(expected: list[str], found: list[Path], folder: Path) -> Submission:
    """Map the assignment's notebook names to the student's files (student id filled in later)."""
    sub = Submission(student=folder.name)
    rel = {p: str(p.relative_to(folder)) for p in found}
    left = list(found)
    unmatched = []
    for name in expected:
        exact = [p for p in left if p.name == name]
        if len(exact) == 1:
            sub.files[name] = exact[0]
            left.remove(exact[0])
        elif len(exact) > 1:
            sub.problem = (f"several files are named {name}: "
                           f"{', '.join(rel[p] for p in exact)}; submit exactly one")
            return sub
        else:
            unmatched.append(name)
    # Renamed files: for a one-notebook assignment the only notebook handed in; otherwise the
    # only file whose name contains the expected name (longest names first: "ps1_part2" before
    # "ps1"), so a stray copy such as "ps1 (1)" is never taken for another part.
    for name in sorted(unmatched, key=lambda n: -len(_key(n))):
        if not left:
            break
        if len(expected) == 1 and len(left) == 1:
            pick = list(left)
        else:
            pick = [p for p in left if _key(name) and _key(name) in _key(p.name)]
        if len(pick) == 1:
            sub.files[name] = pick[0]
            left.remove(pick[0])
            sub.notes.append(f"your file '{rel[pick[0]]}' was graded as {name}")
        elif pick or len(expected) == 1:
            sub.notes.append(f"could not tell which of {', '.join(rel[p] for p in pick or left)} "
                             f"is {name}; name it exactly {name}")
    missing = [n for n in expected if n not in sub.files]
    if not sub.files:
        if found:
            sub.problem = "; ".join(sub.notes) or (
                f"none of your notebooks ({', '.join(rel.values())}) is named like the "
                f"assignment's ({', '.join(expected)})")
        else:
            others = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
            sub.problem = "no notebook was submitted" + (
                f" (found only: {', '.join(others[:5])}{', ...' if len(others) > 5 else ''})"
                if others else "")
        sub.notes = []
    elif missing:
        sub.notes.append(f"not submitted, scored 0: {', '.join(missing)}")
    return sub


def unreadable_reason(path: Path) -> str | None:
    """None if nbgrader can read the notebook, else why not (in the student's terms)."""
    data = path.read_bytes()
    if not data.strip():
        return f"{path.name} is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{path.name} is not a text (UTF-8) notebook file"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return (f"{path.name} is not a valid notebook: broken JSON at line {exc.lineno}, "
                f"column {exc.colno} ({exc.msg}); the file may be truncated or edited outside Jupyter")
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return f"{path.name} is JSON but not a Jupyter notebook (no list of cells)"
    import nbformat  # slow to import (~2 s here); only needed once there is a file to read

    try:
        nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed notebooks
        return f"{path.name} is not a readable notebook: {exc}"
    return None


def student_id_problem(student: str, what: str = "the folder name") -> str | None:
    if _GLOB_CHARS & set(student) or student != student.strip() or "+" in student or "/" in student:
        fix = "rename the folder" if what == "the folder name" else "change it"
        return (f"{what} {student!r} cannot be used as a student id "
                f"(no spaces at the ends, no * ? [ ] + /); {fix}")
    return None


def student_folders(submissions: Path) -> list[Path]:
    """The student folders of a submissions folder, or a CourseError saying what is wrong."""
    submissions = Path(submissions)
    if not submissions.exists():
        raise CourseError(f"submissions folder {submissions} does not exist")
    if not submissions.is_dir():
        raise CourseError(f"{submissions} is not a folder; --submissions must be a folder "
                          "holding one folder per student")
    folders = sorted(p for p in submissions.iterdir()
                     if p.is_dir() and not p.name.startswith(".") and p.name not in _SKIP_PARTS)
    if not folders:
        raise CourseError(f"{submissions} holds no student folders; it must hold one folder per "
                          "student (named by student id) with that student's notebooks")
    return folders


def submission_from_folder(folder: Path, expected: list[str], student: str | None = None,
                           id_problem: str | None = None) -> Submission:
    """The Submission of the student whose files are in ``folder`` (id: the folder name)."""
    student = student or folder.name
    problem = id_problem or student_id_problem(student)
    if problem:
        return Submission(student=student, problem=problem)
    sub = match_notebooks(expected, _notebook_files(folder), folder)
    sub.student = student
    for name, path in list(sub.files.items()):
        reason = unreadable_reason(path)
        if reason:
            del sub.files[name]
            sub.notes.append(reason)
    if not sub.files and not sub.problem:
        sub.problem = "; ".join(sub.notes)
        sub.notes = []
    return sub


def collect(submissions: Path, expected: list[str]) -> list[Submission]:
    """One Submission per student folder in ``submissions`` (sorted by student id)."""
    return [submission_from_folder(folder, expected) for folder in student_folders(submissions)]


def stage(sub: Submission, dest: Path) -> None:
    """Copy the student's notebooks into nbgrader's submitted/<student>/<assignment>/ (fresh)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, path in sub.files.items():
        shutil.copyfile(path, dest / name)
