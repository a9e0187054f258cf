"""The seed sweep: hidden checks hold for every submission key, not for one lucky seed.

Grading draws every check's inputs from a key per submission (autograder/decide/seeds.py), so a
check must pass every correct function on every draw (up to its derived false-failure bound,
autograder/decide/checks.py FALSE_FAILURE_BOUND) and fail every wrong one on every draw. For
every assignment with specs and variants (tests/mutants/psN/, found as the assignment tests
find them), and every graded function:

* the reference solution and each ``correct_*`` variant pass every check of the function on
  each of the check's sweep keys;
* each ``wrong_*`` variant fails at least one check of its function on every key that all of
  the function's checks run on.

Runs in this process (no kernel). How many keys: tests/support/seed_sweep.py. Default: 200 per
check, fewer for the few costly ones, each stating its bound in its spec. The full sweep (every
check on 200 keys):

    SEED_SWEEP=full .venv/bin/python -m pytest -q tests/grader/test_seed_sweep.py
"""
from __future__ import annotations

import pytest

from support import seed_sweep
from support.assignment_checks import all_assignments

ALL = all_assignments()


def _functions():
    return [pytest.param(a, f, id=f"{a.name}-{f}") for a in ALL for f in a.variants.FUNCTIONS
            if seed_sweep.checks_of(a.groups, f)]


def test_every_assignment_with_specs_is_swept():
    from autograder.decide.hidden import has_specs

    assert {"ps1", "ps2", "ps3", "ps4", "ps5", "ps6"} <= {a.name for a in ALL}
    assert all(has_specs(a.name) for a in ALL)


@pytest.mark.parametrize("A, function", _functions())
def test_correct_versions_pass_and_wrong_ones_fail_on_every_key(A, function):
    checks = seed_sweep.checks_of(A.groups, function)
    correct = {"reference": A.namespace()}
    correct.update({v: A.namespace(f, v) for f, v in A.variants.all_variants("correct")
                    if f == function})
    wrong = {v: A.namespace(f, v) for f, v in A.variants.all_variants("wrong") if f == function}
    failures, survived = seed_sweep.sweep_function(A.name, checks, correct, wrong)
    assert failures == [], f"{len(failures)} failures of correct versions:\n" + "\n".join(failures[:10])
    survivors = {v: keys for v, keys in survived.items() if keys}
    assert survivors == {}, "wrong versions that kept every point of " + function + ": " + \
        "; ".join(f"{v} ({A.variants.describe(function, v)}) on keys {k[:10]} ({len(k)} in all)"
                  for v, k in survivors.items())


def test_keys_differ_per_student_and_reach_every_check():
    # The sweep's keys are real submission keys: a different student, a different seed.
    a = ALL[0]
    group = next(iter(a.groups.values()))
    seeds = {seed_sweep.key(a.name, i).seed(group.name, 0, 0) for i in range(50)}
    assert len(seeds) == 50
