"""Variants of rmsprop(w, dw, config=None):
cache = d cache + (1 - d) dw^2; next_w = w - lr dw / (sqrt(cache) + eps)."""
import numpy as np


def wrong_adagrad_accumulation(w, dw, config=None):
    """Adds dw^2 to the cache like AdaGrad (no decay)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"] + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_swapped_weights(w, dw, config=None):
    """cache = (1 - d) cache + d dw^2 (the weights of old cache and new gradient swapped)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache = (1 - d) * config["cache"] + d * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_eps_inside_sqrt(w, dw, config=None):
    """np.sqrt(cache + epsilon) in the denominator."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache = d * config["cache"] + (1 - d) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"]), config


def wrong_bias_corrected(w, dw, config=None):
    """Divides the cache by (1 - d^t) like Adam's v (counting steps in config["t"])."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["t"] = config.get("t", 0) + 1
    d = config["decay_rate"]
    cache = d * config["cache"] + (1 - d) * dw * dw
    config["cache"] = cache
    cache_hat = cache / (1 - d ** config["t"])
    return w - config["learning_rate"] * dw / (np.sqrt(cache_hat) + config["epsilon"]), config


def wrong_default_decay_rate(w, dw, config=None):
    """Default decay_rate 0.9 (the value in Hinton's lecture) instead of 0.99."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.9)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache = d * config["cache"] + (1 - d) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_cache_not_stored(w, dw, config=None):
    """Never stores the new cache: every call starts from the zeros (or the given cache)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    d = config["decay_rate"]
    cache = d * config.get("cache", np.zeros_like(w)) + (1 - d) * dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def wrong_cache_in_place(w, dw, config=None):
    """cache *= d; cache += (1 - d) dw^2 on the array found in config."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    cache = config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache *= d
    cache += (1 - d) * dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def correct_lerp_form(w, dw, config=None):
    """The moving average written as cache + (1 - d) (dw^2 - cache)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["cache"] + (1 - config["decay_rate"]) * (dw ** 2 - config["cache"])
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def correct_in_place_on_copies(w, dw, config=None):
    """A new config dict; the cache copied and updated in place; the step on a copy of w."""
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, **(config or {})}
    d = config["decay_rate"]
    cache = np.array(config.get("cache", np.zeros_like(w)), copy=True)
    cache *= d
    cache += (1 - d) * np.square(dw)
    next_w = w.copy()
    next_w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return next_w, config
