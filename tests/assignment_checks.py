"""Helpers for the tests of one assignment's hidden checks (tests/test_ps*_checks.py).

:class:`AssignmentUnderTest` reads the solution notebook, builds the namespace a student's kernel
would have (the reference solution, optionally with one function replaced by a variant from
tests/mutants/<assignment>/), and runs the hidden groups of autograder/specs/<assignment>.py on
it. The helpers below check that observations are plain data and that runs are deterministic.
"""
from __future__ import annotations

import contextlib
import functools
import io
from pathlib import Path
from types import ModuleType

import nbformat
import numpy as np
import pytest

from autograder.harness import evaluate_group, judge_check, load_groups, observe_check

REPO_ROOT = Path(__file__).resolve().parent.parent
# Students see only the two comment lines; everything between the markers is stripped on release.
HIDDEN_TEMPLATE = ('# Hidden tests ({points:g} point{plural}): they run when your notebook is graded,\n'
                   '# and your feedback says which checks failed and why.\n'
                   '### BEGIN HIDDEN TESTS\nfrom autograder.harness import run_group\n'
                   'run_group("{assignment}", "{group}", globals())\n### END HIDDEN TESTS')


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


class AssignmentUnderTest:
    def __init__(self, name: str, variants: ModuleType):
        self.name = name
        self.variants = variants  # a tests/mutants/<name> package
        self.notebook = REPO_ROOT / "solutions" / name / f"{name}.ipynb"
        self.groups = load_groups(name)

    @functools.cached_property
    def cells(self):
        return nbformat.read(self.notebook, as_version=4).cells  # read-only; executed copies are read anew

    def hidden_template(self, group: str) -> str:
        points = self.groups[group].points
        return HIDDEN_TEMPLATE.format(assignment=self.name, group=group, points=points,
                                      plural="" if points == 1 else "s")

    def setup_and_solutions(self) -> list[str]:
        """The locked setup cell (imports, visible-test helper) and every solution code cell."""
        return [c.source for c in self.cells if c.cell_type == "code"
                and (nbgrader_meta(c).get("solution") or nbgrader_meta(c).get("grade_id") == "setup")]

    def visible_tests(self) -> dict[str, str]:
        return {nbgrader_meta(c)["grade_id"].removeprefix("visible_"): c.source for c in self.cells
                if nbgrader_meta(c).get("grade_id", "").startswith("visible_")}

    def namespace(self, function: str | None = None, variant: str | None = None) -> dict:
        """The notebook's namespace after running the reference solution, with one function
        replaced by a variant's source (as if pasted into its solution cell)."""
        ns: dict = {}
        for source in self.setup_and_solutions():
            exec(compile(source, "<solution cell>", "exec"), ns)
        if function:
            exec(compile(self.variants.variant_source(function, variant), f"<{variant}>", "exec"), ns)
        return ns

    def failed_groups(self, ns: dict, prefix: str = "") -> dict[str, list[str]]:
        return {name: f for name, g in self.groups.items() if name.startswith(prefix)
                for f in [evaluate_group(g, ns)] if f}

    def passes_visible_test(self, function: str, ns: dict) -> bool:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(self.visible_tests()[function], ns)
        except Exception:
            return False
        return True

    def check_runs(self):
        """pytest params (check, seed) for every seed of every check of every group."""
        for group in self.groups.values():
            for check in group.checks:
                for seed in check.seeds:
                    yield pytest.param(check, seed, id=f"{group.name}:{check.about[:30]}:{seed}")

    def execute(self) -> nbformat.NotebookNode:
        """The solution notebook run in a fresh kernel, the way the grader runs it."""
        from nbclient import NotebookClient

        from autograder.environment import grading_env

        nb = nbformat.read(self.notebook, as_version=4)
        with grading_env():  # the kernel gets autograder on PYTHONPATH, as when grading
            NotebookClient(nb, kernel_name="python3", timeout=120,
                           resources={"metadata": {"path": str(self.notebook.parent)}}).execute()
        return nb

    def matrix(self) -> list[tuple[str, str, bool, list[str]]]:
        """(function, variant, passes its visible test, hidden groups it fails) for every variant."""
        rows = []
        for kind in ("wrong", "correct"):
            for function, variant in self.variants.all_variants(kind):
                ns = self.namespace(function, variant)
                failed = self.failed_groups(ns)
                rows.append((function, variant,
                             self.passes_visible_test(function, self.namespace(function, variant)),
                             sorted(failed)))
        return rows

    def print_matrix(self) -> None:
        for function, variant, visible, failed in self.matrix():
            lost = sum(self.groups[g].points for g in failed)
            print(f"{function:18} {variant:36} visible {'pass' if visible else 'FAIL'}  "
                  f"hidden -{lost:>2} pts  {', '.join(failed) or '-'}")


# ---- observations are plain data, runs are deterministic --------------------------------------

def equal(a, b) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(equal, a, b))
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype
                and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return type(a) is type(b) and a == b


def plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(map(plain, value))
    if type(value) is np.ndarray:
        return value.dtype != object
    return value is None or type(value) in (bool, int, float, str)


def check_deterministic_and_plain(check, ns: dict, seed: int) -> None:
    """Two runs of a check give the same plain inputs and observations, and the judge passes
    the reference solution on them, also after a serialisation round trip (as when the
    decision is taken in another process)."""
    import pickle

    inp1, obs1 = observe_check(check, ns, seed)
    inp2, obs2 = observe_check(check, ns, seed)
    assert equal(inp1, inp2) and equal(obs1, obs2)
    assert plain(inp1) and plain(obs1), "inputs and observations must be plain data"
    assert judge_check(check, inp1, obs1) == []
    assert judge_check(check, inp1, pickle.loads(pickle.dumps(obs1))) == []
