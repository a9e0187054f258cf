"""Live demo for chapter 3 (claims C13, C14): AdaGrad's effective step stalls, RMSProp's settles."""
from __future__ import annotations

import traitlets

from ._base import Demo

SETUPS = ("saddle", "quadratic", "bowl")


class AdagradVsRmsprop(Demo):
    """The effective per-coordinate step lr / (sqrt(cache) + eps) of AdaGrad and RMSProp over a
    long run, computed in the browser.

    ``setup``: "saddle" (trainlab.surfaces' saddle from (-1.5, 0), on its stable axis),
    "quadratic" (the ill-conditioned quadratic from (-9, 2.5)) or "bowl" (|w|^2 from (1, 1)).
    Both methods use ``learning_rate``; RMSProp's cache decays with ``decay_rate``. With
    ``noise_std`` > 0 both see the same Gaussian gradient noise, drawn from ``seed``. The run is
    ``steps`` long; the effective steps are drawn on log-log axes, where AdaGrad's sum makes its
    curve fall like 1/sqrt(t) (a slope of -1/2) and RMSProp's levels off.
    """

    JS = "adagrad_rmsprop.js"
    TITLE = "AdaGrad's shrinking step against RMSProp's"
    CHOICES = {"setup": SETUPS}
    LIMITS = {"learning_rate": (1e-3, 1.0), "decay_rate": (0.5, 0.9999), "noise_std": (0.0, 2.0),
              "seed": (0, 999), "steps": (100, 10_000)}
    ABOUT = {  # what each ranged trait means, quoted in its TraitError
        "learning_rate": "the learning rate of both methods",
        "decay_rate": "RMSProp's decay of its squared-gradient average",
        "noise_std": "std of the Gaussian noise added to each gradient " "coordinate; 0 for exact gradients",
        "seed": "the seed of the gradient noise",
        "steps": "the length of the run",
    }

    setup = traitlets.Unicode("saddle").tag(sync=True)
    learning_rate = traitlets.Float(0.01).tag(sync=True)
    decay_rate = traitlets.Float(0.99).tag(sync=True)
    noise_std = traitlets.Float(0.1).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    steps = traitlets.Int(2000).tag(sync=True)
