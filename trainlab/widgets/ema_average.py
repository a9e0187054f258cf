"""Live demo for chapter 4 (claim C22): the exponential moving average of a jittering SGD
iterate (Polyak averaging), with AveragedModel's copy-on-first-update or without it."""
from __future__ import annotations

import traitlets

from ._base import Demo


class EmaAverage(Demo):
    """SGD at a constant learning rate on L(w) = (w1^2 + 0.3 w2^2) / 2 with gradient noise
    ``noise_std``, and the average avg <- decay avg + (1 - decay) w after every step (torch's
    get_ema_multi_avg_fn), computed in the browser. ``copy_first``: the first update copies the
    weights, as torch.optim.swa_utils.AveragedModel does; otherwise the average starts at the
    initial weights. The sliders offer a grid of values inside LIMITS
    (trainlab/js/ema_average.js)."""

    JS = "ema_average.js"
    TITLE = "Polyak averaging: the moving average of a jittering iterate"
    LIMITS = {"decay": (0.5, 0.995), "learning_rate": (0.05, 1.0), "noise_std": (0.25, 2.0),
              "steps": (100, 800)}
    ABOUT = {
        "decay": "the weight of the old average, beta",
        "learning_rate": "SGD's constant learning rate",
        "noise_std": "the gradient noise",
        "steps": "the number of SGD steps",
    }

    decay = traitlets.Float(0.95).tag(sync=True)
    learning_rate = traitlets.Float(0.5).tag(sync=True)
    noise_std = traitlets.Float(1.0).tag(sync=True)
    steps = traitlets.Int(400).tag(sync=True)
    copy_first = traitlets.Bool(True).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
