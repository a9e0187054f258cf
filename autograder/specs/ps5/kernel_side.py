"""What runs beside the student's code for ps5's hidden checks (copied into the sandbox as it
is): each ``obs_*`` builds what the student's function needs from plain inputs, calls it on
copies, and records plain data. It decides nothing; the judges are in grader_side.py.
"""
from __future__ import annotations

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult, as_array

MAX_ITER = 50  # minimize_lbfgs runs this many iterations at most in every check
MAX_CALLS = 5000  # f_and_grad calls allowed in one run (a correct run makes a few hundred)


def problem_f_and_grad(inp):
    """The problem's (loss, gradient) function, built from plain data: a quadratic
    1/2 w.A.w - b.w, or L2-regularised logistic regression (mean log-loss + lam/2 |w|^2)."""
    if inp["kind"] == "quadratic":
        A, b = inp["A"], inp["b"]
        return lambda w: (float(0.5 * w @ A @ w - b @ w), A @ w - b)
    X, labels, lam = inp["X"], inp["labels"], inp["lam"]
    n = len(labels)

    def f(w):
        z = X @ w
        p = 0.5 * (1 + np.tanh(z / 2))  # the logistic function without overflow
        loss = np.mean(np.logaddexp(0.0, z) - labels * z) + 0.5 * lam * w @ w
        return float(loss), X.T @ (p - labels) / n + lam * w
    return f


def obs_newton(fn, inp):
    w, g, H = (np.array(inp[k], dtype=np.float64) for k in ("w", "grad", "hess"))
    out = as_array(fn(w, g, H), "the result of newton_step")
    return {"out": out, "w_after": w.copy(), "grad_after": g.copy(), "hess_after": H.copy()}


def obs_bfgs(fn, inp):
    H, s, y = (np.array(inp[k], dtype=np.float64) for k in ("H_inv", "s", "y"))
    out = as_array(fn(H, s, y), "the result of bfgs_update")
    return {"out": out, "H_after": H.copy(), "s_after": s.copy(), "y_after": y.copy()}


def obs_direction(fn, inp):
    g = np.array(inp["grad"], dtype=np.float64)
    s_list = [np.array(s, dtype=np.float64) for s in inp["s_list"]]
    y_list = [np.array(y, dtype=np.float64) for y in inp["y_list"]]
    out = as_array(fn(g, s_list, y_list), "the direction")
    return {"out": out, "grad_after": g.copy(), "s_after": [s.copy() for s in s_list],
            "y_after": [y.copy() for y in y_list], "lengths": [len(s_list), len(y_list)]}


def obs_minimize(fn, inp):
    f = problem_f_and_grad(inp)
    calls = [0]

    def counted(w):
        calls[0] += 1
        if calls[0] > MAX_CALLS:
            raise RuntimeError(f"f_and_grad was called more than {MAX_CALLS} times in "
                               f"{MAX_ITER} iterations")
        return f(np.array(w, dtype=np.float64, copy=True))

    w0 = np.array(inp["w0"], dtype=np.float64)
    out = fn(counted, w0, 10, MAX_ITER, 1e-10)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise UnusableResult(f"minimize_lbfgs should return a pair (w, losses), got "
                             f"{type(out).__name__}")
    w, losses = out
    return {"w": as_array(w, "w"), "losses": as_array(losses, "losses"), "w0_after": w0.copy()}
