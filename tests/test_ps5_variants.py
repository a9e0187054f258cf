"""ps5's wrong and correct variants (tests/mutants/ps5) against result checks of the kind the
hidden tests make: every wrong variant fails at least one check, every correct one passes all.

The checks compare with independent references: numpy's solve for Newton, the dense BFGS formula
(and the secant equation) for the update, the matrix built by successive BFGS updates from
gamma I for the two-loop direction, and known minima of seeded strongly convex problems for the
minimiser. They run in this process (the grader runs its own outside the student's kernel).
"""
from __future__ import annotations

import numpy as np
import pytest

from mutants import ps5 as variants


def _spd(n, kappa, rng):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (Q * np.logspace(0, np.log10(kappa), n)) @ Q.T


def check_newton_step(fn):
    rng = np.random.default_rng(1)
    for n, kappa in ((3, 10), (8, 1e3)):
        A = _spd(n, kappa, rng)
        A[0, 1] += 0.3  # a non-symmetric invertible H too
        w, g = rng.standard_normal(n), rng.standard_normal(n)
        w0, g0, A0 = w.copy(), g.copy(), A.copy()
        out = fn(w, g, A)
        if not np.allclose(out, w0 - np.linalg.solve(A0, g0), rtol=1e-8, atol=1e-10):
            return False
        if not (np.array_equal(w, w0) and np.array_equal(g, g0) and np.array_equal(A, A0)):
            return False
    return True


def check_bfgs_update(fn):
    rng = np.random.default_rng(2)
    for n in (3, 6):
        H = _spd(n, 50, rng)
        s = rng.standard_normal(n)
        y = _spd(n, 20, rng) @ s  # y^T s > 0
        H0 = H.copy()
        out = fn(H, s, y)
        rho = 1 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        ref = V.T @ H0 @ V + rho * np.outer(s, s)
        if not np.allclose(out, ref, rtol=1e-9, atol=1e-12) or not np.allclose(out @ y, s):
            return False
        if not np.array_equal(H, H0):
            return False
    return True


def _dense_direction(g, S, Y):
    n = len(g)
    if not S:
        return -g
    H = (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1]) * np.eye(n)
    for s, y in zip(S, Y):
        rho = 1 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    return -H @ g


def check_lbfgs_direction(fn):
    rng = np.random.default_rng(3)
    for n, m in ((4, 0), (5, 1), (6, 3), (8, 5)):
        A = _spd(n, 100, rng)
        S = [rng.standard_normal(n) for _ in range(m)]
        Y = [A @ s + 0.1 * rng.standard_normal(n) * (i % 2) for i, s in enumerate(S)]
        if any(y @ s <= 0 for s, y in zip(S, Y)):
            Y = [A @ s for s in S]
        g = rng.standard_normal(n)
        g0 = g.copy()
        out = fn(g, [s.copy() for s in S], [y.copy() for y in Y])
        if not np.allclose(out, _dense_direction(g0, S, Y), rtol=1e-8, atol=1e-12):
            return False
        if not np.array_equal(g, g0):
            return False
    return True


def _logreg(rng, n=200, d=5, lam=1e-2):
    X = rng.standard_normal((n, d))
    yv = (X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n) > 0).astype(float)

    def f(w):
        z = X @ w
        p = 1 / (1 + np.exp(-z))
        loss = np.mean(np.logaddexp(0, z) - yv * z) + 0.5 * lam * w @ w
        return loss, X.T @ (p - yv) / n + lam * w
    return f, d


def check_minimize_lbfgs(fn):
    rng = np.random.default_rng(4)
    problems = []
    for kappa in (10, 1e3, 1e4):
        A = _spd(5, kappa, rng)
        b = rng.standard_normal(5)
        problems.append((lambda w, A=A, b=b: (0.5 * w @ A @ w - b @ w, A @ w - b),
                         np.linalg.solve(A, b), 5))
    f, d = _logreg(rng)
    w = np.zeros(d)
    for _ in range(100):  # Newton's method as the reference minimum
        _, g = f(w)
        X_h = 1e-6
        H = np.array([(f(w + X_h * e)[1] - f(w - X_h * e)[1]) / (2 * X_h) for e in np.eye(d)])
        w = w - np.linalg.solve((H + H.T) / 2, g)
    problems.append((f, w, d))
    for f, w_star, d in problems:
        w0 = np.ones(d)
        w0_copy = w0.copy()
        w, losses = fn(f, w0, 10, 50, 1e-10)
        if not np.allclose(w, w_star, rtol=1e-5, atol=1e-6):
            return False
        if not (np.isclose(losses[0], f(w0_copy)[0]) and np.isclose(losses[-1], f(w)[0])
                and all(b <= a + 1e-15 for a, b in zip(losses, losses[1:]))):
            return False
        if not np.array_equal(w0, w0_copy):
            return False
    return True


CHECKS = {"newton_step": check_newton_step, "bfgs_update": check_bfgs_update,
          "lbfgs_direction": check_lbfgs_direction, "minimize_lbfgs": check_minimize_lbfgs}


def _load(function, name):
    """The variant as notebook code would define it: with the reference lbfgs_direction (a
    correct variant) available by name, for the minimiser's variants."""
    ns = {"np": np}
    exec(variants.variant_source("lbfgs_direction", "correct_dense_bfgs").replace(
        "def lbfgs_direction(", "def lbfgs_direction(", 1), ns)
    exec(variants.variant_source(function, name), ns)
    return ns[function]


def test_every_function_has_at_least_four_wrong_and_one_correct_variant():
    for function in variants.FUNCTIONS:
        assert len(variants.REGISTRY[function]["wrong"]) >= 4, function
        assert len(variants.REGISTRY[function]["correct"]) >= 1, function


@pytest.mark.parametrize("function, name", variants.all_variants("wrong"))
def test_wrong_variant_fails_a_check(function, name):
    assert not CHECKS[function](_load(function, name)), variants.describe(function, name)


@pytest.mark.parametrize("function, name", variants.all_variants("correct"))
def test_correct_variant_passes_every_check(function, name):
    assert CHECKS[function](_load(function, name)), variants.describe(function, name)


def test_the_solution_notebook_passes_every_check():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "solutions/ps5/ps5.ipynb").read_text())
    ns = {}
    for cell in nb["cells"]:
        gid = cell["metadata"]["nbgrader"]["grade_id"]
        if gid == "setup" or gid in CHECKS:
            exec("".join(cell["source"]), ns)
    for function, check in CHECKS.items():
        assert check(ns[function]), function
