"""Assertions used by tests/test_optimizer_assignments.py for ps2 and ps3: the optimizer
assignments (update rules in CS231n's API, graded by autograder/specs/_optim.py).

Each ``check_*`` takes the :class:`assignment_checks.AssignmentUnderTest` and asserts; the test
files call them, so a failure is reported under the assignment it concerns.
"""
from __future__ import annotations

import inspect
import json
import re

import numpy as np

from assignment_checks import REPO_ROOT, nbgrader_meta
from autograder.harness import evaluate_group, observe_check
from autograder.specs._optim import (ATOL_W, RTOL_W, RULES, TORCH_REFERENCE, make_inputs,
                                     reference_for)

def hidden_group(cell, assignment: str) -> str | None:
    match = re.search(rf'run_group\("{assignment}", "([^"]+)"', cell.source)
    return match.group(1) if match else None


def check_hidden_cells_match_the_specs(A) -> None:
    hidden = [c for c in A.cells if "BEGIN HIDDEN TESTS" in c.source]
    names = [hidden_group(c, A.name) for c in hidden]
    assert sorted(names) == sorted(A.groups), f"hidden cells and autograder/specs/{A.name}.py disagree"
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
    graded = [nbgrader_meta(c) for c in A.cells if nbgrader_meta(c).get("grade")]
    ids = [m["grade_id"] for m in graded]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    visible = [m["points"] for m in graded if m["grade_id"].startswith("visible_")]
    hidden = [m["points"] for m in graded if m["grade_id"].startswith("hidden_")]
    written = [m["points"] for m in graded if m["grade_id"].startswith("written_")]
    assert visible == [1] * len(A.variants.FUNCTIONS) and len(written) == 1
    assert len(visible) + len(hidden) + len(written) == len(graded)
    intro = A.cells[0].source
    total = re.search(r"\*\*Total\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\*",
                      intro)
    assert total, "the intro's points table lost its Total row"
    assert tuple(map(int, total.groups())) == (sum(visible), sum(hidden), sum(written),
                                               sum(visible) + sum(hidden) + sum(written))
    for function in A.variants.FUNCTIONS:
        own = sum(g.points for name, g in A.groups.items() if name.startswith(function + "."))
        row = re.search(rf"`{function}\(w, dw, config=None\)` \| 1 \| (\d+) \| \| (\d+) \|", intro)
        assert row and tuple(map(int, row.groups())) == (own, own + 1), function
    row = re.search(r"\| \| \| (\d+) \| (\d+) \|\n", intro)
    assert row and tuple(map(int, row.groups())) == (written[0], written[0])
    assert sum(hidden) >= 0.75 * (sum(visible) + sum(hidden) + sum(written))


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
    assert f"({meta['points']} points, graded by your instructor)" in question.source
    release = json.loads((REPO_ROOT / "exercises" / A.name / f"{A.name}.ipynb").read_text())
    (released,) = [c for c in release["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade_id") == meta["grade_id"]]
    assert "".join(released["source"]) == "YOUR ANSWER HERE"


def check_docstrings_document_the_config(A) -> None:
    """Each docstring names every config key with its default, the torch.optim reference and
    where epsilon goes, exactly as the hidden checks assume."""
    ns = A.namespace()
    for function in A.variants.FUNCTIONS:
        doc = inspect.getdoc(ns[function])
        rule = RULES[function]
        for key, default in rule.hyper.items():
            stated = re.search(rf"^\s+{key}: .*default ([0-9.e+-]+)\.$", doc, re.M)
            assert stated and float(stated.group(1)) == default, (function, key)
        for key in rule.state:
            default = "0" if key == "t" else "zeros like w"
            assert re.search(rf"^\s+{key}: .*default {default}", doc, re.M), (function, key)
        assert TORCH_REFERENCE[function] in doc, function
        if "epsilon" in rule.hyper:
            assert "outside the square root" in doc and "np.sqrt(" in doc, function
        assert "Do not modify w" in doc, function


def check_inputs_reach_what_the_variants_differ_in(A) -> None:
    """The trajectory checks' inputs have tiny gradients (where epsilon's place decides the
    step), exact zeros, normal-sized ones, several shapes, and runs of at least 20 steps (state
    and t carried over many calls)."""
    for function in A.variants.FUNCTIONS:
        (check,) = A.groups[f"{function}.trajectory"].checks
        shapes = set()
        for seed in check.seeds:
            inp = check.inputs(np.random.default_rng(seed))
            g = np.abs(inp["grads"])
            shapes.add(inp["w0"].shape)
            per_coordinate = g.max(axis=0)
            assert per_coordinate.min() <= 1e-6 and per_coordinate.max() >= 1e-2, (function, seed)
            if g[0].size >= 3:
                assert (g == 0).any(), (function, seed)
            assert len(inp["grads"]) >= 20
        assert len(shapes) >= 3, function


def check_default_runs_end_while_bias_correction_still_matters() -> None:
    """With the default beta2 = 0.999, v's correction 1 / sqrt(1 - beta2^t) is still above 4 at
    the last step of every default run (at most 60 steps): no step of them is uncorrected-safe."""
    for seed in range(5):
        inp = make_inputs(np.random.default_rng(seed), "adam", "none")
        assert 1 / np.sqrt(1 - 0.999 ** len(inp["grads"])) > 4


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


def tolerance_used(A, function: str, variant: str) -> float:
    """The largest |next_w - reference| / (atol + rtol |reference|) over every call of every
    check that compares values (inf if the variant raised): below 1 passes, above 1 fails."""
    ns = A.namespace(function, variant)
    worst = 0.0
    for aspect in ("trajectory", "defaults", "state"):
        for check in getattr(A.groups.get(f"{function}.{aspect}"), "checks", ()):
            for seed in check.seeds:
                inp, obs = observe_check(check, ns, seed)
                if "error" in obs:
                    return np.inf
                expected, _ = reference_for(inp)
                for call, e in zip(obs["calls"], expected):
                    ratio = np.abs(call["next_w"].astype(np.float64) - e) / (ATOL_W + RTOL_W * np.abs(e))
                    worst = max(worst, float(np.nan_to_num(ratio.max(), nan=np.inf)))
    return worst


def check_tolerance_is_far_from_every_variant(A) -> None:
    """Correct versions use at most 1% of the tolerance, and every wrong version that computes
    other values misses it by a factor of 100 or more: no variant passes or fails by a hair."""
    close = []
    for kind in ("correct", "wrong"):
        for function, variant in A.variants.all_variants(kind):
            used = tolerance_used(A, function, variant)
            if (kind == "correct" and used > 1e-2) or (kind == "wrong" and 1e-2 < used < 1e2):
                close.append(f"{kind} {function}.{variant}: {used:.3g} of the tolerance")
    assert not close, close


def reference_passes(A, group) -> None:
    assert evaluate_group(A.groups[group], A.namespace()) == []
