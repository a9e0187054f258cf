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
