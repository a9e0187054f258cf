"""Live demo for chapter 1 (claims C06, C07): where GD stalls, and what minibatch noise does."""
from __future__ import annotations

import traitlets

from ._base import Demo

SURFACES = ("saddle", "double_well")


class SaddleNoise(Demo):
    """Plain GD and noisy SGD side by side on a saddle or a double well, computed in the browser.

    ``surface``: "saddle" (started on the saddle's stable manifold w2 = 0, so GD walks into the
    saddle point and stays) or "double_well" (GD settles in the shallow local minimum).
    SGD adds Gaussian noise of standard deviation ``noise_std / sqrt(batch_size)`` to each
    gradient coordinate, drawn from ``seed``; ``batch_size=None`` is the full batch (no noise).
    Both run ``steps`` steps of size ``learning_rate``.
    """

    JS = "saddle_noise.js"
    TITLE = "Where gradient descent stalls, and what gradient noise does"
    CHOICES = {"surface": SURFACES}
    LIMITS = {"batch_size": (1, 2048), "learning_rate": (0.01, 0.5), "seed": (0, 999),
              "noise_std": (0.0, 10.0), "steps": (1, 5000)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "batch_size": "examples per minibatch; None for the full batch",
        "learning_rate": "the step size of both GD and SGD",
        "seed": "the seed of the gradient noise",
        "noise_std": "gradient noise standard deviation at batch size 1",
        "steps": "the number of steps",
    }

    surface = traitlets.Unicode("saddle").tag(sync=True)
    batch_size = traitlets.Int(16, allow_none=True).tag(sync=True)
    learning_rate = traitlets.Float(0.1).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    noise_std = traitlets.Float(1.5).tag(sync=True)
    steps = traitlets.Int(300).tag(sync=True)
