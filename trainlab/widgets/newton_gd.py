"""Live demo for chapter 5 (claim C23): Newton's method beside gradient descent."""
from __future__ import annotations

import traitlets

from ._base import Demo



class NewtonVsGD(Demo):
    """Newton's method and gradient descent from the same start, computed in the browser.

    ``surface``: "quadratic" (a*w1^2 + w2^2 with a = 1/``kappa``: Newton lands on the minimum in
    one step, GD at its best fixed rate needs ~kappa steps), "rosenbrock" (the quadratic model is
    only local: Newton iterates) or "saddle" (started at (-1.5, ``start_w2``): near w2 = 0 the
    curvature along w2 is negative and Newton walks into the saddle point). ``kappa`` is used by
    the quadratic only, ``start_w2`` by the saddle only.
    """

    JS = "newton_gd.js"
    TITLE = "Newton's method beside gradient descent"
    CHOICES = {"surface": ("quadratic", "rosenbrock", "saddle")}
    LIMITS = {"kappa": (1.0, 1000.0), "start_w2": (-1.5, 1.5)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "kappa": "the quadratic's condition number; 1 is a round bowl",
        "start_w2": "the saddle start's w2 coordinate (w1 = -1.5)",
    }

    surface = traitlets.Unicode("quadratic").tag(sync=True)
    kappa = traitlets.Float(30.0).tag(sync=True)
    start_w2 = traitlets.Float(0.3).tag(sync=True)

