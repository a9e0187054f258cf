"""Live demo for the recap (claim C00b): activation histograms through depth."""
from __future__ import annotations

import traitlets

from ._base import Demo


class ActivationDepth(Demo):
    """Histograms of each layer's activations in a deep fully connected net (64 units per
    layer, a batch of 160 unit-Gaussian inputs), computed in the browser.

    ``activation``: "tanh", "sigmoid" or "relu". ``init``: the weights' scale, "small" (0.01),
    "large" (1), "xavier" (1/sqrt(n)) or "he" (sqrt(2/n)). ``depth``: layers shown (1-15).
    ``seed``: the random weights and inputs."""

    JS = "activation_depth.js"
    TITLE = "Activations layer by layer: activation, initialisation and depth"
    LIMITS = {"depth": (1, 15), "seed": (0, 10**6)}
    ABOUT = {"depth": "the number of layers shown", "seed": "the seed of the random weights"}
    CHOICES = {"activation": ("tanh", "sigmoid", "relu"), "init": ("small", "large", "xavier", "he")}

    activation = traitlets.Unicode("tanh").tag(sync=True)
    init = traitlets.Unicode("xavier").tag(sync=True)
    depth = traitlets.Int(10).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
