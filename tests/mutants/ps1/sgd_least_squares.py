"""Variants of sgd_least_squares(X, y, w0, learning_rate, batch_size, epochs, rng) -> (w, losses).

Several call ``minibatches`` by name, like notebook code: run them through variant_source.
"""
import numpy as np


def wrong_sum_not_mean(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Sums the per-example gradients over the batch instead of averaging them."""
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(epochs):
        for b in minibatches(len(X), batch_size, rng):  # noqa: F821 (the notebook's)
            w = w - learning_rate * 2 * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_no_factor_2(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Drops the 2 of the derivative of the square."""
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(epochs):
        for b in minibatches(len(X), batch_size, rng):  # noqa: F821
            w = w - learning_rate / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_loss_before_epoch(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Records the loss at the start of each epoch instead of after it."""
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(epochs):
        losses.append(np.mean((X @ w - y) ** 2))
        for b in minibatches(len(X), batch_size, rng):  # noqa: F821
            w = w - learning_rate * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
    return w, np.array(losses)


def wrong_modifies_w0(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Updates w0 in place and returns it."""
    w = w0
    losses = np.zeros(epochs)
    for e in range(epochs):
        for b in minibatches(len(X), batch_size, rng):  # noqa: F821
            w -= learning_rate * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses[e] = np.mean((X @ w - y) ** 2)
    return w, losses


def wrong_divides_by_n(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Scales every minibatch gradient by 2/n (the full-data factor) instead of 2/len(B)."""
    w = np.array(w0, dtype=float)
    n = len(X)
    losses = []
    for _ in range(epochs):
        for b in minibatches(n, batch_size, rng):  # noqa: F821
            w = w - learning_rate * 2 / n * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_drops_last_batch(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Inlined shuffling that skips the last, smaller batch."""
    w = np.array(w0, dtype=float)
    n = len(X)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            b = order[start:start + batch_size]
            w = w - learning_rate * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_sign(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Residual y - Xw instead of Xw - y: steps uphill."""
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(epochs):
        for b in minibatches(len(X), batch_size, rng):  # noqa: F821
            w = w - learning_rate * 2 / len(b) * X[b].T @ (y[b] - X[b] @ w)
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_global_random(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Inlined shuffling with np.random's global state instead of rng."""
    w = np.array(w0, dtype=float)
    n = len(X)
    losses = []
    for _ in range(epochs):
        order = np.random.permutation(n)
        for start in range(0, n, batch_size):
            b = order[start:start + batch_size]
            w = w - learning_rate * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_with_replacement(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Samples each batch's examples with replacement (rng.integers)."""
    w = np.array(w0, dtype=float)
    n = len(X)
    losses = []
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            b = rng.integers(0, n, size=min(batch_size, n - start))
            w = w - learning_rate * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def wrong_full_batch_only(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Ignores batch_size: one full-gradient step per epoch."""
    w = np.array(w0, dtype=float)
    n = len(X)
    losses = []
    for _ in range(epochs):
        w = w - learning_rate * 2 / n * X.T @ (X @ w - y)
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def correct_in_place_on_copy(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Calls minibatches, updates a copy of w0 in place, collects losses in a list."""
    w = w0.astype(np.float64).copy()
    losses = []
    for _ in range(epochs):
        for batch in minibatches(X.shape[0], batch_size, rng):  # noqa: F821
            xb, yb = X[batch], y[batch]
            w -= learning_rate * 2.0 * xb.T.dot(xb.dot(w) - yb) / xb.shape[0]
        r = X.dot(w) - y
        losses.append(r.dot(r) / len(y))
    return w, np.array(losses, dtype=np.float64)


def correct_inlined_per_example(X, y, w0, learning_rate, batch_size, epochs, rng):
    """Shuffles with rng.permutation itself and averages per-example gradients (einsum)."""
    n = len(y)
    w = np.array(w0, dtype=np.float64)
    losses = np.zeros(epochs)
    for epoch in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            b = order[start:start + batch_size]
            per_example = 2 * np.einsum("i,ij->ij", X[b] @ w - y[b], X[b])
            w = w - learning_rate * per_example.mean(axis=0)
        losses[epoch] = ((X @ w - y) ** 2).mean()
    return w, losses
