"""Live demo for chapter 6 (claim C26): penalty balls against loss contours."""
from __future__ import annotations

import traitlets

from ._base import Demo

PENALTIES = ("L1", "L2", "elastic net")


class ConstraintShapes(Demo):
    """The minimum of a quadratic loss (centre (centre_x, centre_y), curvatures (1, kappa)) plus
    ``strength`` x a penalty: L1 sum|w|, L2 sum w^2 or elastic net sum 0.5|w| + 0.5 w^2, in
    closed form (the problem separates by coordinate). Draws the loss contours, the penalty ball
    through the solution, and the path of solutions as the strength grows from 0 to 3.
    """

    JS = "constraint_shapes.js"
    TITLE = "Penalty balls against loss contours"
    LIMITS = {"strength": (0.0, 3.0), "centre_x": (-2.0, 2.0), "centre_y": (-2.0, 2.0),
              "kappa": (1.0, 8.0)}
    CHOICES = {"penalty": PENALTIES}
    ABOUT = {"strength": "the penalty strength lambda", "centre_x": "the loss minimum's w1",
             "centre_y": "the loss minimum's w2", "kappa": "the loss curvature along w2 (along w1 it is 1)"}

    penalty = traitlets.Unicode("L1").tag(sync=True)
    strength = traitlets.Float(0.8).tag(sync=True)
    centre_x = traitlets.Float(1.5).tag(sync=True)
    centre_y = traitlets.Float(0.6).tag(sync=True)
    kappa = traitlets.Float(2.0).tag(sync=True)

