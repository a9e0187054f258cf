"""Chapter 4 experiments: learning-rate schedules, warm-up, early stopping, ensembles and weight
averaging (claims C18-C22), on a real network and real data.

Every schedule is a ``torch.optim.lr_scheduler`` object (``make_scheduler``), every average a
``torch.optim.swa_utils.AveragedModel``: the closed forms students write in ps4 are not here.
One cached ``training_run`` trains a small MLP on scikit-learn's digits; the chapter's claims
are read from many such runs, so each run is computed once for the page and the claim tests.

The task: 1,000 training digits with 20% of their labels replaced by random ones (label noise
keeps the training loss away from zero, so the minibatch noise floor that a decay removes is
visible, and gives early stopping something to stop), 397 clean validation and 400 clean test
digits. The split and the noise are fixed (``data_seed``); ``seed`` changes the initial weights
and the minibatch order.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from ..cache import cached
from ..data import sklearn_digits, split
from ..models import mlp
from ..training import deterministic, evaluate, train

SCHEDULES = ("constant", "step", "cosine", "linear", "inverse_sqrt", "cyclic")
SIZES = (1000, 397, 400)  # train, validation, test: all 1,797 digits


# ---------------------------------------------------------------------------------------------
# Schedules, from torch.optim.lr_scheduler
# ---------------------------------------------------------------------------------------------

def make_scheduler(optimizer, schedule: str, total_steps: int, warmup_steps: int = 0,
                   milestones=(0.5, 0.75), gamma: float = 0.1, cycles: int = 4,
                   decay_time: int = 100):
    """A torch scheduler that steps once per optimizer step, for ``total_steps`` steps.

    schedule: ``constant``; ``step`` (MultiStepLR: x ``gamma`` at each fraction of the run in
    ``milestones``); ``cosine`` (CosineAnnealingLR to 0 at the last step); ``linear`` (LinearLR
    to 0 at the last step); ``inverse_sqrt`` (LambdaLR, base / sqrt(1 + t / decay_time));
    ``cyclic`` (CosineAnnealingWarmRestarts, ``cycles`` cosine cycles to 0, each ending at a
    low point where a snapshot ensemble saves a model).
    warmup_steps: if >= 1, a linear warm-up first, lr = base (t + 1) / warmup_steps for
    t < warmup_steps (LinearLR from 1 / warmup_steps over warmup_steps - 1 steps), chained to
    the schedule by SequentialLR; the schedule then runs over the remaining steps.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of {SCHEDULES}")
    if not 0 <= warmup_steps < total_steps:
        raise ValueError(f"need 0 <= warmup_steps < total_steps, got {warmup_steps}, {total_steps}")
    n = total_steps - warmup_steps  # steps left for the schedule itself
    if schedule == "constant":
        main = lr_scheduler.LambdaLR(optimizer, lambda t: 1.0)
    elif schedule == "step":
        main = lr_scheduler.MultiStepLR(optimizer, [round(f * n) for f in milestones], gamma)
    elif schedule == "cosine":
        main = lr_scheduler.CosineAnnealingLR(optimizer, T_max=n - 1)
    elif schedule == "linear":
        main = lr_scheduler.LinearLR(optimizer, 1.0, 0.0, total_iters=n - 1)
    elif schedule == "inverse_sqrt":
        main = lr_scheduler.LambdaLR(optimizer, lambda t: (1.0 + t / decay_time) ** -0.5)
    else:
        if n % cycles:
            raise ValueError(f"cyclic: {n} steps do not split into {cycles} equal cycles")
        # T_0 = cycle length, so the lr is at its lowest on the last step of every cycle.
        main = lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=n // cycles)
    if warmup_steps == 0:
        return main
    # Every scheduler sets the lr when it is constructed (LinearLR to start_factor x base at
    # once); SequentialLR resets it and starts from the first one, so step 0 uses
    # base / warmup_steps and ``main`` restarts from the base lr at the milestone.
    warm = lr_scheduler.LinearLR(optimizer, 1.0 / warmup_steps, 1.0,
                                 total_iters=max(warmup_steps - 1, 1))
    return lr_scheduler.SequentialLR(optimizer, [warm, main], milestones=[warmup_steps])


def lr_curve(schedule: str, base_lr: float, total_steps: int, **kw) -> np.ndarray:
    """The lr each of ``total_steps`` optimizer steps uses under ``make_scheduler`` (read from
    the optimizer before each step, scheduler stepped after it, as in training)."""
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base_lr)
    sched = make_scheduler(opt, schedule, total_steps, **kw)
    out = np.empty(total_steps)
    for t in range(total_steps):
        out[t] = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
    return out


def scheduler_traps(base_lr: float = 0.1) -> dict:
    """Three ways torch's schedulers surprise people, measured.

    order: MultiStepLR(milestones=[2, 4]) over 6 optimizer steps, stepping the scheduler after
    the optimizer (right) and before it (wrong: torch warns, and every decay comes one step
    early). cosine_past_tmax: CosineAnnealingLR(T_max=10) read for 21 steps: the lr comes back
    up after T_max instead of staying at eta_min. linear_at_construction: the optimizer's lr
    before and just after constructing LinearLR(start_factor=0.1).
    """
    out = {}
    for order in ("right", "wrong"):
        w = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([w], lr=base_lr)
        sched = lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.1)
        used = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(6):
                if order == "wrong":
                    sched.step()
                used.append(opt.param_groups[0]["lr"])
                w.grad = torch.zeros(1)
                opt.step()
                if order == "right":
                    sched.step()
        out[f"{order}_order_lrs"] = used
        out[f"{order}_order_warnings"] = [str(c.message) for c in caught]
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base_lr)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    cos = []
    for _ in range(21):
        cos.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    out["cosine_past_tmax"] = cos
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    before = opt.param_groups[0]["lr"]
    lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=5)
    out["linear_at_construction"] = (before, opt.param_groups[0]["lr"])
    return out


# ---------------------------------------------------------------------------------------------
# One training run (cached), the unit every claim below is measured from
# ---------------------------------------------------------------------------------------------

def digits_task(label_noise: float = 0.2, data_seed: int = 0):
    """(train, val, test) splits of scikit-learn's digits, each (X, y) with X of shape
    (n, 1, 8, 8); a fraction ``label_noise`` of the training labels is replaced by uniformly
    random classes (some land on the true class by chance). Validation and test are clean."""
    if not 0 <= label_noise < 1:
        raise ValueError(f"label_noise must be in [0, 1), got {label_noise}")
    X, y = sklearn_digits()
    rng = np.random.default_rng(data_seed)
    (Xtr, ytr), val, test = split(X, y, SIZES, rng)
    ytr = ytr.copy()
    flip = rng.random(len(ytr)) < label_noise
    ytr[flip] = rng.integers(0, 10, int(flip.sum()))
    return (Xtr, ytr), val, test


@torch.no_grad()
def _probs(model, X) -> np.ndarray:
    was = model.training
    model.eval()
    p = torch.softmax(model(torch.as_tensor(X)), 1).numpy().astype(np.float32)
    model.train(was)
    return p


def _make_optimizer(name: str, params, lr: float):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"optimizer must be 'sgd' (momentum 0.9) or 'adam', got {name!r}")


@cached
def training_run(optimizer: str = "sgd", lr: float = 0.05, schedule: str = "constant",
                 epochs: int = 30, batch_size: int = 32, warmup_epochs: float = 0,
                 seed: int = 0, ema_decay: float | None = 0.99, cycles: int = 4,
                 hidden=(64,), batchnorm: bool = False, label_noise: float = 0.2,
                 data_seed: int = 0) -> dict:
    """Train an MLP (64 inputs, ReLU layers of widths ``hidden``, 10 classes) on ``digits_task`` and record what the chapter
    reads from it. The scheduler (``make_scheduler``) steps after every optimizer step; the
    warm-up lasts ``warmup_epochs`` epochs' worth of steps.

    optimizer: ``sgd`` (momentum 0.9) or ``adam`` (torch defaults but lr).
    ema_decay: also keep AveragedModel(multi_avg_fn=get_ema_multi_avg_fn(ema_decay),
    use_buffers=True), updated after every step (BatchNorm's running statistics are averaged
    too, else the average would test with stale ones), and record its test accuracy each epoch;
    None for no average.

    Returns per epoch ``train_loss`` (minibatch mean), ``val_acc``, ``val_loss``, ``test_acc``,
    ``test_loss`` (and ``ema_test_acc``); per step ``lr``; ``best_epoch`` (highest val_acc,
    first if tied); ``best_checkpoint_test_acc`` (the weights kept by train(keep_best=True));
    ``test_probs`` of the final weights; with ``schedule='cyclic'`` ``snapshot_probs``, the
    test probabilities at the end of each cycle; ``diverged`` if the loss became non-finite.
    """
    deterministic(seed)
    train_data, val_data, (Xte, yte) = digits_task(label_noise, data_seed)
    steps_per_epoch = math.ceil(len(train_data[1]) / batch_size)
    total = epochs * steps_per_epoch
    model = mlp([64, *hidden, 10], batchnorm=batchnorm, seed=seed)
    opt = _make_optimizer(optimizer, model.parameters(), lr)
    sched = make_scheduler(opt, schedule, total, warmup_steps=round(warmup_epochs * steps_per_epoch),
                           cycles=cycles)
    cycle_len = (total - round(warmup_epochs * steps_per_epoch)) // cycles
    ema = (AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(ema_decay),
                         use_buffers=True)
           if ema_decay is not None else None)
    rec = {"test_acc": [], "test_loss": [], "ema_test_acc": [], "snapshot_probs": []}

    def on_step(m, step):
        if ema is not None:
            ema.update_parameters(m)
        if schedule == "cyclic" and (step + 1 - (total - cycles * cycle_len)) % cycle_len == 0:
            rec["snapshot_probs"].append(_probs(m, Xte))

    def on_epoch(m, epoch):
        loss, acc = evaluate(m, Xte, yte)
        rec["test_loss"].append(loss)
        rec["test_acc"].append(acc)
        if ema is not None:
            rec["ema_test_acc"].append(evaluate(ema.module, Xte, yte)[1])
        if epoch == epochs - 1:
            rec["test_probs"] = _probs(m, Xte)

    label = f"{optimizer} {schedule} lr={lr:g} bs={batch_size} seed={seed}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a diverging run's overflow warnings are the result
        hist = train(model, opt, train_data, val_data, epochs=epochs, batch_size=batch_size,
                     seed=seed, scheduler=sched, per_step_scheduler=True, keep_best=True,
                     on_epoch=on_epoch, on_step=on_step, progress=label)
    hist.update(rec)
    hist["best_checkpoint_test_acc"] = evaluate(model, Xte, yte)[1]
    hist["diverged"] = not np.all(np.isfinite(hist["train_loss"]))
    hist["steps_per_epoch"] = steps_per_epoch
    return hist


def ensemble_accuracy(probs, y) -> float:
    """Accuracy of the average of the models' predicted probabilities."""
    return float((np.mean(probs, axis=0).argmax(1) == y).mean())


def test_labels(label_noise: float = 0.2, data_seed: int = 0) -> np.ndarray:
    """The clean test labels every run is scored on."""
    return digits_task(label_noise, data_seed)[2][1]


def _spread(values) -> dict:
    v = np.asarray(values, dtype=float)
    return {"values": v.tolist(), "mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0}


SEEDS = (0, 1, 2)
# SGD's base lr in most experiments: high enough that the noise floor is plain to see (the
# sweep in ``decay_by_optimizer`` prefers 0.02 when the lr is never decayed).
SGD_LR = 0.05


# ---------------------------------------------------------------------------------------------
# C18: the plateau, and what a decay does at it
# ---------------------------------------------------------------------------------------------

def plateau_and_decay(seeds=SEEDS, lr=SGD_LR, low_lr=SGD_LR / 10, window=6) -> dict:
    """SGD+momentum with the lr held at ``lr``, held at ``low_lr``, and dropped x0.1 at half
    and three quarters of the run (MultiStepLR). Before the first drop the step run *is* the
    constant run (same seed, same steps), so what follows the drop is the drop's doing.

    Measured per seed over ``window`` epochs before and after the drop: the spread (std) of
    the validation accuracy from epoch to epoch (the bounce), the mean validation accuracy,
    and the training loss's progress. Returns per-seed curves and these summaries.
    """
    out = {"seeds": list(seeds), "lr": lr, "low_lr": low_lr, "curves": {}}
    runs = {name: [training_run(lr=l, schedule=s, seed=k) for k in seeds]
            for name, l, s in (("constant", lr, "constant"), ("step", lr, "step"),
                               ("low", low_lr, "constant"))}
    epochs = len(runs["step"][0]["val_acc"])
    drop = epochs // 2  # first epoch trained at lr / 10
    out["drop_epoch"] = drop
    before, after = slice(drop - window, drop), slice(drop + 1, drop + 1 + window)
    for name, rs in runs.items():
        out["curves"][name] = {key: np.array([r[key] for r in rs])
                               for key in ("train_loss", "val_acc", "test_acc", "lr")}
        out[f"{name}_test_acc"] = _spread([r["test_acc"][-1] for r in rs])
    for name in ("constant", "step"):
        va = out["curves"][name]["val_acc"]
        out[f"{name}_bounce_before"] = _spread(va[:, before].std(1))
        out[f"{name}_bounce_after"] = _spread(va[:, after].std(1))
        out[f"{name}_val_before"] = _spread(va[:, before].mean(1))
        out[f"{name}_val_after"] = _spread(va[:, after].mean(1))
        tl = out["curves"][name]["train_loss"]
        # progress over the window before the drop, and over the two epochs after it
        out[f"{name}_loss_progress_before"] = _spread(tl[:, drop - window - 1] - tl[:, drop - 1])
        out[f"{name}_loss_drop_after"] = _spread(tl[:, drop - 1] - tl[:, drop + 1])
    lo, hi = out["curves"]["low"]["val_acc"], out["curves"]["constant"]["val_acc"]
    out["early_epochs"] = 3
    out["low_val_early"] = _spread(lo[:, :3].mean(1))
    out["constant_val_early"] = _spread(hi[:, :3].mean(1))
    return out


# ---------------------------------------------------------------------------------------------
# C19-C20: schedules compared; does decay matter more for SGD+momentum than for Adam?
# ---------------------------------------------------------------------------------------------

def schedule_comparison(seeds=SEEDS, lr=SGD_LR,
                        schedules=("constant", "step", "cosine", "linear", "inverse_sqrt")) -> dict:
    """SGD+momentum at the same base lr under each schedule: final test accuracy (mean and
    spread over seeds) and the mean validation curve and lr per step of each."""
    out = {"seeds": list(seeds), "lr": lr, "schedules": list(schedules)}
    for s in schedules:
        rs = [training_run(lr=lr, schedule=s, seed=k) for k in seeds]
        out[s] = {"test_acc": _spread([r["test_acc"][-1] for r in rs]),
                  "val_acc": np.mean([r["val_acc"] for r in rs], 0), "lr": np.array(rs[0]["lr"]),
                  "train_loss": np.mean([r["train_loss"] for r in rs], 0)}
    return out


def decay_by_optimizer(seeds=SEEDS, lrs=None, tail=5) -> dict:
    """For SGD+momentum and for Adam: sweep the constant lr (first seed), keep the lr whose mean
    validation accuracy over the last ``tail`` epochs is highest (the lecture's advice: first
    train without decay), then train that lr with and without cosine decay over ``seeds``.

    Returns per optimizer the sweep, the chosen lr, the test accuracy with and without decay
    (mean, spread) and the per-seed gain of decay (cosine minus constant, same seed).
    """
    lrs = lrs or {"sgd": (0.02, 0.05, 0.1), "adam": (1e-3, 3e-3, 1e-2)}
    out = {"seeds": list(seeds)}
    for opt, grid in lrs.items():
        sweep = {l: float(np.mean(training_run(optimizer=opt, lr=l, seed=seeds[0])["val_acc"][-tail:]))
                 for l in grid}
        best = max(grid, key=lambda l: sweep[l])
        const = [training_run(optimizer=opt, lr=best, seed=k)["test_acc"][-1] for k in seeds]
        decay = [training_run(optimizer=opt, lr=best, schedule="cosine", seed=k)["test_acc"][-1]
                 for k in seeds]
        out[opt] = {"sweep": sweep, "lr": best, "constant": _spread(const),
                    "cosine": _spread(decay), "gain": _spread(np.subtract(decay, const))}
    return out


def warmup_scaling(scales=(1, 4, 8, 16), seeds=SEEDS, base_batch=32, base_lr=SGD_LR,
                   warmup_epochs=5, hidden=(64, 64, 64)) -> dict:
    """The linear scaling rule (Goyal et al. 2017): multiply the batch by k and the lr by k,
    same number of epochs, cosine decay, with and without a linear warm-up over the first
    ``warmup_epochs`` epochs. A deeper plain MLP (``hidden``), whose early steps are the
    fragile ones. Returns test accuracy (mean, spread) per scale and variant, whether any run
    diverged, and the training-loss curves."""
    out = {"scales": list(scales), "seeds": list(seeds), "base_batch": base_batch,
           "base_lr": base_lr, "warmup_epochs": warmup_epochs}
    for variant, w in (("no_warmup", 0), ("warmup", warmup_epochs)):
        acc, dead, curves = [], [], []
        for k in scales:
            rs = [training_run(lr=base_lr * k, schedule="cosine", batch_size=base_batch * k,
                               warmup_epochs=w if k > 1 else 0, seed=s, hidden=hidden)
                  for s in seeds]
            acc.append(_spread([r["test_acc"][-1] for r in rs]))
            dead.append(sum(r["diverged"] or r["test_acc"][-1] < 0.2 for r in rs))
            curves.append(np.mean([r["train_loss"] for r in rs], 0))
        out[variant] = {"test_acc": acc, "failed_runs": dead, "train_loss": curves}
    return out


# ---------------------------------------------------------------------------------------------
# C21: early stopping keeps the best checkpoint
# ---------------------------------------------------------------------------------------------

def early_stopping(seeds=SEEDS, lr=SGD_LR, schedules=("constant", "cosine")) -> dict:
    """Per schedule and seed: the epoch of the best validation accuracy, the test accuracy of
    the checkpoint kept there (train(keep_best=True)), of the last epoch, and the per-epoch
    validation and test curves. The test set plays no part in choosing the checkpoint."""
    out = {"seeds": list(seeds)}
    for s in schedules:
        rs = [training_run(lr=lr, schedule=s, seed=k) for k in seeds]
        out[s] = {"best_epoch": [r["best_epoch"] for r in rs],
                  "best_checkpoint": _spread([r["best_checkpoint_test_acc"] for r in rs]),
                  "last": _spread([r["test_acc"][-1] for r in rs]),
                  "test_at_best": [r["test_acc"][r["best_epoch"]] for r in rs],
                  "val_acc": np.array([r["val_acc"] for r in rs]),
                  "val_loss": np.array([r["val_loss"] for r in rs]),
                  "test_acc": np.array([r["test_acc"] for r in rs])}
        out[s]["gain"] = _spread(np.subtract(out[s]["best_checkpoint"]["values"],
                                             out[s]["last"]["values"]))
    return out


# ---------------------------------------------------------------------------------------------
# C22: ensembles, snapshot ensembles, Polyak (EMA) averaging
# ---------------------------------------------------------------------------------------------

def ensembles(seeds=tuple(range(6)), lr=SGD_LR, size=3, schedules=("cosine", "constant")) -> dict:
    """Independently trained models (one per seed) vs one model, per schedule: the test
    accuracy of each single model, of every ensemble of ``size`` of them (probabilities
    averaged), the gain of each ensemble over the mean of its own members, and the accuracy of
    all of them together."""
    from itertools import combinations

    y = test_labels()
    out = {"seeds": list(seeds), "size": size}
    for s in schedules:
        probs = [training_run(lr=lr, schedule=s, seed=k)["test_probs"] for k in seeds]
        single = [float((p.argmax(1) == y).mean()) for p in probs]
        subsets = list(combinations(range(len(seeds)), size))
        ens = [ensemble_accuracy([probs[i] for i in c], y) for c in subsets]
        gains = [e - np.mean([single[i] for i in c]) for e, c in zip(ens, subsets)]
        out[s] = {"single": _spread(single), "ensemble": _spread(ens), "gain": _spread(gains),
                  "all": ensemble_accuracy(probs, y), "n_subsets": len(subsets)}
    return out


def snapshot_ensembles(seeds=SEEDS, lr=SGD_LR, cycles=4) -> dict:
    """One run with ``cycles`` cosine cycles (CosineAnnealingWarmRestarts), a snapshot of the
    model at the end of each cycle: the snapshot ensemble (all snapshots averaged) vs its own
    last snapshot, vs one cosine run of the same length, vs ``cycles`` independent cosine
    runs (which cost ``cycles`` times as much)."""
    y = test_labels()
    out = {"seeds": list(seeds), "cycles": cycles}
    snap, last, cosine, indep, lrs = [], [], [], [], None
    for k in seeds:
        r = training_run(lr=lr, schedule="cyclic", cycles=cycles, seed=k)
        if len(r["snapshot_probs"]) != cycles:
            raise RuntimeError(f"expected {cycles} snapshots, got {len(r['snapshot_probs'])}")
        lrs = r["lr"]
        snap.append(ensemble_accuracy(r["snapshot_probs"], y))
        last.append(r["test_acc"][-1])
        cosine.append(training_run(lr=lr, schedule="cosine", seed=k)["test_acc"][-1])
    for i in range(len(seeds)):  # disjoint groups of independent runs, seeds beyond ``seeds``
        group = [100 + cycles * i + j for j in range(cycles)]
        indep.append(ensemble_accuracy(
            [training_run(lr=lr, schedule="cosine", seed=k)["test_probs"] for k in group], y))
    out.update(snapshot=_spread(snap), last_snapshot=_spread(last), cosine=_spread(cosine),
               independent=_spread(indep), gain_over_cosine=_spread(np.subtract(snap, cosine)),
               lr=np.array(lrs))
    return out


def polyak_averaging(seeds=SEEDS, lr=SGD_LR, decay=0.99) -> dict:
    """The EMA of the weights (AveragedModel + get_ema_multi_avg_fn(decay), updated every
    step) against the weights themselves, under a constant lr (the iterate bounces) and under
    cosine decay (it settles): test accuracy per epoch and at the end, per seed."""
    out = {"seeds": list(seeds), "decay": decay}
    for s in ("constant", "cosine"):
        rs = [training_run(lr=lr, schedule=s, seed=k, ema_decay=decay) for k in seeds]
        raw, ema = [r["test_acc"][-1] for r in rs], [r["ema_test_acc"][-1] for r in rs]
        out[s] = {"raw": _spread(raw), "ema": _spread(ema), "gain": _spread(np.subtract(ema, raw)),
                  "raw_curve": np.array([r["test_acc"] for r in rs]),
                  "ema_curve": np.array([r["ema_test_acc"] for r in rs])}
    return out
