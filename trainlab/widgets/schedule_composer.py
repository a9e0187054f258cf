"""Live demo for chapter 4 (claims C18-C19): compose a learning-rate schedule and watch it drive
SGD on a noisy problem; scale the batch (linear scaling rule) with and without warm-up."""
from __future__ import annotations

import traitlets

from ._base import Demo

SCHEDULES = ("constant", "step", "cosine", "linear", "inverse_sqrt", "cyclic")
MILESTONES = ("50%, 75%", "30%, 60%, 90%", "50%")


class ScheduleComposer(Demo):
    """SGD on L(w) = sum_i (c_i w_i^2 / 2 + q w_i^4 / 4) with gradient noise, under a schedule
    computed in the browser exactly as torch's schedulers compute it (t from 0; warm-up
    lr = base (t + 1) / warmup_steps).

    schedule: one of SCHEDULES; milestones: the step schedule's decay points (MILESTONES).
    batch_scale k applies the linear scaling rule: k times the batch (noise / sqrt(k)), k times
    the learning rate, total_steps / k steps (and warmup_steps / k warm-up steps). The sliders
    offer a grid of values inside LIMITS (trainlab/js/schedule_composer.js).
    """

    JS = "schedule_composer.js"
    TITLE = "Schedule composer: the learning rate and the noise ball"
    CHOICES = {"schedule": SCHEDULES, "milestones": MILESTONES}
    LIMITS = {"base_lr": (0.01, 0.15), "warmup_steps": (0, 200), "total_steps": (200, 1600),
              "batch_scale": (1, 16), "noise_std": (0.0, 2.0)}
    ABOUT = {
        "base_lr": "the learning rate at batch x1, before any decay",
        "warmup_steps": "warm-up length in steps at batch x1",
        "total_steps": "the number of steps at batch x1",
        "batch_scale": "k of the linear scaling rule",
        "noise_std": "the gradient noise at batch x1",
    }

    schedule = traitlets.Unicode("step").tag(sync=True)
    milestones = traitlets.Unicode("50%, 75%").tag(sync=True)
    base_lr = traitlets.Float(0.05).tag(sync=True)
    warmup_steps = traitlets.Int(0).tag(sync=True)
    total_steps = traitlets.Int(800).tag(sync=True)
    batch_scale = traitlets.Int(1).tag(sync=True)
    noise_std = traitlets.Float(1.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
