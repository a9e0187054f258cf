"""Live demo for chapter 5 (claims C24, C25): L-BFGS's history size and gradient noise."""
from __future__ import annotations

import traitlets

from ._base import Demo



class LbfgsNoise(Demo):
    """L-BFGS and gradient descent with the same gradient noise, computed in the browser.

    The L-BFGS is ``torch.optim.LBFGS(lr=1, max_iter=1, history_size=history_size)`` without a
    line search, one ``step(closure)`` per iteration (trainlab.experiments.second_order's
    DEMO_LBFGS; the JS is parity-tested against it). Each gradient gets N(0, ``noise_std``^2)
    noise per coordinate from ``seed``; ``steps`` iterations from the surface's start.
    """

    JS = "lbfgs_noise.js"
    TITLE = "L-BFGS: history size and gradient noise"
    CHOICES = {"surface": ("rosenbrock", "quadratic")}
    LIMITS = {"history_size": (1, 50), "noise_std": (0.0, 10.0), "seed": (0, 999),
              "steps": (1, 2000)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "history_size": "the number of (s, y) pairs L-BFGS keeps",
        "noise_std": "the standard deviation of the noise added to each gradient coordinate",
        "seed": "the seed of the gradient noise",
        "steps": "the number of iterations",
    }

    surface = traitlets.Unicode("rosenbrock").tag(sync=True)
    history_size = traitlets.Int(5).tag(sync=True)
    noise_std = traitlets.Float(0.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    steps = traitlets.Int(200).tag(sync=True)

