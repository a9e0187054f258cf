"""ps3's hidden checks (autograder/specs/ps3.py, built by specs/_optim.py) against the solution
notebook and its variants.

They must pass the reference solution and differently written correct versions, take points
from every plausible wrong version (tests/mutants/ps3/), be deterministic, observe plain data
only (so the decision can move out of the student's kernel), and match torch.optim.

Run: .venv/bin/python -m pytest -q tests/test_ps3_checks.py
Print the mutant-versus-group matrix: PYTHONPATH=.:tests .venv/bin/python tests/test_ps3_checks.py
"""
from __future__ import annotations

import pickle

import pytest

import mutants.ps3
import optim_assignment as shared
from assignment_checks import AssignmentUnderTest, equal, plain
from autograder.harness import judge_check, observe_check
from benchmarks.optim_reference import ASSIGNMENTS, max_abs_diff

A = AssignmentUnderTest("ps3", mutants.ps3)
FUNCTIONS = A.variants.FUNCTIONS


# ---- the notebook, its docstrings and the specs agree --------------------------------------------

def test_every_group_has_one_hidden_cell_with_its_points():
    shared.check_hidden_cells_match_the_specs(A)


def test_points_table_adds_up_with_most_points_hidden():
    shared.check_points_table(A)


def test_written_part_is_left_for_the_instructor():
    shared.check_written_part_is_left_for_the_instructor(A)


def test_docstrings_list_every_config_key_default_and_the_reference():
    shared.check_docstrings_document_the_config(A)


def test_hidden_inputs_reach_tiny_and_zero_gradients_on_several_shapes():
    shared.check_inputs_reach_what_the_variants_differ_in(A)


# ---- reference, wrong and correct versions ------------------------------------------------------

@pytest.mark.parametrize("group", sorted(A.groups))
def test_reference_solution_passes(group):
    shared.reference_passes(A, group)


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")  # e.g. t used before += 1
@pytest.mark.parametrize("function, variant", A.variants.all_variants("wrong"))
def test_wrong_version_loses_points(function, variant):
    failed = A.failed_groups(A.namespace(function, variant), prefix=function + ".")
    assert failed, (f"no hidden group of {function} catches {variant}: "
                    f"{A.variants.describe(function, variant)}")


@pytest.mark.parametrize("function, variant", A.variants.all_variants("correct"))
def test_correct_version_keeps_full_marks(function, variant):
    ns = A.namespace(function, variant)
    assert A.failed_groups(ns) == {}
    assert A.passes_visible_test(function, ns)


def test_every_function_has_four_wrong_and_two_correct_variants():
    for function in FUNCTIONS:
        assert len(A.variants.REGISTRY[function]["wrong"]) >= 4, function
        assert len(A.variants.REGISTRY[function]["correct"]) >= 2, function


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")
def test_tolerance_is_far_from_every_correct_and_wrong_version():
    shared.check_tolerance_is_far_from_every_variant(A)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_reference_solution_matches_torch_optim_over_100_steps(function):
    ns = A.namespace()
    worst = max(max_abs_diff(ns[function], function, mode, seed)
                for mode in ("none", "full") for seed in range(2))
    assert worst <= 1e-12
    assert function in ASSIGNMENTS[A.name]


# ---- robustness: nonsense results are failures with a message, never a crash -----------------

def _returns_none(*args, **kwargs):
    return None


def _returns_w_and_none(w, dw, config=None):
    return w - 1e-2 * dw, None


def _raises(*args, **kwargs):
    raise ValueError("student bug")


@pytest.mark.parametrize("bad", [_returns_none, _returns_w_and_none, _raises])
@pytest.mark.parametrize("function", FUNCTIONS)
def test_nonsense_fails_every_group_with_a_message(function, bad):
    shared.check_nonsense_fails_every_group(A, function, bad)


# ---- determinism and plain-data observations (the decision can leave the kernel) --------------

@pytest.mark.parametrize("check, seed", list(A.check_runs()))
def test_check_is_deterministic_and_observes_plain_data(check, seed):
    ns = A.namespace()
    inp1, obs1 = observe_check(check, ns, seed)
    inp2, obs2 = observe_check(check, ns, seed)
    assert equal(inp1, inp2) and equal(obs1, obs2)
    assert plain(inp1) and plain(obs1), "inputs and observations must be plain data"
    assert judge_check(check, inp1, obs1) == []
    assert judge_check(check, inp1, pickle.loads(pickle.dumps(obs1))) == []


# ---- the notebook runs ---------------------------------------------------------------------------

def test_solution_notebook_runs_cleanly_and_all_hidden_checks_pass():
    shared.check_executed_notebook(A, A.execute())


if __name__ == "__main__":
    A.print_matrix()
