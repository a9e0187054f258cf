"""Hidden checks of assignment ps5 (chapter 5: second-order methods): newton_step, bfgs_update,
lbfgs_direction, minimize_lbfgs.

Every check tests results that every correct implementation shares, never how they are computed:
Newton's step against a linear solve (forming the inverse is as good), the BFGS update against
its formula and the secant equation, the two-loop direction against the matrix built by the same
BFGS updates from gamma I and against the direction torch.optim.LBFGS itself took from the
gradient and pairs of one of its runs (torch runs here, on the grader's side), and the minimiser
against the
known minima of seeded strongly convex problems (quadratics with condition numbers up to 1e4,
L2-regularised logistic regression), which gradient descent with the same line search does not
reach in the same number of iterations. Inputs are never modified.

Layout of a check (see autograder/decide/checks.py): ``_in_*`` inputs(rng) plain data; the
``obs_*`` in kernel_side.py call the student's function on copies and record plain data;
``_judge_*`` judge(inp, obs) hold the references and the tolerances, here, never in the kernel.
"""
from __future__ import annotations

import numpy as np

from autograder.decide.checks import Check, Group, memoised
from autograder.kernel_side.plaindata import compare
from autograder.specs.ps5.kernel_side import (MAX_ITER, obs_bfgs, obs_direction, obs_minimize,
                                              obs_newton, problem_f_and_grad)


# ---- small helpers ---------------------------------------------------------------------------

def _spd(rng, d, kappa):
    """A random symmetric positive definite d x d matrix with eigenvalues log-spaced in
    [1, kappa]."""
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (q * np.logspace(0, np.log10(kappa), d)) @ q.T


def _unchanged(name, before, after):
    before, after = np.asarray(before), np.asarray(after)
    if before.shape != after.shape or not np.array_equal(before, after):
        return [f"{name} was modified by the call; compute new arrays instead of changing it "
                "in place"]
    return []


# ---- newton_step --------------------------------------------------------------------------------

def _in_newton(rng, symmetric=True):
    d = int(rng.integers(1, 9))
    H = _spd(rng, d, 10.0 ** rng.uniform(0, 4))
    if not symmetric:
        # Not symmetric, and well conditioned by construction: H's eigenvalues are >= 1 and
        # ||N|| <= 1/2, so x.(H + N)x >= |x|^2 / 2 and the smallest singular value is >= 1/2
        # (the condition number stays below 2e4 + 1, as for the symmetric inputs).
        n = np.triu(rng.normal(size=(d, d)), 1)
        H = H + 0.5 * n / max(np.linalg.norm(n, 2), 1.0)
    return {"w": rng.normal(size=d), "grad": rng.normal(size=d), "hess": H}


def _judge_newton(inp, obs):
    expected = inp["w"] - np.linalg.solve(inp["hess"], inp["grad"])
    scale = 1.0 + np.max(np.abs(expected))
    return compare("w - H^{-1} g", obs["out"], expected, rtol=1e-8, atol=1e-9 * scale)


def _judge_newton_contract(inp, obs):
    return (_unchanged("w", inp["w"], obs["w_after"])
            + _unchanged("grad", inp["grad"], obs["grad_after"])
            + _unchanged("hess", inp["hess"], obs["hess_after"]) or _judge_newton(inp, obs))


# ---- bfgs_update --------------------------------------------------------------------------------

def _in_bfgs(rng):
    d = int(rng.integers(2, 9))
    s = rng.normal(size=d)
    y = _spd(rng, d, 10.0 ** rng.uniform(0, 3)) @ s  # a curvature pair: y^T s > 0
    return {"H_inv": _spd(rng, d, 10.0 ** rng.uniform(0, 2)) * 10.0 ** rng.uniform(-1, 1),
            "s": s, "y": y}


def _bfgs_ref(H, s, y):
    rho = 1.0 / (y @ s)
    v = np.eye(len(s)) - rho * np.outer(y, s)
    return v.T @ H @ v + rho * np.outer(s, s)


def _judge_bfgs(inp, obs):
    expected = _bfgs_ref(inp["H_inv"], inp["s"], inp["y"])
    problems = compare("the updated H_inv", obs["out"], expected, rtol=1e-8,
                       atol=1e-10 * np.max(np.abs(expected)))
    if not problems and obs["out"].shape == expected.shape:
        problems = compare("H_new @ y (the secant equation H_new y = s)", obs["out"] @ inp["y"],
                           inp["s"], rtol=1e-7, atol=1e-9)
    return problems


def _judge_bfgs_contract(inp, obs):
    return (_unchanged("H_inv", inp["H_inv"], obs["H_after"])
            + _unchanged("s", inp["s"], obs["s_after"]) + _unchanged("y", inp["y"], obs["y_after"])
            or _judge_bfgs(inp, obs))


# ---- lbfgs_direction ----------------------------------------------------------------------------

def _in_direction(rng, pairs=None):
    d = int(rng.integers(3, 9))
    m = int(rng.integers(1, 6)) if pairs is None else pairs
    A = _spd(rng, d, 10.0 ** rng.uniform(1, 3))
    s_list = [rng.normal(size=d) for _ in range(m)]
    # Pairs from a changing curvature (as along a non-quadratic path), each with y^T s > 0, so
    # the oldest and newest pair scale differently and every pair matters.
    y_list = [(A + np.diag(rng.uniform(0, 5, size=d))) @ s for s in s_list]
    return {"grad": rng.normal(size=d), "s_list": s_list, "y_list": y_list}


def _direction_ref(g, s_list, y_list):
    if not s_list:
        return -g
    H = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * np.eye(len(g))
    for s, y in zip(s_list, y_list):
        H = _bfgs_ref(H, s, y)
    return -H @ g


def _judge_direction(inp, obs):
    expected = _direction_ref(inp["grad"], inp["s_list"], inp["y_list"])
    problems = compare("the direction -H g", obs["out"], expected, rtol=1e-7,
                       atol=1e-9 * np.max(np.abs(expected)))
    if problems and obs["out"].shape == expected.shape and obs["out"] @ inp["grad"] > 0:
        problems.append("it points uphill (direction . grad > 0): return -H g, not H g")
    return problems


@memoised
def _torch_lbfgs_state(inp):
    """Run torch.optim.LBFGS(lr=1, max_iter=1, history_size=m, strong Wolfe line search) for
    ``steps`` steps on 1/2 w.A.w - b.w + sum(w^4)/4 (not quadratic, so the pairs differ) from w0;
    return the gradient its last step started from, its (s, y) pairs oldest first, and the
    direction it took."""
    import torch

    A, b = (torch.tensor(inp[k], dtype=torch.float64) for k in ("A", "b"))
    w = torch.tensor(inp["w0"], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], lr=1.0, max_iter=1, max_eval=25, history_size=inp["m"],
                            line_search_fn="strong_wolfe", tolerance_grad=1e-12,
                            tolerance_change=1e-14)

    def closure():
        opt.zero_grad()
        loss = 0.5 * w @ A @ w - b @ w + (w**4).sum() / 4
        loss.backward()
        return loss

    for _ in range(inp["steps"]):
        opt.step(closure)
    state = opt.state[w]
    return {"grad": state["prev_flat_grad"].numpy().copy(),
            "s_list": [s.numpy().copy() for s in state["old_stps"]],
            "y_list": [y.numpy().copy() for y in state["old_dirs"]],
            "d": state["d"].numpy().copy()}


def _in_torch_pairs(rng):
    d = int(rng.integers(3, 7))
    setup = {"A": _spd(rng, d, 10.0 ** rng.uniform(1, 2.5)), "b": rng.normal(size=d),
             "w0": rng.normal(size=d), "m": int(rng.choice([2, 3, 5])),
             "steps": int(rng.integers(4, 9))}
    run = _torch_lbfgs_state(setup)
    # What the student's function gets: torch's own gradient and pairs (never its direction).
    return {**setup, "grad": run["grad"], "s_list": run["s_list"], "y_list": run["y_list"]}


def _judge_direction_torch(inp, obs):
    expected = _torch_lbfgs_state(inp)["d"]
    return compare("the direction torch.optim.LBFGS takes from the same gradient and pairs",
                   obs["out"], expected, rtol=1e-7, atol=1e-9 * np.max(np.abs(expected)))


def _judge_direction_contract(inp, obs):
    problems = _unchanged("grad", inp["grad"], obs["grad_after"])
    if obs["lengths"] != [len(inp["s_list"]), len(inp["y_list"])]:
        problems.append("s_list or y_list changed length: do not add to or remove from them")
    else:
        for name, before, after in (("s_list", inp["s_list"], obs["s_after"]),
                                    ("y_list", inp["y_list"], obs["y_after"])):
            for k, (b, a) in enumerate(zip(before, after)):
                problems += _unchanged(f"{name}[{k}]", b, a)
    return problems or _judge_direction(inp, obs)


# ---- minimize_lbfgs -----------------------------------------------------------------------------


def _in_quadratic(rng, kappa):
    d = int(rng.integers(3, 7))
    A = _spd(rng, d, kappa)
    return {"kind": "quadratic", "A": A, "b": rng.normal(size=d), "w0": rng.normal(size=d) * 2}


def _in_logistic(rng):
    n, d = int(rng.integers(100, 300)), int(rng.integers(3, 8))
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3, size=d)
    labels = (X @ rng.normal(size=d) + rng.normal(size=n) > 0).astype(np.float64)
    return {"kind": "logistic", "X": X, "labels": labels, "lam": float(rng.choice([1e-2, 1e-1])),
            "w0": np.zeros(d)}


def _minimum(inp):
    if inp["kind"] == "quadratic":
        return np.linalg.solve(inp["A"], inp["b"])
    f, X, lam = problem_f_and_grad(inp), inp["X"], inp["lam"]
    w = np.zeros(X.shape[1])
    for _ in range(50):  # Newton's method: the minimum to rounding error
        _, g = f(w)
        p = 0.5 * (1 + np.tanh(X @ w / 2))
        H = (X.T * (p * (1 - p))) @ X / len(p) + lam * np.eye(len(w))
        w = w - np.linalg.solve(H, g)
    return w


@memoised
def _documented_run(inp):
    """Where the docstring's algorithm ends after MAX_ITER iterations (history 10, tol 1e-10):
    L-BFGS directions, Armijo backtracking from t = 1 (at most 31 halvings), a pair kept when
    y.s > 1e-10."""
    f_and_grad = problem_f_and_grad(inp)
    w = np.array(inp["w0"], dtype=np.float64)
    f, g = f_and_grad(w)
    s_list, y_list = [], []
    for _ in range(MAX_ITER):
        if np.max(np.abs(g)) <= 1e-10:
            break
        d = _direction_ref(g, s_list[-10:], y_list[-10:])
        t = 1.0
        for _ in range(31):
            f_new, g_new = f_and_grad(w + t * d)
            if f_new <= f + 1e-4 * t * (g @ d):
                break
            t *= 0.5
        else:
            break
        w_new = w + t * d
        s, y = w_new - w, g_new - g
        if y @ s > 1e-10:
            s_list, y_list = (s_list + [s])[-10:], (y_list + [y])[-10:]
        w, f, g = w_new, f_new, g_new
    return w


def _judge_minimize(inp, obs):
    # Within MAX_ITER iterations the documented algorithm does not always reach the minimum of
    # an ill-conditioned quadratic to 1e-5 (simulated: about 1 draw in 60 with condition
    # number 1e4 in 6 dimensions). Where it does not, a correct function ends where the
    # documented run ends: a student's reference run and the grader's differ by at most 5e-10
    # there (simulated), 2000 times below the tolerance.
    w_star = _minimum(inp)
    w = obs["w"]
    if w.shape != w_star.shape:
        return [f"w has shape {w.shape}, expected {w_star.shape}"]
    what = ("the minimum of a quadratic with condition number "
            f"{np.linalg.cond(inp['A']):.0f}" if inp["kind"] == "quadratic"
            else "the minimum of L2-regularised logistic regression")
    atol = 1e-6 * (1 + np.max(np.abs(w_star)))
    problems = compare(f"w after at most {MAX_ITER} iterations ({what})", w, w_star, rtol=1e-5,
                       atol=atol)
    if problems:
        documented = _documented_run(inp)
        if compare("", documented, w_star, rtol=1e-5, atol=atol) and \
                not compare("", w, documented, rtol=0, atol=atol):
            return []  # an ill-conditioned draw: it ended where the documented algorithm ends
    return problems


def _judge_losses(inp, obs):
    f = problem_f_and_grad(inp)
    losses = obs["losses"]
    problems = _unchanged("w0", inp["w0"], obs["w0_after"])
    if losses.ndim != 1 or len(losses) < 2:
        return problems + [f"losses should be a list with f(w0) first and one entry per accepted "
                           f"iteration; got shape {losses.shape}"]
    problems += compare("losses[0] (must be f(w0))", losses[0], f(inp["w0"])[0], rtol=1e-10,
                        atol=1e-12)
    if obs["w"].shape == inp["w0"].shape:
        problems += compare("losses[-1] (must be f(w) at the returned w)", losses[-1],
                            f(obs["w"])[0], rtol=1e-10, atol=1e-12)
    rises = np.flatnonzero(np.diff(losses) > 1e-12 * (1 + np.abs(losses[:-1])))
    if rises.size:
        k = int(rises[0])
        problems.append(f"the loss went up from losses[{k}] = {losses[k]!r} to "
                        f"losses[{k + 1}] = {losses[k + 1]!r}; the Armijo condition accepts only "
                        "steps that decrease it")
    if len(losses) > MAX_ITER + 1:
        problems.append(f"{len(losses) - 1} iterations were recorded with max_iter={MAX_ITER}")
    return problems


# ---- the groups (one per hidden test cell; all checks of a group must pass) --------------------

def _check(function, about, inputs, observe, judge, seeds=(0, 1, 2), sweep=200):
    """``sweep``: the seed sweep's keys, fewer than 200 where a key runs optimisations."""
    return Check(function=function, about=about, inputs=inputs, observe=observe, judge=judge,
                 seeds=seeds, sweep=sweep)


GROUPS = [
    Group("newton_step.values", 3, checks=(
        _check("newton_step", "w - H^{-1} g for symmetric positive definite H (condition numbers "
               "up to 1e4, 1 to 8 dimensions)", _in_newton, obs_newton, _judge_newton,
               seeds=(0, 1, 2, 3, 4)),
        _check("newton_step", "w - H^{-1} g for an invertible H that is not symmetric",
               lambda rng: _in_newton(rng, symmetric=False), obs_newton, _judge_newton),
    )),
    Group("newton_step.contract", 1, checks=(
        _check("newton_step", "w, grad and hess unchanged by the call", _in_newton, obs_newton,
               _judge_newton_contract),
    )),
    Group("bfgs_update.values", 3, checks=(
        _check("bfgs_update", "the BFGS update and the secant equation on random curvature "
               "pairs (2 to 8 dimensions)", _in_bfgs, obs_bfgs, _judge_bfgs,
               seeds=(0, 1, 2, 3, 4)),
    )),
    Group("bfgs_update.contract", 1, checks=(
        _check("bfgs_update", "H_inv, s and y unchanged by the call", _in_bfgs, obs_bfgs,
               _judge_bfgs_contract),
    )),
    Group("lbfgs_direction.values", 4, checks=(
        _check("lbfgs_direction", "no pairs: the direction is -grad",
               lambda rng: _in_direction(rng, pairs=0), obs_direction, _judge_direction,
               seeds=(0,)),
        _check("lbfgs_direction", "one pair", lambda rng: _in_direction(rng, pairs=1),
               obs_direction, _judge_direction),
        _check("lbfgs_direction", "two to five pairs (oldest first), against the direction of "
               "the BFGS estimate they define", _in_direction, obs_direction, _judge_direction,
               seeds=(0, 1, 2, 3, 4)),
        _check("lbfgs_direction", "the gradient and pairs of a torch.optim.LBFGS run, against "
               "the direction torch took", _in_torch_pairs, obs_direction,
               _judge_direction_torch, sweep=20),
    )),
    Group("lbfgs_direction.contract", 1, checks=(
        _check("lbfgs_direction", "grad, s_list and y_list (and their arrays) unchanged",
               lambda rng: _in_direction(rng, pairs=3), obs_direction,
               _judge_direction_contract),
    )),
    Group("minimize_lbfgs.quadratics", 4, checks=(
        _check("minimize_lbfgs", "quadratics with condition number 10",
               lambda rng: _in_quadratic(rng, 10.0), obs_minimize, _judge_minimize, sweep=10),
        _check("minimize_lbfgs", "quadratics with condition numbers 1e3 and 1e4",
               lambda rng: _in_quadratic(rng, float(rng.choice([1e3, 1e4]))), obs_minimize,
               _judge_minimize, seeds=(0, 1, 2, 3), sweep=10),
    )),
    Group("minimize_lbfgs.logistic", 2, checks=(
        _check("minimize_lbfgs", "L2-regularised logistic regression", _in_logistic,
               obs_minimize, _judge_minimize, sweep=10),
    )),
    Group("minimize_lbfgs.losses", 2, checks=(
        _check("minimize_lbfgs", "losses: f(w0) first, f(w) last, never increasing; w0 "
               "unchanged", lambda rng: _in_quadratic(rng, 1e3), obs_minimize, _judge_losses,
               sweep=10),
        _check("minimize_lbfgs", "losses on logistic regression", _in_logistic, obs_minimize,
               _judge_losses, seeds=(0,), sweep=10),
    )),
]
