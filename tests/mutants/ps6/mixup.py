"""Variants of mixup(x, y, alpha, rng) -> (x_mix, y_mix, lam): one lam ~ Beta(alpha, alpha) and
one permutation pi per batch; x_mix = lam x + (1 - lam) x[pi], y_mix likewise."""
import numpy as np



def wrong_lambda_per_sample(x, y, alpha, rng):
    """Draws a separate lam for every example (and returns the first)."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = rng.beta(alpha, alpha, size=len(x))
    perm = rng.permutation(len(x))
    lx = lam.reshape((-1,) + (1,) * (x.ndim - 1)).astype(x.dtype)
    ly = lam.reshape((-1,) + (1,) * (y.ndim - 1)).astype(y.dtype)
    return lx * x + (1 - lx) * x[perm], ly * y + (1 - ly) * y[perm], float(lam[0])


def wrong_labels_unmixed(x, y, alpha, rng):
    """Blends the inputs but returns the labels of the first example of each pair."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = float(rng.beta(alpha, alpha))
    perm = rng.permutation(len(x))
    return (lam * x + (1 - lam) * x[perm]).astype(x.dtype), y.copy(), lam


def wrong_labels_mixed_the_other_way(x, y, alpha, rng):
    """Gives the label weights the wrong way round: (1 - lam) y + lam y[pi]."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = float(rng.beta(alpha, alpha))
    perm = rng.permutation(len(x))
    return ((lam * x + (1 - lam) * x[perm]).astype(x.dtype),
            ((1 - lam) * y + lam * y[perm]).astype(y.dtype), lam)


def wrong_uniform_lambda(x, y, alpha, rng):
    """Draws lam uniformly from [0, 1] whatever alpha is (Beta(1, 1))."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = float(rng.random())
    perm = rng.permutation(len(x))
    return ((lam * x + (1 - lam) * x[perm]).astype(x.dtype),
            (lam * y + (1 - lam) * y[perm]).astype(y.dtype), lam)


def wrong_separate_permutations(x, y, alpha, rng):
    """Shuffles x and y with two different permutations: labels no longer match the inputs."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = float(rng.beta(alpha, alpha))
    px, py = rng.permutation(len(x)), rng.permutation(len(y))
    return ((lam * x + (1 - lam) * x[px]).astype(x.dtype),
            (lam * y + (1 - lam) * y[py]).astype(y.dtype), lam)


def wrong_neighbour_instead_of_permutation(x, y, alpha, rng):
    """Always pairs example k with example k + 1 (np.roll): not a random permutation."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = float(rng.beta(alpha, alpha))
    return ((lam * x + (1 - lam) * np.roll(x, -1, axis=0)).astype(x.dtype),
            (lam * y + (1 - lam) * np.roll(y, -1, axis=0)).astype(y.dtype), lam)


def wrong_promotes_to_float64(x, y, alpha, rng):
    """Keeps lam as a NumPy float64 array: float32 inputs come back float64."""
    if not alpha > 0 or len(x) != len(y):
        raise ValueError("bad alpha or shapes")
    lam = rng.beta(alpha, alpha, size=1)
    perm = rng.permutation(len(x))
    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm], float(lam[0])


def correct_gamma_ratio(x, y, alpha, rng):
    """Beta(alpha, alpha) as G1 / (G1 + G2) with two Gamma(alpha) draws; shuffles with rng.choice."""
    if alpha <= 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    if x.shape[0] != y.shape[0]:
        raise ValueError("x and y must have the same number of examples")
    g1, g2 = rng.gamma(alpha), rng.gamma(alpha)
    lam = float(g1 / (g1 + g2))
    perm = rng.choice(len(x), size=len(x), replace=False)
    x_mix = x * x.dtype.type(lam) + x[perm] * x.dtype.type(1 - lam)
    y_mix = y * y.dtype.type(lam) + y[perm] * y.dtype.type(1 - lam)
    return x_mix, y_mix, lam


def correct_shuffle_copy(x, y, alpha, rng):
    """Shuffles an index array in place and mixes with np.add."""
    if not alpha > 0:
        raise ValueError("alpha must be > 0")
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    idx = np.arange(len(x))
    rng.shuffle(idx)
    lam = float(rng.beta(alpha, alpha))
    return (np.add(lam * x, (1 - lam) * x[idx]).astype(x.dtype),
            np.add(lam * y, (1 - lam) * y[idx]).astype(y.dtype), lam)
