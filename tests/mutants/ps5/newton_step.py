"""Variants of newton_step(w, grad, hess): w - H^{-1} g."""
import numpy as np


def wrong_sign(w, grad, hess):
    """w + H^{-1} g: steps to the maximum of the quadratic model's mirror image."""
    return w + np.linalg.solve(hess, grad)


def wrong_hessian_not_inverse(w, grad, hess):
    """w - H g: multiplies by the Hessian instead of solving with it."""
    return w - hess @ grad


def wrong_gradient_step(w, grad, hess):
    """w - g: ignores the Hessian (gradient descent with learning rate 1)."""
    return w - grad


def wrong_transposed_solve(w, grad, hess):
    """w - H^{-T} g: solves with the transpose (equal only for symmetric H)."""
    return w - np.linalg.solve(hess.T, grad)


def wrong_diagonal_only(w, grad, hess):
    """w - g / diag(H): keeps only the Hessian's diagonal."""
    return w - grad / np.diag(hess)


def wrong_in_place(w, grad, hess):
    """Right value, but updates w in place (the caller's array changes)."""
    w -= np.linalg.solve(hess, grad)
    return w


def correct_explicit_inverse(w, grad, hess):
    """Forms H^{-1} with np.linalg.inv, then multiplies (slower, still right)."""
    return w - np.linalg.inv(hess) @ grad


def correct_lstsq(w, grad, hess):
    """Solves H d = g by least squares."""
    d = np.linalg.lstsq(hess, grad, rcond=None)[0]
    return w - d
