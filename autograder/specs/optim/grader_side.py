"""Hidden checks shared by ps2 (momentum) and ps3 (adaptive methods).

Every graded function is an update rule in CS231n's API, ``next_w, config = rule(w, dw, config)``,
and is compared with the torch.optim optimizer its docstring names, in float64.

The three stages (see autograder/decide/checks.py); observe lives in kernel_side.py:
- inputs:  a starting w, a fixed sequence of gradients and the config of the first call (None,
           partial, complete, or holding state to resume from), as plain data. The gradients are
           data, not computed from w, so one wrong step cannot change later inputs, and torch sees
           exactly the same ones. Some coordinates get gradients of 1e-9..1e-6, where the place
           of epsilon decides the step, and some get exact zeros for the first steps;
- observe: calls the student's rule once per gradient, passing back the config it returned (so
           state must be carried between calls) and a copy of the w it returned; records next_w
           and the documented config entries after every call. For the contract, each call is
           made twice on the same arrays, so modifying an input shows as a different next_w.
           Decides nothing, computes no reference;
- judge:   runs torch.optim on the same data (:func:`reference_run`) and compares.

Tolerances. next_w must match to rtol 1e-9 with atol 1e-12, and state arrays to 1e-9 of the
larger of the entry and the largest value that entry takes over the run (state entries pass
through zero). Correct float64 implementations agree with torch.optim to ~1e-13 absolute over 100
steps (benchmarks/optim_reference.py) and use at most ~1e-4 of this tolerance here; the wrong
versions in tests/mutants/ps2, ps3 that compute other values exceed it by 2e3 (a float32 result)
to 1e8 and more (tests/assignments/test_assignments.py asserts a factor of 100 both ways).
"""
from __future__ import annotations

import numpy as np

from autograder.decide.checks import Check, Group, memoised
from autograder.kernel_side.plaindata import compare
from autograder.specs.optim.kernel_side import (RULES, Rule, observe_run, shift_arrays)


RTOL_W, ATOL_W = 1e-9, 1e-12


RTOL_STATE = 1e-9


# As the docstrings name them (shown to students in the checks' descriptions).
TORCH_REFERENCE = {"sgd": "torch.optim.SGD", "sgd_momentum": "torch.optim.SGD(momentum=...)",
                   "nesterov_momentum": "torch.optim.SGD(momentum=..., nesterov=True)",
                   "adagrad": "torch.optim.Adagrad", "rmsprop": "torch.optim.RMSprop",
                   "adam": "torch.optim.Adam", "adamw": "torch.optim.AdamW"}


def _optimizer(rule: Rule, param, h: dict):
    import torch

    opt, lr = torch.optim, h["learning_rate"]
    if rule.name == "sgd":
        return opt.SGD([param], lr=lr, foreach=False)
    if rule.name in ("sgd_momentum", "nesterov_momentum"):
        return opt.SGD([param], lr=lr, momentum=h["momentum"],
                       nesterov=rule.name == "nesterov_momentum", foreach=False)
    if rule.name == "adagrad":
        return opt.Adagrad([param], lr=lr, eps=h["epsilon"], initial_accumulator_value=0.0,
                           foreach=False)
    if rule.name == "rmsprop":
        return opt.RMSprop([param], lr=lr, alpha=h["decay_rate"], eps=h["epsilon"], foreach=False)
    betas = (h["beta1"], h["beta2"])
    if rule.name == "adam":
        return opt.Adam([param], lr=lr, betas=betas, eps=h["epsilon"], foreach=False)
    return opt.AdamW([param], lr=lr, betas=betas, eps=h["epsilon"],
                     weight_decay=h["weight_decay"], foreach=False)


def _tensor(a):
    import torch

    return torch.tensor(np.array(a, dtype=np.float64))


def _load_state(rule: Rule, st: dict, state: dict, h: dict) -> None:
    """CS231n's state (velocity, cache, m, v, t) into torch's optimizer state."""
    import torch

    if "velocity" in rule.state:
        # CS231n's velocity v = rho v - lr dw is torch's buffer b = mu b + dw times -lr.
        st["momentum_buffer"] = _tensor(-np.asarray(state["velocity"]) / h["learning_rate"])
    elif rule.name == "adagrad":
        st["sum"] = _tensor(state["cache"])
    elif rule.name == "rmsprop":
        st.update(step=torch.tensor(0.0), square_avg=_tensor(state["cache"]))
    else:
        st.update(step=torch.tensor(float(state["t"])), exp_avg=_tensor(state["m"]),
                  exp_avg_sq=_tensor(state["v"]))


def _read_state(rule: Rule, st: dict, h: dict) -> dict:
    if "velocity" in rule.state:
        return {"velocity": -h["learning_rate"] * st["momentum_buffer"].numpy()}
    if rule.name == "adagrad":
        return {"cache": st["sum"].numpy().copy()}
    if rule.name == "rmsprop":
        return {"cache": st["square_avg"].numpy().copy()}
    if rule.state:
        return {"m": st["exp_avg"].numpy().copy(), "v": st["exp_avg_sq"].numpy().copy(),
                "t": int(st["step"].item())}
    return {}


@memoised
def reference_run(name: str, hyper: dict, w0, grads, state: dict | None = None):
    """torch.optim's iterates and state, one per gradient, in float64 and CS231n's names.

    ``hyper`` holds every hyperparameter of the rule; ``state`` (optional) the state to start
    from. Returns (list of next_w arrays, list of state dicts).
    """
    import torch

    rule = RULES[name]
    param = torch.tensor(np.array(w0, dtype=np.float64), requires_grad=True)
    opt = _optimizer(rule, param, hyper)
    if state:
        _load_state(rule, opt.state[param], state, hyper)
    ws, states = [], []
    for g in grads:
        param.grad = _tensor(g)
        opt.step()
        ws.append(param.detach().numpy().copy())
        states.append(_read_state(rule, opt.state[param], hyper))
    return ws, states


def _hyper(inp) -> dict:
    given = inp["config"] or {}
    return {k: given.get(k, default) for k, default in RULES[inp["rule"]].hyper.items()}


def _given_state(inp) -> dict | None:
    given = inp["config"] or {}
    state = {k: given[k] for k in RULES[inp["rule"]].state if k in given}
    return state or None


def reference_for(inp):
    """reference_run on one check's inputs: the given hyperparameters, defaults for the rest."""
    return reference_run(inp["rule"], _hyper(inp), inp["w0"], inp["grads"], _given_state(inp))


SHAPES = [(7,), (3, 4), (2, 3, 4), (1,), (5, 1), (4, 6)]


def _gradients(rng, shape, steps, tiny=True):
    """(grads of shape (steps, *shape), per-coordinate scale). Each coordinate has its own
    scale (1e-2..10, and with ``tiny`` 1e-9..1e-6 for about a third of them, at least one),
    a drift and noise, so signs change now and then; with ``tiny`` some coordinates are
    exactly 0 for the first steps (a unit that starts out silent)."""
    size = int(np.prod(shape))
    exponent = rng.uniform(-2, 1, size)
    if tiny:
        small = rng.random(size) < 0.35
        if size >= 2:
            small[rng.permutation(size)[:2]] = [True, False]
        exponent[small] = rng.uniform(-9, -6, int(small.sum()))
    scale = 10.0 ** exponent
    per_step = rng.uniform(0.3, 3.0, size=(steps, 1))
    g = scale * (rng.normal(size=size) + 0.7 * rng.normal(size=(steps, size))) * per_step
    if tiny and size >= 3:
        silent = rng.permutation(size)[:max(1, size // 5)]
        g[:int(rng.integers(2, max(3, steps // 2))), silent] = 0.0
    return g.reshape((steps,) + tuple(shape)), scale.reshape(shape)


def _random_value(rng, low, high, kind):
    x = 10 ** rng.uniform(np.log10(low), np.log10(high)) if kind == "log" else rng.uniform(low, high)
    # Short numbers read better in failure messages, but rounding must stay in the range
    # (0.99996 to 3 digits is 1.0, a beta2 torch refuses).
    for digits in range(3, 18):
        short = float(f"{x:.{digits}g}")
        if low <= short <= high:
            return short
    return float(x)


def _random_state(rng, rule: Rule, hyper: dict, scale) -> dict:
    """A state as an earlier run could have left it, in CS231n's convention."""
    shape = scale.shape
    if "velocity" in rule.state:
        return {"velocity": -hyper["learning_rate"] * scale * 3 * rng.normal(size=shape)}
    if rule.name == "adagrad":
        return {"cache": scale ** 2 * rng.uniform(1, 20, size=shape)}
    if rule.name == "rmsprop":
        return {"cache": scale ** 2 * rng.uniform(0.2, 2, size=shape)}
    return {"m": 0.5 * scale * rng.normal(size=shape),
            "v": scale ** 2 * rng.uniform(0.2, 2, size=shape), "t": int(rng.integers(1, 40))}


MODES = ("full", "none", "partial", "resume", "float32")


def make_inputs(rng, name: str, mode: str, steps: int | None = None) -> dict:
    """Inputs of one run. Modes: "full" every hyperparameter given (non-default values), fresh
    state; "none" config=None; "partial" some hyperparameters given, maybe a state; "resume"
    every hyperparameter and a state given; "float32" float32 w and gradients, config=None."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    rule = RULES[name]
    # Every draw of a "full" run (the trajectory and state checks) has at least 3 coordinates,
    # so each one holds tiny, normal-sized and silent gradients: a submission's few draws could
    # otherwise all be 1-D (one in ~1300 submissions for four draws).
    shapes = SHAPES if mode != "full" else [s for s in SHAPES if np.prod(s) >= 3]
    shape = shapes[int(rng.integers(len(shapes)))]
    steps = int(rng.integers(20, 61)) if steps is None else steps
    grads, scale = _gradients(rng, shape, steps, tiny=mode != "float32")
    w0 = rng.normal(size=shape)
    hyper = {k: _random_value(rng, *rule.ranges[k]) for k in rule.hyper}
    if mode == "float32":
        return {"rule": name, "w0": w0.astype(np.float32), "grads": grads.astype(np.float32),
                "config": None}
    config = None
    if mode == "full":
        config = hyper
    elif mode == "resume":
        config = {**hyper, **_random_state(rng, rule, hyper, scale)}
    elif mode == "partial":
        keys = list(rule.hyper)
        chosen = rng.permutation(len(keys))[:int(rng.integers(0, len(keys)))]
        config = {keys[i]: hyper[keys[i]] for i in sorted(chosen)}
        if rule.state and rng.random() < 0.5:
            config.update(_random_state(rng, rule, _hyper({"rule": name, "config": config}),
                                        scale))
    return {"rule": name, "w0": w0, "grads": grads, "config": config}


def _describe(inp) -> str:
    """The run, as a student can reproduce it: shape, dtype, number of calls, first config."""
    rule = RULES[inp["rule"]]
    config = inp["config"]
    if config is None:
        given = "config=None"
    else:
        hyper = ", ".join(f"'{k}': {config[k]:g}" for k in rule.hyper if k in config)
        state = [k if k != "t" else f"t={config['t']}" for k in rule.state if k in config]
        given = f"config {{{hyper}}}" + (f" plus a given {', '.join(state)}" if state else "")
    w0 = np.asarray(inp["w0"])
    return (f"{len(inp['grads'])} calls of {rule.name}(w, dw, config), w of shape {w0.shape} "
            f"({w0.dtype}), first call with {given}")


def _close(name, actual, expected, scale, rtol) -> list[str]:
    """|a - e| <= rtol * (|e| + scale), elementwise; scale is per entry."""
    a, e = np.asarray(actual), np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        return [f"{name} has shape {a.shape}, expected {e.shape} (the shape of w)"]
    err = np.abs(a.astype(np.float64) - e)
    bad = ~(err <= rtol * (np.abs(e) + scale))
    if bad.any():
        i = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(err, nan=np.inf), 0)), a.shape)
        where = f"at index {tuple(int(k) for k in i)} " if a.ndim else ""
        return [f"{name} is wrong: {where}got {a[i].item()!r}, expected {e[i].item()!r} "
                f"(relative tolerance {rtol:g})"]
    return []


def _judge_next_w(inp, obs, ws=None) -> list[str]:
    ws = reference_for(inp)[0] if ws is None else ws
    for k, (call, expected) in enumerate(zip(obs["calls"], ws)):
        problems = compare(f"next_w after call {k + 1}", call["next_w"], expected, RTOL_W, ATOL_W)
        if problems:
            return [f"{_describe(inp)}: {problems[0]}"]
    return []


def judge_trajectory(inp, obs) -> list[str]:
    return _judge_next_w(inp, obs)


def judge_defaults(inp, obs) -> list[str]:
    """The trajectory, and every hyperparameter in the returned config: given or default."""
    problems = _judge_next_w(inp, obs)
    if problems:
        return problems
    rule, given = RULES[inp["rule"]], inp["config"] or {}
    for k, call in enumerate(obs["calls"]):
        for key, default in rule.hyper.items():
            got, expected = call["config"][key], given.get(key, default)
            if got is None:
                return [f"{_describe(inp)}: the config returned by call {k + 1} has no "
                        f"'{key}'; fill in every missing key with its default ({key} = {default:g})"]
            if got.shape != () or not float(got) == expected:
                why = "the value given in config" if key in given else "the default"
                return [f"{_describe(inp)}: config['{key}'] returned by call {k + 1} is "
                        f"{got.tolist()!r}, expected {expected:g} ({why})"]
    return []


def _state_scale(states, key):
    """Per entry, the largest magnitude the reference state reaches over the run."""
    return np.max(np.abs(np.stack([np.asarray(s[key], dtype=np.float64) for s in states])), axis=0)


def judge_state(inp, obs) -> list[str]:
    """The state stored in the returned config after every call, and the trajectory."""
    ws, states = reference_for(inp)
    rule = RULES[inp["rule"]]
    scales = {k: _state_scale(states, k) for k in rule.state if k != "t"}
    for k, (call, ref) in enumerate(zip(obs["calls"], states)):
        for key in rule.state:
            got = call["config"][key]
            if got is None:
                return [f"{_describe(inp)}: the config returned by call {k + 1} has no '{key}'; "
                        f"store the updated {key} in config"]
            if key == "t":
                if got.shape != () or not float(got) == ref["t"]:
                    return [f"{_describe(inp)}: config['t'] after call {k + 1} is "
                            f"{got.tolist()!r}, expected {ref['t']} (t counts the steps taken; "
                            "it is incremented before it is used)"]
                continue
            problems = _close(f"config['{key}'] after call {k + 1}", got, ref[key], scales[key],
                              RTOL_STATE)
            if problems:
                return [f"{_describe(inp)}: {problems[0]}"]
    return _judge_next_w(inp, obs, ws)


def judge_contract(inp, obs) -> list[str]:
    """Inputs left alone, next_w with w's dtype and shape. Values are the other groups'
    business, so each group stands for one property; the one value judged here is the second
    next_w of the first call, on inputs the first call must not have modified (observe_run)."""
    w0 = np.asarray(inp["w0"])
    if w0.dtype == np.float64:
        w, dw = np.array(w0), np.array(inp["grads"][0])
        state = {k: np.array(v) if isinstance(v, np.ndarray) else v
                 for k, v in (_given_state(inp) or {}).items()}
        shift_arrays(w, dw, state)
        expected = reference_run(inp["rule"], _hyper(inp), w, [dw], state or None)[0][0]
        if compare("next_w", obs["calls"][0]["again"], expected, RTOL_W, ATOL_W):
            return [f"{_describe(inp)}: call 1 made again after changing the same w, dw and "
                    "config arrays in place by known amounts did not give the step from the "
                    "changed values: call 1 modified w, dw or an array in config in place (use "
                    "new arrays for results and state)"]
    for k, call in enumerate(obs["calls"]):
        at = f"call {k + 1}"
        nw = call["next_w"]
        problems = []
        if nw.dtype != w0.dtype or nw.shape != w0.shape:
            problems.append(f"next_w after {at} has dtype {nw.dtype} and shape {nw.shape}; "
                            f"expected w's dtype {w0.dtype} and shape {w0.shape}")
        if problems:
            return [f"{_describe(inp)}: {problems[0]}"]
    return []


_SHAPES_TEXT = "w of several shapes, gradients from 1e-9 to 10 in size and some exactly 0"


def groups_for(name: str) -> list[Group]:
    """The hidden-test groups of one update rule (names "<rule>.<aspect>")."""
    rule = RULES[name]

    def check(about, mode, judge, seeds, steps=None, again=False):
        # The seed sweep runs torch.optim once per draw: 50 keys for the short contract runs,
        # 15 (x 2-4 draws) for the 20-60 step runs, whose tolerances hold for any well-scaled
        # input (float64 against float64, gradients scaled per step, see _gradients).
        return Check(function=name, about=about,
                     inputs=lambda rng: {**make_inputs(rng, name, mode, steps), "again": again},
                     observe=observe_run, judge=judge, seeds=seeds,
                     sweep=50 if steps is not None and steps <= 4 else 15)

    groups = [
        Group(f"{name}.trajectory", 2, checks=(
            check(f"20-60 steps with every hyperparameter given, compared with {TORCH_REFERENCE[name]} "
                  f"({_SHAPES_TEXT})", "full", judge_trajectory, (0, 1, 2, 3)),
        )),
        Group(f"{name}.defaults", 1, checks=(
            check("config=None: every key gets its documented default", "none", judge_defaults,
                  (0, 1)),
            check("partial configs: given keys are kept, missing ones get their defaults",
                  "partial", judge_defaults, (0, 1, 2, 3)),
        )),
    ]
    if rule.state:
        groups.append(Group(f"{name}.state", 2, checks=(
            check(f"the state ({', '.join(rule.state)}) in the returned config after every call",
                  "full", judge_state, (10, 11, 12)),
            check("resuming from a config that already holds a state", "resume", judge_state,
                  (0, 1, 2)),
        )))
    groups.append(Group(f"{name}.contract", 1, checks=(
        check("w, dw and the arrays in the passed config are not modified; next_w has w's "
              "shape and dtype", "resume", judge_contract, (0, 1), steps=4, again=True),
        check("float32 w and dw give float32 next_w", "float32", judge_contract, (0,), steps=4),
    )))
    return groups
