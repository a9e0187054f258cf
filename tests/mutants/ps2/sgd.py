"""Variants of sgd(w, dw, config=None) -> (next_w, config): next_w = w - learning_rate * dw."""
import numpy as np


def wrong_ascends(w, dw, config=None):
    """Steps uphill: w + learning_rate * dw."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return w + config["learning_rate"] * dw, config


def wrong_in_place(w, dw, config=None):
    """Updates w in place and returns it (the old CS231n starter code's habit)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def wrong_default_learning_rate(w, dw, config=None):
    """Default learning rate 1e-3 (Adam's) instead of 1e-2."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    return w - config["learning_rate"] * dw, config


def wrong_ignores_given_learning_rate(w, dw, config=None):
    """Always steps with 1e-2, whatever config holds."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return w - 1e-2 * dw, config


def wrong_config_not_filled(w, dw, config=None):
    """Reads the default but returns config as given (None stays None, no learning_rate added)."""
    learning_rate = (config or {}).get("learning_rate", 1e-2)
    return w - learning_rate * dw, config


def wrong_returns_float32(w, dw, config=None):
    """Returns next_w as float32 whatever the dtype of w."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return (w - config["learning_rate"] * dw).astype(np.float32), config


def correct_in_place_on_a_copy(w, dw, config=None):
    """Copies w, then updates the copy in place."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    next_w = w.copy()
    next_w -= config["learning_rate"] * dw
    return next_w, config


def correct_new_config_dict(w, dw, config=None):
    """Builds a new config dict from the defaults and the given keys; np.subtract for the step."""
    config = {"learning_rate": 1e-2, **(config or {})}
    return np.subtract(w, config["learning_rate"] * dw), config
