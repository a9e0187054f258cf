"""Variants of ema_update(average, params, decay):
a new list of new arrays decay * average[i] + (1 - decay) * params[i], inputs unchanged."""
import numpy as np


def wrong_weights_swapped(average, params, decay):
    """(1 - decay) * average + decay * params."""
    return [(1 - decay) * a + decay * p for a, p in zip(average, params)]


def wrong_in_place(average, params, decay):
    """Updates the caller's average arrays in place and returns them."""
    for a, p in zip(average, params):
        a *= decay
        a += (1 - decay) * p
    return average


def wrong_reuses_the_list(average, params, decay):
    """Right arrays, but stores them in the caller's average list and returns that list."""
    for i, (a, p) in enumerate(zip(average, params)):
        average[i] = decay * a + (1 - decay) * p
    return average


def wrong_plain_mean(average, params, decay):
    """(average + params) / 2, ignoring decay."""
    return [(a + p) / 2 for a, p in zip(average, params)]


def wrong_first_array_only(average, params, decay):
    """Updates the first parameter only and copies the others unchanged."""
    return [decay * average[0] + (1 - decay) * params[0]] + [a.copy() for a in average[1:]]


def wrong_lerp_towards_average(average, params, decay):
    """params + (1 - decay) * (average - params): the lerp pointed the wrong way."""
    return [p + (1 - decay) * (a - p) for a, p in zip(average, params)]


def correct_lerp(average, params, decay):
    """average + (1 - decay) * (params - average), as torch's _foreach_lerp_."""
    return [a + (1 - decay) * (p - a) for a, p in zip(average, params)]


def correct_copy_then_update_in_place(average, params, decay):
    """Copies each average, then updates the copies in place."""
    out = [np.array(a, dtype=np.result_type(a, p), copy=True) for a, p in zip(average, params)]
    for o, p in zip(out, params):
        o *= decay
        o += (1 - decay) * p
    return out
