"""Variants of dropout_backward(dout, mask) -> dx: dout * mask, or dout when mask is None."""
import numpy as np


def wrong_ignores_the_mask(dout, mask):
    """Passes the gradient through unchanged, as if dropout were the identity in training too."""
    return dout


def wrong_drops_the_scaling(dout, mask):
    """Zeroes the dropped entries but forgets the 1 / (1 - p) factor of the kept ones."""
    if mask is None:
        return dout
    return dout * (mask != 0)


def wrong_zero_at_test_time(dout, mask):
    """Returns zeros when there is no mask (test time) instead of dout."""
    if mask is None:
        return np.zeros_like(dout)
    return dout * mask


def wrong_returns_the_mask(dout, mask):
    """Returns the mask itself (the derivative of x * mask without the chain rule)."""
    if mask is None:
        return np.ones_like(dout)
    return mask.copy()


def wrong_divides_by_the_mask(dout, mask):
    """Divides by the mask where it is non-zero (the inverse of the forward scaling)."""
    if mask is None:
        return dout
    safe = np.where(mask == 0, 1, mask)
    return np.where(mask == 0, 0, dout / safe).astype(dout.dtype)


def correct_multiply(dout, mask):
    """np.multiply into a new array."""
    return dout if mask is None else np.multiply(dout, mask)


def correct_where(dout, mask):
    """Zeroes with np.where, then scales by the kept value."""
    if mask is None:
        return dout.copy()
    return np.where(mask == 0, 0, dout * mask).astype(dout.dtype)
