"""ps5's hidden checks (autograder/specs/ps5.py) against the solution notebook and its variants
(tests/mutants/ps5/): they pass the reference solution and differently written correct versions
(an explicit inverse for Newton, the expanded BFGS formula, the dense matrix for the two-loop
direction, ...), take points from every plausible wrong version (sign errors, the Hessian instead
of its inverse, BFGS terms transposed or without rho s s^T, the loops in the wrong order, gamma
from the oldest pair, gradient descent with the same line search, ...), and are deterministic
with plain-data observations.

Print the mutant-versus-group matrix: PYTHONPATH=.:tests .venv/bin/python tests/test_ps5_checks.py
"""
from __future__ import annotations

import re

import pytest

import mutants.ps5
from assignment_checks import AssignmentUnderTest, check_deterministic_and_plain, nbgrader_meta
from autograder.harness import evaluate_group
from mutants.ps5 import FUNCTIONS, all_variants, describe
from optim_assignment import check_hidden_cells_match_the_specs, check_written_part_is_left_for_the_instructor

PS5 = AssignmentUnderTest("ps5", mutants.ps5)


def test_every_group_has_one_hidden_cell_with_its_points():
    check_hidden_cells_match_the_specs(PS5)


def test_points_table_adds_up_with_most_points_hidden():
    graded = [nbgrader_meta(c) for c in PS5.cells if nbgrader_meta(c).get("grade")]
    visible = [m["points"] for m in graded if m["grade_id"].startswith("visible_")]
    hidden = [m["points"] for m in graded if m["grade_id"].startswith("hidden_")]
    written = [m["points"] for m in graded if m["grade_id"].startswith("written_")]
    assert visible == [1] * len(FUNCTIONS) and len(written) == 1
    assert len(visible) + len(hidden) + len(written) == len(graded)
    intro = PS5.cells[0].source
    total = re.search(r"\*\*Total\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| "
                      r"\*\*(\d+)\*\*", intro)
    assert total and tuple(map(int, total.groups())) == (
        sum(visible), sum(hidden), sum(written), sum(visible) + sum(hidden) + sum(written))
    for function in FUNCTIONS:
        own = sum(g.points for name, g in PS5.groups.items() if name.startswith(function + "."))
        row = re.search(rf"`{function}\(.*?\)` \| 1 \| (\d+) \| \| (\d+) \|", intro)
        assert row and tuple(map(int, row.groups())) == (own, own + 1), function
    assert sum(hidden) >= 0.75 * (sum(visible) + sum(hidden) + sum(written))


def test_written_part_is_left_for_the_instructor():
    check_written_part_is_left_for_the_instructor(PS5)


@pytest.mark.parametrize("group", sorted(PS5.groups))
def test_reference_solution_passes(group):
    assert evaluate_group(PS5.groups[group], PS5.namespace()) == []


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")
@pytest.mark.parametrize("function, variant", all_variants("wrong"))
def test_wrong_version_loses_points(function, variant):
    failed = PS5.failed_groups(PS5.namespace(function, variant), prefix=function + ".")
    assert failed, f"no hidden group of {function} catches {variant}: {describe(function, variant)}"


@pytest.mark.parametrize("function, variant", all_variants("correct"))
def test_correct_version_keeps_full_marks(function, variant):
    ns = PS5.namespace(function, variant)
    assert PS5.failed_groups(ns) == {}
    assert PS5.passes_visible_test(function, ns)


def test_every_function_has_four_wrong_and_two_correct_variants():
    for function in FUNCTIONS:
        assert len(mutants.ps5.REGISTRY[function]["wrong"]) >= 4, function
        assert len(mutants.ps5.REGISTRY[function]["correct"]) >= 2, function


def test_gradient_descent_with_the_same_line_search_does_not_reach_the_minima():
    failed = PS5.failed_groups(PS5.namespace("minimize_lbfgs", "wrong_gradient_descent"),
                               prefix="minimize_lbfgs.")
    assert "minimize_lbfgs.quadratics" in failed and "minimize_lbfgs.logistic" in failed


@pytest.mark.parametrize("check, seed", list(PS5.check_runs()))
def test_checks_are_deterministic_with_plain_observations(check, seed):
    check_deterministic_and_plain(check, PS5.namespace(), seed)


if __name__ == "__main__":
    for function, variant, visible, failed in PS5.matrix():
        print(f"{function:16s} {variant:38s} visible {'pass' if visible else 'FAIL'}  "
              f"hidden failed: {', '.join(failed) or '-'}")
