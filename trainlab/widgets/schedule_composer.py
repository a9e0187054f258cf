"""Live demo for chapter 4 (claims C18-C19): compose a learning-rate schedule and watch it drive
SGD on a noisy problem; scale the batch (linear scaling rule) with and without warm-up."""
from __future__ import annotations

import traitlets

from ._base import Demo, esm

SCHEDULES = ("constant", "step", "cosine", "linear", "inverse_sqrt", "cyclic")
MILESTONES = ("50%, 75%", "30%, 60%, 90%", "50%")
# The choices the JS offers (its grids); a value outside them is refused here.
CHOICES = {
    "base_lr": (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15),
    "warmup_steps": (0, 10, 25, 50, 100, 200),
    "total_steps": (200, 400, 800, 1600),
    "batch_scale": (1, 2, 4, 8, 16),
    "noise_std": (0, 0.5, 1, 2),
}


class ScheduleComposer(Demo):
    """SGD on L(w) = sum_i (c_i w_i^2 / 2 + q w_i^4 / 4) with gradient noise, under a schedule
    computed in the browser exactly as torch's schedulers compute it (t from 0; warm-up
    lr = base (t + 1) / warmup_steps).

    schedule: one of SCHEDULES; milestones: the step schedule's decay points (MILESTONES);
    base_lr, warmup_steps, total_steps, batch_scale, noise_std: one of their CHOICES.
    batch_scale k applies the linear scaling rule: k times the batch (noise / sqrt(k)), k times
    the learning rate, total_steps / k steps (and warmup_steps / k warm-up steps).
    """

    _esm = esm("schedule_composer.js")

    schedule = traitlets.Unicode("step").tag(sync=True)
    milestones = traitlets.Unicode("50%, 75%").tag(sync=True)
    base_lr = traitlets.Float(0.05).tag(sync=True)
    warmup_steps = traitlets.Int(0).tag(sync=True)
    total_steps = traitlets.Int(800).tag(sync=True)
    batch_scale = traitlets.Int(1).tag(sync=True)
    noise_std = traitlets.Float(1.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)

    @traitlets.validate("schedule", "milestones", *CHOICES)
    def _one_of(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        allowed = {"schedule": SCHEDULES, "milestones": MILESTONES, **CHOICES}[name]
        if value not in allowed:
            raise traitlets.TraitError(
                f"ScheduleComposer.{name} must be one of {', '.join(map(repr, allowed))}; "
                f"got {value!r}")
        return value
