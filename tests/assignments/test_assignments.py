"""Every assignment's hidden checks against its solution notebook and its variants.

An assignment is picked up when it has a solution notebook, specs in autograder/specs/<name>/ and
variants registered in tests/mutants/<name>/ (``VARIANTS``); nothing here names one, except the
last sections (checks only some assignments have). For each: the notebook and the specs agree,
the reference passes, every wrong version loses points, every differently written correct one
keeps full marks, nonsense fails with a message, checks are deterministic plain data, and the
notebook runs.

Run: .venv/bin/python -m pytest -q tests/assignments/
Print the variant-versus-group matrix: PYTHONPATH=.:tests .venv/bin/python tests/assignments/test_assignments.py [psN]
"""
from __future__ import annotations

import numpy as np
import pytest

from autograder.decide.checks import evaluate_group
from autograder.specs.optim.grader_side import RULES
from benchmarks.optim_reference import ASSIGNMENTS as TORCH_CHECKED, max_abs_diff
from support import assignment_checks as checks
from support import optim_assignment as update_rules
from support.assignment_checks import all_assignments


ALL = all_assignments()
BY_NAME = {a.name: a for a in ALL}
# Assignments whose graded functions are all update rules in CS231n's API (specs/optim/).
UPDATE_RULES = [a for a in ALL if set(a.variants.FUNCTIONS) <= set(RULES)]


def each(assignments=None):
    return pytest.mark.parametrize("A", assignments or ALL, ids=lambda a: a.name)


def per_assignment(items, assignments=None):
    """pytest params (A, *item) for every assignment A and every item of items(A)."""
    params = []
    for a in assignments or ALL:
        for item in items(a):
            if hasattr(item, "values"):  # already a pytest.param: keep its id
                values, name = tuple(item.values), item.id
            else:
                values = item if isinstance(item, tuple) else (item,)
                name = "-".join(map(str, values))
            params.append(pytest.param(a, *values, id=f"{a.name}-{name}"))
    return params


def test_ps1_to_ps3_are_all_found():
    assert {"ps1", "ps2", "ps3"} <= set(BY_NAME)


# ---- the notebook and the specs agree ---------------------------------------------------------

@each()
def test_every_group_has_one_hidden_cell_with_its_points(A):
    checks.check_hidden_cells_match_the_specs(A)


@each()
def test_points_table_adds_up_with_most_points_hidden(A):
    checks.check_points_table(A)


@each([a for a in ALL if checks.written_cells(a)])
def test_written_part_is_left_for_the_instructor(A):
    checks.check_written_part_is_left_for_the_instructor(A)


# ---- reference, wrong and correct versions ------------------------------------------------------

@pytest.mark.parametrize("A, group", per_assignment(lambda a: sorted(a.groups)))
def test_reference_solution_passes(A, group):
    assert evaluate_group(A.groups[group], A.namespace()) == []


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")  # e.g. t used before += 1
@pytest.mark.parametrize("A, function, variant",
                         per_assignment(lambda a: a.variants.all_variants("wrong")))
def test_wrong_version_loses_points(A, function, variant):
    failed = A.failed_groups(A.namespace(function, variant), prefix=function + ".")
    assert failed, (f"no hidden group of {function} catches {variant}: "
                    f"{A.variants.describe(function, variant)}")


@pytest.mark.parametrize("A, function, variant",
                         per_assignment(lambda a: a.variants.all_variants("correct")))
def test_correct_version_keeps_full_marks(A, function, variant):
    ns = A.namespace(function, variant)
    assert A.failed_groups(ns) == {}
    assert A.passes_visible_test(function, ns)


@each()
def test_every_function_has_enough_variants(A):
    v = A.variants.VARIANTS
    for function in v.functions:
        assert len(v.registry[function]["wrong"]) >= v.min_wrong, function
        assert len(v.registry[function]["correct"]) >= v.min_correct, function


@pytest.mark.parametrize("A, function, variant, group, words",
                         per_assignment(lambda a: a.variants.VARIANTS.side_effects))
def test_an_input_modified_in_place_is_caught_from_a_second_call(A, function, variant, group, words):
    # Side effects are judged from numbers the grader compares, not from the kernel's report of
    # its arrays: the inputs are changed in place by known amounts and the function called again.
    failed = A.failed_groups(A.namespace(function, variant), prefix=function + ".")
    assert words in " ".join(failed.get(group, [])), failed


# ---- robustness: nonsense results are failures with a message, never a crash -----------------

def _returns_none(*args, **kwargs):
    return None


def _returns_text(*args, **kwargs):
    return "not an array"


def _raises(*args, **kwargs):
    raise ValueError("student bug")


@pytest.mark.parametrize("bad", [_returns_none, _returns_text, _raises])
@pytest.mark.parametrize("A, function", per_assignment(lambda a: a.variants.FUNCTIONS))
def test_nonsense_fails_every_group_with_a_message(A, function, bad):
    checks.check_nonsense_fails_every_group(A, function, bad)


# ---- determinism and plain-data observations (the decision can leave the kernel) --------------

@pytest.mark.parametrize("A, check, seed", per_assignment(lambda a: list(a.check_runs())))
def test_check_is_deterministic_and_observes_plain_data(A, check, seed):
    checks.check_deterministic_and_plain(check, A.namespace(), seed)


# ---- the notebook runs ---------------------------------------------------------------------------

@each()
def test_solution_notebook_runs_cleanly_and_all_hidden_checks_pass(A):
    checks.check_executed_notebook(A, A.execute())


# ---- update-rule assignments (specs/optim/) ------------------------------------------------------

@each(UPDATE_RULES)
def test_docstrings_list_every_config_key_default_and_the_reference(A):
    update_rules.check_docstrings_document_the_config(A)


@each(UPDATE_RULES)
def test_hidden_inputs_reach_tiny_and_zero_gradients_on_several_shapes(A):
    update_rules.check_inputs_reach_what_the_variants_differ_in(A)


@pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")
@each(UPDATE_RULES)
def test_tolerance_is_far_from_every_correct_and_wrong_version(A):
    update_rules.check_tolerance_is_far_from_every_variant(A)


@pytest.mark.parametrize("A, function", per_assignment(lambda a: a.variants.FUNCTIONS, UPDATE_RULES))
def test_reference_solution_matches_torch_optim_over_100_steps(A, function):
    ns = A.namespace()
    worst = max(max_abs_diff(ns[function], function, mode, seed)
                for mode in ("none", "full") for seed in range(2))
    assert worst <= 1e-12
    assert function in TORCH_CHECKED[A.name]


def _returns_w_and_none(w, dw, config=None):
    return w - 1e-2 * dw, None


@pytest.mark.parametrize("A, function", per_assignment(lambda a: a.variants.FUNCTIONS, UPDATE_RULES))
def test_a_rule_returning_no_config_fails_every_group(A, function):
    checks.check_nonsense_fails_every_group(A, function, _returns_w_and_none)


# ---- ps1: checks of its own ------------------------------------------------------------------

def test_ps1_torch_optim_implementations_pass():
    """torch.optim.SGD, driven like the docstrings say, passes the closed-form references."""
    torch = pytest.importorskip("torch")
    A = BY_NAME["ps1"]

    def gradient_descent(grad, w0, learning_rate, num_steps):
        w = torch.tensor(np.asarray(w0, dtype=np.float64), requires_grad=False)
        opt = torch.optim.SGD([w], lr=learning_rate)
        path = [w.detach().clone()]
        for _ in range(num_steps):
            w.grad = torch.as_tensor(grad(w.detach().numpy().copy()))
            opt.step()
            path.append(w.detach().clone())
        return torch.stack(path).numpy()

    def sgd_least_squares(X, y, w0, learning_rate, batch_size, epochs, rng):
        Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
        w = torch.tensor(np.array(w0, dtype=np.float64), requires_grad=True)
        opt = torch.optim.SGD([w], lr=learning_rate)
        losses = []
        for _ in range(epochs):
            for b in ns["minibatches"](len(X), batch_size, rng):
                opt.zero_grad()
                torch.nn.functional.mse_loss(Xt[b] @ w, yt[b]).backward()
                opt.step()
            losses.append(torch.nn.functional.mse_loss(Xt @ w, yt).item())
        return w.detach().numpy().copy(), np.array(losses)

    ns = A.namespace()
    ns.update(gradient_descent=gradient_descent, sgd_least_squares=sgd_least_squares)
    assert A.failed_groups(ns, "gradient_descent.") == {}
    assert A.failed_groups(ns, "sgd_least_squares.") == {}


def test_ps1_an_endless_generator_fails_instead_of_hanging():
    A = BY_NAME["ps1"]

    def endless(n, batch_size, rng):
        while True:
            yield np.arange(1)

    ns = A.namespace()
    ns["minibatches"] = endless
    assert set(A.failed_groups(ns, "minibatches.")) == {"minibatches.partition",
                                                        "minibatches.randomness"}


def test_ps1_cooccurrence_bounds_give_false_alarms_with_probability_below_1e9():
    stats = pytest.importorskip("scipy.stats")
    from autograder.specs.ps1 import grader_side as spec

    lo, hi = spec._cooccurrence_bounds()
    runs, n = spec.COOC_RUNS, spec.COOC_N
    binom = stats.binom(runs, 1 / (n - 1))
    pairs = n * (n - 1) // 2
    assert pairs * (binom.cdf(lo - 1) + binom.sf(hi)) < 1e-9
    # ...while a version that keeps any pair together twice as often as it should is caught.
    assert hi < 2 * runs / (n - 1) and lo > runs / (n - 1) / 2


# ---- the matrix for reports ------------------------------------------------------------------------

if __name__ == "__main__":
    import sys
    for a in ALL:
        if a.name in sys.argv[1:] or len(sys.argv) == 1:
            a.print_matrix()


# ---- what a student reads when a visible test fails ---------------------------------------------

@each()
def test_visible_tests_say_what_went_wrong(A):
    """Every assert in the setup helpers and visible tests carries a message, so a failing test
    tells the student what was expected and what came back, not a bare AssertionError."""
    import ast

    from autograder.cells import nbgrader_meta

    sources = {nbgrader_meta(c)["grade_id"]: c.source for c in A.cells if c.cell_type == "code"
               and nbgrader_meta(c).get("grade_id", "").startswith(("setup", "visible_"))}
    bare = [f"{cell}: line {node.lineno}: {ast.unparse(node)[:80]}"
            for cell, source in sources.items()
            for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assert) and node.msg is None]
    assert not bare, "asserts without a message:\n" + "\n".join(bare)
