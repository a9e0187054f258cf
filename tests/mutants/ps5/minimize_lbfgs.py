"""Variants of minimize_lbfgs(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8): L-BFGS
with Armijo backtracking from t = 1 (c1 = 1e-4, halving, at most 30 halvings), pairs kept when
y^T s > 1e-10. The variants call the student's lbfgs_direction by name, as notebook code would."""
import numpy as np


def wrong_gradient_descent(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """Never stores pairs: gradient descent with the same line search."""
    w = np.array(w0, dtype=float)
    f, g = f_and_grad(w)
    losses = [float(f)]
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = -g
        t = 1.0
        for _ in range(31):
            w_new = w + t * d
            f_new, g_new = f_and_grad(w_new)
            if f_new <= f + 1e-4 * t * (g @ d):
                break
            t *= 0.5
        else:
            break
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses


def wrong_oldest_pairs_kept(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """Keeps the first history_size pairs forever instead of the newest ones."""
    w = np.array(w0, dtype=float)
    f, g = f_and_grad(w)
    losses = [float(f)]
    S, Y = [], []
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = lbfgs_direction(g, S[:history_size], Y[:history_size])
        t = 1.0
        for _ in range(31):
            w_new = w + t * d
            f_new, g_new = f_and_grad(w_new)
            if f_new <= f + 1e-4 * t * (g @ d):
                break
            t *= 0.5
        else:
            break
        s, y = w_new - w, g_new - g
        if y @ s > 1e-10:
            S.append(s)
            Y.append(y)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses


def wrong_no_line_search(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """Always takes the full step t = 1 (can go uphill or diverge)."""
    w = np.array(w0, dtype=float)
    f, g = f_and_grad(w)
    losses = [float(f)]
    S, Y = [], []
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = lbfgs_direction(g, S[-history_size:], Y[-history_size:])
        w_new = w + d
        f_new, g_new = f_and_grad(w_new)
        s, y = w_new - w, g_new - g
        if y @ s > 1e-10:
            S.append(s)
            Y.append(y)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses


def wrong_losses_missing_start(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """Right iterates, but losses holds only the accepted iterations (no f(w0))."""
    w = np.array(w0, dtype=float)
    f, g = f_and_grad(w)
    losses = []
    S, Y = [], []
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = lbfgs_direction(g, S[-history_size:], Y[-history_size:])
        t = 1.0
        for _ in range(31):
            w_new = w + t * d
            f_new, g_new = f_and_grad(w_new)
            if f_new <= f + 1e-4 * t * (g @ d):
                break
            t *= 0.5
        else:
            break
        s, y = w_new - w, g_new - g
        if y @ s > 1e-10:
            S.append(s)
            Y.append(y)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses


def wrong_ascent_direction(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """Steps along +lbfgs_direction with a line search that accepts any step (f_new <= f + ...
    with the slope's sign dropped)."""
    w = np.array(w0, dtype=float)
    f, g = f_and_grad(w)
    losses = [float(f)]
    S, Y = [], []
    for _ in range(max_iter):
        if np.max(np.abs(g)) <= tol:
            break
        d = -lbfgs_direction(g, S[-history_size:], Y[-history_size:])
        t = 1.0
        for _ in range(31):
            w_new = w + t * d
            f_new, g_new = f_and_grad(w_new)
            if f_new <= f + 1e-4 * t * abs(g @ d):
                break
            t *= 0.5
        else:
            break
        s, y = w_new - w, g_new - g
        if y @ s > 1e-10:
            S.append(s)
            Y.append(y)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses


def correct_while_loop(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """The same algorithm with while loops and a deque for the history."""
    from collections import deque

    w = np.asarray(w0, dtype=float).copy()
    f, g = f_and_grad(w)
    losses = [float(f)]
    S, Y = deque(maxlen=history_size), deque(maxlen=history_size)
    it = 0
    while it < max_iter and np.max(np.abs(g)) > tol:
        d = lbfgs_direction(g, list(S), list(Y))
        t, halvings = 1.0, 0
        while True:
            f_new, g_new = f_and_grad(w + t * d)
            if f_new <= f + 1e-4 * t * np.dot(g, d):
                break
            if halvings == 30:
                return w, losses
            t, halvings = t / 2, halvings + 1
        w_new = w + t * d
        if np.dot(g_new - g, w_new - w) > 1e-10:
            S.append(w_new - w)
            Y.append(g_new - g)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
        it += 1
    return w, losses


def correct_step_by_backtracking_helper(f_and_grad, w0, history_size=10, max_iter=100, tol=1e-8):
    """The line search in a nested helper that returns the accepted point, pairs trimmed by
    index after each append."""
    def armijo(w, f, g, d):
        t = 1.0
        for _ in range(31):
            f_new, g_new = f_and_grad(w + t * d)
            if f_new <= f + 1e-4 * t * float(g @ d):
                return w + t * d, f_new, g_new
            t = 0.5 * t
        return None

    w = np.array(w0, dtype=np.float64)
    f, g = f_and_grad(w)
    losses = [float(f)]
    S, Y = [], []
    for _ in range(max_iter):
        if np.abs(g).max() <= tol:
            break
        accepted = armijo(w, f, g, lbfgs_direction(g, S, Y))
        if accepted is None:
            break
        w_new, f_new, g_new = accepted
        if (g_new - g) @ (w_new - w) > 1e-10:
            S.append(w_new - w)
            Y.append(g_new - g)
            if len(S) > history_size:
                S.pop(0)
                Y.pop(0)
        w, f, g = w_new, f_new, g_new
        losses.append(float(f))
    return w, losses
