"""Variants of step_decay(t, base_lr, milestones, gamma=0.1):
base_lr * gamma ** (number of milestones m <= t), duplicates counted, any order (MultiStepLR)."""
import numpy as np


def wrong_strict_inequality(t, base_lr, milestones, gamma=0.1):
    """Counts milestones m < t: every decay comes one step late."""
    return base_lr * gamma ** sum(1 for m in milestones if m < t)


def wrong_off_by_one_t(t, base_lr, milestones, gamma=0.1):
    """Counts milestones m <= t + 1 (steps counted from 1): every decay comes one step early."""
    return base_lr * gamma ** sum(1 for m in milestones if m <= t + 1)


def wrong_duplicates_once(t, base_lr, milestones, gamma=0.1):
    """Counts a repeated milestone once (a set), where MultiStepLR applies gamma twice."""
    return base_lr * gamma ** len({m for m in milestones if m <= t})


def wrong_assumes_sorted(t, base_lr, milestones, gamma=0.1):
    """Stops counting at the first milestone after t, as if the list were sorted."""
    k = 0
    for m in milestones:
        if m > t:
            break
        k += 1
    return base_lr * gamma ** k


def wrong_sorts_in_place(t, base_lr, milestones, gamma=0.1):
    """Right value, but sorts the caller's milestones list in place."""
    milestones.sort()
    return base_lr * gamma ** sum(1 for m in milestones if m <= t)


def wrong_gamma_times_count(t, base_lr, milestones, gamma=0.1):
    """Multiplies by gamma * k instead of gamma ** k."""
    k = sum(1 for m in milestones if m <= t)
    return base_lr * (gamma * k if k else 1.0)


def correct_numpy_count(t, base_lr, milestones, gamma=0.1):
    """np.count_nonzero over an array of the milestones."""
    return base_lr * gamma ** np.count_nonzero(np.asarray(milestones) <= t)


def correct_bisect_on_sorted_copy(t, base_lr, milestones, gamma=0.1):
    """bisect_right on a sorted copy."""
    import bisect

    return base_lr * gamma ** bisect.bisect_right(sorted(milestones), t)


def correct_multiply_in_a_loop(t, base_lr, milestones, gamma=0.1):
    """Multiplies by gamma once per passed milestone."""
    lr = base_lr
    for m in milestones:
        if t >= m:
            lr = lr * gamma
    return lr
