"""Variants of weight_penalty(W, l1=0.0, l2=0.0) -> (loss, grad): loss = l1 sum|W| + l2 sum W^2,
grad = l1 sign(W) + 2 l2 W with sign(0) = 0; negative strengths raise ValueError."""
import numpy as np



def wrong_l2_gradient_without_the_2(W, l1=0.0, l2=0.0):
    """L2 gradient l2 * W (the gradient of l2 / 2 sum W^2, torch's weight_decay convention)."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    return float(l1 * np.abs(W).sum() + l2 * (W ** 2).sum()), (l1 * np.sign(W) + l2 * W).astype(W.dtype)


def wrong_l1_subgradient_one_at_zero(W, l1=0.0, l2=0.0):
    """Uses +1 as the L1 subgradient at exactly zero (W >= 0 counts as positive)."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    sign = np.where(W >= 0, 1.0, -1.0)
    return float(l1 * np.abs(W).sum() + l2 * (W ** 2).sum()), (l1 * sign + 2 * l2 * W).astype(W.dtype)


def wrong_halved_l2_loss(W, l1=0.0, l2=0.0):
    """Loss with l2 / 2 sum W^2 but the gradient of l2 sum W^2."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    return float(l1 * np.abs(W).sum() + 0.5 * l2 * (W ** 2).sum()), (l1 * np.sign(W) + 2 * l2 * W).astype(W.dtype)


def wrong_mean_instead_of_sum(W, l1=0.0, l2=0.0):
    """Averages over the weights instead of summing (loss and gradient divided by W.size)."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    n = W.size
    return (float((l1 * np.abs(W).sum() + l2 * (W ** 2).sum()) / n),
            ((l1 * np.sign(W) + 2 * l2 * W) / n).astype(W.dtype))


def wrong_gradient_promoted_to_float64(W, l1=0.0, l2=0.0):
    """Multiplies by np.float64 strengths: a float32 W gets a float64 gradient."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    a, b = np.float64(l1), np.float64(l2)
    return float(a * np.abs(W).sum() + b * (W ** 2).sum()), a * np.sign(W) + 2 * b * W


def wrong_accepts_negative_strengths(W, l1=0.0, l2=0.0):
    """Computes the formula for any l1, l2, negative ones included (a reward for large weights)."""
    return float(l1 * np.abs(W).sum() + l2 * (W ** 2).sum()), (l1 * np.sign(W) + 2 * l2 * W).astype(W.dtype)


def wrong_swaps_l1_and_l2(W, l1=0.0, l2=0.0):
    """Applies l1 to the squared term and l2 to the absolute one."""
    if l1 < 0 or l2 < 0:
        raise ValueError("strengths must be >= 0")
    return float(l2 * np.abs(W).sum() + l1 * (W ** 2).sum()), (l2 * np.sign(W) + 2 * l1 * W).astype(W.dtype)


def correct_term_by_term(W, l1=0.0, l2=0.0):
    """Adds the two penalties one after the other."""
    if min(l1, l2) < 0:
        raise ValueError(f"l1 and l2 must be non-negative, got {l1}, {l2}")
    loss, grad = 0.0, np.zeros_like(W)
    if l1:
        loss += l1 * float(np.sum(np.abs(W)))
        grad += (l1 * np.sign(W)).astype(W.dtype)
    if l2:
        loss += l2 * float(np.sum(W * W))
        grad += (2 * l2 * W).astype(W.dtype)
    return loss, grad


def correct_explicit_subgradient(W, l1=0.0, l2=0.0):
    """Writes sign(W) as (W > 0) - (W < 0) and uses np.vdot for the squared norm."""
    if l1 < 0 or l2 < 0:
        raise ValueError("negative penalty strength")
    sign = (W > 0).astype(W.dtype) - (W < 0).astype(W.dtype)
    flat = W.ravel()
    return (float(l1 * np.abs(flat).sum() + l2 * np.vdot(flat, flat)),
            (l1 * sign + (2 * l2) * W).astype(W.dtype))
