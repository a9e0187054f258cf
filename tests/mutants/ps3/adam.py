"""Variants of adam(w, dw, config=None): t += 1; m, v moving averages; bias-corrected m_hat,
v_hat; next_w = w - lr m_hat / (sqrt(v_hat) + eps)."""
import numpy as np


def wrong_no_bias_correction(w, dw, config=None):
    """Steps with m / (sqrt(v) + eps): no bias correction."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    step = config["learning_rate"] * config["m"] / (np.sqrt(config["v"]) + config["epsilon"])
    return w - step, config


def wrong_t_incremented_after_use(w, dw, config=None):
    """Uses t before incrementing it (the first step divides by 1 - beta^0 = 0)."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw * dw
    next_w = w - config["learning_rate"] * (m / (1 - b1 ** t)) / (
        np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    config.update(m=m, v=v, t=t + 1)
    return next_w, config


def wrong_t_starts_at_one(w, dw, config=None):
    """Default t = 1 and incremented after use: right steps from None, t stored one too high."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 1)]:
        config.setdefault(key, value)
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw * dw
    next_w = w - config["learning_rate"] * (m / (1 - b1 ** t)) / (
        np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    config.update(m=m, v=v, t=t + 1)
    return next_w, config


def wrong_eps_inside_sqrt(w, dw, config=None):
    """np.sqrt(v_hat + epsilon) in the denominator."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"]), config


def wrong_paper_efficient_form(w, dw, config=None):
    """The paper's reordering: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); w - lr_t m / (sqrt(v) + eps)."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    t = config["t"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    lr_t = config["learning_rate"] * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - lr_t * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config


def wrong_beta1_for_second_moment(w, dw, config=None):
    """Averages dw^2 with beta1 instead of beta2."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b1 * config["v"] + (1 - b1) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_stores_corrected_moments(w, dw, config=None):
    """Stores m_hat and v_hat in config instead of m and v."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    m_hat = (b1 * config["m"] + (1 - b1) * dw) / (1 - b1 ** config["t"])
    v_hat = (b2 * config["v"] + (1 - b2) * dw * dw) / (1 - b2 ** config["t"])
    config["m"], config["v"] = m_hat, v_hat
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_default_learning_rate(w, dw, config=None):
    """Default learning rate 1e-2 (SGD's) instead of 1e-3."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-2), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def wrong_returns_float32(w, dw, config=None):
    """Returns next_w as float32 whatever the dtype of w."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** config["t"])
    v_hat = config["v"] / (1 - b2 ** config["t"])
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return next_w.astype(np.float32), config


def wrong_moments_in_place(w, dw, config=None):
    """Updates the m and v arrays found in config in place."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] += 1
    m, v = config["m"], config["v"]
    m *= b1
    m += (1 - b1) * dw
    v *= b2
    v += (1 - b2) * dw * dw
    m_hat = m / (1 - b1 ** config["t"])
    v_hat = v / (1 - b2 ** config["t"])
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


def correct_torch_arithmetic(w, dw, config=None):
    """torch's order of operations: step lr / bc1; denominator sqrt(v) / sqrt(bc2) + eps."""
    if config is None:
        config = {}
    for key, value in [("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                       ("epsilon", 1e-8), ("m", np.zeros_like(w)), ("v", np.zeros_like(w)),
                       ("t", 0)]:
        config.setdefault(key, value)
    import math

    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = config["m"] + (1 - b1) * (dw - config["m"])
    v = b2 * config["v"] + (1 - b2) * dw * dw
    step_size = config["learning_rate"] / (1 - b1 ** t)
    denominator = np.sqrt(v) / math.sqrt(1 - b2 ** t) + config["epsilon"]
    config.update(m=m, v=v, t=t)
    return w - step_size * m / denominator, config


def correct_in_place_on_copies(w, dw, config=None):
    """A new config dict; copies of m and v updated in place; the step on a copy of w."""
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0,
              **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = np.array(config.get("m", np.zeros_like(w)), copy=True)
    v = np.array(config.get("v", np.zeros_like(w)), copy=True)
    t = config["t"] + 1
    m *= b1
    m += (1 - b1) * dw
    v *= b2
    v += (1 - b2) * np.square(dw)
    denominator = np.sqrt(v / (1 - b2 ** t))
    denominator += config["epsilon"]
    next_w = w.copy()
    next_w -= config["learning_rate"] * (m / (1 - b1 ** t)) / denominator
    config.update(m=m, v=v, t=t)
    return next_w, config
