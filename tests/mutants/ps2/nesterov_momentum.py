"""Variants of nesterov_momentum(w, dw, config=None):
v = rho v - lr dw; next_w = w - rho v_prev + (1 + rho) v."""
import numpy as np


def wrong_plain_momentum(w, dw, config=None):
    """The plain momentum step next_w = w + v (no look-ahead correction)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def wrong_one_minus_mu(w, dw, config=None):
    """(1 - rho) instead of (1 + rho) in front of the new velocity."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    mu = config["momentum"]
    v_prev = config["velocity"]
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w - mu * v_prev + (1 - mu) * v, config


def wrong_aliased_previous_velocity(w, dw, config=None):
    """v_prev = v without a copy, then v updated in place: v_prev is the new v too."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    mu = config["momentum"]
    v = config.setdefault("velocity", np.zeros_like(w))
    v_prev = v
    v *= mu
    v -= config["learning_rate"] * dw
    return w - mu * v_prev + (1 + mu) * v, config


def wrong_velocity_not_stored(w, dw, config=None):
    """Never stores the new velocity: every call starts from zeros."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    mu = config["momentum"]
    v_prev = config.get("velocity", np.zeros_like(w))
    v = mu * v_prev - config["learning_rate"] * dw
    return w - mu * v_prev + (1 + mu) * v, config


def wrong_lookahead_sign(w, dw, config=None):
    """Adds rho v_prev instead of subtracting it."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    mu = config["momentum"]
    v_prev = config["velocity"]
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w + mu * v_prev + (1 + mu) * v, config


def wrong_default_momentum(w, dw, config=None):
    """Default momentum 0.99 instead of 0.9."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.99)
    config.setdefault("velocity", np.zeros_like(w))
    mu = config["momentum"]
    v_prev = config["velocity"]
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w - mu * v_prev + (1 + mu) * v, config


def correct_torch_form(w, dw, config=None):
    """torch's form of the step: next_w = w - lr dw + rho v with the new v."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    lr, mu = config["learning_rate"], config["momentum"]
    v = mu * config["velocity"] - lr * dw
    config["velocity"] = v
    return w - lr * dw + mu * v, config


def correct_in_place_on_copies(w, dw, config=None):
    """A new config dict; w + v + rho (v - v_prev) built in place on copies."""
    config = {"learning_rate": 1e-2, "momentum": 0.9, **(config or {})}
    mu = config["momentum"]
    v_prev = np.array(config.get("velocity", np.zeros_like(w)), copy=True)
    v = v_prev * mu
    v -= config["learning_rate"] * dw
    next_w = w.copy()
    next_w += v
    next_w += mu * (v - v_prev)
    config["velocity"] = v
    return next_w, config
