"""Decide every hidden and visible test cell in the grader, from the records the kernel published.

:class:`DecideHiddenTests` runs after execution: for each ``run_group`` cell it decodes the
cell's records (plaindata.decode), checks there is one per group and that each run has the
form the instructor's solution gives on the same inputs (hidden.py), judges them on the
grader's own inputs, and replaces the cell's outputs with the verdict (a stream saying the checks
passed, or an error listing the failed checks and why), which SaveAutoGrades then scores. Each
visible test cell is decided by replaying its record (visible.py). Why this is sound:
autograder/README.md, "Why the kernel cannot earn points it did not compute".
"""
from __future__ import annotations

import base64
import binascii
import warnings
from pathlib import Path

import numpy as np

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any, Integer, Unicode

from autograder.cells import nbgrader_meta
from autograder.decide.checks import judge_check
from autograder.decide.hidden import HiddenChecks, has_specs, hidden_checks, hidden_groups
from autograder.decide.seeds import DrawKey
from autograder.decide.visible import decide_visible_cell, source_notebook, visible_tests
from autograder.kernel_side.plaindata import MIME, DecodeError, decode, first_difference, form

FAILURE_NAME = "HiddenTestFailure"
MAX_SHOWN = 300  # characters of a kernel-side error quoted in a verdict


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


def decide_group(checks: HiddenChecks, group_name: str, record) -> list[str]:
    """Stage 3 for one group: [] if every check passed, else one line per failed check."""
    group = checks.groups[group_name]
    runs = list(checks.runs(group_name))
    records = record.get("records") if type(record) is dict else None
    if type(records) is not list or len(records) != len(runs):
        got = "no list" if type(records) is not list else f"{len(records)} results"
        return [f"the record of the hidden checks was incomplete or altered ({got} for "
                f"{len(runs)} runs); something in the notebook interfered with them"]
    failures, failed = [], set()
    for (index, check, draw), obs in zip(runs, records):
        if index in failed:
            continue
        if type(obs) is not dict:
            problems = [f"`{check.function}`: the record of this run is not a record"]
        else:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")  # NaN and overflow in a student's numbers
                problems = judge_check(check, checks.inputs_for(group_name, index, draw), obs)
            if not problems and "error" not in obs:
                expected = checks.form(group_name, index, draw)
                diff = expected is not None and first_difference(form(obs), expected)
                if diff:
                    # An honest but wrong function can get here too (e.g. state it never
                    # stored), so say what differs without accusing anyone.
                    problems = [f"the record of what `{check.function}` did is incomplete or "
                                f"altered ({diff}): its results or state lack the structure the "
                                "docstring promises, or something in the notebook interfered "
                                "with the hidden checks"]
        if problems:
            failed.add(index)
            failures.append(f"{check.about}: " + "; ".join(problems[:3]))
    return failures


def _records(cell, limit: int) -> tuple[list, int]:
    """(decoded records or DecodeErrors, bytes used) from the cell's observation outputs."""
    found, used = [], 0
    for out in cell.get("outputs", []):
        data = out.get("data", {}) if out.get("output_type") == "display_data" else {}
        if MIME not in data:
            continue
        text = data[MIME]
        text = "".join(text) if isinstance(text, list) else text
        used += len(text) if isinstance(text, str) else 0
        try:
            if not isinstance(text, str) or used > limit:
                raise DecodeError("over the size limit" if used > limit else "not text")
            found.append(decode(base64.b64decode(text, validate=True), limit))
        except (DecodeError, binascii.Error, ValueError) as exc:
            found.append(DecodeError(str(exc)))
    return found, used


def _kernel_error(cell) -> str | None:
    """The errors the cell ended with in the kernel (e.g. KeyboardInterrupt, CellTimeoutError)."""
    seen = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text = _short(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".rstrip(": "))
            if text not in seen:
                seen.append(text)
    return "; ".join(seen) or None


def verdict_outputs(failures: list[str], failed: int, group_names: list[str], total: int) -> list:
    names = ", ".join(f"'{g}'" for g in group_names)
    if not failures:
        return [new_output("stream", name="stdout",
                           text=f"All {total} hidden checks in {names} passed.\n")]
    text = f"{failed} of {total} hidden checks in {names} failed:\n" + \
        "\n".join(f"  - {f}" for f in failures)
    return [new_output("error", ename=FAILURE_NAME, evalue=text,
                       traceback=[f"{FAILURE_NAME}: {text}"])]


def decide_cell(cell, checks_for, limit: int) -> int:
    """Replace a run_group cell's outputs by the verdict; returns the record bytes it used."""
    calls = hidden_groups(cell.source)
    records, used = _records(cell, limit)
    failures, failed, total = [], 0, 0
    for assignment, group_name in calls:
        checks = checks_for(assignment)
        if checks is None or group_name not in checks.groups:
            failures.append(f"the hidden checks '{assignment}: {group_name}' are unknown to the "
                            "grader (ask the instructor)")
            failed, total = failed + 1, total + 1
            continue
        count = len(checks.groups[group_name].checks)
        total += count
        mine = [r for r in records if isinstance(r, DecodeError)
                or (type(r) is dict and r.get("assignment") == assignment
                    and r.get("group") == group_name)]
        if len(mine) == 1 and not isinstance(mine[0], DecodeError):
            found = decide_group(checks, group_name, mine[0])
            failures += found
            failed += len(found)
            continue
        failed += count
        if not mine:
            why = _kernel_error(cell)
            failures.append(f"the hidden checks in '{group_name}' did not run to the end"
                            + (f" ({why})" if why else " (the cell produced no result)"))
        elif len(mine) > 1:
            failures.append(f"the hidden checks in '{group_name}' reported more than one result; "
                            "something in the notebook interfered with them")
        else:
            failures.append(f"the result of the hidden checks in '{group_name}' could not be "
                            f"read ({mine[0]}); something in the notebook interfered with them")
    cell.outputs = verdict_outputs(failures, failed, [g for _, g in calls], max(total, 1))
    return used


class DecideHiddenTests(NbGraderPreprocessor):
    """Autograde step after execution: decide every run_group cell outside the kernel, and
    every visible test cell by replaying its record (visible.py)."""

    observation_bytes = Integer(64_000_000, help="Most record bytes read per notebook").tag(config=True)
    source_root = Unicode("", help="solutions/ folder (reference forms)").tag(config=True)
    draw_key = Any(None, allow_none=True, help="the submission's seeds.DrawKey: the hidden "
                   "inputs the kernel got were drawn from it").tag(config=True)

    def preprocess(self, nb, resources):
        budget = self.observation_bytes
        root = Path(self.source_root) if self.source_root else None

        def checks_for(assignment):
            if not has_specs(assignment):
                return None
            if not isinstance(self.draw_key, DrawKey):  # never fall back on development inputs
                raise ValueError("no key for this submission's hidden inputs (autograde.py "
                                 "derives one from the course secret)")
            return hidden_checks(assignment, root / assignment if root else None, self.draw_key)

        notebook = source_notebook(self.source_root, resources)
        visible = visible_tests(notebook) if notebook else None
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
                continue
            if visible is not None and meta.get("grade_id") in visible.sources:
                records, used = _records(cell, max(budget, 0))
                budget -= used
                decide_visible_cell(cell, visible, resources["nbgrader"]["assignment"], records,
                                    _kernel_error(cell))
            elif hidden_groups(cell.source):
                budget -= decide_cell(cell, checks_for, max(budget, 0))
        return nb, resources
