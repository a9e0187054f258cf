"""ps1's hidden checks (autograder/specs/ps1.py) against the solution notebook and its variants.

They must pass the reference solution and differently written correct versions, take points
from every plausible wrong version (tests/mutants/ps1/), be deterministic, and keep the
observe/judge split that lets the decision move out of the student's kernel later.

Run: .venv/bin/python -m pytest -q tests/test_ps1_checks.py
Print the mutant-versus-group matrix: PYTHONPATH=. .venv/bin/python tests/test_ps1_checks.py
"""
from __future__ import annotations

import re

import numpy as np
import pytest

import mutants.ps1
from assignment_checks import AssignmentUnderTest, check_deterministic_and_plain, nbgrader_meta
from autograder.harness import evaluate_group
from autograder.specs import ps1 as spec
from mutants.ps1 import FUNCTIONS, all_variants, describe

PS1 = AssignmentUnderTest("ps1", mutants.ps1)
GROUPS = PS1.groups
_nbgrader = nbgrader_meta
namespace = PS1.namespace
failed_groups = PS1.failed_groups
passes_visible_test = PS1.passes_visible_test


def _cells():
    return PS1.cells


# ---- the notebook and the specs agree ---------------------------------------------------------

def test_every_group_has_one_hidden_cell_with_its_points():
    hidden = [c for c in _cells() if "BEGIN HIDDEN TESTS" in c.source]
    names = [re.search(r'run_group\("ps1", "([^"]+)"', c.source).group(1) for c in hidden]
    assert sorted(names) == sorted(GROUPS), "hidden cells and autograder/specs/ps1.py disagree"
    for cell, name in zip(hidden, names):
        meta = _nbgrader(cell)
        assert cell.source == PS1.hidden_template(name)  # only the points comment outside the markers
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["grade_id"] == "hidden_" + name.replace(".", "_")
        assert meta["points"] == GROUPS[name].points, name


def test_points_add_up_to_the_stated_total_with_most_points_hidden():
    graded = [_nbgrader(c) for c in _cells() if _nbgrader(c).get("grade")]
    ids = [m["grade_id"] for m in graded]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    visible = [m["points"] for m in graded if m["grade_id"].startswith("visible_")]
    hidden = [m["points"] for m in graded if m["grade_id"].startswith("hidden_")]
    assert visible == [1] * len(FUNCTIONS) and len(visible) + len(hidden) == len(graded)
    intro = _cells()[0].source
    stated = re.search(r"\*\*Total\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\*", intro)
    assert stated, "the intro's points table lost its Total row"
    assert tuple(map(int, stated.groups())) == (sum(visible), sum(hidden), sum(visible) + sum(hidden))
    for function in FUNCTIONS:  # per-part rows of the table
        own = sum(g.points for name, g in GROUPS.items() if name.startswith(function + "."))
        row = re.search(rf"`{function}\(.*?\)` \| 1 \| (\d+) \| (\d+) \|", intro)
        assert row and tuple(map(int, row.groups())) == (own, own + 1), function
    assert sum(hidden) >= 0.75 * (sum(visible) + sum(hidden))


# ---- reference, wrong and correct versions ------------------------------------------------------

@pytest.mark.parametrize("group", sorted(GROUPS))
def test_reference_solution_passes(group):
    assert evaluate_group(GROUPS[group], namespace()) == []


@pytest.mark.parametrize("function, variant", all_variants("wrong"))
def test_wrong_version_loses_points(function, variant):
    failed = failed_groups(namespace(function, variant), prefix=function + ".")
    assert failed, f"no hidden group of {function} catches {variant}: {describe(function, variant)}"


@pytest.mark.parametrize("function, variant", all_variants("correct"))
def test_correct_version_keeps_full_marks(function, variant):
    ns = namespace(function, variant)
    assert failed_groups(ns) == {}
    assert passes_visible_test(function, ns)


def test_every_function_has_enough_variants():
    for function in FUNCTIONS:
        wrong = [v for f, v in all_variants("wrong") if f == function]
        correct = [v for f, v in all_variants("correct") if f == function]
        assert len(wrong) >= 3 and len(correct) >= 1, function


def test_torch_optim_implementations_pass():
    """torch.optim.SGD, driven like the docstrings say, passes the closed-form references."""
    torch = pytest.importorskip("torch")

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

    ns = namespace()
    ns.update(gradient_descent=gradient_descent, sgd_least_squares=sgd_least_squares)
    assert failed_groups(ns, "gradient_descent.") == {}
    assert failed_groups(ns, "sgd_least_squares.") == {}


# ---- robustness: nonsense results are failures with a message, never a crash -----------------

def _returns_none(*args, **kwargs):
    return None


def _returns_text(*args, **kwargs):
    return "not an array"


def _raises(*args, **kwargs):
    raise ValueError("student bug")


def _endless(n, batch_size, rng):
    while True:
        yield np.arange(1)


@pytest.mark.parametrize("bad", [_returns_none, _returns_text, _raises])
@pytest.mark.parametrize("function", FUNCTIONS)
def test_nonsense_fails_every_group_with_a_message(function, bad):
    ns = namespace()
    ns[function] = bad
    failed = failed_groups(ns, prefix=function + ".")
    own = [name for name in GROUPS if name.startswith(function + ".")]
    assert sorted(failed) == sorted(own)
    for messages in failed.values():
        assert all(f"`{function}`" in m for m in messages), messages


def test_an_endless_generator_fails_instead_of_hanging():
    ns = namespace()
    ns["minibatches"] = _endless
    assert set(failed_groups(ns, "minibatches.")) == {"minibatches.partition",
                                                      "minibatches.randomness"}


@pytest.mark.parametrize("function, variant, group", [
    ("numeric_gradient", "wrong_leaves_x_modified", "numeric_gradient.contract"),
    ("numeric_gradient", "wrong_restores_by_arithmetic", "numeric_gradient.contract"),
    ("gradient_descent", "wrong_modifies_w0", "gradient_descent.contract"),
    ("sgd_least_squares", "wrong_modifies_w0", "sgd_least_squares.contract")])
def test_a_modified_input_shows_in_the_results_of_a_second_call(function, variant, group):
    # Side effects are judged from numbers the grader compares (not from the kernel's report
    # of its arrays): the inputs are changed in place by known amounts and the function called
    # again, and even x off by rounding inside numeric_gradient moves a gradient entry by ~1e3.
    ns = namespace(function, variant)
    message = " ".join(evaluate_group(GROUPS[group], ns))
    assert "modified" in message or "left x changed" in message


# ---- determinism and plain-data observations (the decision can leave the kernel) --------------

@pytest.mark.parametrize("check, seed", list(PS1.check_runs()))
def test_check_is_deterministic_and_observes_plain_data(check, seed):
    check_deterministic_and_plain(check, namespace(), seed)


def test_cooccurrence_bounds_give_false_alarms_with_probability_below_1e9():
    stats = pytest.importorskip("scipy.stats")
    lo, hi = spec._cooccurrence_bounds()
    runs, n = spec._COOC_RUNS, spec._COOC_N
    binom = stats.binom(runs, 1 / (n - 1))
    pairs = n * (n - 1) // 2
    assert pairs * (binom.cdf(lo - 1) + binom.sf(hi)) < 1e-9
    # ...while a version that keeps any pair together twice as often as it should is caught.
    assert hi < 2 * runs / (n - 1) and lo > runs / (n - 1) / 2


# ---- the notebook runs ---------------------------------------------------------------------------

def test_solution_notebook_runs_without_errors_and_all_hidden_checks_pass():
    nb = PS1.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    for cell in nb.cells:
        if "BEGIN HIDDEN TESTS" in cell.source:
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "passed" in text, cell.source


# ---- the matrix for reports: python tests/test_ps1_checks.py ------------------------------------

if __name__ == "__main__":
    PS1.print_matrix()
