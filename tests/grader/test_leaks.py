"""Nothing students can see holds a line of a solution, a hidden test, or the hidden specs.

Checked: exercises/ and the built site (every text file of _build/html: html, js, json, ipynb,
txt, ...), line by line against the secret lines of solutions/ and autograder/specs/*.py
(autograder/leaks.py says what counts). The self-tests show the detector finds a planted leak
in each form a page can carry it (highlighted HTML, notebook JSON, JS strings).
"""
from __future__ import annotations

import html
import json

import pytest

from support import toy_course
from autograder.course import REPO_ROOT, Course
from autograder.release.leaks import find_leaks, is_trivial, secret_lines, text_files
from autograder.release.generate import release


@pytest.fixture(scope="module")
def secrets():
    found = secret_lines(REPO_ROOT / "solutions", REPO_ROOT / "autograder" / "specs")
    kinds = {s.kind for s in found}
    # Without these the checks below would pass on anything.
    assert {"solution", "hidden test", "spec"} <= kinds, f"secret lines found only of kinds {kinds}"
    return found


def test_exercises_hold_no_secret_line(secrets):
    files = text_files(Course().release_dir)
    assert files, "exercises/ is empty: run make exercises"
    leaks = find_leaks(files, secrets)
    assert not leaks, "exercises/ leaks:\n" + "\n".join(leaks)


def test_built_site_holds_no_secret_line(secrets, built_site):
    files = text_files(built_site)
    assert any(f.suffix == ".html" for f in files), f"no html in {built_site}: run make book"
    leaks = find_leaks(files, secrets)
    assert not leaks, "the built site leaks:\n" + "\n".join(leaks)


# ---- the detector itself ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    root = toy_course.make_course_root(tmp_path_factory.mktemp("toy"))
    return root, secret_lines(root / "solutions")


def test_secret_lines_are_solution_and_hidden_lines_not_public_ones(toy):
    _, secrets = toy
    lines = {s.line: s.kind for s in secrets}
    assert lines[toy_course.SOLUTION_LINE.replace("  ", " ")] == "solution"
    assert lines[toy_course.HIDDEN_LINE] == "hidden test"
    assert toy_course.PUBLIC_LINE not in lines
    assert not [line for line in lines if "BEGIN" in line or "END " in line]  # markers


@pytest.mark.parametrize("line", ["import numpy as np", "from a.b import c", "return", "pass",
                                  "else:", "raise NotImplementedError()", "# a long comment here",
                                  "x = 1", "### BEGIN SOLUTION", ")]", "    # YOUR CODE HERE"])
def test_trivial_lines_do_not_count(line):
    assert is_trivial(line)


def test_a_real_code_line_counts():
    assert not is_trivial("grad[i] = (fx_plus - fx_minus) / (2 * h)")


def test_detector_finds_planted_leaks_in_every_form(toy, tmp_path):
    _, secrets = toy
    hidden = toy_course.HIDDEN_LINE
    solution = toy_course.SOLUTION_LINE
    # Syntax-highlighted HTML, as Sphinx/nbconvert render code, with entities and odd spacing.
    spans = "".join(f'<span class="n">{html.escape(tok)}</span> ' for tok in hidden.split(" "))
    (tmp_path / "page.html").write_text(f"<html><body><pre>{spans}</pre></body></html>")
    # A notebook (JSON strings with escaped quotes and newlines).
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n", f"    {solution}\n"]}]}
    (tmp_path / "copy.ipynb").write_text(json.dumps(nb))
    # A JS string literal (e.g. embedded widget state or a search index).
    (tmp_path / "state.js").write_text("var s = " + json.dumps(f"a\n{hidden}\nb") + ";")
    (tmp_path / "clean.txt").write_text(f"{toy_course.PUBLIC_LINE}\nnothing secret here\n")
    leaks = find_leaks(text_files(tmp_path), secrets)
    for name in ("page.html", "copy.ipynb", "state.js"):
        assert any(leak.startswith(str(tmp_path / name)) for leak in leaks), (name, leaks)
    assert not any("clean.txt" in leak for leak in leaks)


def test_short_generic_line_counts_only_as_a_whole_line(tmp_path):
    from autograder.release.leaks import Secret

    short, long = Secret("points = [w]", "solution", "x"), Secret(
        "grad[i] = (fx_plus - fx_minus) / (2 * h)", "solution", "x")
    (tmp_path / "inside.js").write_text(
        "const points = [w];\nlet g = grad[i] = (fx_plus - fx_minus) / (2 * h) + 0;\n")
    (tmp_path / "whole.txt").write_text("  points   = [w]\n")
    leaks = find_leaks(text_files(tmp_path), [short, long])
    assert sorted((leak.split(":")[0].rsplit("/", 1)[1], "points" in leak) for leak in leaks) == [
        ("inside.js", False), ("whole.txt", True)]


def test_nbgrader_release_of_the_toy_holds_no_secret(toy, tmp_path):
    root, secrets = toy
    (folder,) = release(Course.from_env(root=root), release_dir=tmp_path)
    assert text_files(folder)
    assert find_leaks(text_files(folder), secrets) == []
    # ...while its source, of course, is full of them.
    assert len(find_leaks(text_files(root / "solutions"), secrets)) == len(secrets)
