"""exercises/ is exactly what `python -m autograder release` makes from solutions/ (make exercises)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import toy_course
from autograder.course import REPO_ROOT, Course
from autograder.release.generate import release

IGNORED = {".ipynb_checkpoints", "__pycache__"}  # made by Jupyter/Python, gitignored


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not IGNORED & set(p.relative_to(root).parts)}


def tree_differences(fresh: Path, committed: Path) -> list[str]:
    a, b = tree(fresh), tree(committed)
    return ([f"missing from {committed.name}/: {k}" for k in sorted(a.keys() - b.keys())]
            + [f"not made by release (delete it): {k}" for k in sorted(b.keys() - a.keys())]
            + [f"differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]])


def test_exercises_are_a_fresh_release_of_solutions(tmp_path):
    course = Course()
    assert course.assignments(), f"no assignment found in {course.source_dir}"
    release(course, release_dir=tmp_path)
    problems = tree_differences(tmp_path, course.release_dir)
    assert not problems, ("exercises/ is stale: run `make exercises` and commit exercises/.\n"
                          + "\n".join(problems))


def test_release_is_byte_identical_when_repeated(tmp_path):
    # The staleness test above relies on this; it would flake otherwise.
    course = Course()
    release(course, release_dir=tmp_path / "one")
    release(course, release_dir=tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert tree(tmp_path / "one"), "release wrote nothing"


def test_release_clears_solutions_and_hidden_tests_and_keeps_the_rest(tmp_path):
    course = Course.from_env(root=toy_course.make_course_root(tmp_path))
    (folder,) = release(course)
    text = (folder / "toy.ipynb").read_text()
    assert toy_course.SOLUTION_LINE not in text
    assert "compare(\\\"sum\\\"" not in text and "add(10, -3)" not in text  # the hidden test
    assert "raise NotImplementedError()" in text
    assert toy_course.PUBLIC_LINE in text
    cells = json.loads(text)["cells"]
    assert [c["metadata"].get("nbgrader", {}).get("points") for c in cells] == [None, None, 1, 2]


def test_release_of_all_assignments_removes_folders_without_a_source(tmp_path):
    course = Course.from_env(root=toy_course.make_course_root(tmp_path))
    orphan = course.release_dir / "ps0"
    orphan.mkdir(parents=True)
    (orphan / "ps0.ipynb").write_text("{}")
    release(course)
    assert sorted(p.name for p in course.release_dir.iterdir()) == ["toy"]


def test_release_cli_names_known_assignments_for_an_unknown_one():
    proc = subprocess.run([sys.executable, "-m", "autograder", "release", "no_such_ps"],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "unknown assignment 'no_such_ps'" in proc.stderr
    for name in Course().assignments():
        assert name in proc.stderr
