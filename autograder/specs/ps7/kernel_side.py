"""ps7's observe stage: the only spec code that runs beside the student's, inside the sandbox.

Copied into the kernel as is: nothing here computes an expected value or decides. The graded
functions take and return torch modules and optimizers, which cannot leave the kernel, so each
``obs_*(fn, inp)`` builds the model from the notebook's own ``SmallCNN`` (the Check's
``uses``) and the weights in the plain inputs (the grader's copy of the released file, or a
seeded initialisation the grader made), calls the student's function, and records what it did
as plain data: parameter values and flags, whether tensors are the same objects, the
optimizer's groups, features, losses, train/eval flags.
"""
from __future__ import annotations

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult, as_array


def _torch():
    import torch

    torch.set_num_threads(1)
    return torch


def _array(t) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


def build_model(inp: dict, case: dict):
    """The notebook's SmallCNN with ``case``'s weights, flags and mode (and nothing random)."""
    torch = _torch()
    cls = inp["_functions"].get("SmallCNN")
    if not callable(cls):
        raise RuntimeError("SmallCNN (the setup cell's network) is not defined: run the setup cell")
    model = cls(classes=case["classes"], width=case["width"])
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in case["state"].items()})
    for name, p in model.named_parameters():
        p.requires_grad_(bool(case.get("trainable", {}).get(name, True)))
    model.train(bool(case.get("training", True)))
    return model


def values(model) -> dict:
    """Every parameter and buffer (batch-norm statistics) by name, as arrays."""
    return {k: _array(v) for k, v in model.state_dict().items()}


def _module(out, model, function: str):
    torch = _torch()
    if not isinstance(out, torch.nn.Module):
        raise UnusableResult(f"{function} should return the model, got {type(out).__name__}")
    return out


def modes(model) -> list:
    return [bool(m.training) for m in model.modules()]


# ---- replace_head -------------------------------------------------------------------------------

def obs_replace_head(fn, inp):
    torch = _torch()
    torch.manual_seed(inp["torch_seed"])  # a global state other than the one the head must use
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        before = dict(model.features.named_parameters())
        before.update(model.features.named_buffers())
        out = _module(fn(model, case["num_classes"], case["seed"]), model, "replace_head")
        head = getattr(out, "head", None)
        is_linear = isinstance(head, torch.nn.Linear)
        after = dict(out.features.named_parameters())
        after.update(out.features.named_buffers())
        bias = getattr(head, "bias", None) if is_linear else None
        cases.append({
            "returns_model": out is model,
            "head_is_linear": is_linear,
            "head_weight": _array(head.weight) if is_linear else np.zeros((0, 0)),
            "has_bias": bias is not None,
            "head_bias": _array(bias) if bias is not None else np.zeros(0),
            "same_tensors": {k: after.get(k) is t for k, t in before.items()},
            "backbone": {k: _array(v) for k, v in out.features.state_dict().items()},
        })
    return {"cases": cases}


# ---- freeze_backbone ----------------------------------------------------------------------------

def obs_freeze_backbone(fn, inp):
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        out = _module(fn(model), model, "freeze_backbone")
        cases.append({"returns_model": out is model,
                      "flags": {k: bool(p.requires_grad) for k, p in model.named_parameters()},
                      "modes": modes(model), "values": values(model)})
    return {"cases": cases}


# ---- make_optimizer -----------------------------------------------------------------------------

def obs_make_optimizer(fn, inp):
    torch = _torch()
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        names = {id(p): k for k, p in model.named_parameters()}
        if case["momentum"] is None:
            opt = fn(model, case["head_lr"], case["backbone_lr"])
        else:
            opt = fn(model, case["head_lr"], case["backbone_lr"], momentum=case["momentum"])
        if not isinstance(opt, torch.optim.Optimizer):
            raise UnusableResult(f"make_optimizer should return a torch.optim.SGD, got "
                                 f"{type(opt).__name__}")
        groups = []
        for g in opt.param_groups:
            groups.append({"params": [names.get(id(p), "(not a parameter of the model)")
                                      for p in g["params"]],
                           **{k: float(g.get(k, np.nan)) for k in
                              ("lr", "momentum", "weight_decay", "dampening")},
                           "nesterov": bool(g.get("nesterov", False))})
        cases.append({"is_sgd": type(opt) is torch.optim.SGD, "groups": groups})
    return {"cases": cases}


# ---- extract_features ---------------------------------------------------------------------------

def obs_extract_features(fn, inp):
    torch = _torch()
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        torch.manual_seed(inp["torch_seed"])
        before = modes(model)
        out = fn(model, torch.from_numpy(np.array(case["x"])))
        is_tensor = isinstance(out, torch.Tensor)
        cases.append({
            "is_tensor": is_tensor,
            "requires_grad": bool(out.requires_grad) if is_tensor else False,
            "features": _array(out) if is_tensor else as_array(out, "the features"),
            "modes_before": before, "modes_after": modes(model),
            "buffers": {k: _array(v) for k, v in model.named_buffers()},
        })
    return {"cases": cases}


# ---- train_step ---------------------------------------------------------------------------------

def make_sgd(model, case):
    """The optimizer the hidden checks hand to train_step: the head's parameters at head_lr and
    the trainable backbone parameters at backbone_lr."""
    torch = _torch()
    groups = [{"params": list(model.head.parameters()), "lr": case["head_lr"]}]
    body = [p for p in model.features.parameters() if p.requires_grad]
    if body:
        groups.append({"params": body, "lr": case["backbone_lr"]})
    return torch.optim.SGD(groups, lr=case["head_lr"], momentum=case["momentum"])


def _loss(value):
    if not isinstance(value, float):
        kind = type(value).__name__
        try:
            number = float(value)
        except Exception:
            raise UnusableResult(f"train_step should return the loss as a float, got {kind}")
        return False, number
    return True, float(value)


def obs_train_step(fn, inp):
    torch = _torch()
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        opt = make_sgd(model, case)
        if case.get("stale") is not None:  # gradients left over from an earlier backward pass
            for k, p in model.named_parameters():
                p.grad = torch.from_numpy(np.array(case["stale"][k]))
        losses, floats = [], []
        for batch in case["batches"]:
            torch.manual_seed(batch["torch_seed"])  # the dropout masks of this step
            is_float, loss = _loss(fn(model, opt, torch.from_numpy(np.array(batch["x"])),
                                      torch.from_numpy(np.array(batch["y"]))))
            losses.append(loss)
            floats.append(is_float)
        cases.append({"losses": losses, "loss_is_float": floats, "values": values(model)})
    return {"cases": cases}


# ---- fine_tune ----------------------------------------------------------------------------------

def obs_fine_tune(fn, inp):
    torch = _torch()
    torch.manual_seed(inp["torch_seed"])
    cases = []
    for case in inp["cases"]:
        model = build_model(inp, case)
        out = _module(fn(model, torch.from_numpy(np.array(case["x"])),
                         torch.from_numpy(np.array(case["y"])), case["epochs"],
                         case["batch_size"], case["head_lr"], case["backbone_lr"], case["seed"]),
                      model, "fine_tune")
        cases.append({"returns_model": out is model, "values": values(model)})
    return {"cases": cases}
