"""Visible tests decided outside the kernel (autograder/decide/visible.py): recorded in a namespace like
the kernel's (kernel_side/harness.record_visible), carried as plaindata bytes, replayed here.

* Parity: for the solution and every variant in tests/mutants/ (wrong and correct), the replay
  passes exactly when the visible test passes when run directly, as plain nbgrader decides it.
* Cheats: a result that claims equality with everything, or a forged record, does not pass
  the replay. (Tricks that need a process of their own, like patching numpy or IPython's
  exception handler, are in the catalog of tests/cheats/, graded through the sandbox.)
"""
from __future__ import annotations

import contextlib
import io

import pytest

from support.assignment_checks import all_assignments
from autograder.cells import nbgrader_meta
from autograder.kernel_side.harness import record_visible
from autograder.kernel_side.plaindata import decode, encode
from autograder.decide.visible import CALL, VisibleTests, replay

ALL = {a.name: a for a in all_assignments()}
TESTS = {name: VisibleTests(a.notebook) for name, a in ALL.items()}


def run_directly(source: str, ns: dict) -> bool:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, "<visible>", "exec"), ns)
    except Exception:
        return False
    return True


def recorded(tests: VisibleTests, grade_id: str, ns: dict) -> list:
    """The calls the kernel would publish, through the codec, as the grader decodes them."""
    calls: list = []
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
        record_visible(ns, tests.functions, tests.sources[grade_id], "<visible>", calls)
    return decode(encode({"calls": calls}), 1 << 26)["calls"]


def replay_passes(assignment: str, grade_id: str, ns: dict) -> bool:
    tests = TESTS[assignment]
    return replay(tests, grade_id, recorded(tests, grade_id, ns))[1] is None


def variants():
    for name, a in ALL.items():
        yield pytest.param(name, None, None, id=f"{name}-solution")
        for kind in ("wrong", "correct"):
            for function, variant in a.variants.all_variants(kind):
                yield pytest.param(name, function, variant, id=f"{name}-{function}-{variant}")


def graded_visible_tests(a) -> list[str]:
    """The grade_ids of the graded visible tests (a function returning objects, such as a torch
    module, has an ungraded one: its results cannot be replayed)."""
    return sorted(m["grade_id"] for c in a.cells for m in [nbgrader_meta(c)]
                  if m.get("grade_id", "").startswith("visible_") and m.get("grade"))


def test_every_visible_cell_is_found_with_the_student_functions():
    for name, a in ALL.items():
        assert sorted(TESTS[name].sources) == graded_visible_tests(a)
        assert set(graded_visible_tests(a)) <= {f"visible_{f}" for f in a.variants.FUNCTIONS}
        assert set(TESTS[name].functions) == set(a.variants.FUNCTIONS)
    # the setup cell (numpy, report) is replayed; the demo cells that call student code are not
    assert all(any("def report" in c.source for c in t.setup) for t in TESTS.values())
    assert not any("plt." in c.source for t in TESTS.values() for c in t.setup)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("assignment, function, variant", list(variants()))
def test_replay_decides_exactly_as_the_kernel_does_for_honest_code(assignment, function, variant):
    a, tests = ALL[assignment], TESTS[assignment]
    for grade_id, source in tests.sources.items():
        direct = run_directly(source, a.namespace(function, variant))
        assert replay_passes(assignment, grade_id, a.namespace(function, variant)) == direct, \
            (grade_id, direct)
        if function is None:
            assert direct, grade_id  # the solution passes every visible test


def test_a_wrong_function_fails_its_visible_test_somewhere():
    # Parity is not vacuous: plenty of wrong variants fail their visible test.
    failing = [(n, f, v) for n, a in ALL.items() for f, v in a.variants.all_variants("wrong")
               if f"visible_{f}" in TESTS[n].sources
               and not replay_passes(n, f"visible_{f}", a.namespace(f, v))]
    assert len(failing) >= 20


# ---- cheats that pass in the kernel and must not pass here ----------------------------------------

def test_a_result_claiming_equality_reaches_the_replay_as_plain_numbers():
    ns = ALL["ps1"].namespace()
    exec("class Liar(float):\n    def __eq__(self, other):\n        return True\n    def __sub__(self, o):\n"
         "        return 0.0\n    __rsub__ = __sub__\n    def __abs__(self):\n        return 0.0\n"
         "def rel_error(x, y):\n    return Liar(7.0)\n", ns)
    assert run_directly(TESTS["ps1"].sources["visible_rel_error"], dict(ns))
    assert not replay_passes("ps1", "visible_rel_error", ns)


def test_forged_records_fail():
    tests = TESTS["ps2"]
    honest = recorded(tests, "visible_sgd", ALL["ps2"].namespace())
    assert replay(tests, "visible_sgd", honest)[1] is None
    forged = {
        "cut short": honest[:1],
        "one call too many": honest + honest[-1:],
        "another function": [{**honest[0], "function": "sgd_momentum"}] + honest[1:],
        "not a record": ["sgd"] + honest[1:],
        "no result": [{"function": "sgd"}] + honest[1:],
    }
    for why, calls in forged.items():
        printed, error = replay(tests, "visible_sgd", calls)
        assert error is not None, why


def test_the_recorded_cell_carries_the_instructors_source_as_a_literal():
    tests = TESTS["ps3"]
    cell = tests.recording_source("ps3", "visible_adam")
    assert cell == CALL.format(a="ps3", g="visible_adam", f=tests.functions,
                               s=tests.sources["visible_adam"])
    compile(cell, "<cell>", "exec")  # valid Python whatever the source holds
    assert len(cell.splitlines()) == 2
