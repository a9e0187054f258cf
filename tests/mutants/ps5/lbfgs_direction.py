"""Variants of lbfgs_direction(grad, s_list, y_list): the two-loop recursion, -H g."""
import numpy as np


def wrong_loops_in_wrong_order(grad, s_list, y_list):
    """First loop oldest to newest, second newest to oldest."""
    q = np.array(grad, dtype=float)
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in range(n):
        a[i] = rho[i] * (s_list[i] @ q)
        q = q - a[i] * y_list[i]
    gamma = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) if n else 1.0
    r = gamma * q
    for i in reversed(range(n)):
        b = rho[i] * (y_list[i] @ r)
        r = r + (a[i] - b) * s_list[i]
    return -r


def wrong_gamma_from_oldest(grad, s_list, y_list):
    """Scales by gamma of the oldest pair instead of the newest."""
    q = np.array(grad, dtype=float)
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in reversed(range(n)):
        a[i] = rho[i] * (s_list[i] @ q)
        q = q - a[i] * y_list[i]
    gamma = (s_list[0] @ y_list[0]) / (y_list[0] @ y_list[0]) if n else 1.0
    r = gamma * q
    for i in range(n):
        b = rho[i] * (y_list[i] @ r)
        r = r + (a[i] - b) * s_list[i]
    return -r


def wrong_no_gamma(grad, s_list, y_list):
    """Starts the second loop from q itself (gamma = 1 always)."""
    q = np.array(grad, dtype=float)
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in reversed(range(n)):
        a[i] = rho[i] * (s_list[i] @ q)
        q = q - a[i] * y_list[i]
    r = q
    for i in range(n):
        b = rho[i] * (y_list[i] @ r)
        r = r + (a[i] - b) * s_list[i]
    return -r


def wrong_sign(grad, s_list, y_list):
    """Returns H g (an ascent direction) instead of -H g."""
    q = np.array(grad, dtype=float)
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in reversed(range(n)):
        a[i] = rho[i] * (s_list[i] @ q)
        q = q - a[i] * y_list[i]
    gamma = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) if n else 1.0
    r = gamma * q
    for i in range(n):
        b = rho[i] * (y_list[i] @ r)
        r = r + (a[i] - b) * s_list[i]
    return r


def wrong_s_and_y_swapped_in_loops(grad, s_list, y_list):
    """Uses y where s belongs and s where y belongs inside both loops."""
    q = np.array(grad, dtype=float)
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in reversed(range(n)):
        a[i] = rho[i] * (y_list[i] @ q)
        q = q - a[i] * s_list[i]
    gamma = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) if n else 1.0
    r = gamma * q
    for i in range(n):
        b = rho[i] * (s_list[i] @ r)
        r = r + (a[i] - b) * y_list[i]
    return -r


def wrong_modifies_grad(grad, s_list, y_list):
    """Right value, but runs the first loop on the caller's gradient array in place."""
    q = grad
    n = len(s_list)
    rho = [1.0 / (y_list[i] @ s_list[i]) for i in range(n)]
    a = [0.0] * n
    for i in reversed(range(n)):
        a[i] = rho[i] * (s_list[i] @ q)
        q -= a[i] * y_list[i]
    gamma = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) if n else 1.0
    r = gamma * q
    for i in range(n):
        b = rho[i] * (y_list[i] @ r)
        r = r + (a[i] - b) * s_list[i]
    return -r


def correct_dense_bfgs(grad, s_list, y_list):
    """Builds the matrix: gamma I, then one BFGS update per pair, oldest first; returns -H g."""
    n = len(grad)
    if not s_list:
        return -np.array(grad, dtype=float)
    H = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1]) * np.eye(n)
    for s, y in zip(s_list, y_list):
        rho = 1.0 / (y @ s)
        V = np.eye(n) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    return -H @ grad


def correct_negated_start(grad, s_list, y_list):
    """Runs the recursion on -g (it is linear in g), returning its result directly."""
    q = -np.asarray(grad, dtype=float)
    alphas = []
    for s, y in zip(reversed(s_list), reversed(y_list)):
        alpha = (s @ q) / (y @ s)
        q = q - alpha * y
        alphas.append(alpha)
    if s_list:
        q = q * (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1])
    for (s, y), alpha in zip(zip(s_list, y_list), reversed(alphas)):
        q = q + (alpha - (y @ q) / (y @ s)) * s
    return q
