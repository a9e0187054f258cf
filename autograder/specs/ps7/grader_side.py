"""ps7's grader side: inputs, judges and groups. Hidden checks of assignment ps7 (chapter 7:
transfer learning): replace_head, freeze_backbone, make_optimizer, extract_features,
train_step, fine_tune.

Models and optimizers cannot leave the student's kernel, so the inputs carry weights as plain
arrays (the grader's copy of the released ``mnist_lowres_cnn.pt``, with heads and scratch
networks initialised here from the generator's seeds), the kernel side builds the notebook's
network from them and records what the student's function did, and each judge recomputes the
reference in torch with its own copy of the network (``trainlab.models.SmallCNN``, the same
layout as the notebook's). Most points are exact: which tensors are the same objects, which
values moved, flags, parameter groups, features, one step and a whole fine-tuning loop against
a reference within float32 rounding. One point is an outcome, judged with a margin measured over
many seeds (see ``BEATS_SCRATCH``).
"""
from __future__ import annotations

import functools

import numpy as np

from autograder.decide.checks import Check, Group
from autograder.specs.ps7.kernel_side import (obs_extract_features, obs_fine_tune,
                                              obs_freeze_backbone, obs_make_optimizer,
                                              obs_replace_head, obs_train_step)

WEIGHTS = "mnist_lowres_cnn.pt"
WIDTH, SOURCE_CLASSES = 16, 10
# Values that went through the same float32 operations in another order (or another but
# equivalent loss) differ by a few units in the last place; a wrong step differs by far more.
RTOL, ATOL = 1e-4, 1e-5

# The outcome check: fine-tuning the pretrained network on PER_CLASS labelled digits per class
# beats the same loop from a random initialisation. Per split, d = accuracy(pretrained) -
# accuracy(scratch) on the digits not drawn (beats_scratch_gaps); the check averages d over
# SPLITS seeded splits and requires at least MARGIN. Measured on the reference solution with
# these inputs from default_rng(10_000 + s), s < 40 (200 splits): mean d 0.475, standard
# deviation 0.157 (0.174 at the upper end of its 95% interval), smallest 0.07; the 40 means of 5
# splits: standard deviation 0.073, smallest 0.32. With the pessimistic 0.174 the mean of
# SPLITS = 5 has standard deviation 0.078, and MARGIN = 0.05 lies 5.5 of them below the mean: a
# correct solution fails with probability about 3e-8 (normal tail), far below 1e-6.
BEATS_SCRATCH = {"per_class": 5, "epochs": 5, "batch_size": 25, "head_lr": 0.05,
                 "backbone_lr": 0.005, "scratch_lr": 0.05, "splits": 5, "margin": 0.05}


# ---- the grader's own network, weights and data -------------------------------------------------

@functools.lru_cache(maxsize=1)
def _pretrained() -> dict:
    import torch

    from autograder.course import released_file

    state = torch.load(released_file("ps7", WEIGHTS), weights_only=True)
    return {k: v.numpy().copy() for k, v in state.items()}


def _init_state(classes: int, width: int, seed: int) -> dict:
    from trainlab.models import SmallCNN

    return {k: v.numpy().copy() for k, v in SmallCNN(classes, width, seed=seed).state_dict().items()}


def _new_head(state: dict, classes: int, seed: int) -> dict:
    """``state`` with a freshly initialised head for ``classes`` classes."""
    import torch

    torch.manual_seed(seed)
    head = torch.nn.Linear(state["head.weight"].shape[1], classes)
    return {**{k: v.copy() for k, v in state.items()},
            "head.weight": head.weight.detach().numpy().copy(),
            "head.bias": head.bias.detach().numpy().copy()}


@functools.lru_cache(maxsize=1)
def _digits():
    from trainlab.data import sklearn_digits

    return sklearn_digits(28)


def _seed(rng) -> int:
    return int(rng.integers(2 ** 31))


def _model(case: dict):
    """The reference network for ``case``: weights, requires_grad flags and mode."""
    import torch

    from trainlab.models import SmallCNN

    torch.set_num_threads(1)
    model = SmallCNN(case["classes"], case["width"])
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in case["state"].items()})
    for name, p in model.named_parameters():
        p.requires_grad_(bool(case.get("trainable", {}).get(name, True)))
    model.train(bool(case.get("training", True)))
    return model


def _features_of(state: dict) -> list:
    return [k for k in state if k.startswith("features.")]


def _param_names(case: dict) -> list:
    return [k for k in case["state"] if not ("running_" in k or "num_batches" in k)]


def _differ(name, actual, expected, rtol=0.0, atol=0.0) -> str | None:
    a, e = np.asarray(actual), np.asarray(expected)
    if a.shape != e.shape:
        return f"{name} has shape {a.shape}, expected {e.shape}"
    bad = ~(np.abs(a.astype(np.float64) - e) <= atol + rtol * np.abs(e))
    if bad.any():
        return f"{name} is off by up to {np.max(np.abs(a - e.astype(a.dtype))):.3g}"
    return None


def _first(problems) -> list:
    return [p for p in problems if p][:1]


# ---- replace_head ---------------------------------------------------------------------------------

def _in_replace_head(rng):
    # The pretrained network and a narrower one (other in_features), new heads of 2..9 classes.
    cases = []
    for width, state in ((WIDTH, _pretrained()), (8, _init_state(SOURCE_CLASSES, 8, _seed(rng)))):
        cases.append({"classes": SOURCE_CLASSES, "width": width, "state": state,
                      "training": bool(rng.integers(2)), "num_classes": int(rng.integers(2, 10)),
                      "seed": _seed(rng)})
    return {"cases": cases, "torch_seed": _seed(rng)}


def _judge_head_shape(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        c, f = case["num_classes"], 2 * case["width"] * 49
        if not got["returns_model"]:
            return ["it must return the model it was given (the same object, changed in place)"]
        if not got["head_is_linear"]:
            return ["model.head must be an nn.Linear"]
        if np.shape(got["head_weight"]) != (c, f):
            return [f"for {c} classes on a backbone with {f} features, head.weight has shape "
                    f"{np.shape(got['head_weight'])}, expected {(c, f)}"]
        if not got["has_bias"] or np.shape(got["head_bias"]) != (c,):
            return [f"the head needs a bias of shape {(c,)} (nn.Linear's default)"]
    return []


def _judge_head_init(inp, obs):
    import torch

    for case, got in zip(inp["cases"], obs["cases"]):
        f = 2 * case["width"] * 49
        torch.manual_seed(case["seed"])
        ref = torch.nn.Linear(f, case["num_classes"])
        problems = [_differ("head.weight", got["head_weight"], ref.weight.detach().numpy(), atol=1e-7),
                    _differ("head.bias", got["head_bias"], ref.bias.detach().numpy(), atol=1e-7)]
        if any(problems):
            return [_first(problems)[0] + f" (seed {case['seed']}): the new head must be "
                    "nn.Linear(in_features, num_classes) created right after "
                    "torch.manual_seed(seed), and nothing else may draw random numbers in between"]
    return []


def _judge_head_backbone(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        moved = [k for k, same in got["same_tensors"].items() if not same]
        if moved:
            return [f"features.{moved[0]} is no longer the same tensor object (was the model "
                    "copied, or a layer re-created?)"]
        for k in _features_of(case["state"]):
            problem = _differ(k, got["backbone"].get(k.removeprefix("features."), np.zeros(0)),
                              case["state"][k])
            if problem:
                return [problem + ": the backbone must keep its values (only the head is new)"]
    return []


# ---- freeze_backbone ------------------------------------------------------------------------------

def _in_freeze(rng):
    state = _pretrained()
    names = _param_names({"state": state})
    presets = [{k: True for k in names}, {k: False for k in names},
               {k: bool(rng.integers(2)) for k in names}]
    return {"cases": [{"classes": SOURCE_CLASSES, "width": WIDTH, "state": state, "trainable": t,
                       "training": bool(rng.integers(2))} for t in presets]}


def _judge_freeze(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        if not got["returns_model"]:
            return ["it must return the model it was given"]
        for name, flag in got["flags"].items():
            want = not name.startswith("features.")
            if flag != want:
                return [f"{name}.requires_grad is {flag}, expected {want} (every backbone "
                        "parameter frozen, every head parameter trainable, whatever the flags "
                        "were before)"]
        if got["modes"] != [case["training"]] * len(got["modes"]):
            return ["it changed the train/eval mode of the model: freezing is requires_grad only"]
        for k, v in case["state"].items():
            problem = _differ(k, got["values"].get(k, np.zeros(0)), v)
            if problem:
                return [problem + ": freezing must not change any value"]
    return []


# ---- make_optimizer -------------------------------------------------------------------------------

def _optimizer_case(rng, state, trainable):
    return {"classes": SOURCE_CLASSES, "width": WIDTH, "state": state, "trainable": trainable,
            "head_lr": float(rng.choice([0.1, 0.05, 0.02])),
            "backbone_lr": float(rng.choice([0.01, 0.003, 0.001])),
            "momentum": None if rng.integers(2) else float(rng.choice([0.5, 0.8, 0.95]))}


def _in_optimizer_groups(rng):
    state = _pretrained()
    names = _param_names({"state": state})
    everything = {k: True for k in names}
    some = {k: (not k.startswith("features.")) or bool(rng.integers(2)) for k in names}
    some[next(k for k in names if k.startswith("features."))] = True  # at least one
    some[[k for k in names if k.startswith("features.")][-1]] = False  # and not all
    return {"cases": [_optimizer_case(rng, state, t) for t in (everything, some)]}


def _in_optimizer_frozen(rng):
    state = _pretrained()
    frozen = {k: not k.startswith("features.") for k in _param_names({"state": state})}
    return {"cases": [_optimizer_case(rng, state, frozen)]}


def _judge_optimizer(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        if not got["is_sgd"]:
            return ["it must return a torch.optim.SGD"]
        head = sorted(k for k in case["trainable"] if k.startswith("head."))
        body = sorted(k for k, t in case["trainable"].items() if t and k.startswith("features."))
        want = [(head, case["head_lr"])] + ([(body, case["backbone_lr"])] if body else [])
        momentum = 0.9 if case["momentum"] is None else case["momentum"]
        groups = got["groups"]
        if len(groups) != len(want):
            return [f"{len(groups)} parameter group(s) for a model with "
                    f"{'a trainable' if body else 'a frozen'} backbone; expected {len(want)}: the "
                    "head" + (", then the trainable backbone parameters" if body else
                              " only (frozen parameters stay out of the optimizer)")]
        for i, ((names, lr), g) in enumerate(zip(want, groups)):
            what = "head" if i == 0 else "backbone"
            if len(set(g["params"])) != len(g["params"]):
                return [f"group {i + 1} lists a parameter twice"]
            if sorted(g["params"]) != names:
                extra = sorted(set(g["params"]) - set(names))
                return [f"group {i + 1} should hold exactly the {what}'s "
                        f"{'trainable ' if i else ''}parameters"
                        + (f"; it also holds {extra[0]}" if extra else "")]
            if not abs(g["lr"] - lr) <= 1e-12:
                return [f"group {i + 1} ({what}) has lr {g['lr']}, expected {lr}"]
            if not abs(g["momentum"] - momentum) <= 1e-12:
                return [f"group {i + 1} has momentum {g['momentum']}, expected {momentum}"
                        + (" (the default)" if case["momentum"] is None else "")]
            if g["weight_decay"] != 0 or g["dampening"] != 0 or g["nesterov"]:
                return ["weight decay, dampening and Nesterov must keep SGD's defaults"]
    return []


# ---- extract_features -----------------------------------------------------------------------------

def _in_extract(rng):
    x, _ = _digits()
    state = _pretrained()
    cases = []
    for training in (True, False):
        idx = rng.choice(len(x), size=int(rng.integers(3, 13)), replace=False)
        cases.append({"classes": SOURCE_CLASSES, "width": WIDTH, "state": state,
                      "training": training, "x": x[idx]})
    return {"cases": cases, "torch_seed": _seed(rng)}


def _judge_extract_values(inp, obs):
    import torch

    for case, got in zip(inp["cases"], obs["cases"]):
        model = _model(case)
        model.eval()
        with torch.no_grad():
            ref = model.features(torch.from_numpy(np.array(case["x"]))).flatten(1).numpy()
        mode = "train" if case["training"] else "eval"
        if not got["is_tensor"]:
            return ["it must return a torch tensor"]
        problem = _differ("the features", got["features"], ref, RTOL, ATOL)
        if problem:
            return [f"{problem} (model in {mode} mode before the call): they must be "
                    "model.features(x) in eval mode, flattened to (N, F) (batch norm on its "
                    "running statistics, dropout off)"]
        if got["requires_grad"]:
            return ["the features require grad: compute them under torch.no_grad()"]
        for k, v in case["state"].items():
            if "running_" in k:
                problem = _differ(k, got["buffers"].get(k, np.zeros(0)), v)
                if problem:
                    return [f"batch norm's {problem}: its running statistics moved, so a "
                            "forward pass ran in train mode"]
    return []


def _judge_extract_mode(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        if got["modes_after"] != got["modes_before"] or got["modes_before"] != \
                [case["training"]] * len(got["modes_before"]):
            mode = "train" if case["training"] else "eval"
            return [f"a model in {mode} mode was left in another mode: restore the mode it was "
                    "in before the call (model.train(was_training))"]
    return []


# ---- train_step -----------------------------------------------------------------------------------

def _step_case(rng, trainable_backbone, batches, stale):
    x, y = _digits()
    classes = int(rng.integers(3, 11))
    state = _new_head(_pretrained(), classes, _seed(rng))
    trainable = {k: trainable_backbone or k.startswith("head.") for k in _param_names({"state": state})}
    pool = np.flatnonzero(y < classes)
    case = {"classes": classes, "width": WIDTH, "state": state, "trainable": trainable,
            "training": False, "head_lr": float(rng.choice([0.1, 0.05])),
            "backbone_lr": float(rng.choice([0.01, 0.005])),
            "momentum": float(rng.choice([0.9, 0.5])), "stale": None, "batches": []}
    for _ in range(batches):
        idx = rng.choice(pool, size=int(rng.integers(6, 17)), replace=False)
        case["batches"].append({"x": x[idx], "y": y[idx], "torch_seed": _seed(rng)})
    if stale:
        case["stale"] = {k: rng.normal(0, 0.5, size=v.shape).astype(np.float32)
                         for k, v in state.items() if k in trainable}
    return case


def _in_step(rng):
    return {"cases": [_step_case(rng, True, 2, False), _step_case(rng, False, 2, False)]}


def _in_stale(rng):
    return {"cases": [_step_case(rng, True, 1, True)]}


def reference_step(model, optimizer, x, y) -> float:
    import torch.nn.functional as F

    optimizer.zero_grad()
    model.train()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def _judge_step(inp, obs):
    import torch

    from autograder.specs.ps7.kernel_side import make_sgd

    for case, got in zip(inp["cases"], obs["cases"]):
        model = _model(case)
        opt = make_sgd(model, case)
        if case["stale"] is not None:
            for k, p in model.named_parameters():
                p.grad = torch.from_numpy(np.array(case["stale"][k]))
        losses = []
        for b in case["batches"]:
            torch.manual_seed(b["torch_seed"])
            losses.append(reference_step(model, opt, torch.from_numpy(np.array(b["x"])),
                                         torch.from_numpy(np.array(b["y"]))))
        if not all(got["loss_is_float"]):
            return ["it must return the loss as a Python float (loss.item()), not a tensor"]
        stale = " (the parameters held gradients from an earlier backward pass)" \
            if case["stale"] is not None else ""
        for i, (a, e) in enumerate(zip(got["losses"], losses)):
            if not abs(a - e) <= ATOL + RTOL * abs(e):
                return [f"step {i + 1}{stale}: the loss is {a:.6g}, expected {e:.6g} (the mean "
                        "cross-entropy of model(x) in train mode, computed before the step)"]
        ref = {k: v.detach().numpy() for k, v in model.state_dict().items()}
        for k in ref:
            problem = _differ(k, got["values"].get(k, np.zeros(0)), ref[k], RTOL, ATOL)
            if problem:
                hint = ("zero the gradients before backward" if stale or len(losses) > 1
                        else "zero, train mode, backward, step")
                return [f"after {len(losses)} step(s){stale}, {problem} ({hint}; the step must "
                        "be exactly one optimizer.step on this batch's gradients)"]
    return []


# ---- fine_tune ------------------------------------------------------------------------------------

def _tune_case(rng, trainable_backbone):
    x, y = _digits()
    classes = int(rng.integers(3, 8))
    state = _new_head(_pretrained(), classes, _seed(rng))
    batch_size = int(rng.integers(4, 8))
    n = batch_size * int(rng.integers(3, 5)) + int(rng.integers(1, batch_size))  # a short last batch
    idx = rng.choice(np.flatnonzero(y < classes), size=n, replace=False)
    trainable = {k: trainable_backbone or k.startswith("head.")
                 for k in _param_names({"state": state})}
    return {"classes": classes, "width": WIDTH, "state": state, "trainable": trainable,
            "training": bool(rng.integers(2)), "x": x[idx], "y": y[idx],
            "epochs": int(rng.integers(2, 4)), "batch_size": batch_size,
            "head_lr": float(rng.choice([0.05, 0.02])),
            "backbone_lr": float(rng.choice([0.005, 0.002])), "seed": _seed(rng)}


def _in_tune_loop(rng):
    return {"cases": [_tune_case(rng, True), _tune_case(rng, False)], "torch_seed": _seed(rng)}


def _in_tune_frozen(rng):
    return {"cases": [_tune_case(rng, False)], "torch_seed": _seed(rng)}


def reference_fine_tune(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """The loop ps7's docstring prescribes, with the reference optimizer and step."""
    import torch

    from autograder.specs.ps7.kernel_side import make_sgd

    opt = make_sgd(model, {"head_lr": head_lr, "backbone_lr": backbone_lr, "momentum": 0.9})
    shuffle = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # dropout
    for _ in range(epochs):
        for idx in torch.randperm(len(y), generator=shuffle).split(batch_size):
            reference_step(model, opt, x[idx], y[idx])
    return model


def _judge_tune_loop(inp, obs):
    import torch

    for case, got in zip(inp["cases"], obs["cases"]):
        if not got["returns_model"]:
            return ["it must return the model it was given, trained in place"]
        model = _model(case)
        reference_fine_tune(model, torch.from_numpy(np.array(case["x"])),
                            torch.from_numpy(np.array(case["y"])), case["epochs"],
                            case["batch_size"], case["head_lr"], case["backbone_lr"], case["seed"])
        frozen = "" if case["trainable"]["features.0.weight"] else " with a frozen backbone"
        for k, v in model.state_dict().items():
            problem = _differ(k, got["values"].get(k, np.zeros(0)), v.numpy(), RTOL, ATOL)
            if problem:
                return [f"after {case['epochs']} epochs of {len(case['y'])} images in batches of "
                        f"{case['batch_size']}{frozen}, {problem}: the loop must be the "
                        "docstring's (one optimizer from make_optimizer, one seeded permutation "
                        "per epoch, every minibatch including the last, smaller one)"]
    return []


def _judge_tune_frozen(inp, obs):
    for case, got in zip(inp["cases"], obs["cases"]):
        for k in _param_names(case):
            if k.startswith("features."):
                problem = _differ(k, got["values"].get(k, np.zeros(0)), case["state"][k])
                if problem:
                    return [f"the backbone was frozen before the call, but {problem}: only "
                            "parameters with requires_grad = True may change"]
        if np.array_equal(got["values"].get("head.weight"), case["state"]["head.weight"]):
            return ["the head did not change: it must be trained"]
    return []


def _in_beats_scratch(rng):
    x, y = _digits()
    b = BEATS_SCRATCH
    cases, tests = [], []
    for _ in range(b["splits"]):
        train = np.concatenate([rng.choice(np.flatnonzero(y == c), size=b["per_class"],
                                           replace=False) for c in range(10)])
        rest = np.setdiff1d(np.arange(len(y)), train)
        seed = _seed(rng)
        common = {"classes": 10, "width": WIDTH, "training": True, "x": x[train], "y": y[train],
                  "epochs": b["epochs"], "batch_size": b["batch_size"], "seed": seed,
                  "head_lr": b["head_lr"]}
        cases.append({**common, "state": _new_head(_pretrained(), 10, _seed(rng)),
                      "backbone_lr": b["backbone_lr"]})
        cases.append({**common, "state": _init_state(10, WIDTH, _seed(rng)),
                      "backbone_lr": b["scratch_lr"]})
        tests.append(rest)
    return {"cases": cases, "test_index": tests, "torch_seed": _seed(rng)}


def _accuracy(case, state, index) -> float:
    import torch

    x, y = _digits()
    model = _model({**case, "state": state})
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(x[index])).argmax(1).numpy()
    return float(np.mean(pred == y[index]))


def beats_scratch_gaps(inp, obs) -> list:
    """Per split: test accuracy after fine-tuning the pretrained network minus after training
    the same network from scratch, both with the student's fine_tune."""
    gaps = []
    for i, index in enumerate(inp["test_index"]):
        pre, scratch = inp["cases"][2 * i], inp["cases"][2 * i + 1]
        gaps.append(_accuracy(pre, obs["cases"][2 * i]["values"], index)
                    - _accuracy(scratch, obs["cases"][2 * i + 1]["values"], index))
    return gaps


def _judge_beats_scratch(inp, obs):
    gaps = beats_scratch_gaps(inp, obs)
    b = BEATS_SCRATCH
    if not np.mean(gaps) >= b["margin"]:
        return [f"on {b['splits']} splits with {b['per_class']} labelled digits per class, "
                f"{b['epochs']} epochs, the fine-tuned pretrained network beat the same network "
                f"trained from scratch by {np.mean(gaps):.3f} on average (gaps "
                f"{', '.join(f'{g:.3f}' for g in gaps)}); a correct fine_tune gives at least "
                f"{b['margin']}"]
    return []


# ---- groups ---------------------------------------------------------------------------------------

# How many submission keys the seed sweep gives each function's checks: every key builds torch
# networks for the reference and some 36 variants, and a fine_tune key trains 10 networks each
# (about 10 s a key). The exact checks hold on any draw (float32 rounding is the only
# tolerance); the outcome check's bound is derived above, not from the sweep.
SWEEP = {"replace_head": 10, "freeze_backbone": 50, "make_optimizer": 10,
         "extract_features": 20, "train_step": 20, "fine_tune": 2}


def _check(function, about, inputs, observe, judge, seeds=(0, 1)):
    return Check(function=function, about=about, inputs=inputs, observe=observe, judge=judge,
                 seeds=seeds, uses=("SmallCNN",), sweep=SWEEP[function])


GROUPS = [
    Group("replace_head.shape", 1, checks=(
        _check("replace_head", "a new nn.Linear head of the right shape on the model returned",
               _in_replace_head, obs_replace_head, _judge_head_shape),
    )),
    Group("replace_head.init", 2, checks=(
        _check("replace_head", "the new head's initial weights and bias under the seed",
               _in_replace_head, obs_replace_head, _judge_head_init),
    )),
    Group("replace_head.backbone", 1, checks=(
        _check("replace_head", "every backbone parameter and buffer the same tensor, same values",
               _in_replace_head, obs_replace_head, _judge_head_backbone),
    )),
    Group("freeze_backbone.flags", 3, checks=(
        _check("freeze_backbone", "requires_grad of every parameter from any starting flags; "
               "nothing else changed", _in_freeze, obs_freeze_backbone, _judge_freeze),
    )),
    Group("make_optimizer.groups", 3, checks=(
        _check("make_optimizer", "SGD's parameter groups, their order, learning rates and "
               "momentum, with a trainable and a partly frozen backbone", _in_optimizer_groups,
               obs_make_optimizer, _judge_optimizer),
    )),
    Group("make_optimizer.frozen", 1, checks=(
        _check("make_optimizer", "a frozen backbone: one group, the head's parameters",
               _in_optimizer_frozen, obs_make_optimizer, _judge_optimizer),
    )),
    Group("extract_features.values", 2, checks=(
        _check("extract_features", "features against a reference forward pass, no autograd "
               "graph, running statistics unchanged", _in_extract, obs_extract_features,
               _judge_extract_values),
    )),
    Group("extract_features.mode", 2, checks=(
        _check("extract_features", "the model's train/eval mode restored after the call",
               _in_extract, obs_extract_features, _judge_extract_mode),
    )),
    Group("train_step.step", 3, checks=(
        _check("train_step", "two steps against a reference step on a copy: losses and every "
               "parameter and statistic", _in_step, obs_train_step, _judge_step),
    )),
    Group("train_step.stale_gradients", 1, checks=(
        _check("train_step", "a step when the parameters already hold gradients", _in_stale,
               obs_train_step, _judge_step),
    )),
    Group("fine_tune.loop", 3, checks=(
        _check("fine_tune", "every parameter after the loop against the reference loop, with "
               "a trainable and a frozen backbone", _in_tune_loop, obs_fine_tune,
               _judge_tune_loop),
    )),
    Group("fine_tune.frozen", 1, checks=(
        _check("fine_tune", "a frozen backbone does not move; the head trains", _in_tune_frozen,
               obs_fine_tune, _judge_tune_frozen),
    )),
    Group("fine_tune.beats_scratch", 1, checks=(
        _check("fine_tune", "fine-tuned on 5 labelled digits per class, the pretrained network "
               "beats training from scratch", _in_beats_scratch, obs_fine_tune,
               _judge_beats_scratch, seeds=(0,)),
    )),
]
