"""Two-dimensional loss surfaces shared by the book's figures, demos and claim tests.

Each surface is written once as an expression in an array namespace ``xp`` (numpy or torch), so
the same formula gives contour grids (numpy, vectorised) and exact gradients (torch autograd,
float64). ``trainlab/js/surfaces.js`` mirrors every formula for the in-browser demos; the parity
test ``tests/test_js_parity.py`` holds the two together.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch


@dataclass(frozen=True)
class Surface:
    """A loss L(w1, w2) with default parameters, a start point and a plotting window."""

    name: str
    title: str
    formula: Callable  # formula(x, y, xp, **params) -> L, elementwise in x and y
    params: dict = field(default_factory=dict)
    start: tuple = (0.0, 0.0)
    window: tuple = (-1.0, 1.0, -1.0, 1.0)  # xmin, xmax, ymin, ymax
    minimum: tuple | None = None  # a global minimiser, when known in closed form

    def with_params(self, **params) -> "Surface":
        unknown = set(params) - set(self.params)
        if unknown:
            raise TypeError(f"surface {self.name!r} has no parameter(s) {sorted(unknown)}; "
                            f"it takes {sorted(self.params)}")
        return Surface(self.name, self.title, self.formula, {**self.params, **params},
                       self.start, self.window, self.minimum)

    def loss(self, w) -> float:
        """L at one point ``w`` (length 2), in float64."""
        w = np.asarray(w, dtype=np.float64)
        return float(self.formula(w[0], w[1], np, **self.params))

    def grid(self, x, y):
        """L on a meshgrid (numpy arrays of equal shape)."""
        return self.formula(np.asarray(x, float), np.asarray(y, float), np, **self.params)

    def loss_torch(self, w: torch.Tensor) -> torch.Tensor:
        return self.formula(w[..., 0], w[..., 1], torch, **self.params)

    def grad(self, w) -> np.ndarray:
        """Exact gradient by torch autograd in float64."""
        t = torch.tensor(np.asarray(w, dtype=np.float64), requires_grad=True)
        self.loss_torch(t).backward()
        return t.grad.numpy().copy()

    def hessian(self, w) -> np.ndarray:
        t = torch.tensor(np.asarray(w, dtype=np.float64))
        return torch.autograd.functional.hessian(self.loss_torch, t).numpy()


def _quadratic(x, y, xp, a, b):
    return a * x**2 + b * y**2


def _saddle(x, y, xp, a, b):
    # Origin is a saddle (curvature +2a along w1, -b along w2); minima at (0, +-1).
    return a * x**2 + b * (y**4 / 4 - y**2 / 2)


def _double_well(x, y, xp, tilt, b):
    # Two valleys along w1: a shallow local minimum near w1 = +0.95 and the global one near -1.
    return x**4 / 4 - x**2 / 2 + tilt * x + b * y**2


def _rosenbrock(x, y, xp, a, b):
    return (a - x) ** 2 + b * (y - x**2) ** 2


def _beale(x, y, xp):
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
            + (2.625 - x + x * y**3) ** 2)


def _two_wells(x, y, xp, narrow_depth, narrow_width, wide_depth, wide_width, bowl):
    # A narrow deep well at (-1, 0) (the global minimum) and a wide shallow one at (1, 0), inside
    # a gentle bowl that keeps every path in the window.
    return (-narrow_depth * xp.exp(-((x + 1) ** 2 + y**2) / (2 * narrow_width**2))
            - wide_depth * xp.exp(-((x - 1) ** 2 + y**2) / (2 * wide_width**2))
            + bowl * (x**2 + y**2))


def _bumpy(x, y, xp, amplitude, frequency):
    # A wide bowl with ripples: many small local minima, the global one at the origin.
    return (0.5 * (x**2 + y**2)
            + amplitude * (2 - xp.cos(frequency * x) - xp.cos(frequency * y)))


SURFACES: dict[str, Surface] = {
    s.name: s for s in [
        Surface("quadratic", "Ill-conditioned quadratic a*w1^2 + b*w2^2", _quadratic,
                {"a": 1 / 64, "b": 1.0}, start=(-9.0, 2.5), window=(-10, 10, -3, 3),
                minimum=(0.0, 0.0)),
        Surface("saddle", "Saddle at the origin, minima at (0, +-1)", _saddle,
                {"a": 0.5, "b": 1.0}, start=(-1.5, 1e-3), window=(-2, 2, -1.6, 1.6),
                minimum=(0.0, 1.0)),
        Surface("double_well", "Tilted double well: a local and a global minimum", _double_well,
                {"tilt": 0.15, "b": 1.0}, start=(1.8, 0.8), window=(-2, 2, -1.2, 1.2)),
        Surface("rosenbrock", "Rosenbrock's banana valley", _rosenbrock,
                {"a": 1.0, "b": 100.0}, start=(-1.2, 1.0), window=(-2, 2, -1, 3),
                minimum=(1.0, 1.0)),
        Surface("beale", "Beale's function", _beale, {}, start=(1.0, 1.5),
                window=(-4.5, 4.5, -4.5, 4.5), minimum=(3.0, 0.5)),
        Surface("bumpy", "Bowl with ripples (many local minima)", _bumpy,
                {"amplitude": 0.3, "frequency": 2 * math.pi}, start=(2.2, 1.7),
                window=(-3, 3, -3, 3), minimum=(0.0, 0.0)),
        Surface("two_wells", "A narrow deep well and a wide shallow one", _two_wells,
                {"narrow_depth": 1.0, "narrow_width": 0.15, "wide_depth": 0.6,
                 "wide_width": 0.6, "bowl": 0.1}, start=(2.5, 2.0), window=(-3, 3, -3, 3)),
    ]
}


def get_surface(name: str, **params) -> Surface:
    """The surface called ``name``, with any parameters overridden."""
    try:
        surface = SURFACES[name]
    except KeyError:
        raise KeyError(f"unknown surface {name!r}; choose one of {sorted(SURFACES)}") from None
    return surface.with_params(**params) if params else surface
