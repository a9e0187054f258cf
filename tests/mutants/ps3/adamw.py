"""Variants of adamw(w, dw, config=None): w_decayed = w (1 - lr wd), then adam's step from
w_decayed with dw."""
import numpy as np


def wrong_l2_in_gradient(w, dw, config=None):
    """L2 regularisation: adds weight_decay * w to the gradient and takes a plain Adam step."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    g = dw + config["weight_decay"] * w
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * g
    config["v"] = b2 * config["v"] + (1 - b2) * g * g
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_decay_after_step(w, dw, config=None):
    """Takes the Adam step first, then shrinks the result by (1 - lr wd)."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    lr, b1, b2 = config["learning_rate"], config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    stepped = w - lr * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return stepped * (1 - lr * config["weight_decay"]), config


def wrong_decay_without_learning_rate(w, dw, config=None):
    """Shrinks by (1 - weight_decay), not (1 - learning_rate * weight_decay)."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    w_decayed = w * (1 - config["weight_decay"])
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w_decayed - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_no_bias_correction(w, dw, config=None):
    """Decoupled decay right, but the Adam step has no bias correction."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    lr, b1, b2 = config["learning_rate"], config["beta1"], config["beta2"]
    w_decayed = w * (1 - lr * config["weight_decay"])
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    return w_decayed - lr * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config


def wrong_default_weight_decay(w, dw, config=None):
    """Default weight_decay 0 (torch.optim.Adam's) instead of 1e-2."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 0.0), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    lr, b1, b2 = config["learning_rate"], config["beta1"], config["beta2"]
    w_decayed = w * (1 - lr * config["weight_decay"])
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w_decayed - lr * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_decays_w_in_place(w, dw, config=None):
    """w *= (1 - lr wd) on the caller's w, then the Adam step."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    lr, b1, b2 = config["learning_rate"], config["beta1"], config["beta2"]
    w *= 1 - lr * config["weight_decay"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - lr * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def correct_combined_step(w, dw, config=None):
    """One combined step: w - lr (m_hat / (sqrt(v_hat) + eps) + wd w)."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("weight_decay", 1e-2), ("m", np.zeros_like(w)),
                       ("v", np.zeros_like(w)), ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    direction = m_hat / (np.sqrt(v_hat) + config["epsilon"]) + config["weight_decay"] * w
    return w - config["learning_rate"] * direction, config


def correct_via_adam(w, dw, config=None):
    """Shrinks w, then calls the notebook's adam with the same config."""
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, **(config or {})}
    return adam(w * (1 - config["learning_rate"] * config["weight_decay"]), dw, config)  # noqa: F821
