"""Live demo for chapter 4 (claim C22): the exponential moving average of a jittering SGD
iterate (Polyak averaging), with AveragedModel's copy-on-first-update or without it."""
from __future__ import annotations

import traitlets

from ._base import Demo, esm

# The choices the JS offers (its grids); a value outside them is refused here.
CHOICES = {
    "decay": (0.5, 0.9, 0.95, 0.99, 0.995),
    "learning_rate": (0.05, 0.1, 0.2, 0.5, 1.0),
    "noise_std": (0.25, 0.5, 1, 2),
    "steps": (100, 200, 400, 800),
}


class EmaAverage(Demo):
    """SGD at a constant learning rate on L(w) = (w1^2 + 0.3 w2^2) / 2 with gradient noise
    ``noise_std``, and the average avg <- decay avg + (1 - decay) w after every step (torch's
    get_ema_multi_avg_fn), computed in the browser. ``copy_first``: the first update copies the
    weights, as torch.optim.swa_utils.AveragedModel does; otherwise the average starts at the
    initial weights. decay, learning_rate, noise_std, steps: one of their CHOICES."""

    _esm = esm("ema_average.js")

    decay = traitlets.Float(0.95).tag(sync=True)
    learning_rate = traitlets.Float(0.5).tag(sync=True)
    noise_std = traitlets.Float(1.0).tag(sync=True)
    steps = traitlets.Int(400).tag(sync=True)
    copy_first = traitlets.Bool(True).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)

    @traitlets.validate(*CHOICES)
    def _one_of(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        if value not in CHOICES[name]:
            raise traitlets.TraitError(
                f"EmaAverage.{name} must be one of {', '.join(map(repr, CHOICES[name]))}; "
                f"got {value!r}")
        return value
