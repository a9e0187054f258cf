"""Hidden tests as data, and the small harness that runs them.

A hidden test cell in a solution notebook holds one line::

    run_group("ps1", "numeric_gradient.values", globals())

The checks themselves live in ``autograder/specs/<assignment>.py`` as :class:`Check` records.
Each names the student function, its seeded inputs, how the reference is computed and the
tolerance. Running a check has three separate stages, so the pass/fail decision can later move
out of the student's process without rewriting any assignment:

1. ``inputs(rng)``      builds plain data (arrays, numbers) from a seeded generator;
2. ``observe(fn, inp)`` calls the student's function and records what it returned / did, as plain
                        data (this is the only stage that must run beside student code);
3. ``judge(inp, obs)``  computes the reference (closed form or torch) and compares with the
                        tolerance, returning human-readable failures (empty list = pass).
"""
from __future__ import annotations

import copy
import importlib
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


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


class UnusableResult(Exception):
    """Raised by an observe() when the student's function returned something that is not data
    (e.g. a dict where an array was promised); reported as "returned", not as "raised"."""


def as_array(value: Any, what: str) -> np.ndarray:
    """A student's result as a plain numpy array (a copy, never the student's own object).

    Observations must be plain data, so the judge (later: another process) never touches an
    object whose comparisons or conversions the student could have overridden.
    """
    try:
        arr = np.array(value, copy=True, subok=False)
    except Exception as exc:
        raise UnusableResult(f"{what} could not be read as an array ({type(value).__name__}: {exc})")
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise UnusableResult(f"{what} should hold numbers, got {type(value).__name__} "
                             f"with dtype {arr.dtype}")
    return arr


def load_groups(assignment: str) -> dict[str, Group]:
    module = importlib.import_module(f"autograder.specs.{assignment}")
    return {g.name: g for g in module.GROUPS}


def _short(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (line {last[0].lineno} of your code)" if last and "<ipython" in last[0].filename else ""
    return f"{type(exc).__name__}: {exc}{where}"


def observe_check(check: Check, namespace: dict, seed: int) -> tuple[dict, dict]:
    """Stages 1 and 2: seeded inputs and what the student's function did with them.

    A student exception is recorded as ``{"error": ...}``; it is data like any other result.
    """
    inp = check.inputs(np.random.default_rng(seed))
    fn = namespace.get(check.function)
    if not callable(fn):
        return inp, {"error": f"`{check.function}` is not defined; run the cell that defines it"}
    # A deep copy: student code may modify its arguments in place, and the judge must still see
    # the inputs as they were generated.
    call_inp = copy.deepcopy(inp)
    call_inp["_functions"] = {name: namespace.get(name) for name in check.uses}
    try:
        return inp, check.observe(fn, call_inp)
    except UnusableResult as exc:
        return inp, {"error": str(exc), "unusable": True}
    except Exception as exc:  # student code may raise anything; that is a failed check
        return inp, {"error": _short(exc)}


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


# ---- judging helpers used by the specs -------------------------------------------------------

def compare(name: str, actual: Any, expected: Any, rtol: float, atol: float) -> list[str]:
    """Elementwise |a - e| <= atol + rtol * |e|, with shape checked first. Returns failures."""
    a = np.asarray(actual)
    e = np.asarray(expected)
    if a.shape != e.shape:
        return [f"{name} has shape {a.shape}, expected {e.shape}"]
    if not np.issubdtype(a.dtype, np.number):
        return [f"{name} has dtype {a.dtype}, expected numbers"]
    a = a.astype(np.float64)
    bad = ~(np.abs(a - e) <= atol + rtol * np.abs(e))
    if bad.any():
        i = np.unravel_index(np.argmax(np.abs(a - e) * bad), a.shape) if a.ndim else ()
        where = f"at index {tuple(int(k) for k in i)} " if a.ndim else ""
        return [f"{name} is wrong: {where}got {a[i].item()!r}, "
                f"expected {e[i].item()!r} (rtol {rtol:g}, atol {atol:g})"]
    return []
