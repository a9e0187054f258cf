"""Variants of sgd_momentum(w, dw, config=None): v = momentum * v - learning_rate * dw; w + v."""
import numpy as np


def wrong_velocity_not_stored(w, dw, config=None):
    """Computes the velocity but never stores it: every call starts again from zeros."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * np.zeros_like(w) - config["learning_rate"] * dw
    return w + v, config


def wrong_sign_of_step(w, dw, config=None):
    """Subtracts the velocity: next_w = w - v (v already points downhill)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    config["velocity"] = v
    return w - v, config


def wrong_dampened(w, dw, config=None):
    """Exponential-average velocity: v = rho v - (1 - rho) lr dw."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    mu = config["momentum"]
    v = mu * config["velocity"] - (1 - mu) * config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def wrong_steps_with_old_velocity(w, dw, config=None):
    """Moves by the previous velocity, then updates it (the step lags one call behind)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    next_w = w + config["velocity"]
    config["velocity"] = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return next_w, config


def wrong_stores_torch_buffer(w, dw, config=None):
    """Right steps, but stores torch's buffer b = rho b + dw as the velocity."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    b = config["momentum"] * config["velocity"] + dw
    config["velocity"] = b
    return w - config["learning_rate"] * b, config


def wrong_velocity_in_place(w, dw, config=None):
    """Updates the velocity array found in config in place (v *= rho; v -= lr dw)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    return w + v, config


def wrong_defaults_only_for_none(w, dw, config=None):
    """Fills in defaults only when config is None, so a partial config raises KeyError."""
    if config is None:
        config = {"learning_rate": 1e-2, "momentum": 0.9}
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def wrong_float64_velocity(w, dw, config=None):
    """Starts the velocity as np.zeros(w.shape): float32 weights come back as float64."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros(w.shape))
    v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def correct_torch_buffer_form(w, dw, config=None):
    """torch's form: b = -v / lr; b = rho b + dw; w - lr b; stores v = -lr b."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    lr = config["learning_rate"]
    b = config["momentum"] * (config["velocity"] / -lr) + dw
    config["velocity"] = -lr * b
    return w - lr * b, config


def correct_in_place_on_copies(w, dw, config=None):
    """A new config dict; copies of the velocity and of w updated in place."""
    config = {"learning_rate": 1e-2, "momentum": 0.9, **(config or {})}
    v = np.array(config.get("velocity", np.zeros_like(w)), copy=True)
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    next_w = w.copy()
    next_w += v
    config["velocity"] = v
    return next_w, config
