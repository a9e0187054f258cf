"""Variants of dropout_forward(x, p, train, rng) -> (out, mask): inverted dropout, p = drop
probability; mask holds 0 or 1 / (1 - p) per entry, out = x * mask; test mode returns (x, None)."""
import numpy as np


def wrong_keep_probability(x, p, train, rng):
    """Reads p as the keep probability (CS231n's convention): drops with probability 1 - p."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) < p).astype(x.dtype) / x.dtype.type(p)
    return x * mask, mask


def wrong_no_scaling(x, p, train, rng):
    """Drops correctly but keeps the survivors at their value (mask 0 or 1, not 1 / (1 - p))."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * mask, mask


def wrong_scales_at_test_time(x, p, train, rng):
    """Inverted scaling in training and the old (1 - p) scaling at test time as well."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x * x.dtype.type(1 - p), None
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def wrong_one_mask_for_the_batch(x, p, train, rng):
    """Draws one mask for the first example and reuses it for every example in the batch."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    one = (rng.random(x.shape[1:]) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    mask = np.broadcast_to(one, x.shape).copy()
    return x * mask, mask


def wrong_divides_by_p(x, p, train, rng):
    """Scales the kept entries by 1 / p (the same as 1 / (1 - p) only at p = 1/2)."""
    if not 0 < p < 1:
        raise ValueError("p must be in (0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(p)
    return x * mask, mask


def wrong_promotes_to_float64(x, p, train, rng):
    """Divides by np.float64(1 - p): a float32 x gives a float64 mask and output."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p) / np.float64(1 - p)
    return x * mask, mask


def wrong_modifies_x(x, p, train, rng):
    """Multiplies x by the mask in place and returns it."""
    if not 0 <= p < 1:
        raise ValueError("p must be in [0, 1)")
    if not train:
        return x, None
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    x *= mask
    return x, mask


def wrong_accepts_p_one(x, p, train, rng):
    """Accepts any p without complaint (p = 1 divides by zero, p < 0 keeps everything)."""
    if not train:
        return x, None
    with np.errstate(divide="ignore", invalid="ignore"):
        mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def correct_binomial(x, p, train, rng):
    """Draws the keep indicators with rng.binomial and scales them."""
    if not (0 <= p < 1):
        raise ValueError(f"p must satisfy 0 <= p < 1, got {p}")
    if not train:
        return x, None
    mask = (rng.binomial(1, 1 - p, size=x.shape) / (1 - p)).astype(x.dtype)
    return (x * mask).astype(x.dtype), mask


def correct_where(x, p, train, rng):
    """Builds the mask with np.where and returns a copy of x at test time."""
    if p < 0 or p >= 1:
        raise ValueError("the drop probability p must be in [0, 1)")
    if not train:
        return x.copy(), None
    scale = 1.0 / (1.0 - p)
    mask = np.where(rng.random(x.shape) < p, 0.0, scale).astype(x.dtype)
    return x * mask, mask
