"""Live demo for chapter 1 (claims C03, C05): gradient descent on L = a*w1^2 + b*w2^2."""
from __future__ import annotations

import traitlets

from ._base import Demo


class QuadraticGD(Demo):
    """Gradient descent on the ill-conditioned quadratic, computed in the browser.

    b = 1 and a = 1 / kappa, so ``kappa`` is the condition number of the Hessian diag(2a, 2b)
    and L_max = 2 is its largest eigenvalue. The learning rate is ``lr_fraction`` x 2 / L_max:
    past 1.0 the iterates diverge. The start is trainlab.surfaces' quadratic start (-9, 2.5).
    Shows the zig-zag path over contours, the steps needed to reach |w - w*| <= ``tol`` (at most
    ``max_steps``), and steps-to-tolerance against kappa at the current learning rate.
    ``draw_steps`` iterates are drawn one by one; longer runs are drawn thinned.
    """

    JS = "quadratic_gd.js"
    TITLE = "Gradient descent on an ill-conditioned quadratic"
    LIMITS = {"kappa": (1.0, 1000.0), "lr_fraction": (0.05, 1.2), "tol": (1e-9, 1.0),
              "max_steps": (1, 1_000_000), "draw_steps": (1, 20_000)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "kappa": "the condition number L_max / L_min; 1 is a round bowl",
        "lr_fraction": "the learning rate as a fraction of 2 / L_max",
        "tol": "distance to the minimum that counts as reached",
        "max_steps": "a number of steps",
        "draw_steps": "a number of steps",
    }

    kappa = traitlets.Float(30.0).tag(sync=True)
    lr_fraction = traitlets.Float(0.9).tag(sync=True)
    tol = traitlets.Float(1e-3).tag(sync=True)
    max_steps = traitlets.Int(200_000).tag(sync=True)
    draw_steps = traitlets.Int(2000).tag(sync=True)
