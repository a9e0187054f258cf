"""The chapter 4 demo (ScheduleComposer): its JavaScript schedules against torch's schedulers step
by step, its whole SGD run against torch.optim.SGD, what a reader should see, and its traits."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from support.node_bridge import JSError, call_js
from trainlab.experiments import schedules as ex
from trainlab.widgets import ScheduleComposer

JS = "schedule_composer.js"
CASES = [  # (schedule, total, warmup, milestone fractions)
    (s, total, warmup, fr)
    for s in ex.SCHEDULES for total, warmup in ((40, 0), (48, 8), (121, 1), (800, 100))
    for fr in ((0.5, 0.75), (0.3, 0.6, 0.9))
    if not (s == "cyclic" and (total - warmup) % 4) and (s == "step" or fr == (0.5, 0.75))
]


def _js_schedules(base_lr=0.1):
    calls = [(JS, "lrSchedule", [{"schedule": s, "base_lr": base_lr, "total": total, "warmup": w,
                                  "milestones": list(fr)}]) for s, total, w, fr in CASES]
    return [np.array(list(r.values()) if isinstance(r, dict) else r) for r in call_js(calls)]


def test_js_schedules_equal_torch_schedulers_at_every_step():
    worst = 0.0
    for (s, total, w, fr), js in zip(CASES, _js_schedules()):
        ref = ex.lr_curve(s, 0.1, total, warmup_steps=w, milestones=fr)
        assert js.shape == ref.shape, (s, total, w)
        err = np.max(np.abs(js - ref)) / 0.1
        worst = max(worst, err)
        assert err < 1e-12, f"{s}, total {total}, warm-up {w}, milestones {fr}: {err:.1e}"
    assert worst < 1e-12


def test_js_refuses_an_unknown_schedule_and_a_warmup_as_long_as_the_run():
    with pytest.raises(JSError, match="unknown schedule"):
        call_js([(JS, "lrSchedule", [{"schedule": "cosin", "base_lr": 0.1, "total": 10}])])
    with pytest.raises(JSError, match="warmup < total"):
        call_js([(JS, "lrSchedule", [{"schedule": "cosine", "base_lr": 0.1, "total": 10,
                                      "warmup": 10}])])


def _torch_run(lrs, noise, start, c, q):
    """The demo's run with torch.optim.SGD and the same noise draws."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lrs[0])
    c, losses, path = torch.tensor(c, dtype=torch.float64), [], [w.detach().numpy().copy()]
    for t, lr in enumerate(lrs):
        opt.param_groups[0]["lr"] = lr
        opt.zero_grad()
        loss = (c * w**2 / 2 + q * w**4 / 4).sum()
        losses.append(loss.item())
        loss.backward()
        w.grad += torch.tensor(noise[t], dtype=torch.float64)
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(losses), np.array(path)


@pytest.mark.parametrize("state", [
    {"schedule": "step", "batch_scale": 1, "warmup_steps": 0},
    {"schedule": "cosine", "batch_scale": 4, "warmup_steps": 50},
    {"schedule": "cyclic", "batch_scale": 2, "warmup_steps": 25},
], ids=lambda s: f"{s['schedule']}-x{s['batch_scale']}")
def test_js_sgd_run_equals_torch_sgd_with_the_same_noise(state):
    full = {"base_lr": 0.05, "milestones": "50%, 75%", "total_steps": 400, "noise_std": 1.0,
            "seed": 3, **state}
    r, problem = call_js([(JS, "computeComposer", [full]), (JS, "PROBLEM", [])])
    steps = len(r["lr"])
    std = 1.0 / np.sqrt(full["batch_scale"])
    (noise,) = call_js([("rng.js", "noiseArray", [3, steps, 2, std])])
    losses, path = _torch_run(r["lr"], noise, problem["start"], problem["c"], problem["q"])
    assert not r["diverged"]
    np.testing.assert_allclose(np.array(r["path"]), path, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(r["loss"][:-1], losses, rtol=1e-9, atol=1e-12)


def _compute(**over):
    state = {"schedule": "step", "base_lr": 0.05, "warmup_steps": 0, "milestones": "50%, 75%",
             "total_steps": 800, "batch_scale": 1, "noise_std": 1.0, "seed": 0, **over}
    return call_js([(JS, "computeComposer", [state])])[0]


def test_a_decay_shrinks_the_noise_ball_the_reader_sees():
    step, const = _compute(), _compute(schedule="constant")
    assert step["finalLoss"] < const["finalLoss"] / 3
    assert step["refLoss"] == pytest.approx(const["finalLoss"])


def test_the_linear_scaling_rule_breaks_without_warmup_and_holds_with_it():
    assert not _compute(batch_scale=4)["diverged"]
    no_warm, warm = _compute(batch_scale=8), _compute(batch_scale=8, warmup_steps=100)
    assert no_warm["diverged"] and "add a warm-up" in no_warm["readout"]
    assert not warm["diverged"] and warm["finalLoss"] < 0.01


# -------------------------------------------------------------------- widget ----
# (bundle, title, defaults and clear errors for every demo: tests/site/test_widget_contract.py)

def test_the_js_menus_and_slider_grids_fit_the_python_traits():
    got = call_js([(JS, n, []) for n in ("SCHEDULE_NAMES", "MILESTONE_NAMES", "LR_GRID",
                                         "WARMUP_GRID", "TOTAL_GRID", "SCALE_GRID", "NOISE_GRID")])
    assert tuple(got[0]) == ScheduleComposer.CHOICES["schedule"] == ex.SCHEDULES
    assert tuple(got[1]) == ScheduleComposer.CHOICES["milestones"]
    for trait, grid in zip(("base_lr", "warmup_steps", "total_steps", "batch_scale", "noise_std"),
                           got[2:]):
        lo, hi = ScheduleComposer.LIMITS[trait]
        assert (min(grid), max(grid)) == (lo, hi), trait
        assert getattr(ScheduleComposer(), trait) in grid, trait


# ---------------------------------------------------------------- EmaAverage ----

EMA_JS = "ema_average.js"


@pytest.mark.parametrize("copy_first", [True, False])
@pytest.mark.parametrize("decay", [0.5, 0.95, 0.995])
def test_js_average_equals_torch_averaged_model_on_the_same_iterates(decay, copy_first):
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

    state = {"decay": decay, "learning_rate": 0.5, "noise_std": 1.0, "steps": 200,
             "copy_first": copy_first, "seed": 5}
    r, curv, start = call_js([(EMA_JS, "computeEma", [state]), (EMA_JS, "CURVATURES", []),
                              (EMA_JS, "START", [])])
    (noise,) = call_js([("rng.js", "noiseArray", [5, 200, 2, 1.0])])
    # the iterates: torch.optim.SGD with the same noise
    w = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.5)
    model = torch.nn.Module()
    model.w = w
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay))
    if not copy_first:  # count the initial weights as the first update: the average starts there
        ema.update_parameters(model)
    c = torch.tensor(curv, dtype=torch.float64)
    path, avg = [w.detach().numpy().copy()], [start]
    for t in range(200):
        opt.zero_grad()
        (c * w**2 / 2).sum().backward()
        w.grad += torch.tensor(noise[t], dtype=torch.float64)
        opt.step()
        ema.update_parameters(model)
        path.append(w.detach().numpy().copy())
        avg.append(ema.module.w.detach().numpy().copy())
    np.testing.assert_allclose(np.array(r["path"]), path, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(np.array(r["avgPath"]), np.array(avg), rtol=1e-10, atol=1e-13)


def test_js_ema_update_is_get_ema_multi_avg_fn():
    from torch.optim.swa_utils import get_ema_multi_avg_fn

    rng = np.random.default_rng(0)
    avg, new = [rng.normal(size=3), rng.normal(size=2)], [rng.normal(size=3), rng.normal(size=2)]
    (js,) = call_js([(EMA_JS, "emaUpdate", [avg, new, 0.9])])
    ref = [torch.tensor(a) for a in avg]
    get_ema_multi_avg_fn(0.9)(ref, [torch.tensor(p) for p in new], torch.tensor(1))
    for a, b in zip(js, ref):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-14)


def test_the_average_sits_far_closer_to_the_minimum_than_the_iterate():
    from trainlab.widgets import EmaAverage

    w = EmaAverage()
    state = {k: getattr(w, k) for k in ("decay", "learning_rate", "noise_std", "steps",
                                        "copy_first", "seed")}
    (r,) = call_js([(EMA_JS, "computeEma", [state])])
    assert r["late"]["average"] < r["late"]["iterate"] / 4
    (slow,) = call_js([(EMA_JS, "computeEma", [{**state, "decay": 0.99, "copy_first": False}])])
    assert "gives them weight" in slow["readout"]


def test_ema_slider_grids_fit_the_python_traits():
    from trainlab.widgets import EmaAverage

    got = call_js([(EMA_JS, n, []) for n in ("DECAY_GRID", "LR_GRID", "NOISE_GRID", "STEPS_GRID")])
    for trait, grid in zip(("decay", "learning_rate", "noise_std", "steps"), got):
        assert (min(grid), max(grid)) == EmaAverage.LIMITS[trait], trait
        assert getattr(EmaAverage(), trait) in grid, trait
