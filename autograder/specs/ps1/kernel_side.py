"""ps1's observe stage: the only spec code that runs beside the student's, inside the sandbox.

Copied into the kernel as is (sandbox/bundle.py): nothing here may compute an expected value or
decide. Each ``obs_*(fn, inp)`` builds the callables the student's function needs from the plain
inputs, calls it on copies and records what came back as plain data.
"""
from __future__ import annotations

import itertools

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult, as_array


def _pair(out, what):
    """The (w, losses) pair a function returned, or an UnusableResult naming what came back."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise UnusableResult(f"{what} should return a pair (w, losses), got {type(out).__name__}")
    return out


def obs_rel_error(fn, inp):
    return {"results": [as_array(fn(x, y), "the result") for x, y in inp["pairs"]]}


def obs_gradient_smooth(fn, inp):
    """f(x) = 0.5 v.A.v + b.v + sum(sin v) with v = x flattened; records the shapes f was given.
    f doubles its value for an array not shaped like x, so calling it with one shows in the
    gradient's values (the shapes only explain such a failure)."""
    a, b = inp["A"], inp["b"]
    shape = np.shape(inp["x"])
    shapes = set()

    def f(z):
        shapes.add(tuple(np.shape(z)))
        v = np.reshape(np.asarray(z, dtype=np.float64), -1)
        scale = 1.0 if np.shape(z) == shape else 2.0
        return scale * float(0.5 * v @ a @ v + b @ v + np.sum(np.sin(v)))

    grad = as_array(fn(f, inp["x"]), "the gradient")
    return {"grad": grad, "f_arg_shapes": sorted(list(s) for s in shapes)}


def obs_gradient_cubic(fn, inp):
    c, d = inp["c"], inp["d"]

    def f(z):
        z = np.asarray(z, dtype=np.float64)
        return float(np.sum(c * z ** 3 + d * z ** 2))

    return {"grad": as_array(fn(f, inp["x"], h=inp["h"]), "the gradient")}


def obs_gradient_contract(fn, inp):
    """Two calls on the same x object: as given, then after ``x += 1`` in place.

    f(z) = z.Az, except that when z differs from the point the call started from in more than
    one entry (x was left changed, even by rounding, before another entry was probed) f jumps
    by 1e3 times the probed entry's step, which moves that gradient entry by about 1e3. So a
    changed x shows in the gradients, which the grader judges: within the first call, and in
    the second (its start, x + 1, is where the first call should have left x, plus 1).
    """
    a, x = inp["A"], inp["x"]
    base = np.array(x, dtype=np.float64)

    def f(z):
        v = np.reshape(np.asarray(z, dtype=np.float64), -1)
        off = v - np.reshape(base, -1)
        moved = np.flatnonzero(off)
        value = float(v @ a @ v)
        if len(moved) > 1:
            value += 1e3 * float(off[moved[np.argmax(np.abs(off[moved]))]])
        return value

    grad = as_array(fn(f, x), "the gradient")
    x += 1
    base = base + 1
    return {"grad": grad, "again": as_array(fn(f, x), "the gradient")}


def obs_gd(fn, inp):
    """grad(w) = A w - B (a quadratic with minimum A^-1 B); records the shapes grad was given.
    grad doubles for an array not shaped like w0, so calling it with one shows in the path."""
    a, b = inp["A"], inp["B"]
    shape = np.shape(inp["w0"])
    shapes = set()

    def grad(w):
        shapes.add(tuple(np.shape(w)))
        scale = 1.0 if np.shape(w) == shape else 2.0
        return scale * (a @ np.asarray(w, dtype=np.float64) - b)

    w0 = inp["w0"]
    path = as_array(fn(grad, w0, inp["learning_rate"], inp["num_steps"]), "the path")
    record = {"path": path, "grad_arg_shapes": sorted(list(s) for s in shapes)}
    if inp.get("again"):
        # The same w0 object after w0 += 1: a first call that updated w0 in place (or returned
        # it inside the path) starts this one elsewhere, and the grader sees a wrong path.
        w0 += 1
        record["again"] = as_array(fn(grad, w0, inp["learning_rate"], inp["num_steps"]), "the path")
    return record


def _take_epoch(fn, n, bs, rng):
    """The batches of one epoch as plain arrays (at most n + 1 of them, so a generator that never
    stops cannot hang the check)."""
    batches = list(itertools.islice(iter(fn(n, bs, rng)), n + 1))
    return [as_array(b, "a batch") for b in batches]


def obs_mb_partition(fn, inp):
    return {"epochs": [_take_epoch(fn, n, bs, np.random.default_rng(seed))
                       for n, bs, seed in inp["cases"]]}


def obs_mb_seeds(fn, inp):
    n, bs = inp["n"], inp["batch_size"]
    rng = np.random.default_rng(inp["seeds"][0])
    first, second = _take_epoch(fn, n, bs, rng), _take_epoch(fn, n, bs, rng)
    again = _take_epoch(fn, n, bs, np.random.default_rng(inp["seeds"][0]))
    others = [_take_epoch(fn, n, bs, np.random.default_rng(s)) for s in inp["seeds"][1:]]
    return {"first": first, "second": second, "again": again, "others": others}


COOC_N, COOC_BS, COOC_RUNS = 6, 2, 2000


def obs_mb_cooccurrence(fn, inp):
    return {"epochs": [_take_epoch(fn, COOC_N, COOC_BS, np.random.default_rng(int(s)))
                       for s in inp["seeds"]]}


def obs_sgd(fn, inp):
    """Runs sgd_least_squares once per rng seed in inp["seeds"] on fresh copies of the data."""
    runs = []
    for seed in inp["seeds"]:
        X, y, w0 = (np.array(inp[k], copy=True) for k in ("X", "y", "w0"))
        w, losses = _pair(fn(X, y, w0, inp["learning_rate"], inp["batch_size"], inp["epochs"],
                             np.random.default_rng(seed)), "sgd_least_squares")
        runs.append({"w": as_array(w, "w"), "losses": as_array(losses, "losses")})
        if inp.get("again"):
            # The same X, y, w0 objects changed in place by known amounts (row by row, so rows
            # the first call shuffled in place end up with other values), then one full batch
            # per epoch: the grader knows that path exactly, from the data as given.
            shift_inputs(X, y, w0)
            w, losses = _pair(fn(X, y, w0, inp["learning_rate"], len(X) + 1, inp["epochs"],
                                 np.random.default_rng(seed)), "sgd_least_squares")
            runs[-1]["again"] = {"w": as_array(w, "w"), "losses": as_array(losses, "losses")}
    return {"runs": runs}


def shift_inputs(X, y, w0):
    """In place: row i of X and y[i] get 0.1 i more, w0 gets 1 more."""
    rows = 0.1 * np.arange(len(X))
    X += rows[:, None]
    y += rows
    w0 += 1
