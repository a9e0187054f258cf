"""Hidden checks of assignment ps1 (chapter 1: gradient descent and minibatch SGD).

Every check tests behaviour that the notebook's docstrings promise and that every correct
implementation shares: closed-form values, exact formulas, partitions, and statistics of the
random order, never one particular random order.

Layout of a check (see autograder/decide/checks.py); the ``obs_*`` live in kernel_side.py:
- ``_in_*``  inputs(rng): plain data only (arrays, numbers, lists), reproducible from the seed;
- ``obs_*`` observe(fn, inp): the only code that runs beside the student's; it builds the
  callables the student's function needs (e.g. ``f``, ``grad``) from the plain inputs, calls the
  student's function on copies, and records what came back as plain data. It decides nothing
  and computes no reference;
- ``_judge_*`` judge(inp, obs): the reference (closed forms) and the tolerances, returning
  student-facing messages; never calls student code.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from autograder.decide.checks import Check, Group
from autograder.kernel_side.plaindata import compare
from autograder.specs.ps1.kernel_side import (COOC_BS, COOC_N, COOC_RUNS, obs_gd,
                                              obs_gradient_contract, obs_gradient_cubic,
                                              obs_gradient_smooth, obs_mb_cooccurrence,
                                              obs_mb_partition, obs_mb_seeds, obs_rel_error,
                                              obs_sgd, shift_inputs)


def _spd(rng, d, low, high):
    """A random symmetric positive definite d x d matrix with eigenvalues in [low, high]."""
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (q * rng.uniform(low, high, size=d)) @ q.T


def _float64(name, arr):
    arr = np.asarray(arr)
    return [] if arr.dtype == np.float64 else [f"{name} has dtype {arr.dtype}, expected float64"]


def _rel_error_ref(x, y):
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def _in_rel_error_arrays(rng):
    shape = [(6,), (3, 4), (2, 3, 4), (1,)][int(rng.integers(4))]
    x = rng.normal(size=shape) * 10.0 ** rng.uniform(-2, 2, size=shape)
    near = x * (1 + rng.normal(size=shape) * 10.0 ** rng.uniform(-6, -1, size=shape))
    flipped = near.copy()
    flip = rng.random(size=shape) < 0.4
    flipped[flip] = -x[flip]  # opposite signs: |x + y| is 0 there, |x| + |y| is not
    far = rng.normal(size=shape)
    return {"pairs": [(x, near), (x, flipped), (x, far), (far, far + 1e-3)]}


def _in_rel_error_numbers(rng):
    a = float(rng.uniform(1, 5))
    return {"pairs": [(3.0, 2.0), (-1.0, 1.0), (a, -0.5 * a), (1e-9, 3e-9), (2.5, 2.5)]}


def _in_rel_error_tiny(rng):
    # Entries of size ~1e-9: here the 1e-8 floor of the denominator decides the answer.
    x = rng.uniform(1e-9, 4e-9, size=5) * rng.choice([-1, 1], size=5)
    y = rng.uniform(1e-9, 4e-9, size=5) * rng.choice([-1, 1], size=5)
    return {"pairs": [(x, y), (np.array([3e-9, 0.0, 5.0]), np.array([-1e-9, 2e-9, 5.0]))]}


def _in_rel_error_zeros(rng):
    z = rng.normal(size=(3, 2))
    return {"pairs": [(np.zeros(4), np.zeros(4)), (np.zeros((2, 2)), np.zeros((2, 2))),
                      (z, z.copy()), (np.zeros(3), np.array([0.0, 1e-9, 0.0]))]}


def _pair_text(x, y):
    """How a student can recognise an input pair: the values when small, else the shape."""
    x, y = np.asarray(x), np.asarray(y)
    if x.size <= 3:
        return f"rel_error({x.tolist()!r}, {y.tolist()!r})"
    return f"rel_error(x, y) for x, y of shape {x.shape}"


def _judge_rel_error(inp, obs):
    problems = []
    for (x, y), got in zip(inp["pairs"], obs["results"]):
        call = _pair_text(x, y)
        if got.shape != ():
            return [f"{call} returned shape {got.shape}; rel_error must return a single number "
                    "(the maximum over all entries)"]
        if np.isnan(got):
            return [f"{call} returned nan; where |x| + |y| is 0 the denominator must be 1e-8"]
        problems += compare(call, got, _rel_error_ref(x, y), rtol=1e-10, atol=1e-14)
    return problems[:3]


_SHAPES = [(7,), (3, 4), (2, 3, 2), (1,), (5, 1)]


def _in_gradient_smooth(rng):
    shape = _SHAPES[int(rng.integers(len(_SHAPES)))]
    size = int(np.prod(shape))
    m = rng.normal(size=(size, size))
    return {"x": rng.normal(size=shape), "A": m + m.T, "b": rng.normal(size=size)}


def _judge_gradient_smooth(inp, obs):
    x = inp["x"]
    v = x.reshape(-1)
    expected = (inp["A"] @ v + inp["b"] + np.cos(v)).reshape(x.shape)
    # Centred differences with h = 1e-5 are accurate to ~1e-10 here; forward differences are
    # off by ~h/2 * f'' ~ 1e-5.
    problems = compare("the gradient", obs["grad"], expected, rtol=1e-7, atol=1e-8)
    # Decided by the values (f doubles for a wrongly shaped array); the shapes explain why.
    wrong = [s for s in obs.get("f_arg_shapes", []) if tuple(s) != x.shape]
    if problems and wrong:
        return [f"f was called with an array of shape {tuple(wrong[0])} but x has shape "
                f"{x.shape}; f must receive arrays shaped like x"]
    return problems


def _in_gradient_cubic(rng):
    shape = _SHAPES[int(rng.integers(len(_SHAPES)))]
    return {"x": rng.normal(size=shape), "c": rng.uniform(0.5, 2, size=shape),
            "d": rng.normal(size=shape), "h": float(rng.choice([0.5, 0.1, 0.03]))}


def _judge_gradient_cubic(inp, obs):
    # For a cubic the centred difference (f(x+h) - f(x-h)) / (2h) is exactly 3cx^2 + ch^2 + 2dx.
    x, c, d, h = inp["x"], inp["c"], inp["d"], inp["h"]
    expected = c * (3 * x ** 2 + h ** 2) + 2 * d * x
    return compare(f"the centred difference with h={h}", obs["grad"], expected,
                   rtol=1e-9, atol=1e-9)


def _in_gradient_contract(rng):
    x = rng.normal(size=(3, 4))
    return {"x": x, "A": _spd(rng, 12, 0.5, 2.0)}


def _judge_gradient_contract(inp, obs):
    x, a = inp["x"], inp["A"]
    problems = []
    for name, got, at in [("the gradient", obs["grad"], x),
                          ("the gradient after x += 1 (same array)", obs["again"], x + 1)]:
        expected = np.reshape((a + a.T) @ np.reshape(at, -1), x.shape)
        if got.shape == x.shape and compare(name, got, expected, rtol=1e-6, atol=1e-6):
            problems.append(f"{name} is off: numeric_gradient left x changed (even rounding "
                            "counts) before probing another entry or after returning; put every "
                            "entry back exactly, e.g. from a saved value, and return a new array")
            break
    if obs["grad"].shape != x.shape:
        problems.append(f"the gradient has shape {obs['grad'].shape}, expected x's shape {x.shape}")
    return problems + _float64("the gradient", obs["grad"])


def _in_gd_quadratic(rng, matrix):
    d = int(rng.integers(2, 6))
    shape = (d, int(rng.integers(2, 4))) if matrix else (d,)
    return {"A": _spd(rng, d, 0.5, 2.5), "B": rng.normal(size=shape), "w0": rng.normal(size=shape),
            "learning_rate": float(rng.uniform(0.1, 0.6)), "num_steps": int(rng.integers(1, 13))}


def _gd_reference(inp):
    """path[k] = w* + (I - lr A)^k (w0 - w*), with w* = A^-1 B."""
    a, lr = inp["A"], inp["learning_rate"]
    w_star = np.linalg.solve(a, inp["B"])
    m = np.eye(len(a)) - lr * a
    w0 = np.asarray(inp["w0"], dtype=np.float64)
    return np.stack([w_star + np.linalg.matrix_power(m, k) @ (w0 - w_star)
                     for k in range(inp["num_steps"] + 1)])


def _judge_gd(inp, obs):
    w0 = np.asarray(inp["w0"])
    expected = _gd_reference(inp)
    problems = (compare("the path", obs["path"], expected, rtol=1e-10, atol=1e-12)
                + _float64("the path", obs["path"]))
    # Decided by the values (grad doubles for a wrongly shaped array); the shapes explain why.
    wrong = [s for s in obs.get("grad_arg_shapes", []) if tuple(s) != w0.shape]
    if problems and wrong:
        return [f"grad was called with an array of shape {tuple(wrong[0])}; "
                f"it must receive arrays shaped like w0 {w0.shape}"]
    return problems


def _judge_gd_again(inp, obs):
    problems = _judge_gd(inp, obs)
    if problems:
        return problems
    expected = _gd_reference({**inp, "w0": np.asarray(inp["w0"]) + 1})
    if compare("the path", obs["again"], expected, rtol=1e-10, atol=1e-12):
        return ["after w0 += 1 on the same array, a second call did not follow the path from "
                "w0 + 1: the first call modified w0 in place"]
    return []


def _in_gd_zero_steps(rng):
    inp = _in_gd_quadratic(rng, matrix=bool(rng.integers(2)))
    inp["num_steps"] = 0
    return inp


def _in_gd_integer_w0(rng):
    d = 3
    return {"A": np.eye(d), "B": np.zeros(d), "w0": rng.integers(-5, 6, size=d),
            "learning_rate": 0.25, "num_steps": 4}


# (n, batch_size): divides, does not divide, batch of one, one batch, batch larger than n.
_PARTITION_CASES = [(10, 3), (10, 5), (7, 1), (7, 7), (5, 12), (1, 1), (100, 32), (13, 4), (2, 3)]


def _in_mb_partition(rng):
    return {"cases": [(n, bs, int(rng.integers(2 ** 31))) for n, bs in _PARTITION_CASES]}


def _judge_mb_partition(inp, obs):
    for (n, bs, _), batches in zip(inp["cases"], obs["epochs"]):
        where = f"minibatches({n}, {bs}, rng)"
        for b in batches:
            if b.ndim != 1 or not np.issubdtype(b.dtype, np.integer):
                return [f"{where} yielded a batch with shape {b.shape} and dtype {b.dtype}; "
                        "each batch must be a 1-D array of integer indices"]
        everything = np.sort(np.concatenate(batches)) if batches else np.array([], dtype=int)
        if not np.array_equal(everything, np.arange(n)):
            return [f"{where}: the batches of one epoch must contain every index 0..{n - 1} "
                    f"exactly once; together they held {len(everything)} indices "
                    f"({len(np.unique(everything))} distinct)"]
        expected_sizes = [bs] * (n // bs) + ([n % bs] if n % bs else [])
        sizes = [len(b) for b in batches]
        if sizes != expected_sizes:
            return [f"{where} yielded batches of sizes {sizes}, expected {expected_sizes}"]
    return []


def _in_mb_seeds(rng):
    return {"n": 20, "batch_size": 6, "seeds": [int(s) for s in rng.integers(2 ** 31, size=5)]}


def _order(batches):
    return np.concatenate(batches) if batches else np.array([], dtype=int)


def _judge_mb_seeds(inp, obs):
    # For a uniformly random order of 20 indices, two equal orders have probability 1/20! ~ 4e-19;
    # a correct function fails only through such a tie: 12 pairs x 3 draws / 20! < 1e-16.
    first = _order(obs["first"])
    if not np.array_equal(first, _order(obs["again"])):
        return ["two generators created with the same seed gave different orders; the order "
                "must come from rng only (not from np.random's global functions)"]
    if np.array_equal(first, _order(obs["second"])):
        return ["two epochs drawn one after the other from the same rng had the same order; "
                "each call must draw a new order from rng (advancing its state)"]
    orders = [first] + [_order(o) for o in obs["others"]]
    for i, j in itertools.combinations(range(len(orders)), 2):
        if np.array_equal(orders[i], orders[j]):
            return ["generators with different seeds gave the same order; the order must be "
                    "drawn from rng"]
    return []


def _in_mb_cooccurrence(rng):
    return {"seeds": rng.integers(2 ** 31, size=COOC_RUNS)}


def _binomial_bounds(runs, p, alpha):
    """[lo, hi] such that P(X < lo) + P(X > hi) <= alpha for X ~ Binomial(runs, p)."""
    pmf = [math.exp(math.lgamma(runs + 1) - math.lgamma(k + 1) - math.lgamma(runs - k + 1)
                    + k * math.log(p) + (runs - k) * math.log1p(-p)) for k in range(runs + 1)]
    lo, tail = 0, 0.0
    while tail + pmf[lo] <= alpha / 2:
        tail += pmf[lo]
        lo += 1
    hi, tail = runs, 0.0
    while tail + pmf[hi] <= alpha / 2:
        tail += pmf[hi]
        hi -= 1
    return lo, hi


def _cooccurrence_bounds():
    # In a uniformly random order of 6 indices cut into batches of 2, two given indices share a
    # batch with probability 1/5. With 15 pairs, a correct implementation leaves these bounds
    # with probability below 1e-9.
    pairs = COOC_N * (COOC_N - 1) // 2
    return _binomial_bounds(COOC_RUNS, 1 / (COOC_N - 1), 1e-9 / pairs)


def _judge_mb_cooccurrence(inp, obs):
    together = np.zeros((COOC_N, COOC_N), dtype=int)
    for batches in obs["epochs"]:
        for b in batches:
            b = np.asarray(b, dtype=int)
            if b.ndim != 1 or b.min(initial=0) < 0 or b.max(initial=0) >= COOC_N:
                return [f"minibatches({COOC_N}, {COOC_BS}, rng) yielded an invalid batch {b}"]
            for i, j in itertools.combinations(b, 2):
                together[i, j] += 1
                together[j, i] += 1
    lo, hi = _cooccurrence_bounds()
    for i, j in itertools.combinations(range(COOC_N), 2):
        if not lo <= together[i, j] <= hi:
            return [f"over {COOC_RUNS} epochs of minibatches({COOC_N}, {COOC_BS}, rng), "
                    f"indices {i} and {j} shared a batch {together[i, j]} times; in a uniformly "
                    f"random order that happens about {COOC_RUNS // (COOC_N - 1)} times. Shuffle "
                    "all indices, not blocks of them"]
    return []


def _loss(X, y, w):
    return float(np.mean((X @ w - y) ** 2))


def _sgd_shapes(inp, run):
    epochs, d = inp["epochs"], np.shape(inp["w0"])[0]
    problems = []
    if run["w"].shape != (d,):
        problems.append(f"w has shape {run['w'].shape}, expected {(d,)}")
    if run["losses"].shape != (epochs,):
        problems.append(f"losses has shape {run['losses'].shape}; with epochs={epochs} it "
                        f"must have shape {(epochs,)} (one full-data loss per epoch)")
    return problems


def _judge_sgd_against(inp, obs, w_expected, losses_expected, rtol, atol):
    problems = []
    for run in obs["runs"]:
        problems += _sgd_shapes(inp, run)
        if problems:
            return problems
        problems += compare("the final w", run["w"], w_expected, rtol=rtol, atol=atol)
        problems += compare("losses", run["losses"], losses_expected, rtol=rtol, atol=atol)
        if problems:
            return problems
    return []


def _in_sgd_full_batch(rng):
    n, d = int(rng.integers(8, 16)), int(rng.integers(2, 5))
    return {"X": rng.normal(size=(n, d)), "y": rng.normal(size=n), "w0": rng.normal(size=d),
            "learning_rate": 0.05, "batch_size": n + int(rng.choice([0, 1, 7])),
            "epochs": int(rng.integers(1, 8)), "seeds": [int(rng.integers(2 ** 31))]}


def _full_batch(X, y, w0, lr, epochs):
    """(final w, losses): one batch per epoch is one gradient-descent step on L,
    w_k = w* + M^k (w0 - w*) with M = I - (2 lr / n) X^T X and w* the least-squares solution."""
    n, d = X.shape
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    m = np.eye(d) - 2 * lr / n * X.T @ X
    path = [w_star + np.linalg.matrix_power(m, k) @ (w0 - w_star) for k in range(epochs + 1)]
    return path[-1], [_loss(X, y, w) for w in path[1:]]


def _judge_sgd_full_batch(inp, obs):
    w, losses = _full_batch(inp["X"], inp["y"], inp["w0"], inp["learning_rate"], inp["epochs"])
    return _judge_sgd_against(inp, obs, w, losses, rtol=1e-9, atol=1e-12)


def _in_sgd_identical_rows(rng):
    n, bs = [(10, 3), (10, 4), (7, 2), (9, 5)][int(rng.integers(4))]
    row = rng.normal(size=3)
    row /= np.linalg.norm(row) / rng.uniform(0.8, 1.5)
    return {"X": np.tile(row, (n, 1)), "y": np.full(n, float(rng.normal())),
            "w0": rng.normal(size=3), "learning_rate": float(rng.uniform(0.03, 0.1)),
            "batch_size": bs, "epochs": int(rng.integers(2, 5)),
            "seeds": [int(rng.integers(2 ** 31))]}


def _judge_sgd_identical_rows(inp, obs):
    # Every row is the same x and every target the same t, so every minibatch gradient (a mean)
    # equals the full gradient whatever the order: ceil(n / batch_size) identical GD steps per
    # epoch. Along x, s = x.w moves as s <- s - 2 lr |x|^2 (s - t); across x, w does not move.
    X, lr, bs = inp["X"], inp["learning_rate"], inp["batch_size"]
    x, t = X[0], inp["y"][0]
    n = len(X)
    factor = (1 - 2 * lr * x @ x) ** -(-n // bs)
    s0 = x @ inp["w0"]
    s = [t + factor ** k * (s0 - t) for k in range(inp["epochs"] + 1)]
    w_expected = inp["w0"] + (s[-1] - s0) * x / (x @ x)
    return _judge_sgd_against(inp, obs, w_expected, [(sk - t) ** 2 for sk in s[1:]],
                              rtol=1e-9, atol=1e-12)


def _in_sgd_orthogonal_rows(rng):
    n, bs = [(6, 2), (6, 3), (6, 1), (8, 4)][int(rng.integers(4))]
    d = n + 2
    q, _ = np.linalg.qr(rng.normal(size=(d, n)))
    X = (q * rng.uniform(0.6, 1.4, size=n)).T  # n mutually orthogonal rows in d dimensions
    return {"X": X, "y": rng.normal(size=n), "w0": rng.normal(size=d),
            "learning_rate": float(rng.uniform(0.05, 0.2)) * bs / 2, "batch_size": bs,
            "epochs": int(rng.integers(2, 6)), "seeds": [int(rng.integers(2 ** 31))]}


def _judge_sgd_orthogonal_rows(inp, obs):
    # With orthogonal rows x_i, a batch B changes s_i = x_i.w only for i in B:
    # s_i <- s_i - (2 lr / |B|) |x_i|^2 (s_i - y_i). batch_size divides n, so every batch has the
    # same size and, when each example is used once per epoch, the result does not depend on
    # the order.
    X, y, lr, bs = inp["X"], inp["y"], inp["learning_rate"], inp["batch_size"]
    norms2 = np.sum(X * X, axis=1)
    s0 = X @ inp["w0"]
    s = [y + (1 - 2 * lr / bs * norms2) ** k * (s0 - y) for k in range(inp["epochs"] + 1)]
    w_expected = inp["w0"] + X.T @ ((s[-1] - s0) / norms2)
    return _judge_sgd_against(inp, obs, w_expected, [float(np.mean((sk - y) ** 2)) for sk in s[1:]],
                              rtol=1e-9, atol=1e-12)


def _in_sgd_random(rng, **override):
    n, d = 17, 3
    inp = {"X": rng.normal(size=(n, d)), "y": rng.normal(size=n), "w0": rng.normal(size=d),
           "learning_rate": 0.05, "batch_size": 5, "epochs": 3,
           "seeds": [int(rng.integers(2 ** 31))]}
    inp.update(override)
    return inp


def _judge_sgd_lr_zero(inp, obs):
    X, y, w0 = inp["X"], inp["y"], inp["w0"]
    return _judge_sgd_against(inp, obs, w0, [_loss(X, y, w0)] * inp["epochs"], rtol=0, atol=1e-14)


def _judge_sgd_no_epochs(inp, obs):
    run = obs["runs"][0]
    return (_sgd_shapes(inp, run)
            or compare("w", run["w"], inp["w0"], rtol=0, atol=0) + _float64("w", run["w"]))


def _judge_sgd_contract(inp, obs):
    X, y = inp["X"], inp["y"]
    run = obs["runs"][0]
    problems = _sgd_shapes(inp, run)
    if problems:
        return problems
    problems += _float64("w", run["w"]) + _float64("losses", run["losses"])
    problems += compare("losses[-1] (the full-data loss at the returned w)", run["losses"][-1],
                        _loss(X, y, run["w"]), rtol=1e-10, atol=1e-14)
    X2, y2, w02 = (np.array(inp[k], dtype=np.float64) for k in ("X", "y", "w0"))
    shift_inputs(X2, y2, w02)
    w, losses = _full_batch(X2, y2, w02, inp["learning_rate"], inp["epochs"])
    again = run["again"]
    if (again["w"].shape != w.shape or again["losses"].shape != (len(losses),)
            or compare("w", again["w"], w, rtol=1e-9, atol=1e-12)
            or compare("losses", again["losses"], losses, rtol=1e-9, atol=1e-12)):
        problems.append("after changing the same X, y and w0 arrays in place by known amounts, a "
                        "second call (one full batch per epoch) did not give the result for the "
                        "changed data: the first call modified X, y or w0 in place")
    return problems


def _in_sgd_seeds(rng):
    s = [int(v) for v in rng.integers(2 ** 31, size=3)]
    return _in_sgd_random(rng, seeds=[s[0], s[0], s[1], s[2]])


def _judge_sgd_seeds(inp, obs):
    w = [run["w"] for run in obs["runs"]]
    if any(r.shape != w[0].shape for r in w):
        return ["w has a different shape from one run to the next"]
    if not np.array_equal(w[0], w[1]):
        return ["two runs with generators made from the same seed gave different w; the "
                "order must come from rng only (not from np.random's global functions)"]
    # Different orders of 4 batches of 17 random examples change w by ~1e-2; equal w means the
    # order ignored rng. A correct function fails here only if two seeds give the same sequence
    # of batches in all 3 epochs: per epoch 1 / (17! / (5!^3 2!)) < 6e-9, so for 3 pairs of
    # seeds below 3 * (6e-9)^3 < 1e-24 (FALSE_FAILURE_BOUND is 1e-6).
    if any(np.allclose(w[i], w[j], rtol=0, atol=1e-9) for i, j in [(0, 2), (0, 3), (2, 3)]):
        return ["runs with generators made from different seeds gave the same w; each epoch's "
                "order must be drawn from rng"]
    return []


def _in_sgd_convergence(rng):
    # X = sqrt(n) U diag(s) V^T with orthonormal U, V and s in [0.8, 1.4]: the eigenvalues of
    # X^T X / n lie in [0.64, 1.96], so a GD step contracts by at most 1 - 2 lr 0.64 and a batch
    # step is stable (2 lr / 8 * ||X_B||^2 <= 0.0125 * 40 * 1.96 < 2) for every draw. A Gaussian
    # X instead has X^T X / n with a smallest eigenvalue below 0.3 about once in 1000 draws, and
    # correct SGD then missed the 1e-8 tolerance about once in 7000 draws (simulated).
    n, d = 40, 4
    u, _ = np.linalg.qr(rng.normal(size=(n, d)))
    v, _ = np.linalg.qr(rng.normal(size=(d, d)))
    X = math.sqrt(n) * (u * rng.uniform(0.8, 1.4, size=d)) @ v.T
    return {"X": X, "y": X @ rng.normal(size=d), "w0": np.zeros(d), "learning_rate": 0.05,
            "batch_size": 8, "epochs": 150, "seeds": [int(rng.integers(2 ** 31))]}


def _judge_sgd_convergence(inp, obs):
    # y = X w for some w, so every minibatch gradient vanishes there and SGD with this small step
    # converges to it (within 3e-15 after 150 epochs on 20000 simulated draws; the check allows
    # 1e-8).
    X, y = inp["X"], inp["y"]
    w_exact = np.linalg.lstsq(X, y, rcond=None)[0]
    run = obs["runs"][0]
    return _sgd_shapes(inp, run) or compare("the final w", run["w"], w_exact, rtol=0, atol=1e-8)


def _check(function, about, inputs, observe, judge, seeds=(0, 1, 2), sweep=200):
    """``sweep``: the seed sweep's keys (tests/grader/test_seed_sweep.py), fewer than 200 only
    where one key costs more than a few hundredths of a second over every version."""
    return Check(function=function, about=about, inputs=inputs, observe=observe, judge=judge,
                 seeds=seeds, sweep=sweep)


GROUPS = [
    Group("rel_error.values", 2, checks=(
        _check("rel_error", "random arrays of several shapes, with mixed signs", _in_rel_error_arrays,
               obs_rel_error, _judge_rel_error, seeds=(0, 1, 2, 3, 4)),
        _check("rel_error", "single numbers", _in_rel_error_numbers, obs_rel_error,
               _judge_rel_error, seeds=(0,)),
        _check("rel_error", "tiny entries, where the 1e-8 floor applies", _in_rel_error_tiny,
               obs_rel_error, _judge_rel_error),
    )),
    Group("rel_error.edge", 1, checks=(
        _check("rel_error", "all-zero and identical inputs (no nan; result 0)", _in_rel_error_zeros,
               obs_rel_error, _judge_rel_error, seeds=(0,)),
    )),
    Group("numeric_gradient.accuracy", 2, checks=(
        _check("numeric_gradient", "gradients of smooth functions of 1-D, 2-D and 3-D arrays "
               "with the default h", _in_gradient_smooth, obs_gradient_smooth,
               _judge_gradient_smooth, seeds=(0, 1, 2, 3, 4)),
    )),
    Group("numeric_gradient.formula", 1, checks=(
        _check("numeric_gradient", "the centred-difference formula with a large h on a cubic",
               _in_gradient_cubic, obs_gradient_cubic, _judge_gradient_cubic,
               seeds=(0, 1, 2, 3)),
    )),
    Group("numeric_gradient.contract", 1, checks=(
        _check("numeric_gradient", "x unchanged afterwards; a new float64 array shaped like x",
               _in_gradient_contract, obs_gradient_contract, _judge_gradient_contract),
    )),
    Group("gradient_descent.values", 2, checks=(
        _check("gradient_descent", "paths on random quadratics with a vector w0",
               lambda rng: _in_gd_quadratic(rng, matrix=False), obs_gd, _judge_gd),
        _check("gradient_descent", "paths on random quadratics with a matrix w0",
               lambda rng: _in_gd_quadratic(rng, matrix=True), obs_gd, _judge_gd),
    )),
    Group("gradient_descent.contract", 2, checks=(
        _check("gradient_descent", "num_steps=0 gives a path holding only w0", _in_gd_zero_steps,
               obs_gd, _judge_gd),
        _check("gradient_descent", "an integer w0 gives a float64 path", _in_gd_integer_w0,
               obs_gd, _judge_gd, seeds=(0,)),
        _check("gradient_descent", "w0 unchanged: after w0 += 1 a second call on the same array "
               "follows the path from w0 + 1", lambda rng: {**_in_gd_quadratic(rng, True),
                                                            "again": True},
               obs_gd, _judge_gd_again, seeds=(0,)),
    )),
    Group("minibatches.partition", 2, checks=(
        _check("minibatches", "each epoch holds every index once, in batches of the documented "
               "sizes (including batch_size 1, = n, > n, and not dividing n)", _in_mb_partition,
               obs_mb_partition, _judge_mb_partition, seeds=(0, 1), sweep=50),
    )),
    Group("minibatches.randomness", 2, checks=(
        _check("minibatches", "the order comes from rng: same seed same order, new order every "
               "epoch, different seeds different orders", _in_mb_seeds, obs_mb_seeds,
               _judge_mb_seeds, sweep=50),
        _check("minibatches", "every pair of indices shares a batch as often as in a uniformly "
               "random order", _in_mb_cooccurrence, obs_mb_cooccurrence,
               _judge_mb_cooccurrence, seeds=(0,), sweep=10),  # 2000 epochs per key
    )),
    Group("sgd_least_squares.full_batch", 1, checks=(
        _check("sgd_least_squares", "batch_size >= n: one gradient-descent step per epoch",
               _in_sgd_full_batch, obs_sgd, _judge_sgd_full_batch),
    )),
    Group("sgd_least_squares.updates", 2, checks=(
        _check("sgd_least_squares", "data whose rows are all equal (every minibatch gradient equals "
               "the full gradient)", _in_sgd_identical_rows, obs_sgd, _judge_sgd_identical_rows,
               seeds=(0, 1, 2, 3, 4), sweep=50),
        _check("sgd_least_squares", "data with orthogonal rows (each example used once per epoch)",
               _in_sgd_orthogonal_rows, obs_sgd, _judge_sgd_orthogonal_rows,
               seeds=(0, 1, 2, 3, 4), sweep=50),
    )),
    Group("sgd_least_squares.contract", 1, checks=(
        _check("sgd_least_squares", "learning_rate=0 leaves w at w0 and every loss at L(w0)",
               lambda rng: _in_sgd_random(rng, learning_rate=0.0), obs_sgd, _judge_sgd_lr_zero,
               seeds=(0,)),
        _check("sgd_least_squares", "epochs=0 returns w0 and no losses",
               lambda rng: _in_sgd_random(rng, epochs=0), obs_sgd, _judge_sgd_no_epochs,
               seeds=(0,)),
        _check("sgd_least_squares", "shapes, float64, losses[-1] = L(w), inputs unchanged",
               lambda rng: _in_sgd_random(rng, again=True), obs_sgd, _judge_sgd_contract,
               sweep=50),
        _check("sgd_least_squares", "the order comes from rng", _in_sgd_seeds, obs_sgd,
               _judge_sgd_seeds, sweep=50),
    )),
    Group("sgd_least_squares.convergence", 1, checks=(
        _check("sgd_least_squares", "convergence to the exact solution of a consistent system",
               _in_sgd_convergence, obs_sgd, _judge_sgd_convergence, seeds=(0,),
               sweep=10),  # 150 epochs per key
    )),
]
