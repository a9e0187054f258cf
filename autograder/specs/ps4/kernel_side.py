"""ps4's observe stage: the only spec code that runs beside the student's, inside the sandbox.

Copied into the kernel as is: nothing here computes an expected value or decides. Each
``obs_*(fn, inp)`` calls the student's function on copies of the plain inputs and records what
came back (and what became of the arguments) as plain data.
"""
from __future__ import annotations

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult


def _lr_list(fn, calls):
    """[(t, returned value)] for each (t, args) in ``calls``."""
    return [(t, fn(t, *args)) for t, args in calls]


def obs_step(fn, inp):
    """step_decay at every t, with a fresh copy of the milestones list each call; the default
    gamma when inp["gamma"] is None."""
    extra = () if inp["gamma"] is None else (inp["gamma"],)
    return {"values": _lr_list(fn, [(t, (inp["base_lr"], list(inp["milestones"])) + extra)
                                    for t in inp["ts"]])}


def obs_step_list_kept(fn, inp):
    """step_decay on one list object for every t; records the list as it is after the calls."""
    ms = list(inp["milestones"])
    values = _lr_list(fn, [(t, (inp["base_lr"], ms, inp["gamma"])) for t in inp["ts"]])
    return {"values": values, "milestones_after": [int(m) for m in ms]}


def obs_step_tuple(fn, inp):
    """step_decay with the milestones given as a tuple."""
    return {"values": _lr_list(fn, [(t, (inp["base_lr"], tuple(inp["milestones"]), inp["gamma"]))
                                    for t in inp["ts"]])}


def obs_cosine(fn, inp):
    """cosine_decay at every t; the default min_lr when inp["min_lr"] is None."""
    extra = () if inp["min_lr"] is None else (inp["min_lr"],)
    return {"values": _lr_list(fn, [(t, (inp["base_lr"], inp["total"]) + extra)
                                    for t in inp["ts"]])}


def obs_warmup(fn, inp):
    return {"values": _lr_list(fn, [(t, (inp["base_lr"], inp["warmup"])) for t in inp["ts"]])}


def _arrays(out, n, what):
    if not isinstance(out, (list, tuple)) or len(out) != n:
        length = f" of length {len(out)}" if hasattr(out, "__len__") else ""
        raise UnusableResult(f"{what} should return a list of {n} arrays, got "
                             f"{type(out).__name__}{length}")
    return [np.array(a, dtype=np.float64, copy=True) for a in out]


def obs_ema(fn, inp):
    """20 updates, each fed the average the previous one returned; records every average."""
    avg = [a.copy() for a in inp["start"]]
    out = []
    for params in inp["params"]:
        avg = _arrays(fn(avg, [p.copy() for p in params], inp["decay"]), len(avg), "ema_update")
        out.append([a.copy() for a in avg])
    return {"averages": out}


def obs_ema_contract(fn, inp):
    """Two calls on the same list and array objects: as given, then after the caller's average
    arrays were raised by 1 and its params lowered by 2 in place. A function that modified or
    kept hold of its arguments shows in the second result (or in the first result changing when
    the caller's arrays do)."""
    avg = [a.copy() for a in inp["start"]]
    params = [p.copy() for p in inp["params"][0]]
    avg_list, par_list = list(avg), list(params)
    first = fn(avg_list, par_list, inp["decay"])
    first_values = _arrays(first, len(avg), "ema_update")
    for a in avg:
        a += 1.0
    for p in params:
        p -= 2.0
    first_later = _arrays(first, len(avg), "ema_update")
    second = _arrays(fn(avg_list, par_list, inp["decay"]), len(avg), "ema_update")
    return {"first": first_values, "first_after_caller_changes": first_later, "second": second}


def obs_early(fn, inp):
    """Each case on a list object of its own; records the result and the list after the call."""
    calls = []
    for scores, patience in inp["cases"]:
        given = [float(s) for s in scores]
        result = fn(given, patience)
        calls.append({"result": result, "after": np.array(given, dtype=np.float64)})
    return {"calls": calls}
