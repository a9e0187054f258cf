"""Helpers shared by the chapter 2-3 experiments: many optimizer runs at once, and measurements
on paths (overshoot, settling time).

Every optimizer in the book updates each coordinate from that coordinate's own gradient and
state, so n runs from n starting points can share one torch tensor of shape (n, 2): the gradient
of the summed loss is, row by row, each run's own gradient. One tensor instead of n optimizers
makes a few hundred runs cost about as much as one.
"""
from __future__ import annotations

import numpy as np
import torch

from ..paths import make_torch_optimizer
from ..surfaces import Surface, get_surface

# Where the lecture's quadratic L = w1^2 / 64 + w2^2 starts its optimizer paths.
LECTURE_START = get_surface("quadratic").start


def batch_run(surface: Surface, name: str, starts, steps: int, noise_std: float = 0.0,
              seed: int = 0, record: bool = False, **hyper) -> np.ndarray:
    """Run optimizer ``name`` (torch.optim, CS231n-style keys) from every row of ``starts``.

    ``noise_std`` adds N(0, noise_std^2) to every gradient coordinate (the minibatch-noise model
    of chapter 1), drawn from a torch generator seeded with ``seed``. Returns the final points,
    shape (n, 2), or with ``record=True`` the whole history, shape (steps + 1, n, 2).
    """
    starts = np.atleast_2d(np.asarray(starts, dtype=np.float64))
    if starts.ndim != 2 or starts.shape[1] != 2:
        raise ValueError(f"starts must have shape (n, 2), got {starts.shape}")
    w = torch.tensor(starts, requires_grad=True)
    opt = make_torch_optimizer(name, [w], **hyper)
    gen = torch.Generator().manual_seed(seed)
    history = np.empty((steps + 1,) + starts.shape) if record else None
    if record:
        history[0] = starts
    for k in range(steps):
        opt.zero_grad()
        surface.loss_torch(w).sum().backward()
        if noise_std:
            w.grad += noise_std * torch.randn(w.shape, generator=gen, dtype=torch.float64)
        opt.step()
        if record:
            history[k + 1] = w.detach().numpy()
    return history if record else w.detach().numpy().copy()


def overshoot(path: np.ndarray, minimum=(0.0, 0.0)) -> float:
    """How far a path swings past the minimum: per coordinate, the largest excursion beyond the
    minimum on the far side from the start, as a fraction of the start's offset; the larger of
    the two coordinates. 0 means the path never crossed the minimum in either coordinate."""
    path = path[np.all(np.isfinite(path), axis=1)]
    offset = path[0] - np.asarray(minimum, dtype=float)
    if np.any(offset == 0):
        raise ValueError("overshoot needs a start that differs from the minimum in every "
                         f"coordinate; got start {path[0]} for minimum {minimum}")
    beyond = -np.sign(offset) * (path - np.asarray(minimum, dtype=float))
    return float(np.max(np.clip(beyond.max(axis=0), 0, None) / np.abs(offset)))


def settling_step(path: np.ndarray, target, tol: float) -> int | None:
    """First step from which the path stays within ``tol`` of ``target`` until its end (None if
    it is outside at the end, or diverged). Stricter than ``steps_to_tolerance``: a path that
    only swings through the ball does not count."""
    dist = np.linalg.norm(path - np.asarray(target, dtype=float), axis=1)
    dist[~np.isfinite(dist)] = np.inf
    outside = np.flatnonzero(dist > tol)
    if outside.size == 0:
        return 0
    return None if outside[-1] == len(dist) - 1 else int(outside[-1] + 1)


def steps_until(surface: Surface, name: str, start, tol: float, max_steps: int,
                target=(0.0, 0.0), **hyper) -> int | None:
    """Steps optimizer ``name`` needs until its iterate is first within ``tol`` of ``target``
    (None if not within ``max_steps``). Stops as soon as it gets there, so slow methods on
    badly conditioned problems cost only the steps they take."""
    w = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
    target = torch.as_tensor(np.asarray(target, dtype=np.float64))
    opt = make_torch_optimizer(name, [w], **hyper)
    for k in range(max_steps + 1):
        if torch.linalg.vector_norm(w.detach() - target) <= tol:
            return k
        if not torch.isfinite(w).all():
            return None
        opt.zero_grad()
        surface.loss_torch(w).backward()
        opt.step()
    return None
