"""Hidden tests as data, and the small harness that runs them.

A hidden test cell in a solution notebook holds one line::

    run_group("ps1", "numeric_gradient.values", globals())

The checks themselves live in ``autograder/specs/<assignment>/grader_side.py`` as :class:`Check`
records.
Each names the student function, its seeded inputs, how the reference is computed and the
tolerance. Running a check has three separate stages, so the pass/fail decision is taken out of
the student's process without rewriting any assignment:

1. ``inputs(rng)``      builds plain data (arrays, numbers) from a seeded generator;
2. ``observe(fn, inp)`` calls the student's function and records what it returned / did, as plain
                        data (this is the only stage that must run beside student code);
3. ``judge(inp, obs)``  computes the reference (closed form or torch) and compares with the
                        tolerance, returning human-readable failures (empty list = pass).

:func:`run_group` below runs all three in one process: for the instructor running a solution
notebook and for the assignment tests. When grading students, stage 2 runs in the sandbox
(kernel_side/harness.py) and verdict.py runs stage 3 in the grader.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder.kernel_side.plaindata import observe_call


@dataclass(frozen=True)
class Check:
    """One hidden check of one student function.

    ``about`` is shown to the student in feedback when the check fails; it says what was
    checked, never how the reference is computed.
    """

    function: str
    about: str
    inputs: Callable[[np.random.Generator], dict]
    observe: Callable[[Callable, dict], dict]
    judge: Callable[[dict, dict], list]
    seeds: tuple = (0,)
    # Extra student functions (by name) that observe() receives in inputs["_functions"].
    uses: tuple = ()


@dataclass(frozen=True)
class Group:
    """The checks behind one nbgrader test cell: all must pass for the cell's points."""

    name: str
    points: int
    checks: tuple = field(default_factory=tuple)


class HiddenTestFailure(AssertionError):
    """Raised in the student's kernel so nbgrader records the cell as failed."""


def load_groups(assignment: str) -> dict[str, Group]:
    module = importlib.import_module(f"autograder.specs.{assignment}.grader_side")
    return {g.name: g for g in module.GROUPS}


def observe_check(check: Check, namespace: dict, seed: int) -> tuple[dict, dict]:
    """Stages 1 and 2: seeded inputs and what the student's function did with them.

    A student exception is recorded as ``{"error": ...}``; it is data like any other result.
    """
    inp = check.inputs(np.random.default_rng(seed))
    return inp, observe_call(check.observe, check.function, check.uses, namespace, inp)


def judge_check(check: Check, inp: dict, obs: dict) -> list[str]:
    """Stage 3: the decision. Never runs student code."""
    if "error" in obs:
        verb = "returned something unusable:" if obs.get("unusable") else "raised"
        return [f"`{check.function}` {verb} {obs['error']}"]
    try:
        return list(check.judge(inp, obs))
    except Exception as exc:  # malformed output (wrong type/shape) is the student's failure
        return [f"`{check.function}` returned something unusable: {type(exc).__name__}: {exc}"]


def evaluate_group(group: Group, namespace: dict) -> list[str]:
    """Run every check of ``group`` against the functions in ``namespace``; list the failures."""
    failures = []
    for check in group.checks:
        for seed in check.seeds:
            inp, obs = observe_check(check, namespace, seed)
            problems = judge_check(check, inp, obs)
            if problems:
                failures.append(f"{check.about}: " + "; ".join(problems[:3]))
                break  # one failing seed is enough to explain the check
    return failures


def run_group(assignment: str, group_name: str, namespace: dict) -> None:
    """Entry point used by hidden test cells. Prints a summary, raises if any check fails."""
    group = load_groups(assignment)[group_name]
    failures = evaluate_group(group, namespace)
    if failures:
        raise HiddenTestFailure(
            f"{len(failures)} of {len(group.checks)} hidden checks in '{group_name}' failed:\n"
            + "\n".join(f"  - {f}" for f in failures))
    print(f"All {len(group.checks)} hidden checks in '{group_name}' passed.")
