"""Live demo for chapter 2 (claims C08, C11): momentum's rho, acceleration, overshoot, return."""
from __future__ import annotations

import traitlets

from ._base import Demo


class MomentumRho(Demo):
    """Momentum and plain SGD on the lecture's ill-conditioned quadratic, computed in the browser.

    L = w1^2 / 64 + w2^2 from (-9, 2.5) (trainlab.surfaces' quadratic, kappa = 64). Momentum
    (velocity form v = rho v - lr g, w += v) with ``rho`` and SGD with the same
    ``learning_rate``; ``steps`` iterates are drawn. The readout gives each method's overshoot
    (trainlab.experiments.runs.overshoot, per coordinate) and the steps until the iterate is
    within ``tol`` of the minimum (at most ``max_steps``).
    """

    JS = "momentum_rho.js"
    TITLE = "Momentum's ρ: faster along the valley, overshoot across it"
    LIMITS = {"rho": (0.0, 0.99), "learning_rate": (0.005, 1.5), "steps": (20, 2000),
              "tol": (1e-9, 1.0), "max_steps": (1, 1_000_000)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "rho": "momentum's rho; 0 is plain SGD",
        "learning_rate": "the learning rate of both momentum and SGD",
        "steps": "the number of steps drawn",
        "tol": "distance to the minimum that counts as reached",
        "max_steps": "the step budget for reaching the tolerance",
    }

    rho = traitlets.Float(0.9).tag(sync=True)
    learning_rate = traitlets.Float(0.1).tag(sync=True)
    steps = traitlets.Int(300).tag(sync=True)
    tol = traitlets.Float(1e-3).tag(sync=True)
    max_steps = traitlets.Int(100_000).tag(sync=True)
