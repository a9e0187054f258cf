"""Hidden tests as data, and the small harness that runs them.

A hidden test cell in a solution notebook holds one line::

    run_group("ps1", "numeric_gradient.values", globals())

The checks themselves live in ``autograder/specs/<assignment>/grader_side.py`` as :class:`Check`
records.
Each names the student function, its seeded inputs, how the reference is computed and the
tolerance. Running a check has three separate stages, so the pass/fail decision is taken out of
the student's process without rewriting any assignment:

1. ``inputs(rng)``      builds plain data (arrays, numbers) from a seeded generator (the seed of
                        each draw comes from seeds.py: per submission when grading);
2. ``observe(fn, inp)`` calls the student's function and records what it returned / did, as plain
                        data (this is the only stage that must run beside student code);
3. ``judge(inp, obs)``  computes the reference (closed form or torch) and compares with the
                        tolerance, returning human-readable failures (empty list = pass).

:func:`run_group` below runs all three in one process: for the instructor running a solution
notebook and for the assignment tests. When grading students, stage 2 runs in the sandbox
(kernel_side/harness.py) and verdict.py runs stage 3 in the grader.
"""
from __future__ import annotations

import collections
import copy
import functools
import hashlib
import importlib
import pickle
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder.decide.seeds import DEVELOPMENT, DrawKey
from autograder.kernel_side.plaindata import observe_call

# At most this probability, per check and submission, that a correct function fails a check
# whose outcome depends on the random draw (derived next to each such check, never tuned).
FALSE_FAILURE_BOUND = 1e-6


@dataclass(frozen=True)
class Check:
    """One hidden check of one student function.

    ``about`` is shown to the student in feedback when the check fails; it says what was
    checked, never how the reference is computed. ``seeds`` are the check's draw indices: each
    draw's generator is seeded from the submission's key, the group, the check's index and the
    draw index (seeds.py), so a check with ``seeds=(0, 1, 2)`` runs on three fresh inputs per
    submission. A check whose pass depends on the draw must bound its false-failure
    probability for a correct function, over all its draws, by :data:`FALSE_FAILURE_BOUND`.
    """

    function: str
    about: str
    inputs: Callable[[np.random.Generator], dict]
    observe: Callable[[Callable, dict], dict]
    judge: Callable[[dict, dict], list]
    seeds: tuple = (0,)
    # Extra student functions (by name) that observe() receives in inputs["_functions"].
    uses: tuple = ()
    # How many submission keys the seed sweep (tests/grader/test_seed_sweep.py) tries by
    # default: lower only for a costly check, with its false-failure bound derived beside it.
    sweep: int = 200


@dataclass(frozen=True)
class Group:
    """The checks behind one nbgrader test cell: all must pass for the cell's points."""

    name: str
    points: int
    checks: tuple = field(default_factory=tuple)


class HiddenTestFailure(AssertionError):
    """Raised in the student's kernel so nbgrader records the cell as failed."""


def memoised(fn: Callable) -> Callable:
    """For a judge's reference computation on plain arguments: remember the last few results,
    so judging many functions on the same inputs (the seed sweep) computes it once. Callers
    get copies, never the remembered objects."""
    cache: collections.OrderedDict = collections.OrderedDict()

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = hashlib.sha256(pickle.dumps((args, sorted(kwargs.items())), protocol=4)).digest()
        if key not in cache:
            cache[key] = fn(*args, **kwargs)
            if len(cache) > 32:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return copy.deepcopy(cache[key])

    return wrapper


def load_groups(assignment: str) -> dict[str, Group]:
    module = importlib.import_module(f"autograder.specs.{assignment}.grader_side")
    return {g.name: g for g in module.GROUPS}


def draws(key: DrawKey, group: Group, index: int) -> list[tuple[int, int]]:
    """(draw index, generator seed) of every run of check ``index`` of ``group``."""
    return [(draw, key.seed(group.name, index, draw)) for draw in group.checks[index].seeds]


def check_inputs(check: Check, seed: int) -> dict:
    """Stage 1: the plain inputs of one run."""
    return check.inputs(np.random.default_rng(seed))


def observe_check(check: Check, namespace: dict, seed: int) -> tuple[dict, dict]:
    """Stages 1 and 2: seeded inputs and what the student's function did with them.

    A student exception is recorded as ``{"error": ...}``; it is data like any other result.
    """
    inp = check_inputs(check, seed)
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


def evaluate_group(group: Group, namespace: dict, key: DrawKey = DEVELOPMENT) -> list[str]:
    """Run every check of ``group`` against the functions in ``namespace`` on the inputs drawn
    from ``key`` (default: the public development key); list the failures."""
    failures = []
    for index, check in enumerate(group.checks):
        problems = evaluate_check(group, index, namespace, key)
        if problems:
            failures.append(f"{check.about}: " + "; ".join(problems[:3]))
    return failures


def evaluate_check(group: Group, index: int, namespace: dict, key: DrawKey = DEVELOPMENT) -> list[str]:
    """The problems of check ``index`` of ``group`` on its first failing draw ([] = passed)."""
    check = group.checks[index]
    for _, seed in draws(key, group, index):
        problems = judge_check(check, *observe_check(check, namespace, seed))
        if problems:
            return problems  # one failing draw is enough to explain the check
    return []


def run_group(assignment: str, group_name: str, namespace: dict) -> None:
    """Entry point used by hidden test cells. Prints a summary, raises if any check fails."""
    group = load_groups(assignment)[group_name]
    failures = evaluate_group(group, namespace)
    if failures:
        raise HiddenTestFailure(
            f"{len(failures)} of {len(group.checks)} hidden checks in '{group_name}' failed:\n"
            + "\n".join(f"  - {f}" for f in failures))
    print(f"All {len(group.checks)} hidden checks in '{group_name}' passed.")
