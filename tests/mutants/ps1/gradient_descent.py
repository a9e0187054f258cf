"""Variants of gradient_descent(grad, w0, learning_rate, num_steps) -> path."""
import numpy as np


def wrong_path_without_w0(grad, w0, learning_rate, num_steps):
    """Returns only the points after each step (num_steps rows, w0 missing)."""
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(num_steps):
        w = w - learning_rate * grad(w)
        path.append(w)
    return np.array(path)


def wrong_sign(grad, w0, learning_rate, num_steps):
    """Steps uphill: w + learning_rate * grad(w)."""
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(num_steps):
        w = w + learning_rate * grad(w)
        path.append(w)
    return np.array(path)


def wrong_aliased_rows(grad, w0, learning_rate, num_steps):
    """Updates one array in place and stores that same array for every step."""
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(num_steps):
        w -= learning_rate * grad(w)
        path.append(w)
    return np.array(path)


def wrong_one_step_short(grad, w0, learning_rate, num_steps):
    """Takes num_steps - 1 steps (off by one in the loop)."""
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(1, num_steps):
        w = w - learning_rate * grad(w)
        path.append(w)
    return np.array(path)


def wrong_modifies_w0(grad, w0, learning_rate, num_steps):
    """Updates w0 itself in place (the path is right, the caller's w0 is overwritten)."""
    w = w0
    path = [w.copy()]
    for _ in range(num_steps):
        w -= learning_rate * grad(w)
        path.append(w.copy())
    return np.array(path, dtype=float)


def wrong_gradient_at_start(grad, w0, learning_rate, num_steps):
    """Evaluates the gradient at w0 on every step instead of at the current point."""
    w = np.array(w0, dtype=float)
    g = grad(w)
    path = [w]
    for _ in range(num_steps):
        w = w - learning_rate * g
        path.append(w)
    return np.array(path)


def wrong_keeps_input_dtype(grad, w0, learning_rate, num_steps):
    """Allocates the path with w0's dtype: an integer w0 truncates every step."""
    path = np.zeros((num_steps + 1,) + w0.shape, dtype=w0.dtype)
    path[0] = w0
    for k in range(num_steps):
        path[k + 1] = path[k] - learning_rate * grad(path[k])
    return path


def correct_preallocated(grad, w0, learning_rate, num_steps):
    """Fills a preallocated float64 array row by row."""
    path = np.empty((num_steps + 1,) + np.shape(w0), dtype=np.float64)
    path[0] = w0
    for k in range(num_steps):
        path[k + 1] = path[k] - learning_rate * grad(path[k])
    return path


def correct_accumulate(grad, w0, learning_rate, num_steps):
    """itertools.accumulate over the steps, with an in-place update on copies."""
    import itertools

    def step(w, _):
        w = w.copy()
        w -= learning_rate * grad(w)
        return w

    start = np.array(w0, dtype=np.float64)
    return np.array(list(itertools.accumulate(range(num_steps), step, initial=start)))
