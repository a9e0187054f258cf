"""Visible tests decided outside the kernel too: recorded there, replayed here.

A visible test cell is plain code (asserts, ``report(...)`` calls) that students run while they
work. Decided in the kernel, as plain nbgrader does, its points go to anyone who patches
``np.max``, swallows AssertionError with an IPython exception handler, or returns an object whose
comparisons always succeed. So when grading:

1. :class:`RecordVisibleTests` (before execution) replaces each visible test cell's source with
   one ``run_visible(...)`` call carrying the test's source from solutions/ (the instructor's
   copy). In the kernel (kernel_side/harness.record_visible) it runs that source with every student
   function wrapped: each call's result is turned into plain data, recorded, and the test goes
   on with that plain copy. The record is published like a hidden check's.
2. :func:`decide_visible_cell` (verdict.DecideHiddenTests, after execution) runs the same test
   source again in this process: numpy, ``report`` and the other helpers come from the
   notebook's locked setup cells run here, and each student function is replaced by the next
   recorded result. The test passes only if it passes here. The cell gets its own source back
   and, as outputs, what the test printed here (and the error it ended with).

So the kernel can still choose its results, but they are judged by code it never ran beside;
to pass, it must publish results that satisfy the test, and a visible test's expected values
are public anyway (hidden tests exist for that). Honest notebooks score exactly as in the
kernel: the test sees the same values in both places (tests/grader/test_visible.py runs every variant
of every function both ways).
"""
from __future__ import annotations

import ast
import contextlib
import functools
import io
from pathlib import Path

import nbformat
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.cells import nbgrader_meta as _meta, run_cells
from autograder.decide.hidden import hidden_groups
from autograder.kernel_side.plaindata import to_live

CALL = "from autograder.harness import run_visible\nrun_visible({a!r}, {g!r}, globals(), {f!r}, {s!r})\n"
MARKER = "BEGIN HIDDEN TESTS"


def _is_visible_test(cell) -> bool:
    meta = _meta(cell)
    return (cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")
            and MARKER not in cell.source and hidden_groups(cell.source) is None)


def _functions(source: str) -> set[str]:
    """The functions a cell defines at top level. (Classes are not recorded: an instance is not
    plain data. A visible test that needs one fails its replay for the solution too, which
    tests/grader/test_visible.py would show.)"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _mentions(source: str, names: set[str]) -> bool:
    try:
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(ast.parse(source)))
    except SyntaxError:
        return True


class VisibleTests:
    """The visible tests of one source notebook, and what replaying them needs."""

    def __init__(self, notebook: Path):
        self.notebook = notebook
        nb = nbformat.read(str(notebook), as_version=4)
        self.sources = {_meta(c)["grade_id"]: c.source for c in nb.cells if _is_visible_test(c)}
        solution = [c.source for c in nb.cells if c.cell_type == "code" and _meta(c).get("solution")]
        # The student's functions: those the solution cells define.
        self.functions = tuple(sorted(set().union(*map(_functions, solution)))) if solution else ()
        # Locked cells that use none of the student's names: imports, helpers like report().
        self.setup = [c for c in nb.cells if c.cell_type == "code" and _meta(c).get("locked")
                      and not _meta(c).get("grade") and not _meta(c).get("solution")
                      and not _mentions(c.source, set(self.functions))]
        self._base = None

    def recording_source(self, assignment: str, grade_id: str) -> str:
        return CALL.format(a=assignment, g=grade_id, f=self.functions, s=self.sources[grade_id])

    def base_namespace(self) -> dict:
        if self._base is None:
            self._base = run_cells(self.setup, self.notebook)
        return dict(self._base)


@functools.lru_cache(maxsize=None)
def visible_tests(notebook: Path) -> VisibleTests | None:
    return VisibleTests(notebook) if notebook.is_file() else None


def source_notebook(source_root: str, resources: dict) -> Path | None:
    info = resources.get("nbgrader", {})
    if not source_root or not info.get("assignment") or not info.get("notebook"):
        return None
    return Path(source_root) / info["assignment"] / f"{info['notebook']}.ipynb"


class RecordVisibleTests(NbGraderPreprocessor):
    """Before execution: every visible test cell runs recorded (see the module docstring)."""

    source_root = Unicode("", help="solutions/ folder (the visible tests' sources)").tag(config=True)

    def preprocess(self, nb, resources):
        notebook = source_notebook(self.source_root, resources)
        tests = visible_tests(notebook) if notebook else None
        if tests is None:
            return nb, resources
        assignment = resources["nbgrader"]["assignment"]
        for cell in nb.cells:
            grade_id = _meta(cell).get("grade_id")
            if grade_id in tests.sources and _is_visible_test(cell):
                cell.source = tests.recording_source(assignment, grade_id)
        return nb, resources


# ---- the replay ----------------------------------------------------------------------------------

class _RecordEnded(Exception):
    """The test asked for more results than the kernel recorded: it stopped there."""


class _RecordAltered(Exception):
    """The record does not fit the calls the test makes."""


class StudentError(Exception):
    """A student function raised in the kernel; the message is the kernel's short error."""


def replay(tests: VisibleTests, grade_id: str, calls: list) -> tuple[str, BaseException | None]:
    """(what the test printed, the exception it ended with or None) when run here on ``calls``."""
    position = 0

    def replayer(name):
        def call(*args, **kwargs):
            nonlocal position
            if position >= len(calls):
                raise _RecordEnded()
            entry = calls[position]
            if type(entry) is not dict or entry.get("function") != name:
                raise _RecordAltered(f"call {position + 1} of the test is to `{name}`")
            position += 1
            if "raised" in entry:
                raise StudentError(f"`{name}` raised {entry['raised']}")
            if "unusable" in entry:
                raise TypeError(str(entry["unusable"]))
            if type(entry.get("iterator")) is list:
                return iter(to_live(entry["iterator"]))
            if "value" in entry:
                return to_live(entry["value"])
            raise _RecordAltered(f"call {position} has no result")
        return call

    ns = tests.base_namespace()
    ns.update({name: replayer(name) for name in tests.functions})
    printed = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(tests.sources[grade_id], f"<visible test {grade_id}>", "exec"), ns)
    except Exception as exc:  # the test's own verdict (AssertionError, ...) or the two above
        error = exc
    if error is None and position != len(calls):
        error = _RecordAltered(f"{len(calls)} results recorded, the test uses {position}")
    return printed.getvalue(), error


def decide_visible_cell(cell, tests: VisibleTests, assignment: str, records: list,
                        kernel_error: str | None) -> None:
    """Replace a recorded visible test cell's outputs by the replay's; give it its source back."""
    grade_id = _meta(cell)["grade_id"]
    mine = [r for r in records if type(r) is not dict
            or (r.get("assignment") == assignment and r.get("visible") == grade_id)]
    cell.source = tests.sources[grade_id]
    printed, error = "", None
    if not mine:
        error = _RecordEnded()
    elif len(mine) > 1:
        error = _RecordAltered("several records")
    elif type(mine[0]) is not dict or type(mine[0].get("calls")) is not list:
        error = _RecordAltered("no readable record")
    else:
        printed, error = replay(tests, grade_id, mine[0]["calls"])
    outputs = [new_output("stream", name="stdout", text=printed)] if printed else []
    if error is not None:
        if isinstance(error, _RecordEnded):
            ename, evalue = "VisibleTestStopped", ("the test did not run to its end in the kernel"
                                                   + (f" ({kernel_error})" if kernel_error else ""))
        elif isinstance(error, _RecordAltered):
            ename, evalue = "VisibleTestRecordAltered", (
                f"the record of this test was incomplete or altered ({error}); something in the "
                "notebook interfered with it")
        else:
            ename, evalue = type(error).__name__, str(error)
        outputs.append(new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"{ename}: {evalue}"]))
    cell.outputs = outputs
