"""Hidden inputs are drawn per submission from a course secret that nothing handed out contains.

Unit level: the key (autograder/decide/seeds.py) follows the secret, assignment, student and
code, and ignores what re-saving a notebook changes; the secret is made once per gradebook, also
by two graders starting together on PostgreSQL; the kernel's bundle holds inputs only. End to
end: grading ps1 with a secret gives full marks to the reference, the same inputs on a regrade,
and leaves the secret in no file the grader wrote (CSV, feedback, bundle, work files), on no
kernel command line or environment, nor in the repository or the release.
"""
from __future__ import annotations

import copy
import os
import subprocess
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from autograder.course import REPO_ROOT, Course, CourseError
from autograder.decide.hidden import hidden_checks
from autograder.decide.seeds import (DEVELOPMENT, SECRET_ENV, code_digest, new_secret,
                                     submission_key)
from autograder.records.gradebook import course_secret
from autograder.sandbox.bundle import bundle_files
from support.grading import (filled_release, manual_points, read_csv, run_cli, waiting,
                             write_student)
from support.postgres_server import postgres_server

SECRET = new_secret()


def _nb(code: str, **extra) -> dict:
    nb = filled_release()
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "rel_error":
            cell["source"] = code
            cell.update(extra)
    return nb


def _digest(nb: dict) -> str:
    return code_digest({"ps1.ipynb": nb})


# ---- the key ----------------------------------------------------------------------------------

def test_key_follows_secret_assignment_student_and_code():
    base = submission_key(SECRET, "ps1", "ada", "d1")
    assert submission_key(SECRET, "ps1", "ada", "d1") == base
    others = [submission_key(new_secret(), "ps1", "ada", "d1"),
              submission_key(SECRET, "ps2", "ada", "d1"),
              submission_key(SECRET, "ps1", "bob", "d1"),
              submission_key(SECRET, "ps1", "ada", "d2")]
    seeds = {k.seed("g", 0, 0) for k in [base, *others, DEVELOPMENT]}
    assert len(seeds) == 6
    assert base.seed("g", 0, 0) != base.seed("g", 0, 1) != base.seed("g", 1, 0)
    assert SECRET not in repr(base) and base.key.hex() not in repr(base)


def test_bad_secret_is_refused_with_a_way_to_make_one():
    with pytest.raises(ValueError, match="token_hex"):
        submission_key("short", "ps1", "ada", "d")


def test_digest_ignores_outputs_counts_metadata_and_whitespace():
    code = "def rel_error(x, y):\n    return 0.0\n"
    nb = _nb(code)
    resaved = _nb(code.replace("\n", "   \r\n") + "\n\n", outputs=[{"output_type": "stream",
                  "name": "stdout", "text": "hi"}], execution_count=7)
    resaved["cells"][0]["metadata"]["collapsed"] = True
    as_lines = copy.deepcopy(nb)
    for cell in as_lines["cells"]:
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(keepends=True)
    assert _digest(nb) == _digest(resaved) == _digest(as_lines)


def test_digest_changes_with_any_code_the_student_wrote_but_not_with_locked_cells():
    nb = _nb("def rel_error(x, y):\n    return 0.0")
    changed = _nb("def rel_error(x, y):\n    return 0.0  # tried again")
    added = copy.deepcopy(nb)
    added["cells"].append({"cell_type": "code", "metadata": {}, "source": "print(1)",
                           "outputs": [], "execution_count": None})
    locked = copy.deepcopy(nb)
    for cell in locked["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("locked"):
            cell["source"] += "\n# edited a locked cell (the release's copy is graded)"
    assert len({_digest(nb), _digest(changed), _digest(added)}) == 3
    assert _digest(locked) == _digest(nb)


# ---- the secret -------------------------------------------------------------------------------

def test_secret_is_made_once_per_gradebook_and_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    course = Course.from_env(course_dir=tmp_path / "course", output_dir=tmp_path / "out")
    first = course_secret(course)
    assert len(first) == 64 and course_secret(course) == first
    assert course_secret(Course.from_env(course_dir=tmp_path / "other")) != first
    monkeypatch.setenv(SECRET_ENV, SECRET.upper())
    assert course_secret(course) == SECRET
    monkeypatch.setenv(SECRET_ENV, "not-hex")
    with pytest.raises(CourseError, match=SECRET_ENV):
        course_secret(course)


@pytest.mark.slow
def test_two_graders_starting_together_share_one_secret(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with postgres_server() as url:
        courses = [Course.from_env(course_dir=tmp_path / f"m{i}", db_url=url) for i in range(4)]
        found, start = [None] * 4, threading.Barrier(4)

        def get(i):
            start.wait()
            found[i] = course_secret(courses[i])

        threads = [threading.Thread(target=get, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert found[0] is not None and found == [found[0]] * 4
        assert course_secret(courses[0]) == found[0]


# ---- what the kernel gets ----------------------------------------------------------------------

def test_kernel_bundle_holds_the_submissions_inputs_and_no_key():
    key = submission_key(SECRET, "ps1", "ada", "d1")
    mine = bundle_files("ps1", hidden_checks("ps1", key=key))
    development = bundle_files("ps1")
    assert mine["payload/ps1.pickle"] != development["payload/ps1.pickle"]
    blob = b"".join(mine.values())
    for secret in (SECRET.encode(), bytes.fromhex(SECRET), key.key, key.key.hex().encode()):
        assert secret not in blob


def test_the_kernel_command_line_and_environment_never_carry_the_secret(tmp_path, monkeypatch):
    from autograder.sandbox.box import Box, Limits
    from autograder.sandbox.bundle import bundle_dir

    monkeypatch.setenv(SECRET_ENV, SECRET)
    (tmp_path / "sub").mkdir()
    with Box(tmp_path / "sub", bundle_dir("ps1"), Limits()) as box:
        assert SECRET not in " ".join(box.bwrap_args())
        assert SECRET not in " ".join(box.kernel_env().values())


def test_deciding_without_a_submission_key_refuses_instead_of_using_development_inputs():
    from autograder.decide.verdict import DecideHiddenTests

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'from autograder.harness import run_group\nrun_group("ps1", "rel_error.edge", globals())',
        metadata={"nbgrader": {"grade": True, "grade_id": "hidden_x", "points": 1,
                               "solution": False, "locked": True}})])
    with pytest.raises(ValueError, match="no key"):
        DecideHiddenTests().preprocess(nb, {"nbgrader": {"assignment": "ps1"}})


# ---- end to end ---------------------------------------------------------------------------------

def _files_containing(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """ps1 graded twice (a regrade) with the secret in the environment, as on a cluster: two
    students handing in the same code."""
    from autograder.autograde import draw_key

    tmp = tmp_path_factory.mktemp("secret")
    subs = tmp / "subs"
    for student in ("ada", "bob"):
        write_student(subs, student, "ps1.ipynb", filled_release())
    course = Course.from_env(course_dir=tmp / "course", output_dir=tmp / "out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SECRET_ENV, SECRET)
        runs = [run_cli("grade", "ps1", "--submissions", str(subs), "--course-dir",
                        str(course.work_dir), "--output-dir", str(course.output_dir),
                        "--no-progress", "--workers", "1") for _ in range(2)]
        keys = {student: draw_key(course, "ps1", student) for student in ("ada", "bob")}
    return course, runs, keys


@pytest.mark.slow
def test_grading_with_a_secret_gives_full_marks_and_the_same_grades_on_a_regrade(graded):
    course, runs, keys = graded
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr[-2000:]
    rows = read_csv(course.grades_csv("ps1"))
    # Every automatic point; the written answer waits for the instructor.
    by_hand = manual_points(REPO_ROOT / "solutions" / "ps1" / "ps1.ipynb")
    complete = waiting(by_hand) if by_hand else "ok"
    assert {s: rows[s]["status"] for s in rows} == {"ada": complete, "bob": complete}
    assert (float(rows["ada"]["score"]) == float(rows["bob"]["score"])
            == float(rows["ada"]["max_score"]) - by_hand)
    # Same code, different students: different inputs.
    assert keys["ada"].seed("rel_error.values", 0, 0) != keys["bob"].seed("rel_error.values", 0, 0)


@pytest.mark.slow
def test_the_secret_is_in_nothing_handed_out(graded):
    course, runs, keys = graded
    needles = [SECRET.encode(), bytes.fromhex(SECRET)] + \
        [k.key for k in keys.values()] + [k.key.hex().encode() for k in keys.values()]
    assert _files_containing(course.output_dir, needles) == []  # CSV and feedback
    # nbgrader's work files too (autograded notebooks, gradebook): the secret came from the
    # environment, so it is stored nowhere.
    assert _files_containing(course.work_dir, needles) == []
    assert _files_containing(REPO_ROOT / "exercises", needles) == []
    bundles = Path(tempfile.gettempdir()) / f"autograder-bundles-{os.getuid()}"
    assert _files_containing(bundles, needles) == []
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True).stdout
    for name in tracked.decode().split("\0"):
        path = REPO_ROOT / name
        if name and path.is_file():
            assert SECRET.encode() not in path.read_bytes(), name
    for run in runs:
        assert SECRET not in run.stdout + run.stderr
