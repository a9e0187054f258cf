"""Hidden checks of assignment ps4 (chapter 4: learning-rate schedules, weight averages, early
stopping): step_decay, cosine_decay, linear_warmup, ema_update, early_stopping.

References: torch.optim.lr_scheduler (MultiStepLR, CosineAnnealingLR, LinearLR) stepped once
per optimizer step, torch.optim.swa_utils.get_ema_multi_avg_fn, closed forms, and the
early-stopping rule of the notebook written out. Schedules are compared at every step t of a run;
t counts steps from 0 as torch does. The observe functions are in kernel_side.py; layout of a
check: autograder/decide/checks.py.

Tolerances. Learning rates: rtol 1e-12 (torch computes MultiStepLR and LinearLR by multiplying
a factor in each step and CosineAnnealingLR by its recursive form; both agree with the closed
forms to ~1e-15 relative over these runs). EMA: rtol 1e-12 over 20 updates (torch uses lerp,
a + w (p - a), the closed form decay a + (1 - decay) p; they agree to ~1e-16). Wrong versions in
tests/mutants/ps4 miss by 1e-3 and more.
"""
from __future__ import annotations

import math

import numpy as np

from autograder.decide.checks import Check, Group
from autograder.kernel_side.plaindata import UnusableResult
from autograder.specs.ps4.kernel_side import (obs_cosine, obs_early, obs_ema, obs_ema_contract,
                                              obs_step, obs_step_list_kept, obs_step_tuple,
                                              obs_warmup)

RTOL = 1e-12


# ---- helpers -----------------------------------------------------------------------------------

def _torch_lrs(make, steps, base_lr):
    """The lr each of ``steps`` optimizer steps uses under the scheduler ``make(optimizer)``."""
    import torch

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base_lr)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        w.grad = torch.zeros(1)
        opt.step()
        sched.step()
    return np.array(out)


def _numbers(values, what):
    """A list of returned learning rates as floats, or an UnusableResult saying what came back."""
    out = []
    for t, v in values:
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise UnusableResult(f"{what} at t = {t} returned {v!r}, not a number") from None
        out.append(x)
    return np.array(out)


def _compare_lrs(name, got, ref, ts, rtol=RTOL, atol=0.0):
    bad = [k for k in range(len(ts))
           if not (abs(got[k] - ref[k]) <= atol + rtol * abs(ref[k]))]
    if not bad:
        return []
    k = bad[0]
    return [f"{name}: at t = {ts[k]} expected {float(ref[k])!r}, got {float(got[k])!r} "
            f"({len(bad)} of {len(ts)} steps differ)"]


# ---- step_decay ----------------------------------------------------------------------------

def _in_step(rng, defaults=False):
    k = int(rng.integers(1, 5))
    milestones = [int(m) for m in rng.integers(0, 40, k)]
    if rng.random() < 0.5:
        milestones.append(milestones[0])  # a repeated milestone counts twice
    rng.shuffle(milestones)
    return {"milestones": milestones, "gamma": None if defaults else float(rng.uniform(0.05, 0.9)),
            "base_lr": float(rng.uniform(0.01, 2.0)), "ts": list(range(50))}


def _in_step_defaults(rng):
    return _in_step(rng, defaults=True)


def _judge_step(inp, obs):
    from torch.optim.lr_scheduler import MultiStepLR

    gamma = 0.1 if inp["gamma"] is None else inp["gamma"]
    ref = _torch_lrs(lambda o: MultiStepLR(o, inp["milestones"], gamma), len(inp["ts"]),
                     inp["base_lr"])
    got = _numbers(obs["values"], "step_decay")
    label = (f"step_decay(t, {inp['base_lr']:.4g}, {inp['milestones']}"
             + (")" if inp["gamma"] is None else f", gamma={inp['gamma']:.4g})"))
    return _compare_lrs(label, got, ref, inp["ts"])


def _judge_step_list_kept(inp, obs):
    if obs["milestones_after"] != list(inp["milestones"]):
        return [f"step_decay changed the milestones list it was given: {inp['milestones']} "
                f"became {obs['milestones_after']}"]
    return _judge_step(inp, obs)


def _in_step_contract(rng):
    # Unsorted, with t landing exactly on each milestone.
    return {"milestones": [12, 3, 7, 3], "gamma": 0.5, "base_lr": 0.8, "ts": list(range(16))}


# ---- cosine_decay --------------------------------------------------------------------------

def _in_cosine(rng, defaults=False):
    T = int(rng.integers(2, 80))
    base = float(rng.uniform(0.01, 2.0))
    min_lr = 0.0 if defaults or rng.random() < 0.3 else float(base * rng.uniform(0.01, 0.5))
    return {"total": T, "base_lr": base, "min_lr": None if defaults else min_lr,
            "ts": list(range(T + 1))}


def _in_cosine_defaults(rng):
    return _in_cosine(rng, defaults=True)


def _judge_cosine(inp, obs):
    from torch.optim.lr_scheduler import CosineAnnealingLR

    eta = 0.0 if inp["min_lr"] is None else inp["min_lr"]
    ref = _torch_lrs(lambda o: CosineAnnealingLR(o, T_max=inp["total"], eta_min=eta),
                     len(inp["ts"]), inp["base_lr"])
    label = f"cosine_decay(t, {inp['base_lr']:.4g}, {inp['total']}" + (
        ")" if inp["min_lr"] is None else f", min_lr={eta:.4g})")
    return _compare_lrs(label, _numbers(obs["values"], "cosine_decay"), ref, inp["ts"],
                        atol=1e-15 * inp["base_lr"])


def _in_cosine_after(rng):
    T = int(rng.integers(1, 30)) if rng.random() < 0.7 else 1
    base = float(rng.uniform(0.05, 1.0))
    min_lr = float(base * rng.uniform(0.0, 0.3))
    ts = sorted({T, T + 1, T + 2, 2 * T, 2 * T + 1, 3 * T, 10 * T + 7, 0})
    return {"total": T, "base_lr": base, "min_lr": min_lr, "ts": ts}


def _judge_cosine_after(inp, obs):
    got = _numbers(obs["values"], "cosine_decay")
    T, base, eta = inp["total"], inp["base_lr"], inp["min_lr"]
    ref = np.array([base if t == 0 else eta for t in inp["ts"]])
    return _compare_lrs(f"cosine_decay(t, {base:.4g}, {T}, min_lr={eta:.4g}) at and after "
                        f"t = total_steps (it must stay at min_lr)", got, ref, inp["ts"],
                        atol=1e-15 * base)


# ---- linear_warmup -------------------------------------------------------------------------

def _in_warmup(rng):
    W = int(rng.integers(2, 40))
    return {"warmup": W, "base_lr": float(rng.uniform(0.01, 2.0)), "ts": list(range(W + 10))}


def _judge_warmup(inp, obs):
    from torch.optim.lr_scheduler import LinearLR

    W = inp["warmup"]
    ref = _torch_lrs(lambda o: LinearLR(o, start_factor=1 / W, end_factor=1.0, total_iters=W - 1),
                     len(inp["ts"]), inp["base_lr"])
    return _compare_lrs(f"linear_warmup(t, {inp['base_lr']:.4g}, {W})",
                        _numbers(obs["values"], "linear_warmup"), ref, inp["ts"])


def _in_warmup_edges(rng):
    W = [1, 1, 3, 8][int(rng.integers(4))] if rng.random() < 0.9 else 1
    ts = sorted({0, max(W - 2, 0), W - 1, W, W + 1, 5 * W + 3})
    return {"warmup": W, "base_lr": float(rng.uniform(0.05, 1.0)), "ts": ts}


def _judge_warmup_edges(inp, obs):
    W, base = inp["warmup"], inp["base_lr"]
    ref = np.array([base * (t + 1) / W if t < W else base for t in inp["ts"]])
    return _compare_lrs(f"linear_warmup(t, {base:.4g}, {W})"
                        + (" (warmup_steps = 1 means no warm-up)" if W == 1 else ""),
                        _numbers(obs["values"], "linear_warmup"), ref, inp["ts"])


# ---- ema_update ----------------------------------------------------------------------------

_SHAPES = [(3,), (2, 4), (1,), (5, 1, 2), (6,)]


def _in_ema(rng):
    k = int(rng.integers(1, 5))
    shapes = [_SHAPES[i] for i in rng.choice(len(_SHAPES), k, replace=False)]
    decay = float([0.5, 0.9, 0.99, 0.999, 0.9999][int(rng.integers(5))])
    return {"decay": decay, "start": [rng.normal(size=s) for s in shapes],
            "params": [[rng.normal(size=s) * 3 for s in shapes] for _ in range(20)]}


def _judge_ema(inp, obs):
    import torch
    from torch.optim.swa_utils import get_ema_multi_avg_fn

    ref = [torch.tensor(a) for a in inp["start"]]
    update = get_ema_multi_avg_fn(inp["decay"])
    for k, params in enumerate(inp["params"]):
        update(ref, [torch.tensor(p) for p in params], torch.tensor(k + 1))
        got = obs["averages"][k]
        for i, (g, r) in enumerate(zip(got, ref)):
            r = r.numpy()
            if g.shape != r.shape:
                return [f"after update {k + 1}, array {i} has shape {g.shape}, expected {r.shape}"]
            err = np.max(np.abs(g - r) / (np.abs(r) + 1e-12))
            if err > 1e-9 or not np.allclose(g, r, rtol=RTOL, atol=1e-14):
                return [f"with decay {inp['decay']}, after update {k + 1} array {i} differs from "
                        f"get_ema_multi_avg_fn's average (largest relative error {err:.1e})"]
    return []


def _ema_reference(start, params, decay):
    import torch
    from torch.optim.swa_utils import get_ema_multi_avg_fn

    ref = [torch.tensor(a) for a in start]
    get_ema_multi_avg_fn(decay)(ref, [torch.tensor(p) for p in params], torch.tensor(1))
    return [r.numpy() for r in ref]


def _close(got, ref):
    return len(got) == len(ref) and all(
        g.shape == r.shape and np.allclose(g, r, rtol=RTOL, atol=1e-14) for g, r in zip(got, ref))


def _judge_ema_contract(inp, obs):
    start, params, d = inp["start"], inp["params"][0], inp["decay"]
    problems = []
    if not _close(obs["first"], _ema_reference(start, params, d)):
        return ["the first call's result differs from get_ema_multi_avg_fn's average"]
    if not _close(obs["first_after_caller_changes"], obs["first"]):
        problems.append("the returned arrays changed when the caller changed its own arrays "
                        "afterwards: return new arrays, not the ones you were given")
    later = _ema_reference([a + 1.0 for a in start], [p - 2.0 for p in params], d)
    if not _close(obs["second"], later):
        problems.append("a second call on the same lists gave a wrong average: the first call "
                        "modified the average or params it was given (their arrays or the lists)")
    return problems


# ---- early_stopping ------------------------------------------------------------------------

def _early_reference(scores, patience):
    """The rule of the notebook, written out."""
    best_epoch, best = 0, -math.inf
    for epoch, score in enumerate(scores):
        if score > best:  # strictly higher; False for NaN
            best_epoch, best = epoch, score
        if epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(scores) - 1


def _in_early_random(rng):
    cases = []
    for _ in range(60):
        n = int(rng.integers(1, 30))
        # two decimals in a narrow band: ties are common, as in real validation accuracies
        scores = np.round(np.cumsum(rng.normal(0.01, 0.03, n)) + 0.5, 2)
        cases.append((scores, int(rng.integers(1, 7))))
    return {"cases": cases}


_NAN = float("nan")
_CRAFTED = [
    ([0.5, 0.7, 0.6, 0.7, 0.65], 2),          # a tie does not move the best
    ([0.5, 0.5, 0.5, 0.5], 2),                # all ties: best stays at 0
    ([0.9], 1),                               # one epoch
    ([0.1, 0.2, 0.3, 0.4], 1),                # always improving: never stops early
    ([0.4, 0.3, 0.2, 0.1], 1),                # patience 1: stops at epoch 1
    ([0.4, 0.3, 0.2, 0.1], 3),                # stops at epoch 3 exactly
    ([0.4, 0.3, 0.2, 0.1], 10),               # patience longer than the run
    ([_NAN, 0.2, 0.3, 0.1, 0.1], 2),          # NaN first: the first number moves the best
    ([0.3, _NAN, _NAN, 0.2], 2),              # NaN never moves the best
    ([_NAN, _NAN, _NAN], 2),                  # all NaN: best 0, stops at 2
    ([0.2, 0.3, _NAN, 0.31, 0.31, 0.1, 0.1, 0.5], 3),
    ([0.5, 0.4, 0.6, 0.6, 0.6, 0.6], 3),      # a tie after a new best
    ([float("-inf"), 0.1, 0.0], 1),
]


def _in_early_crafted(rng):
    # arrays, so that equal inputs compare equal with their NaNs
    return {"cases": [(np.array(s, dtype=np.float64), p) for s, p in _CRAFTED]}


def _pair(result, scores, patience):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise UnusableResult(f"early_stopping({_show(scores)}, patience={patience}) should return "
                             f"(best_epoch, stop_epoch), got {result!r}")
    try:
        pair = tuple(int(x) for x in result)
    except (TypeError, ValueError):
        raise UnusableResult(f"early_stopping returned {result!r}, not two integers") from None
    if any(float(x) != int(x) for x in result):
        raise UnusableResult(f"early_stopping returned {result!r}, not two integers")
    return pair


def _show(scores):
    text = "[" + ", ".join("nan" if s != s else f"{s:g}" for s in scores[:12]) + "]"
    return text if len(scores) <= 12 else text[:-1] + ", ...]"


def _judge_early(inp, obs):
    problems = []
    for (scores, patience), call in zip(inp["cases"], obs["calls"]):
        got = _pair(call["result"], scores, patience)
        want = _early_reference(scores, patience)
        if got != want:
            problems.append(f"early_stopping({_show(scores)}, patience={patience}): expected "
                            f"{want}, got {got}")
    return problems


def _in_early_contract(rng):
    return {"cases": _in_early_crafted(rng)["cases"] + _in_early_random(rng)["cases"][:20]}


def _judge_early_contract(inp, obs):
    for (scores, patience), call in zip(inp["cases"], obs["calls"]):
        _pair(call["result"], scores, patience)  # a usable answer first
        after = np.asarray(call["after"], dtype=np.float64)
        if after.shape != np.shape(scores) or not np.array_equal(after, scores, equal_nan=True):
            return [f"early_stopping changed the list it was given: {_show(scores)} became "
                    f"{_show(after)}"]
    return []


# ---- groups ----------------------------------------------------------------------------------

SEEDS = (0, 1, 2, 3, 4, 5)

GROUPS = [
    Group("step_decay.reference", 3, (
        Check("step_decay", "step_decay against torch's MultiStepLR at every step of a run",
              _in_step, obs_step, _judge_step, SEEDS, sweep=20),
        Check("step_decay", "step_decay with the default gamma (0.1)",
              _in_step_defaults, obs_step, _judge_step, (0, 1), sweep=20),
    )),
    Group("step_decay.contract", 2, (
        Check("step_decay", "step_decay at t equal to a milestone, with unsorted and repeated "
              "milestones, leaving the list it is given unchanged",
              _in_step_contract, obs_step_list_kept, _judge_step_list_kept),
        Check("step_decay", "step_decay with the milestones given as a tuple",
              _in_step_contract, obs_step_tuple, _judge_step),
    )),
    Group("cosine_decay.reference", 3, (
        Check("cosine_decay", "cosine_decay against torch's CosineAnnealingLR up to total_steps",
              _in_cosine, obs_cosine, _judge_cosine, SEEDS, sweep=20),
        Check("cosine_decay", "cosine_decay with the default min_lr (0.0)",
              _in_cosine_defaults, obs_cosine, _judge_cosine, (0, 1), sweep=20),
    )),
    Group("cosine_decay.after_the_end", 2, (
        Check("cosine_decay", "cosine_decay at total_steps and after it (stays at min_lr), "
              "and total_steps = 1", _in_cosine_after, obs_cosine, _judge_cosine_after,
              SEEDS),
    )),
    Group("linear_warmup.reference", 3, (
        Check("linear_warmup", "linear_warmup against torch's LinearLR(start_factor=1/W, "
              "end_factor=1, total_iters=W-1), during the warm-up and after it",
              _in_warmup, obs_warmup, _judge_warmup, SEEDS, sweep=50),
    )),
    Group("linear_warmup.edges", 2, (
        Check("linear_warmup", "linear_warmup at t = 0, around t = warmup_steps, and with "
              "warmup_steps = 1", _in_warmup_edges, obs_warmup, _judge_warmup_edges, SEEDS),
    )),
    Group("ema_update.reference", 3, (
        Check("ema_update", "20 updates of lists of arrays against get_ema_multi_avg_fn",
              _in_ema, obs_ema, _judge_ema, SEEDS, sweep=20),
    )),
    Group("ema_update.contract", 2, (
        Check("ema_update", "ema_update returns a new list of new arrays and changes neither "
              "input", _in_ema, obs_ema_contract, _judge_ema_contract, (0, 1, 2)),
    )),
    Group("early_stopping.reference", 2, (
        Check("early_stopping", "early_stopping on random validation curves and patiences",
              _in_early_random, obs_early, _judge_early, (0, 1, 2)),
    )),
    Group("early_stopping.ties_and_nan", 2, (
        Check("early_stopping", "early_stopping with ties, NaN scores, one epoch, and a patience "
              "longer than the run", _in_early_crafted, obs_early, _judge_early),
    )),
    Group("early_stopping.contract", 1, (
        Check("early_stopping", "early_stopping leaves the list of scores it is given unchanged",
              _in_early_contract, obs_early, _judge_early_contract, (0,)),
    )),
]
