"""Variants of numeric_gradient(f, x, h=1e-5): centred differences, x unchanged."""
import numpy as np


def wrong_forward_difference(f, x, h=1e-5):
    """One-sided difference (f(x + h e_i) - f(x)) / h."""
    grad = np.zeros(x.shape)
    fx = f(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        grad[i] = (f(x) - fx) / h
        x[i] = saved
    return grad


def wrong_divides_by_h(f, x, h=1e-5):
    """Centred difference divided by h instead of 2h."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        fp = f(x)
        x[i] = saved - h
        fm = f(x)
        x[i] = saved
        grad[i] = (fp - fm) / h
    return grad


def wrong_leaves_x_modified(f, x, h=1e-5):
    """Never puts x back: every entry ends h below its original value."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        grad[i] = (fp - fm) / (2 * h)
    return grad


def wrong_restores_by_arithmetic(f, x, h=1e-5):
    """Restores x by adding h back, which leaves rounding errors in x."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
    return grad


def wrong_ignores_h(f, x, h=1e-5):
    """Always uses a step of 1e-5, whatever h is passed."""
    step = 1e-5
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + step
        fp = f(x)
        x[i] = saved - step
        fm = f(x)
        x[i] = saved
        grad[i] = (fp - fm) / (2 * step)
    return grad


def wrong_flattens_x(f, x, h=1e-5):
    """Calls f with flattened copies of x instead of arrays shaped like x."""
    flat = x.reshape(-1).astype(float)
    grad = np.zeros(flat.shape)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad.reshape(x.shape)


def correct_nditer(f, x, h=1e-5):
    """CS231n style: np.nditer over multi-indices, the old value stored back."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad


def correct_perturbed_copies(f, x, h=1e-5):
    """Never touches x: perturbs fresh copies through their flat views."""
    grad = np.empty(x.size, dtype=np.float64)
    for k in range(x.size):
        plus = x.copy()
        minus = x.copy()
        plus.flat[k] += h
        minus.flat[k] -= h
        grad[k] = (f(plus) - f(minus)) / (2 * h)
    return grad.reshape(x.shape)
