"""What every assignment's tests need (tests/assignments/test_assignments.py).

:class:`AssignmentUnderTest` reads the solution notebook, builds the namespace a student's kernel
would have (the reference solution, optionally with one function replaced by a variant from
tests/mutants/<assignment>/), and runs the hidden groups of autograder/specs/<assignment>/ on
it. The ``check_*`` functions assert what holds for every assignment: notebook and specs agree,
the points table adds up, nonsense fails with a message, runs are deterministic plain data.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import re
from pathlib import Path
from types import ModuleType

import nbformat
import numpy as np
import pytest

from autograder.cells import nbgrader_meta
from autograder.decide.checks import evaluate_group, judge_check, load_groups, observe_check

REPO_ROOT = Path(__file__).resolve().parents[2]
# Students see only the two comment lines; everything between the markers is stripped on release.
HIDDEN_TEMPLATE = ('# Hidden tests ({points:g} point{plural}): they run when your notebook is graded,\n'
                   '# and your feedback says which checks failed and why.\n'
                   '### BEGIN HIDDEN TESTS\nfrom autograder.harness import run_group\n'
                   'run_group("{assignment}", "{group}", globals())\n### END HIDDEN TESTS')


def all_assignments() -> list["AssignmentUnderTest"]:
    """Every assignment with a solution notebook and variants registered in tests/mutants/<name>/
    (its ``VARIANTS``), in name order: what the parametrised tests run over."""
    import importlib

    found = []
    for init in sorted((REPO_ROOT / "tests" / "mutants").glob("ps*/__init__.py")):
        name = init.parent.name
        variants = importlib.import_module(f"mutants.{name}")
        if hasattr(variants, "VARIANTS") and (REPO_ROOT / "solutions" / name / f"{name}.ipynb").exists():
            found.append(AssignmentUnderTest(name, variants))
    return found


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
        with contextlib.chdir(self.notebook.parent):  # files released beside it, as in the kernel
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
            with contextlib.redirect_stdout(io.StringIO()), contextlib.chdir(self.notebook.parent):
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

        from autograder.sandbox.environment import grading_env

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


# ---- the notebook and the specs agree ------------------------------------------------------------

def hidden_group(cell, assignment: str) -> str | None:
    match = re.search(rf'run_group\("{assignment}", "([^"]+)"', cell.source)
    return match.group(1) if match else None


def check_hidden_cells_match_the_specs(A) -> None:
    hidden = [c for c in A.cells if "BEGIN HIDDEN TESTS" in c.source]
    names = [hidden_group(c, A.name) for c in hidden]
    assert sorted(names) == sorted(A.groups), f"hidden cells and autograder/specs/{A.name}/ disagree"
    for cell, name in zip(hidden, names):
        meta = nbgrader_meta(cell)
        assert cell.source == A.hidden_template(name)  # only the points comment outside the markers
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["grade_id"] == "hidden_" + name.replace(".", "_")
        assert meta["points"] == A.groups[name].points, name
    # Each function's hidden cells follow its visible test, before the next function's code.
    order = [nbgrader_meta(c).get("grade_id", "") for c in A.cells]
    groups = [hidden_group(c, A.name) or "" for c in A.cells]
    for function in A.variants.FUNCTIONS:
        start = order.index("visible_" + function)
        own = [i for i, g in enumerate(groups) if g.startswith(function + ".")]
        assert own == list(range(start + 1, start + 1 + len(own))), function


def written_cells(A):
    return [c for c in A.cells if nbgrader_meta(c).get("grade_id", "").startswith("written_")
            and nbgrader_meta(c).get("solution")]


def check_points_table(A) -> None:
    """The intro's points table (columns: visible, hidden, [written,] total) adds up to the
    notebook's graded cells, one row per function, and most points are hidden. A visible test
    is worth 1 point, or 0 where it is left ungraded (a function returning objects such as
    torch modules, which the grader's replay cannot carry)."""
    graded = [nbgrader_meta(c) for c in A.cells if nbgrader_meta(c).get("grade")]
    ids = [m["grade_id"] for m in graded]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    visible = [m["points"] for m in graded if m["grade_id"].startswith("visible_")]
    hidden = [m["points"] for m in graded if m["grade_id"].startswith("hidden_")]
    written = [m["points"] for m in graded if m["grade_id"].startswith("written_")]
    tests = {m["grade_id"]: m for c in A.cells for m in [nbgrader_meta(c)]
             if m.get("grade_id", "").startswith("visible_")}
    assert sorted(tests) == sorted("visible_" + f for f in A.variants.FUNCTIONS)
    assert all(m.get("points") == 1 for m in tests.values() if m.get("grade"))
    assert len(written) <= 1
    assert len(visible) + len(hidden) + len(written) == len(graded)
    intro = A.cells[0].source
    total = re.search(r"\*\*Total\*\* ((?:\| \*\*\d+\*\* )+)\|", intro)
    assert total, "the intro's points table lost its Total row"
    stated = tuple(int(n) for n in re.findall(r"\d+", total.group(1)))
    columns = (sum(visible), sum(hidden)) + ((sum(written),) if written else ())
    assert stated == columns + (sum(columns),)
    for function in A.variants.FUNCTIONS:
        own = sum(g.points for name, g in A.groups.items() if name.startswith(function + "."))
        gap = r" \|" if written else ""
        own_visible = 1 if tests["visible_" + function].get("grade") else 0
        row = re.search(rf"`{function}\(.*?\)` \| {own_visible} \| (\d+) \|{gap} (\d+) \|", intro)
        assert row and tuple(map(int, row.groups())) == (own, own + own_visible), function
    if written:
        row = re.search(r"\| \| \| (\d+) \| (\d+) \|\n", intro)
        assert row and tuple(map(int, row.groups())) == (written[0], written[0])
    assert sum(hidden) >= 0.75 * sum(columns)


def check_written_part_is_left_for_the_instructor(A) -> None:
    """A markdown answer cell that nbgrader can only grade by hand ("Manually graded answer"),
    right after its locked question; the release holds nbgrader's blank answer instead of the
    model answer."""
    (answer,) = written_cells(A)
    meta = nbgrader_meta(answer)
    assert answer.cell_type == "markdown" and meta["grade"] and meta["solution"]
    assert not meta["locked"] and not meta.get("task") and meta["points"] >= 1
    assert "**Marking (" in answer.source  # the instructor's rubric lives in the source only
    question = A.cells[A.cells.index(answer) - 1]
    assert question.cell_type == "markdown" and nbgrader_meta(question)["locked"]
    p = meta["points"]
    assert f"({p} point{'s' if p != 1 else ''}, graded by your instructor)" in question.source
    release = json.loads((REPO_ROOT / "exercises" / A.name / f"{A.name}.ipynb").read_text())
    (released,) = [c for c in release["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade_id") == meta["grade_id"]]
    assert "".join(released["source"]) == "YOUR ANSWER HERE"


def check_nonsense_fails_every_group(A, function, bad) -> None:
    ns = A.namespace()
    ns[function] = bad
    failed = A.failed_groups(ns, prefix=function + ".")
    assert sorted(failed) == sorted(n for n in A.groups if n.startswith(function + "."))
    for messages in failed.values():
        assert all(f"`{function}`" in m for m in messages), messages


def check_executed_notebook(A, nb) -> None:
    """No errors, nothing on stderr in a graded cell (nbgrader gives such a cell 0 points), every
    hidden group passed, the written answer cell untouched by execution."""
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    for cell in nb.cells:
        if cell.cell_type == "code" and nbgrader_meta(cell).get("grade"):
            stderr = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
            assert not stderr, (nbgrader_meta(cell)["grade_id"], stderr)
        if "BEGIN HIDDEN TESTS" in cell.source:
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "passed" in text, cell.source
