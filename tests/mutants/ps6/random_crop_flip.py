"""Variants of random_crop_flip(images, size, rng) -> (N, C, size, size): per image a crop with
its top-left corner uniform over all valid positions, mirrored left-right with probability 1/2."""
import numpy as np



def wrong_vertical_flip(images, size, rng):
    """Flips upside down (reverses the rows) instead of left-right."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    n, c, h, w = images.shape
    out = np.empty((n, c, size, size), images.dtype)
    for k in range(n):
        i, j = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        crop = images[k, :, i:i + size, j:j + size]
        out[k] = crop[:, ::-1, :] if rng.random() < 0.5 else crop
    return out


def wrong_never_the_last_offset(images, size, rng):
    """Draws corners with rng.integers(0, H - size): the last row and column offsets never occur."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    n, c, h, w = images.shape
    out = np.empty((n, c, size, size), images.dtype)
    for k in range(n):
        i, j = rng.integers(0, max(1, h - size)), rng.integers(0, max(1, w - size))
        crop = images[k, :, i:i + size, j:j + size]
        out[k] = crop[..., ::-1] if rng.random() < 0.5 else crop
    return out


def wrong_one_crop_for_the_batch(images, size, rng):
    """One corner and one coin for the whole batch."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    _, _, h, w = images.shape
    i, j = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
    out = images[:, :, i:i + size, j:j + size]
    return (out[..., ::-1] if rng.random() < 0.5 else out).copy()


def wrong_same_row_and_column_offset(images, size, rng):
    """Uses one random offset for both the row and the column (crops only along the diagonal)."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    n, c, h, w = images.shape
    out = np.empty((n, c, size, size), images.dtype)
    for k in range(n):
        i = rng.integers(0, min(h, w) - size + 1)
        crop = images[k, :, i:i + size, i:i + size]
        out[k] = crop[..., ::-1] if rng.random() < 0.5 else crop
    return out


def wrong_always_flips(images, size, rng):
    """Mirrors every crop."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    n, c, h, w = images.shape
    out = np.empty((n, c, size, size), images.dtype)
    for k in range(n):
        i, j = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        out[k] = images[k, :, i:i + size, j:j + size][..., ::-1]
    return out


def wrong_centre_crop_only(images, size, rng):
    """Always the centre crop, randomly flipped: no random position."""
    if images.ndim != 4 or not 1 <= size <= min(images.shape[2:]):
        raise ValueError("bad images or size")
    n, c, h, w = images.shape
    i, j = (h - size) // 2, (w - size) // 2
    out = images[:, :, i:i + size, j:j + size].copy()
    flip = rng.random(n) < 0.5
    out[flip] = out[flip][..., ::-1]
    return out


def correct_vectorised(images, size, rng):
    """Draws all corners and coins at once and gathers the crops with fancy indexing."""
    if images.ndim != 4:
        raise ValueError("images must be 4-D (N, C, H, W)")
    n, c, h, w = images.shape
    if size < 1 or size > h or size > w:
        raise ValueError(f"size must be in [1, min(H, W)], got {size}")
    tops = rng.integers(0, h - size + 1, size=n)
    lefts = rng.integers(0, w - size + 1, size=n)
    flips = rng.random(n) < 0.5
    rows = tops[:, None] + np.arange(size)[None, :]
    cols = lefts[:, None] + np.arange(size)[None, :]
    cols = np.where(flips[:, None], cols[:, ::-1], cols)
    return images[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None],
                  rows[:, None, :, None], cols[:, None, None, :]]


def correct_choice_and_flip(images, size, rng):
    """Picks corners with rng.choice and mirrors with np.flip."""
    if images.ndim != 4:
        raise ValueError("expected (N, C, H, W)")
    n, c, h, w = images.shape
    if not (0 < size <= min(h, w)):
        raise ValueError("size out of range")
    crops = []
    for k in range(n):
        i = rng.choice(h - size + 1)
        j = rng.choice(w - size + 1)
        crop = images[k, :, i:i + size, j:j + size].copy()
        if rng.integers(0, 2) == 1:
            crop = np.flip(crop, axis=2)
        crops.append(crop)
    return np.stack(crops).astype(images.dtype)
