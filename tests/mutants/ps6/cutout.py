"""Variants of cutout(images, size, rng): a copy with, per image, one square zeroed in every
channel; centre (ci, cj) uniform over all pixels; rows max(0, ci - size//2) to ci - size//2 + size
(exclusive), clipped, the same for columns."""
import numpy as np



def wrong_square_always_inside(images, size, rng):
    """Draws the top-left corner so that the whole square fits: borders are cut less often."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    n, _, h, w = images.shape
    out = images.copy()
    for k in range(n):
        i = rng.integers(0, max(1, h - size + 1))
        j = rng.integers(0, max(1, w - size + 1))
        out[k, :, i:i + size, j:j + size] = 0
    return out


def wrong_first_channel_only(images, size, rng):
    """Zeroes the square in channel 0 only."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    n, _, h, w = images.shape
    out = images.copy()
    for k in range(n):
        ci, cj = rng.integers(0, h), rng.integers(0, w)
        top, left = ci - size // 2, cj - size // 2
        out[k, 0, max(0, top):top + size, max(0, left):left + size] = 0
    return out


def wrong_one_square_for_the_batch(images, size, rng):
    """One square, the same for every image of the batch."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    _, _, h, w = images.shape
    out = images.copy()
    ci, cj = rng.integers(0, h), rng.integers(0, w)
    top, left = ci - size // 2, cj - size // 2
    out[:, :, max(0, top):top + size, max(0, left):left + size] = 0
    return out


def wrong_symmetric_extent(images, size, rng):
    """Covers ci - size//2 to ci + size//2 inclusive: one row and column too many for even sizes."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    n, _, h, w = images.shape
    out = images.copy()
    for k in range(n):
        ci, cj = rng.integers(0, h), rng.integers(0, w)
        out[k, :, max(0, ci - size // 2):ci + size // 2 + 1, max(0, cj - size // 2):cj + size // 2 + 1] = 0
    return out


def wrong_negative_start_wraps(images, size, rng):
    """Forgets to clip at 0: a square near the top or left edge slices from a negative index."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    n, _, h, w = images.shape
    out = images.copy()
    for k in range(n):
        ci, cj = rng.integers(0, h), rng.integers(0, w)
        top, left = ci - size // 2, cj - size // 2
        out[k, :, top:top + size, left:left + size] = 0
    return out


def wrong_modifies_images(images, size, rng):
    """Zeroes the squares in the input array itself and returns it."""
    if images.ndim != 4 or size < 1:
        raise ValueError("bad images or size")
    n, _, h, w = images.shape
    for k in range(n):
        ci, cj = rng.integers(0, h), rng.integers(0, w)
        top, left = ci - size // 2, cj - size // 2
        images[k, :, max(0, top):top + size, max(0, left):left + size] = 0
    return images


def correct_broadcast_mask(images, size, rng):
    """Builds a boolean (N, 1, H, W) mask from row and column ranges and multiplies."""
    if images.ndim != 4:
        raise ValueError("images must be (N, C, H, W)")
    if size < 1:
        raise ValueError("size must be at least 1")
    n, _, h, w = images.shape
    ci = rng.integers(0, h, size=n)[:, None]
    cj = rng.integers(0, w, size=n)[:, None]
    r, c = np.arange(h)[None, :], np.arange(w)[None, :]
    in_r = (r >= ci - size // 2) & (r < ci - size // 2 + size)
    in_c = (c >= cj - size // 2) & (c < cj - size // 2 + size)
    hole = in_r[:, :, None] & in_c[:, None, :]
    return np.where(hole[:, None], np.zeros((), images.dtype), images)


def correct_clipped_bounds(images, size, rng):
    """Computes clipped bounds with min/max on both ends before slicing."""
    if images.ndim != 4 or int(size) != size or size <= 0:
        raise ValueError("invalid arguments")
    out = np.array(images, copy=True)
    _, _, h, w = out.shape
    for img in out:
        ci, cj = int(rng.integers(h)), int(rng.integers(w))
        r0, r1 = max(0, ci - size // 2), min(h, ci - size // 2 + size)
        c0, c1 = max(0, cj - size // 2), min(w, cj - size // 2 + size)
        img[:, r0:r1, c0:c1] = 0
    return out
