"""Variants of adagrad(w, dw, config=None):
cache = cache + dw^2; next_w = w - lr dw / (sqrt(cache) + eps)."""
import numpy as np


def wrong_eps_inside_sqrt(w, dw, config=None):
    """np.sqrt(cache + epsilon) in the denominator."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"] + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"]), config


def wrong_leaky_cache(w, dw, config=None):
    """An RMSProp-style moving average (0.99) instead of the running sum."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = 0.99 * config["cache"] + 0.01 * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_step_before_accumulating(w, dw, config=None):
    """Divides by the old cache, then adds dw^2 (the first step divides by epsilon alone)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    config["cache"] = config["cache"] + dw * dw
    return next_w, config


def wrong_no_sqrt(w, dw, config=None):
    """Divides by cache + epsilon without the square root."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"] + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config


def wrong_cache_not_stored(w, dw, config=None):
    """Never stores the new cache: every step divides by |dw| alone."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.get("cache", np.zeros_like(w)) + dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_cache_in_place(w, dw, config=None):
    """cache += dw**2 on the array found in config."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    cache = config.setdefault("cache", np.zeros_like(w))
    cache += dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_hard_coded_epsilon(w, dw, config=None):
    """Always adds 1e-8, whatever epsilon config holds."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"] + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + 1e-8), config


def correct_in_place_on_copies(w, dw, config=None):
    """A new config dict; the cache copied and updated in place; the step built with out=."""
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, **(config or {})}
    cache = np.array(config.get("cache", np.zeros_like(w)), copy=True)
    cache += np.square(dw)
    denominator = np.sqrt(cache)
    denominator += config["epsilon"]
    step = np.divide(dw, denominator)
    step *= config["learning_rate"]
    config["cache"] = cache
    return w - step, config


def correct_scaled_learning_rate(w, dw, config=None):
    """Per-coordinate learning rate lr / (sqrt(cache) + eps) first, then the step."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] = config["cache"] + dw ** 2
    rate = config["learning_rate"] / (np.sqrt(config["cache"]) + config["epsilon"])
    return w - rate * dw, config
