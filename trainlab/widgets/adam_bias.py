"""Live demo for chapter 3 (claim C15): Adam's first steps with and without bias correction."""
from __future__ import annotations

import traitlets

from ._base import Demo

PROBLEMS = ("quadratic", "rosenbrock", "beale", "bumpy")


class AdamBiasCorrection(Demo):
    """Adam's first ``steps`` steps on a 2-D ``problem``, computed in the browser.

    ``bias_correction`` picks the path Adam takes. At every step both candidate steps, with and
    without bias correction, are computed from the same state (m_t, v_t), so their size ratio is
    (1 - beta1^t) / sqrt(1 - beta2^t) whatever the gradients (epsilon aside); the demo plots
    both sizes, the measured ratio and that formula. ``problem``: one of "quadratic"
    (ill-conditioned), "rosenbrock", "beale", "bumpy", each from trainlab.surfaces' start.
    """

    JS = "adam_bias.js"
    TITLE = "Adam's first steps, with and without bias correction"
    CHOICES = {"problem": PROBLEMS}
    LIMITS = {"beta1": (0.0, 0.99), "beta2": (0.9, 0.9999), "learning_rate": (1e-3, 1.0),
              "steps": (10, 200)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "beta1": "decay of the first-moment average",
        "beta2": "decay of the second-moment average",
        "learning_rate": "Adam's learning rate",
        "steps": "the number of steps shown",
    }

    problem = traitlets.Unicode("quadratic").tag(sync=True)
    bias_correction = traitlets.Bool(True).tag(sync=True)
    beta1 = traitlets.Float(0.9).tag(sync=True)
    beta2 = traitlets.Float(0.999).tag(sync=True)
    learning_rate = traitlets.Float(0.1).tag(sync=True)
    steps = traitlets.Int(50).tag(sync=True)
