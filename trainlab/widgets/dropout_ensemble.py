"""Live demo for chapter 6 (claims C27, C28): dropout masks and the ensemble average."""
from __future__ import annotations

import traitlets

from ._base import Demo


class DropoutEnsemble(Demo):
    """A fixed 8-12-1 network with inverted dropout (drop probability ``p``) on its inputs:
    ``masks`` random masks from ``seed`` ("draw again" adds 1), the last one drawn, and the
    running average of their outputs against the test-time network and the exact average over
    all 256 masks. ``relu`` False makes the hidden units linear, where the two are equal.
    """

    JS = "dropout_ensemble.js"
    TITLE = "Dropout masks and the ensemble average"
    LIMITS = {"p": (0.0, 0.9), "masks": (1, 1000), "seed": (0, 1_000_000)}
    ABOUT = {"p": "the probability of dropping each input", "masks": "the number of masks averaged",
             "seed": "the draw number"}

    p = traitlets.Float(0.5).tag(sync=True)
    masks = traitlets.Int(50).tag(sync=True)
    relu = traitlets.Bool(True).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
