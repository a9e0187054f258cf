"""Variants of cosine_decay(t, base_lr, total_steps, min_lr=0.0):
min_lr + (base_lr - min_lr)(1 + cos(pi t / total_steps)) / 2 up to total_steps, min_lr after."""
import math

import numpy as np


def wrong_rises_after_the_end(t, base_lr, total_steps, min_lr=0.0):
    """torch's CosineAnnealingLR formula for every t: climbs back up after total_steps."""
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * t / total_steps)) / 2


def wrong_min_lr_not_subtracted(t, base_lr, total_steps, min_lr=0.0):
    """min_lr + base_lr * (...) / 2: starts at base_lr + min_lr."""
    if t >= total_steps:
        return min_lr
    return min_lr + base_lr * (1 + math.cos(math.pi * t / total_steps)) / 2


def wrong_off_by_one_t(t, base_lr, total_steps, min_lr=0.0):
    """cos(pi (t + 1) / total_steps): the first step already decayed."""
    if t + 1 >= total_steps:
        return min_lr
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * (t + 1) / total_steps)) / 2


def wrong_total_minus_one(t, base_lr, total_steps, min_lr=0.0):
    """Reaches min_lr at total_steps - 1 (divides by total_steps - 1)."""
    if t >= total_steps - 1:
        return min_lr
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * t / (total_steps - 1))) / 2


def wrong_full_period(t, base_lr, total_steps, min_lr=0.0):
    """cos(2 pi t / total_steps): a whole period, back at base_lr by the end."""
    if t >= total_steps:
        return min_lr
    return min_lr + (base_lr - min_lr) * (1 + math.cos(2 * math.pi * t / total_steps)) / 2


def wrong_sign(t, base_lr, total_steps, min_lr=0.0):
    """(1 - cos): rises from min_lr to base_lr."""
    if t >= total_steps:
        return min_lr
    return min_lr + (base_lr - min_lr) * (1 - math.cos(math.pi * t / total_steps)) / 2


def correct_clip_t(t, base_lr, total_steps, min_lr=0.0):
    """Clips t to total_steps, then the formula (cos(pi) = -1 gives min_lr)."""
    s = min(t, total_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * s / total_steps))


def correct_cos_squared(t, base_lr, total_steps, min_lr=0.0):
    """(1 + cos x) / 2 = cos^2(x / 2)."""
    if t > total_steps:
        return min_lr
    return min_lr + (base_lr - min_lr) * math.cos(math.pi * t / (2 * total_steps)) ** 2
