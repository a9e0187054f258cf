"""Optimizer paths on 2-D surfaces, computed with torch.optim (the reference implementations).

The book's Python figures and the claim tests use these; the in-browser demos compute the same
paths in ``trainlab/js/optim.js``, checked against this module by the parity tests. Students'
graded functions are deliberately *not* here (see README, "What ships in trainlab").
"""
from __future__ import annotations

import numpy as np
import torch

from .surfaces import Surface

# name -> (torch class, how our hyperparameter names map onto its keyword arguments).
# Our names follow CS231n's optim.py config keys.
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, {"learning_rate": "lr"}),
    "momentum": (torch.optim.SGD, {"learning_rate": "lr", "momentum": "momentum"}),
    "nesterov": (torch.optim.SGD, {"learning_rate": "lr", "momentum": "momentum"}),
    "adagrad": (torch.optim.Adagrad, {"learning_rate": "lr", "epsilon": "eps"}),
    "rmsprop": (torch.optim.RMSprop, {"learning_rate": "lr", "decay_rate": "alpha",
                                      "epsilon": "eps"}),
    "adam": (torch.optim.Adam, {"learning_rate": "lr", "beta1": None, "beta2": None,
                                "epsilon": "eps"}),
    "adamw": (torch.optim.AdamW, {"learning_rate": "lr", "beta1": None, "beta2": None,
                                  "epsilon": "eps", "weight_decay": "weight_decay"}),
}

# A path has diverged once a coordinate passes this (trainlab/js/optim.js uses the same).
DIVERGED_AT = 1e150

DEFAULTS = {
    "sgd": {"learning_rate": 1e-2},
    "momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "nesterov": {"learning_rate": 1e-2, "momentum": 0.9},
    "adagrad": {"learning_rate": 1e-2, "epsilon": 1e-8},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
    "adamw": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "weight_decay": 1e-2},
}


def make_torch_optimizer(name: str, params, **hyper) -> torch.optim.Optimizer:
    """A torch.optim optimizer for ``name`` configured with CS231n-style keys."""
    if name not in OPTIMIZERS:
        raise KeyError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    cls, mapping = OPTIMIZERS[name]
    unknown = set(hyper) - set(mapping)
    if unknown:
        raise TypeError(f"optimizer {name!r} takes {sorted(mapping)}, not {sorted(unknown)}")
    h = {**DEFAULTS[name], **hyper}
    kwargs = {mapping[k]: v for k, v in h.items() if mapping[k]}
    if "beta1" in h:
        kwargs["betas"] = (h["beta1"], h["beta2"])
    if name == "nesterov":
        kwargs["nesterov"] = True
    if name == "adagrad":
        kwargs["initial_accumulator_value"] = 0.0
    return cls(params, **kwargs)


def optimizer_path(surface: Surface, name: str, steps: int, start=None, noise=None,
                   **hyper) -> np.ndarray:
    """Iterates of optimizer ``name`` on ``surface``: an array of shape (steps + 1, 2).

    ``noise`` (optional, shape (steps, 2)) is added to the exact gradient at each step; it models
    minibatch noise with a sequence chosen by the caller, so the same path can be recomputed
    anywhere (in the browser too). Iteration stops early, padding with NaN, if the iterate
    leaves float range.
    """
    w = torch.tensor(np.asarray(surface.start if start is None else start, dtype=np.float64),
                     requires_grad=True)
    opt = make_torch_optimizer(name, [w], **hyper)
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w.detach().numpy()
    for k in range(steps):
        opt.zero_grad()
        surface.loss_torch(w).backward()
        if noise is not None:
            w.grad += torch.as_tensor(noise[k], dtype=torch.float64)
        opt.step()
        path[k + 1] = w.detach().numpy()
        if not np.all(np.isfinite(path[k + 1])) or np.abs(path[k + 1]).max() > DIVERGED_AT:
            path[k + 1] = np.nan
            break
    return path


def steps_to_tolerance(path: np.ndarray, target, tol: float) -> int | None:
    """First step index whose iterate is within ``tol`` (Euclidean) of ``target``, else None."""
    dist = np.linalg.norm(path - np.asarray(target, dtype=float), axis=1)
    hits = np.flatnonzero(dist <= tol)
    return int(hits[0]) if hits.size else None
