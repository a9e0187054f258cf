"""A seeded, single-thread training loop with a progress bar, shared by every chapter that trains
a real network. Returns plain data (per-epoch losses and accuracies, learning rates) so results
can be cached and asserted on.
"""
from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn
import os

from tqdm import tqdm


def deterministic(seed: int) -> torch.Generator:
    """One torch thread and a seeded generator: the same seed gives the same run on any machine
    load (and one thread is faster than two for these small models on 2 cores)."""
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def _quiet(progress) -> bool | None:
    """Progress bars go to a terminal only (tqdm's ``disable=None``): a page build or a notebook
    kernel gets no bar in its output and no widget in the page. TRAINLAB_PROGRESS=1 forces them."""
    if not progress:
        return True
    return False if os.environ.get("TRAINLAB_PROGRESS") == "1" else None


@torch.no_grad()
def evaluate(model: nn.Module, X, y, batch_size: int = 1000) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of ``model`` in eval mode; restores the previous mode."""
    was_training = model.training
    model.eval()
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    loss, correct = 0.0, 0
    for i in range(0, len(y), batch_size):
        out = model(X[i:i + batch_size])
        loss += nn.functional.cross_entropy(out, y[i:i + batch_size], reduction="sum").item()
        correct += (out.argmax(1) == y[i:i + batch_size]).sum().item()
    model.train(was_training)
    return loss / len(y), correct / len(y)


def train(model: nn.Module, optimizer: torch.optim.Optimizer, train_data, val_data=None, *,
          epochs: int, batch_size: int, seed: int = 0, scheduler=None, per_step_scheduler=False,
          keep_best: bool = False, on_epoch=None, on_step=None, augment=None, penalty=None,
          progress: bool | str = True) -> dict:
    """Train ``model`` in place with minibatches drawn by a seeded shuffle each epoch.

    train_data / val_data: (X, y) arrays or tensors. ``scheduler`` steps once per epoch, or after
    every optimizer step with ``per_step_scheduler``. ``keep_best`` loads the weights of the epoch
    with the best validation accuracy at the end (early stopping's checkpoint). ``on_epoch(model,
    epoch)`` runs after each epoch; ``on_step(model, step)`` after each optimizer step (and the
    scheduler's), with ``step`` counting from 0 (e.g. to update a moving average of the weights).
    ``augment(xb, yb, gen)`` returns the (inputs, targets) a minibatch trains on: targets are
    class indices or rows of class probabilities (Mixup); training accuracy is still counted
    against the original labels. ``penalty(model)`` returns a scalar tensor added to the loss
    (e.g. an L1 term). ``progress``: a tqdm bar (a string is its label), shown only when stderr
    is a terminal; False for none.

    Returns a dict of lists: ``train_loss`` (mean minibatch loss per epoch), ``train_acc``,
    ``val_loss``, ``val_acc`` (per epoch, if val_data), ``lr`` (per optimizer step, first param
    group), and ``best_epoch`` (epoch of the highest val_acc, first if tied; -1 without val_data).
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"need epochs >= 1 and batch_size >= 1, got {epochs}, {batch_size}")
    gen = deterministic(seed)
    X, y = (torch.as_tensor(a) for a in train_data)
    hist = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": [], "lr": [],
            "best_epoch": -1}
    best_state, best_acc = None, -np.inf
    bar = tqdm(range(epochs), desc=progress if isinstance(progress, str) else "training",
               disable=_quiet(progress), leave=False)
    for epoch in bar:
        model.train()
        order = torch.randperm(len(y), generator=gen)
        total, correct = 0.0, 0
        for i in range(0, len(y), batch_size):
            idx = order[i:i + batch_size]
            optimizer.zero_grad()
            xb, target = (X[idx], y[idx]) if augment is None else augment(X[idx], y[idx], gen)
            out = model(xb)
            loss = nn.functional.cross_entropy(out, target)
            # The history records the data loss; the penalty only shapes the gradient.
            (loss if penalty is None else loss + penalty(model)).backward()
            hist["lr"].append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if scheduler is not None and per_step_scheduler:
                scheduler.step()
            if on_step is not None:
                on_step(model, len(hist["lr"]) - 1)
            total += loss.item() * len(idx)
            correct += (out.argmax(1) == y[idx]).sum().item()
        if scheduler is not None and not per_step_scheduler:
            scheduler.step()
        hist["train_loss"].append(total / len(y))
        hist["train_acc"].append(correct / len(y))
        if on_epoch is not None:
            on_epoch(model, epoch)
        if val_data is not None:
            vl, va = evaluate(model, *val_data)
            hist["val_loss"].append(vl)
            hist["val_acc"].append(va)
            if va > best_acc:
                best_acc, hist["best_epoch"] = va, epoch
                if keep_best:
                    best_state = copy.deepcopy(model.state_dict())
            bar.set_postfix(val_acc=f"{va:.3f}")
    if keep_best and best_state is not None:
        model.load_state_dict(best_state)
    return hist
