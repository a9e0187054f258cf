"""The observe stage of the update-rule assignments (ps2, ps3): runs inside the sandbox.

Copied into the kernel as is (sandbox/bundle.py). :func:`observe_run` calls the student's rule
once per gradient, carrying the config it returns; :data:`RULES` names each rule's documented
config keys. Nothing here computes an expected value or decides.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult, as_array


@dataclass(frozen=True)
class Rule:
    """One update rule: its documented config keys and the ranges of non-default values."""

    name: str
    hyper: dict    # hyperparameter key -> documented default
    state: tuple   # state keys the returned config must hold (arrays like w, and "t")
    ranges: dict   # hyperparameter key -> (low, high, "log" or "lin") for random values

    @property
    def keys(self) -> tuple:
        return tuple(self.hyper) + self.state


_MOMENTUM_RANGES = {"learning_rate": (5e-3, 2e-1, "log"), "momentum": (0.5, 0.99, "lin")}


_ADAM_RANGES = {"learning_rate": (1e-4, 3e-2, "log"), "beta1": (0.7, 0.95, "lin"),
                "beta2": (0.95, 0.9999, "lin"), "epsilon": (1e-9, 1e-6, "log")}


_ADAM_DEFAULTS = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}


RULES = {r.name: r for r in [
    Rule("sgd", {"learning_rate": 1e-2}, (), {"learning_rate": (5e-3, 2e-1, "log")}),
    Rule("sgd_momentum", {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",), _MOMENTUM_RANGES),
    Rule("nesterov_momentum", {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",),
         _MOMENTUM_RANGES),
    Rule("adagrad", {"learning_rate": 1e-2, "epsilon": 1e-8}, ("cache",),
         {"learning_rate": (1e-3, 1e-1, "log"), "epsilon": (1e-9, 1e-6, "log")}),
    Rule("rmsprop", {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}, ("cache",),
         {"learning_rate": (1e-3, 1e-1, "log"), "decay_rate": (0.8, 0.999, "lin"),
          "epsilon": (1e-9, 1e-6, "log")}),
    Rule("adam", dict(_ADAM_DEFAULTS), ("m", "v", "t"), _ADAM_RANGES),
    # Larger learning rates and decays than Adam's, so that where the decay is applied shows.
    Rule("adamw", {**_ADAM_DEFAULTS, "weight_decay": 1e-2}, ("m", "v", "t"),
         {**_ADAM_RANGES, "learning_rate": (1e-3, 5e-2, "log"),
          "weight_decay": (1e-2, 3e-1, "log")}),
]}


def _pair(out, name):
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise UnusableResult(f"{name} should return a pair (next_w, config), got "
                             f"{type(out).__name__}")
    next_w, config = out
    if not isinstance(config, dict):
        raise UnusableResult(f"the config {name} returned should be a dict (the one to pass to "
                             f"the next call), got {type(config).__name__}")
    return next_w, config


def _config_data(config: dict, rule: Rule) -> dict:
    return {k: as_array(config[k], f"config['{k}']") if k in config else None for k in rule.keys}


def observe_run(fn, inp) -> dict:
    """Call the rule once per gradient, carrying the returned config from call to call.

    With ``inp["again"]``, the first call is made a second time on the same w, dw and state
    arrays after changing them in place by known amounts (:func:`shift_arrays`), in a new dict with
    the same entries (filling in the passed dict is allowed). A first call that modified any of
    them in place makes the second next_w wrong: a number the grader checks itself.
    """
    rule = RULES[inp["rule"]]
    config = inp["config"]
    w = np.array(inp["w0"], copy=True)
    calls = []
    for dw in inp["grads"]:
        dw = np.array(dw, copy=True)
        passed = dict(config) if isinstance(config, dict) else config
        next_w, config = _pair(fn(w, dw, config), rule.name)
        calls.append({"next_w": as_array(next_w, "next_w"), "config": _config_data(config, rule)})
        if inp.get("again") and len(calls) == 1:
            shift_arrays(w, dw, {k: v for k, v in (passed or {}).items() if k in rule.state})
            again = fn(w, dw, dict(passed) if isinstance(passed, dict) else passed)
            calls[-1]["again"] = as_array(_pair(again, rule.name)[0], "next_w")
        w = calls[-1]["next_w"].copy()  # a copy: the record must not change if w is modified
    return {"calls": calls}


def shift_arrays(w, dw, state: dict) -> None:
    """In place: w + 1, dw times -2, state arrays halved (exact, and caches stay >= 0)."""
    w += 1
    dw *= -2
    for value in state.values():
        if isinstance(value, np.ndarray):
            value *= 0.5
