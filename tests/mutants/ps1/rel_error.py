"""Variants of rel_error(x, y) = max |x - y| / max(1e-8, |x| + |y|)."""
import numpy as np


def wrong_abs_of_sum(x, y):
    """Denominator |x + y| instead of |x| + |y| (blows up where x = -y)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x + y))))


def wrong_mean_not_max(x, y):
    """Averages the elementwise ratios instead of taking the largest."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def wrong_no_floor(x, y):
    """No 1e-8 floor: 0/0 = nan where both entries are 0."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))


def wrong_additive_floor(x, y):
    """Adds 1e-8 to the denominator instead of flooring it at 1e-8."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / (1e-8 + np.abs(x) + np.abs(y))))


def wrong_normwise(x, y):
    """Largest difference over largest magnitude (a norm-wise error, not elementwise)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y)) / max(1e-8, np.max(np.abs(x) + np.abs(y))))


def wrong_max_of_magnitudes(x, y):
    """Denominator max(|x|, |y|) instead of |x| + |y|."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.maximum(np.abs(x), np.abs(y)))))


def correct_loop(x, y):
    """A plain Python loop over the flattened entries."""
    xs = np.ravel(np.asarray(x, dtype=float))
    ys = np.ravel(np.asarray(y, dtype=float))
    worst = 0.0
    for a, b in zip(xs, ys):
        worst = max(worst, abs(a - b) / max(1e-8, abs(a) + abs(b)))
    return float(worst)


def correct_masked_denominator(x, y):
    """Builds the denominator, then raises entries below 1e-8 to 1e-8."""
    x = np.atleast_1d(np.array(x, dtype=np.float64))
    y = np.atleast_1d(np.array(y, dtype=np.float64))
    denominator = np.abs(x) + np.abs(y)
    denominator[denominator < 1e-8] = 1e-8
    return (np.abs(x - y) / denominator).max().item()
