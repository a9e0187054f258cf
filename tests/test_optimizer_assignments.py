"""ps2's and ps3's hidden checks (autograder/specs/ps2.py, ps3.py, built by specs/_optim.py)
against the solutions and every plausible wrong version (tests/mutants/ps2/, ps3/): the
reference passes, every wrong version loses points, every differently written correct version
keeps full marks, checks are deterministic and observe plain data, and the notebooks run.

Run: .venv/bin/python -m pytest -q tests/test_optimizer_assignments.py
Print a mutant-versus-group matrix: PYTHONPATH=.:tests .venv/bin/python tests/test_optimizer_assignments.py ps3
"""
from __future__ import annotations

import pytest

import mutants.ps2
import mutants.ps3
import optim_assignment as shared
from assignment_checks import AssignmentUnderTest, check_deterministic_and_plain
from benchmarks.optim_reference import ASSIGNMENTS, max_abs_diff

ALL = [AssignmentUnderTest("ps2", mutants.ps2), AssignmentUnderTest("ps3", mutants.ps3)]
each_assignment = pytest.mark.parametrize("A", ALL, ids=lambda a: a.name)


def per_assignment(items):
    """pytest params (A, *item) for every assignment A and every item of items(A)."""
    params = []
    for a in ALL:
        for item in items(a):
            if hasattr(item, "values"):  # already a pytest.param: keep its id
                values, name = tuple(item.values), item.id
            else:
                values = item if isinstance(item, tuple) else (item,)
                name = "-".join(map(str, values))
            params.append(pytest.param(a, *values, id=f"{a.name}-{name}"))
    return params


# ---- the notebook, its docstrings and the specs agree --------------------------------------------

@each_assignment
def test_every_group_has_one_hidden_cell_with_its_points(A):
    shared.check_hidden_cells_match_the_specs(A)


@each_assignment
def test_points_table_adds_up_with_most_points_hidden(A):
    shared.check_points_table(A)


@each_assignment
def test_written_part_is_left_for_the_instructor(A):
    shared.check_written_part_is_left_for_the_instructor(A)


@each_assignment
def test_docstrings_list_every_config_key_default_and_the_reference(A):
    shared.check_docstrings_document_the_config(A)


@each_assignment
def test_hidden_inputs_reach_tiny_and_zero_gradients_on_several_shapes(A):
    shared.check_inputs_reach_what_the_variants_differ_in(A)


# ---- reference, wrong and correct versions ------------------------------------------------------

@pytest.mark.parametrize("A, group", per_assignment(lambda a: sorted(a.groups)))
def test_reference_solution_passes(A, group):
    shared.reference_passes(A, group)


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")  # e.g. t used before += 1
@pytest.mark.parametrize("A, function, variant",
                         per_assignment(lambda a: a.variants.all_variants("wrong")))
def test_wrong_version_loses_points(A, function, variant):
    failed = A.failed_groups(A.namespace(function, variant), prefix=function + ".")
    assert failed, (f"no hidden group of {function} catches {variant}: "
                    f"{A.variants.describe(function, variant)}")


@pytest.mark.parametrize("A, function, variant", [
    pytest.param(ALL[0], "sgd", "wrong_in_place", id="ps2-sgd-w"),
    pytest.param(ALL[0], "sgd_momentum", "wrong_velocity_in_place", id="ps2-velocity"),
    pytest.param(ALL[1], "adam", "wrong_moments_in_place", id="ps3-adam-m-v")])
def test_an_input_modified_in_place_shows_as_another_next_w(A, function, variant):
    # The contract is judged from numbers: each call is made twice on the same arrays.
    failed = A.failed_groups(A.namespace(function, variant), prefix=function + ".")
    message = " ".join(failed[f"{function}.contract"])
    assert "call 1 modified w, dw or an array in config in place" in message


@pytest.mark.parametrize("A, function, variant",
                         per_assignment(lambda a: a.variants.all_variants("correct")))
def test_correct_version_keeps_full_marks(A, function, variant):
    ns = A.namespace(function, variant)
    assert A.failed_groups(ns) == {}
    assert A.passes_visible_test(function, ns)


@each_assignment
def test_every_function_has_four_wrong_and_two_correct_variants(A):
    for function in A.variants.FUNCTIONS:
        assert len(A.variants.REGISTRY[function]["wrong"]) >= 4, function
        assert len(A.variants.REGISTRY[function]["correct"]) >= 2, function


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")
@each_assignment
def test_tolerance_is_far_from_every_correct_and_wrong_version(A):
    shared.check_tolerance_is_far_from_every_variant(A)


@pytest.mark.parametrize("A, function", per_assignment(lambda a: a.variants.FUNCTIONS))
def test_reference_solution_matches_torch_optim_over_100_steps(A, function):
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
@pytest.mark.parametrize("A, function", per_assignment(lambda a: a.variants.FUNCTIONS))
def test_nonsense_fails_every_group_with_a_message(A, function, bad):
    shared.check_nonsense_fails_every_group(A, function, bad)


# ---- determinism and plain-data observations (the decision can leave the kernel) --------------

@pytest.mark.parametrize("A, check, seed", per_assignment(lambda a: list(a.check_runs())))
def test_check_is_deterministic_and_observes_plain_data(A, check, seed):
    check_deterministic_and_plain(check, A.namespace(), seed)


# ---- the notebook runs ---------------------------------------------------------------------------

@each_assignment
def test_solution_notebook_runs_cleanly_and_all_hidden_checks_pass(A):
    shared.check_executed_notebook(A, A.execute())


if __name__ == "__main__":
    import sys
    for a in ALL:
        if a.name in sys.argv[1:] or len(sys.argv) == 1:
            a.print_matrix()
