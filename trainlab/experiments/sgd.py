"""Chapter 1 experiments: why plain (stochastic) gradient descent struggles (claims C01-C07).

The chapter page (book/01_sgd.md) draws its figures and quotes its numbers from these functions,
and the claim tests (tests/claims/test_claims_ch01.py) assert on the same results: each is
seeded, returns plain data and is cached on disk (trainlab.cache), so it runs once per change.
"""
from __future__ import annotations

import numpy as np
import torch

from ..data import linear_regression
from ..cache import cached
from ..paths import optimizer_path, steps_to_tolerance
from ..surfaces import get_surface


def _lsq_loss(X, y, W):
    """Mean squared error for each row of W (shape (k, d)) at once."""
    return np.mean((W @ X.T - y) ** 2, axis=1)


@cached
def random_search_vs_gd(dims=(2, 10, 50, 200), budget=1000, seed=0) -> dict:
    """C01: with the same budget of loss evaluations/steps, how much of the gap between w = 0 and
    the optimum does each method close? Returns {"dims", "random", "local", "gd"}: the fraction of
    the gap closed per dimension (1 = found the optimum, 0 = no better than w = 0).

    random: best of ``budget`` draws W ~ N(0, I) (CS231n's "strategy 1").
    local:  random local search: perturb the best W by N(0, 0.1^2 I), keep it if better.
    gd:     ``budget`` steps of gradient descent with a step of 1/L (stable for any data).
    """
    rng = np.random.default_rng(seed)
    out = {"dims": list(dims), "random": [], "local": [], "gd": []}
    for d in dims:
        X, y, w_true = linear_regression(n=4 * d + 50, d=d, noise=0.1, rng=rng)
        w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
        zero, best = _lsq_loss(X, y, np.zeros((1, d)))[0], _lsq_loss(X, y, w_opt[None])[0]
        gap = lambda L: (zero - L) / (zero - best)  # noqa: E731

        draws = rng.standard_normal((budget, d))
        out["random"].append(float(gap(_lsq_loss(X, y, draws).min())))

        w, Lw = np.zeros(d), zero
        for _ in range(budget):
            cand = w + 0.1 * rng.standard_normal(d)
            Lc = _lsq_loss(X, y, cand[None])[0]
            if Lc < Lw:
                w, Lw = cand, Lc
        out["local"].append(float(gap(Lw)))

        H = 2 * X.T @ X / len(X)
        lr = 1.0 / np.linalg.eigvalsh(H).max()
        w = np.zeros(d)
        for _ in range(budget):
            w = w - lr * 2 * X.T @ (X @ w - y) / len(X)
        out["gd"].append(float(gap(_lsq_loss(X, y, w[None])[0])))
    return out


class _BuggySquare(torch.autograd.Function):
    """t -> t^2 with a wrong backward (a factor 2 missing from d/dt t^2)."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return t**2

    @staticmethod
    def backward(ctx, grad_out):
        (t,) = ctx.saved_tensors
        return grad_out * t  # wrong: should be 2 * t


@cached
def gradient_check(n_params=(5, 10, 20, 40), seed=0) -> dict:
    """C02: the numeric (centred-difference) gradient catches a wrong analytic gradient, and
    costs two evaluations of the function per parameter.

    Uses torch.autograd.gradcheck (torch's own centred-difference checker) on
    f(t) = sum(sin(t) * t^2) with a correct backward and with a subtly wrong one, for each size
    in ``n_params``, counting every evaluation of f. Returns per size whether each gradient
    passes and how many evaluations the check made: 2 per parameter plus a fixed few.
    """
    out = {"n_params": list(n_params), "correct_passes": [], "buggy_passes": [],
           "evaluations": []}
    for n in n_params:
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(n, dtype=torch.float64, generator=g, requires_grad=True)
        calls = [0]

        def f(t):
            calls[0] += 1
            return (torch.sin(t) * t**2).sum().reshape(1)

        def f_buggy(t):
            return (torch.sin(t) * _BuggySquare.apply(t)).sum().reshape(1)

        kw = {"eps": 1e-6, "atol": 1e-8, "rtol": 1e-6, "raise_exception": False}
        out["correct_passes"].append(bool(torch.autograd.gradcheck(f, (x,), **kw)))
        out["evaluations"].append(calls[0])
        out["buggy_passes"].append(bool(torch.autograd.gradcheck(f_buggy, (x,), **kw)))
    return out


@cached
def learning_rate_sweep(fractions=(1e-3, 0.1, 0.5, 0.9, 1.05), steps=100, kappa=10.0) -> dict:
    """C03: loss after ``steps`` GD steps on a quadratic, per learning rate given as a fraction of
    the stability limit 2 / L_max. Returns {"fractions", "final_over_initial", "losses"}: the
    final loss ratio (inf when the iterates blew up) and the loss at every step, per fraction."""
    surface = get_surface("quadratic", a=1.0 / kappa, b=1.0)
    L_max = np.linalg.eigvalsh(surface.hessian([0.0, 0.0])).max()
    start = np.array([-3.0, 2.0])
    L0 = surface.loss(start)
    ratios, losses = [], []
    for frac in fractions:
        path = optimizer_path(surface, "sgd", steps, start=start, learning_rate=frac * 2 / L_max)
        end = path[-1]
        ratios.append(float(surface.loss(end) / L0) if np.all(np.isfinite(end)) else float("inf"))
        losses.append(np.array([surface.loss(w) for w in path]))
    return {"fractions": list(fractions), "final_over_initial": ratios, "losses": losses}


@cached
def initialisation_decides_minimum(starts=((1.8, 0.8), (-1.8, 0.8)), steps=500, lr=0.05) -> list:
    """C03: on the tilted double well, GD from different starts ends in different minima.
    Returns per start {"start", "end", "loss" (at the end), "path"}."""
    surface = get_surface("double_well")
    out = []
    for s in starts:
        path = optimizer_path(surface, "sgd", steps, start=s, learning_rate=lr)
        out.append({"start": tuple(s), "end": tuple(path[-1]), "loss": surface.loss(path[-1]),
                    "path": path})
    return out


@cached
def minibatch_gradient_stats(batch_sizes=(1, 4, 16, 64, 256), n=2000, d=5, trials=3000,
                             replace=True, seed=0) -> dict:
    """C04: the minibatch gradient as an estimator of the full gradient of the MSE.

    At a fixed w, draws ``trials`` minibatches of each size (with or without replacement) and
    returns the estimator's bias (max |mean - full gradient| in units of its standard error)
    and the standard deviation of its first coordinate, next to the theory sigma / sqrt(B)
    (times sqrt((n - B) / (n - 1)) without replacement).
    """
    rng = np.random.default_rng(seed)
    X, y, _ = linear_regression(n=n, d=d, noise=0.5, rng=rng)
    w = rng.standard_normal(d)
    per_sample = 2 * X * (X @ w - y)[:, None]  # gradient of each (x_i w - y_i)^2
    full = per_sample.mean(axis=0)
    sigma = per_sample[:, 0].std()  # population std over the data set
    bias_z, std, theory = [], [], []
    for B in batch_sizes:
        if replace:
            idx = rng.integers(0, n, size=(trials, B))
        else:
            idx = np.argsort(rng.random((trials, n)), axis=1)[:, :B]
        est = per_sample[idx].mean(axis=1)
        se = est.std(axis=0) / np.sqrt(trials)
        bias_z.append(float(np.max(np.abs(est.mean(axis=0) - full) / se)))
        std.append(float(est[:, 0].std()))
        fpc = 1.0 if replace else np.sqrt((n - B) / (n - 1))
        theory.append(float(sigma / np.sqrt(B) * fpc))
    return {"batch_sizes": list(batch_sizes), "bias_z": bias_z, "std": std, "theory": theory}


def quadratic_gd_closed_form(a, b, lr, start, steps) -> np.ndarray:
    """GD iterates on L = a*w1^2 + b*w2^2 in closed form: w_k = (1 - 2*lr*c)^k * w_0 per axis."""
    k = np.arange(steps + 1)[:, None]
    factors = np.array([1 - 2 * lr * a, 1 - 2 * lr * b])
    with np.errstate(over="ignore"):
        return factors**k * np.asarray(start, dtype=float)


@cached
def steps_vs_condition(kappas=(1, 4, 16, 64, 256, 1024), lr_fraction=0.5, tol=1e-3,
                       max_steps=200_000) -> dict:
    """C05: steps until GD on L = w1^2 / kappa + w2^2 is within ``tol`` of the minimum, with the
    learning rate a fixed fraction of the stability limit 2 / L_max (L_max = 2, the steep axis).
    Returns {"kappas", "steps"} (None where it never got there)."""
    steps = []
    for kappa in kappas:
        path = quadratic_gd_closed_form(1.0 / kappa, 1.0, lr_fraction * 2 / 2.0, (1.0, 1.0),
                                        max_steps)
        steps.append(steps_to_tolerance(path, (0.0, 0.0), tol))
    return {"kappas": list(kappas), "steps": steps}


@cached
def saddle_escape(offsets=(1e-2, 1e-4, 1e-6, 1e-8, 0.0), lr=0.1, steps=2000) -> dict:
    """C06: GD on the saddle surface started at (-1.5, offset). With offset 0 it converges to the
    saddle and stops (gradient 0); otherwise it escapes, later the smaller the offset.

    Returns per offset: steps until the loss is below the saddle's value by 0.1 (None if never),
    the final gradient norm, the final loss (the minima have loss -0.25, the saddle 0) and the
    loss at every step."""
    surface = get_surface("saddle")
    out = {"offsets": list(offsets), "escape_steps": [], "final_grad_norm": [], "final_loss": [],
           "losses": []}
    for off in offsets:
        path = optimizer_path(surface, "sgd", steps, start=(-1.5, off), learning_rate=lr)
        losses = np.array([surface.loss(p) for p in path])
        below = np.flatnonzero(losses < -0.1)
        out["escape_steps"].append(int(below[0]) if below.size else None)
        out["final_grad_norm"].append(float(np.linalg.norm(surface.grad(path[-1]))))
        out["final_loss"].append(float(losses[-1]))
        out["losses"].append(losses)
    return out


@cached
def fraction_of_minima(dims=(1, 2, 3, 4, 6, 8, 12), trials=20_000, seed=0) -> dict:
    """C06: at a random critical point, model the Hessian as a random symmetric matrix (GOE).
    It is a minimum only if all eigenvalues are positive; the fraction that are minima falls
    fast with the dimension, and nearly all critical points are saddles."""
    rng = np.random.default_rng(seed)
    fractions = []
    for d in dims:
        A = rng.standard_normal((trials, d, d))
        eig = np.linalg.eigvalsh((A + A.transpose(0, 2, 1)) / 2)
        fractions.append(float(np.mean(eig.min(axis=1) > 0)))
    return {"dims": list(dims), "fraction_minima": fractions}


@cached
def sgd_wander(batch_sizes=(1, 4, 16, 64), n=1000, d=2, noise=1.0, lr=0.02, steps=2000,
               runs=100, seed=0) -> dict:
    """C07: minibatch SGD (torch.optim.SGD) on a least-squares problem with ``n`` examples,
    ``runs`` independent runs per batch size, each step drawing B examples with replacement.

    Nothing here adds noise by hand: the only noise is which examples a minibatch holds. Returns
    per batch size the RMS distance from the least-squares solution w* over the second half of
    the runs (where full-batch gradient descent sits at w*), and the length of run 0's path,
    next to full-batch gradient descent's.
    """
    rng = np.random.default_rng(seed)
    X, y, _ = linear_regression(n=n, d=d, noise=noise, rng=rng)
    w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
    Xt, yt = torch.tensor(X), torch.tensor(y)
    gen = torch.Generator().manual_seed(seed)
    start = w_opt + np.array([2.0, 1.5] + [0.0] * (d - 2))[:d]

    def run(B):  # B None: full-batch gradient descent (one run: it is deterministic)
        W = torch.tensor(np.tile(start, (runs if B else 1, 1)), requires_grad=True)
        opt = torch.optim.SGD([W], lr=lr)
        sq, length, prev = [], 0.0, start.copy()
        for k in range(steps):
            idx = (torch.randint(0, n, (runs, B), generator=gen) if B
                   else torch.arange(n)[None])
            pred = (Xt[idx] * W[:, None, :]).sum(-1)
            opt.zero_grad()
            ((pred - yt[idx]) ** 2).mean(dim=1).sum().backward()
            opt.step()
            w = W.detach().numpy()
            length += float(np.linalg.norm(w[0] - prev))
            prev = w[0].copy()
            if k >= steps // 2:
                sq.append(np.sum((w - w_opt) ** 2, axis=1))
        return float(np.sqrt(np.mean(sq))), length

    gd_rms, gd_length = run(None)
    out = {"batch_sizes": list(batch_sizes), "rms_distance": [], "path_length": [],
           "gd_rms_distance": gd_rms, "gd_path_length": gd_length}
    for B in batch_sizes:
        rms, length = run(B)
        out["rms_distance"].append(rms)
        out["path_length"].append(length)
    return out
