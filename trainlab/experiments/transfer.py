"""Chapter 7 experiments: transfer learning from a small CNN pretrained offline (claims C32-C37).

Each function composes cached runs of trainlab.experiments.pretraining (source: a SmallCNN
pretrained on low-resolution MNIST; related target: scikit-learn's digits; unrelated target:
MNIST 5-9 from a network pretrained on 0-4) and returns plain data. The page
(book/07_transfer.md) and the claim tests (tests/claims/test_claims_ch07.py) call the same
functions, so they read the same cached results.
"""
from __future__ import annotations

import numpy as np
from tqdm import tqdm

from .pretraining import BLOCKS, pretrain, run

# ---------------------------------------------------------------------------------------------
# C32-C34: accuracy against labelled examples; how many blocks to unfreeze; the backbone's lr
# ---------------------------------------------------------------------------------------------

def _runs(configs, sizes, seeds, target="digits", steps=100, desc="runs") -> dict:
    """{config name: array (len(sizes), len(seeds)) of final test accuracies}. ``configs`` maps a
    name to run()'s keyword arguments (method, frozen, backbone_mult, ...)."""
    out = {name: np.zeros((len(sizes), len(seeds))) for name in configs}
    bar = tqdm(total=len(configs) * len(sizes) * len(seeds), desc=desc, leave=False,
               disable=None)
    for name, kw in configs.items():
        for i, n in enumerate(sizes):
            for j, s in enumerate(seeds):
                out[name][i, j] = run(target, n, steps=steps, seed=s, **kw)["final"]
                bar.update(1)
    bar.close()
    return out


METHODS = {  # the three ways to use a small labelled set (keys are trainlab.palette's)
    "scratch": {"method": "scratch"},
    "linear_probe": {"method": "probe"},
    "fine_tune": {"method": "finetune", "frozen": 0, "backbone_mult": 0.1},
}


def labelled_curve(sizes=(1, 3, 10, 30), seeds=(0, 1, 2), steps=100) -> dict:
    """C33: test accuracy on the sklearn digits against labelled images per class, for training
    from scratch, a linear probe on the frozen pretrained backbone and fine-tuning (backbone at
    1/10 of the head's lr). Returns {"sizes", "seeds", "acc": {method: (sizes, seeds) array},
    "mean", "std": {method: per-size lists}}."""
    acc = _runs(METHODS, sizes, seeds, steps=steps, desc="labelled-examples curve")
    return {"sizes": list(sizes), "seeds": list(seeds), "acc": acc,
            "mean": {k: v.mean(1).tolist() for k, v in acc.items()},
            "std": {k: v.std(1, ddof=1).tolist() for k, v in acc.items()}}



def unfreeze_depth(sizes=(3, 30, 100), seeds=(0, 1, 2), steps=100) -> dict:
    """C32: how many pretrained blocks to train, against the amount of target data. For each
    labelled-set size, final accuracy with 2 (linear probe), 1 and 0 blocks frozen (trained
    blocks at 1/10 of the head's lr). Returns {"sizes", "frozen": [2, 1, 0], "acc": array
    (frozen, sizes, seeds), "mean": (frozen, sizes) list}."""
    configs = {k: ({"method": "probe"} if k == BLOCKS else
                   {"method": "finetune", "frozen": k, "backbone_mult": 0.1})
               for k in range(BLOCKS, -1, -1)}
    acc = _runs(configs, sizes, seeds, steps=steps, desc="blocks to unfreeze")
    arr = np.stack([acc[k] for k in configs])
    return {"sizes": list(sizes), "frozen": list(configs), "acc": arr,
            "mean": arr.mean(2).tolist()}


def backbone_lr(sizes=(3, 30), mults=(0.01, 0.1, 1.0), seeds=(0, 1, 2), steps=100) -> dict:
    """C34: fine-tuning everything with the backbone's learning rate at ``mults`` times the
    head's, against the linear probe (feature extraction, the baseline). Returns {"sizes",
    "mults", "acc": array (mults, sizes, seeds), "probe": array (sizes, seeds), "mean"}."""
    configs = {m: {"method": "finetune", "frozen": 0, "backbone_mult": m} for m in mults}
    acc = _runs(configs, sizes, seeds, steps=steps, desc="backbone learning rate")
    probe = _runs({"p": {"method": "probe"}}, sizes, seeds, steps=steps)["p"]
    arr = np.stack([acc[m] for m in mults])
    return {"sizes": list(sizes), "mults": list(mults), "acc": arr, "probe": probe,
            "mean": arr.mean(2).tolist(), "probe_mean": probe.mean(1).tolist()}


def frozen_compute(per_class=30, steps=100, seed=0) -> dict:
    """C34: what freezing saves. For 2, 1 and 0 frozen blocks: trained parameters, forward
    multiply-adds per training image through the trained layers, and measured ms per step
    (frozen blocks run once, before training, so they cost nothing per step)."""
    out = {"frozen": [], "trainable": [], "madds": [], "step_ms": []}
    for k in range(BLOCKS, -1, -1):
        kw = {"method": "probe"} if k == BLOCKS else {"method": "finetune", "frozen": k}
        r = run("digits", per_class, steps=steps, seed=seed, **kw)
        for key, v in (("frozen", k), ("trainable", r["trainable"]), ("madds", r["step_madds"]),
                       ("step_ms", r["step_ms"])):
            out[key].append(v)
    return out


# ---------------------------------------------------------------------------------------------
# Demo data: accuracy curves for every (frozen blocks, backbone lr multiplier), precomputed
# ---------------------------------------------------------------------------------------------

def demo_grid(sizes=(3, 30), frozen=(0, 1, 2), mults=(0.01, 0.1, 1.0), seed=0, steps=100) -> dict:
    """The freeze-the-first-k / backbone-lr demo's data: test accuracy against steps for each
    labelled-set size, number of frozen blocks and backbone multiplier (the multiplier does not
    apply with every block frozen), plus scratch. Plain lists, ready to embed in the page."""
    curves = {}
    for n in sizes:
        r = run("digits", n, "scratch", steps=steps, seed=seed)
        curves[f"{n}/scratch"] = r["acc"]
        for k in frozen:
            for m in (mults if k < BLOCKS else mults[:1]):
                kw = ({"method": "probe"} if k == BLOCKS else
                      {"method": "finetune", "frozen": k, "backbone_mult": m})
                curves[f"{n}/{k}/{m:g}"] = run("digits", n, steps=steps, seed=seed, **kw)["acc"]
    return {"sizes": list(sizes), "frozen": list(frozen), "mults": list(mults),
            "steps": r["steps"], "curves": curves}


# ---------------------------------------------------------------------------------------------
# C35: the strategy table, measured on a related and an unrelated source/target pair
# ---------------------------------------------------------------------------------------------

STRATEGIES = {
    "scratch": {"method": "scratch"},
    "probe, block 1": {"method": "probe", "probe_block": 1},
    "probe, top": {"method": "probe"},
    "fine-tune top block": {"method": "finetune", "frozen": 1, "backbone_mult": 0.1},
    "fine-tune all": {"method": "finetune", "frozen": 0, "backbone_mult": 0.1},
}


def strategy_table(little=3, lots=30, seeds=(0, 1, 2), steps=100) -> dict:
    """C35: mean final accuracy of each strategy in the four cells (similar / different target)
    x (little / lots of data). Similar: MNIST -> scikit-learn digits. Different: a network
    pretrained on MNIST 0-4 reused for 5-9 (new classes, five of them). Returns {"pairs",
    "sizes", "strategies", "acc": {pair: {strategy: array (sizes, seeds)}}, "mean": same as
    per-size lists}."""
    pairs = {"similar": "digits", "different": "mnist59"}
    acc = {p: _runs(STRATEGIES, (little, lots), seeds, target=t, steps=steps, desc=f"{p} pair")
           for p, t in pairs.items()}
    return {"pairs": list(pairs), "sizes": [little, lots], "strategies": list(STRATEGIES),
            "acc": acc, "mean": {p: {k: v.mean(1).tolist() for k, v in a.items()}
                                 for p, a in acc.items()}}


# ---------------------------------------------------------------------------------------------
# C36: better sources transfer better; C37: pretraining buys speed, scratch catches up
# ---------------------------------------------------------------------------------------------

def source_quality(source_steps=(0, 25, 100, 400), sizes=(3, 10), seeds=(0, 1, 2)) -> dict:
    """C36: linear-probe accuracy on the sklearn digits from the same network after 0, 25, 100
    and 400 pretraining steps (source accuracy rising from chance to ~0.96). Returns
    {"source_steps", "source_acc", "sizes", "acc": array (source_steps, sizes, seeds), "mean"}."""
    src = pretrain("mnist")["source_acc"]
    acc = np.stack([_runs({"p": {"method": "probe", "source_step": s}}, sizes, seeds)["p"]
                    for s in source_steps])
    return {"source_steps": list(source_steps), "source_acc": [src[s] for s in source_steps],
            "sizes": list(sizes), "acc": acc, "mean": acc.mean(2).tolist()}


def training_length(sizes=(10, 100), steps=900, seed=0) -> dict:
    """C37: test accuracy against SGD steps for scratch and fine-tuning at two target sizes.
    Returns {"sizes", "steps", "curves": {"<size>/<method>": accuracies}}."""
    curves = {}
    for n in sizes:
        for name in ("scratch", "fine_tune"):
            r = run("digits", n, steps=steps, seed=seed, **METHODS[name])
            curves[f"{n}/{name}"] = r["acc"]
    return {"sizes": list(sizes), "steps": r["steps"], "curves": curves}


def steps_to_reach(steps, acc, level) -> int | None:
    """The first evaluated step at which ``acc`` reaches ``level`` (None if never)."""
    return next((s for s, a in zip(steps, acc) if a >= level), None)
