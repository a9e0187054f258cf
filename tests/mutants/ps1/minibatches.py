"""Variants of minibatches(n, batch_size, rng): one epoch's index batches, order from rng."""
import numpy as np


def wrong_drops_last_batch(n, batch_size, rng):
    """Drops the last, smaller batch when batch_size does not divide n."""
    order = rng.permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):
        yield order[start:start + batch_size]


def wrong_with_replacement(n, batch_size, rng):
    """Draws n indices with replacement: some repeat, some never appear."""
    order = rng.integers(0, n, size=n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def wrong_global_random(n, batch_size, rng):
    """Shuffles with np.random's global state, ignoring rng."""
    order = np.random.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def wrong_shuffled_blocks(n, batch_size, rng):
    """Shuffles the order of contiguous blocks; the members of each batch never change."""
    starts = rng.permutation(np.arange(0, n, batch_size))
    for start in starts:
        yield np.arange(start, min(start + batch_size, n))


def wrong_no_shuffle(n, batch_size, rng):
    """Never shuffles: batches in index order."""
    for start in range(0, n, batch_size):
        yield np.arange(start, min(start + batch_size, n))


def wrong_fixed_seed(n, batch_size, rng):
    """Makes its own generator with a fixed seed: the same order every epoch."""
    order = np.random.default_rng(0).permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def wrong_balanced_split(n, batch_size, rng):
    """np.array_split into ceil(n / batch_size) nearly equal parts (wrong sizes)."""
    parts = -(-n // batch_size)
    yield from np.array_split(rng.permutation(n), parts)


def correct_shuffle_in_place(n, batch_size, rng):
    """rng.shuffle on an index array, batches as copies."""
    idx = np.arange(n)
    rng.shuffle(idx)
    start = 0
    while start < n:
        yield idx[start:start + batch_size].copy()
        start += batch_size


def correct_choice_without_replacement(n, batch_size, rng):
    """rng.choice(n, n, replace=False), cut with np.split at multiples of batch_size."""
    order = rng.choice(n, size=n, replace=False)
    for batch in np.split(order, np.arange(batch_size, n, batch_size)):
        yield batch


def correct_sorted_random_keys(n, batch_size, rng):
    """Sorts independent uniform keys (a uniformly random order); yield from a generator."""
    order = np.argsort(rng.random(n), kind="stable")
    yield from (order[i:i + batch_size] for i in range(0, n, batch_size))
