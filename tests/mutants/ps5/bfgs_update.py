"""Variants of bfgs_update(H_inv, s, y):
(I - rho s y^T) H_inv (I - rho y s^T) + rho s s^T, rho = 1 / (y^T s)."""
import numpy as np


def wrong_transposed_terms(H_inv, s, y):
    """(I - rho y s^T) H_inv (I - rho s y^T) + rho s s^T: the outer products transposed."""
    rho = 1.0 / (y @ s)
    I = np.eye(len(s))
    return (I - rho * np.outer(y, s)) @ H_inv @ (I - rho * np.outer(s, y)) + rho * np.outer(s, s)


def wrong_missing_rank_one(H_inv, s, y):
    """Leaves out the + rho s s^T term."""
    rho = 1.0 / (y @ s)
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H_inv @ (I - rho * np.outer(y, s))


def wrong_rho_without_inverse(H_inv, s, y):
    """rho = y^T s instead of 1 / (y^T s)."""
    rho = y @ s
    I = np.eye(len(s))
    return (I - rho * np.outer(s, y)) @ H_inv @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)


def wrong_s_and_y_swapped(H_inv, s, y):
    """The update of the Hessian estimate's formula with s and y exchanged (DFP-like mix-up)."""
    rho = 1.0 / (y @ s)
    I = np.eye(len(s))
    return (I - rho * np.outer(y, s)) @ H_inv @ (I - rho * np.outer(s, y)) + rho * np.outer(y, y)


def wrong_in_place(H_inv, s, y):
    """Right value, but writes it into the caller's H_inv."""
    rho = 1.0 / (y @ s)
    I = np.eye(len(s))
    H_inv[...] = (I - rho * np.outer(s, y)) @ H_inv @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
    return H_inv


def correct_expanded(H_inv, s, y):
    """The expanded form H + (s^T y + y^T H y) s s^T / (s^T y)^2 - (H y s^T + s y^T H) / s^T y."""
    sy = s @ y
    Hy = H_inv @ y
    return (H_inv + (sy + y @ Hy) * np.outer(s, s) / sy**2
            - (np.outer(Hy, s) + np.outer(s, Hy)) / sy)


def correct_with_loops(H_inv, s, y):
    """The product written with explicit matrices built row by row."""
    n = len(s)
    rho = 1.0 / float(np.dot(y, s))
    A = np.eye(n)
    for i in range(n):
        for j in range(n):
            A[i, j] -= rho * s[i] * y[j]
    return A @ H_inv @ A.T + rho * np.outer(s, s)
