"""Small synthetic data sets made on the spot (nothing is downloaded)."""
from __future__ import annotations

import numpy as np


def linear_regression(n: int, d: int, noise: float, rng: np.random.Generator):
    """X (n, d) with standard-normal features, w_true ~ N(0, I), y = X w_true + noise * N(0, 1).

    Returns (X, y, w_true), all float64.
    """
    if n < 1 or d < 1:
        raise ValueError(f"need n >= 1 and d >= 1, got n={n}, d={d}")
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + noise * rng.standard_normal(n)
    return X, y, w_true


def spirals(n: int, classes: int, noise: float, rng: np.random.Generator):
    """``classes`` interleaved spiral arms in 2-D, n // classes points each (CS231n's toy data).

    Returns (X (m, 2) float64, y (m,) int64) with m = classes * (n // classes).
    """
    if classes < 2 or n < classes:
        raise ValueError(f"need classes >= 2 and n >= classes, got n={n}, classes={classes}")
    k = n // classes
    X, y = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, k)
        theta = c * 2 * np.pi / classes + np.linspace(0.0, 3.5, k) + noise * rng.standard_normal(k)
        X.append(np.c_[r * np.sin(theta), r * np.cos(theta)])
        y.append(np.full(k, c))
    return np.concatenate(X), np.concatenate(y).astype(np.int64)


def gaussian_blobs(n: int, d: int, classes: int, spread: float, rng: np.random.Generator):
    """n points in d dimensions around ``classes`` random centres (N(0, 4 I)), each point the
    centre of its class plus spread * N(0, I). Returns (X (n, d) float64, y (n,) int64)."""
    if n < 1 or d < 1 or classes < 2:
        raise ValueError(f"need n >= 1, d >= 1, classes >= 2, got n={n}, d={d}, classes={classes}")
    centres = 2.0 * rng.standard_normal((classes, d))
    y = rng.integers(0, classes, n)
    return centres[y] + spread * rng.standard_normal((n, d)), y.astype(np.int64)


def wavy_regression(n: int, noise: float, rng: np.random.Generator):
    """1-D regression: x ~ U(-3, 3), y = sin(2x) + 0.3 x + noise * N(0, 1).
    Returns (X (n, 1), y (n,)), float64."""
    if n < 1:
        raise ValueError(f"need n >= 1, got n={n}")
    x = rng.uniform(-3.0, 3.0, n)
    return x[:, None], np.sin(2 * x) + 0.3 * x + noise * rng.standard_normal(n)
