"""The seed sweep: every hidden check on many submission keys, in this process.

Grading draws each check's inputs from a key per submission (autograder/decide/seeds.py). The
sweep stands in for many students: key ``i`` is the real derivation for student ``i`` of a test
course. :func:`keys_for` says how many keys a check gets: ``check.sweep`` by default (200, fewer
for a costly check whose false-failure bound is derived beside it), every check on
``FULL_KEYS`` with ``SEED_SWEEP=full`` in the environment, or ``SEED_SWEEP=<n>`` for n each.
Wrong versions run on the keys every check of their function gets (see sweep_function).
"""
from __future__ import annotations

import functools
import os

from autograder.decide.checks import Check, Group, evaluate_check
from autograder.decide.seeds import DrawKey, submission_key

SWEEP_ENV = "SEED_SWEEP"
FULL_KEYS = 200
_SECRET = "5eed" * 16  # a test course's secret (public: only for this sweep)


@functools.lru_cache(maxsize=None)
def key(assignment: str, i: int) -> DrawKey:
    """The key of student ``i``'s submission of ``assignment`` in the sweep's course."""
    return submission_key(_SECRET, assignment, f"student-{i:03d}", "sweep")


def keys_for(check: Check) -> int:
    mode = os.environ.get(SWEEP_ENV, "").strip().lower()
    if mode == "full":
        return max(FULL_KEYS, check.sweep)
    if mode:
        try:
            return max(1, int(mode))
        except ValueError:
            raise ValueError(f"{SWEEP_ENV} must be 'full' or a number of keys, not {mode!r}") from None
    return check.sweep


def checks_of(groups: dict[str, Group], function: str) -> list[tuple[Group, int]]:
    """(group, check index) of every check of ``function``, in notebook order."""
    return [(g, i) for g in groups.values() for i, c in enumerate(g.checks) if c.function == function]


def sweep_function(assignment: str, checks: list[tuple[Group, int]], correct: dict[str, dict],
                   wrong: dict[str, dict]) -> tuple[list[str], dict[str, list[int]]]:
    """Run every check of one function on its sweep keys, key by key, on the namespaces of the
    versions that must keep every point (``correct``: name -> namespace) and of the wrong ones.

    A correct version runs each check on that check's keys. A wrong version runs on the keys
    every check of the function runs on (the smallest count), so that each key is a whole
    submission whose every check it could fail. Returns (one line per failure of a correct
    version: '<version> <group> #<check> key <i>: <problem>', {wrong version: the keys on which
    it passed every check}). Within one key every version sees the same inputs, so a judge's
    reference (memoised by its spec) is computed once per key, not once per version.
    """
    failures, caught = [], {name: set() for name in wrong}
    whole = min(keys_for(group.checks[index]) for group, index in checks)
    for group, index in checks:
        for i in range(keys_for(group.checks[index])):
            k = key(assignment, i)
            for name, ns in correct.items():
                problems = evaluate_check(group, index, ns, k)
                if problems:
                    failures.append(f"{name} {group.name} #{index} key {i}: {problems[0]}")
            if i >= whole:
                continue
            for name, ns in wrong.items():
                if i not in caught[name] and evaluate_check(group, index, ns, k):
                    caught[name].add(i)
    return failures, {name: sorted(set(range(whole)) - keys) for name, keys in caught.items()}
