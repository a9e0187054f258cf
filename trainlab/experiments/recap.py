"""Recap experiments (claims C00a-C00f): activations and initialisation through depth, input
preprocessing, batch norm, reading training curves, and hyperparameter search.

Each function is seeded, returns plain data and is cached (``trainlab.cache``), so the recap page
and its claim tests read one result.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..cache import cached
from ..data import mnist_digits, sklearn_digits, split
from ..models import mlp
from ..training import deterministic, train

ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
# Weight scales of a width-n layer: N(0, scale^2) with scale given as a function of fan-in n.
INITS = {
    "small": lambda n: 0.01,             # CS231n's "too small"
    "large": lambda n: 1.0,              # CS231n's "too large"
    "xavier": lambda n: 1.0 / np.sqrt(n),  # Glorot & Bengio, fan-in form: Var(W) = 1/n
    "he": lambda n: np.sqrt(2.0 / n),      # He et al. (Kaiming): Var(W) = 2/n, for ReLU
}


def _check(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, got {value!r}")


@cached
def gradient_through_depth(depths=(2, 5, 10, 20), width=100, batch=256, seed=0) -> dict:
    """C00a: the gradient norm reaching the first layer of a stack of ``depth`` linear layers with
    sigmoid or ReLU between them (each with the init that suits it: Xavier for sigmoid, He for
    ReLU), divided by the gradient norm at the last layer. Loss: mean squared output on a
    standard-normal batch. Returns {"depths", "sigmoid": [...], "relu": [...]}; a ratio far below 1
    means the first layers learn far slower than the last (vanishing gradients)."""
    out = {"depths": list(depths), "sigmoid": [], "relu": []}
    for act, init in (("sigmoid", "xavier"), ("relu", "he")):
        for depth in depths:
            gen = deterministic(seed)
            x = torch.randn(batch, width, generator=gen)
            Ws = [(torch.randn(width, width, generator=gen) * INITS[init](width)).requires_grad_()
                  for _ in range(depth)]
            h = x
            for W in Ws:
                h = ACTIVATIONS[act](h @ W)
            (h ** 2).mean().backward()
            out[act].append(float(Ws[0].grad.norm() / Ws[-1].grad.norm()))
    return out


@cached
def activation_statistics(activation="tanh", init="xavier", depth=10, width=500, batch=1000,
                          seed=0) -> dict:
    """C00b: the spread of activations layer by layer in a ``depth``-layer net of ``width`` units
    (CS231n's experiment): unit-Gaussian inputs, weights N(0, scale^2) with the scale of ``init``
    (see INITS). Returns per layer the mean, the standard deviation and the fraction of saturated
    units (|tanh| or sigmoid within 0.01 of its bounds; for ReLU, units that are exactly 0), and
    a histogram of every layer's activations (``bins`` edges, ``counts`` per layer)."""
    _check("activation", activation, ACTIVATIONS)
    _check("init", init, INITS)
    gen = deterministic(seed)
    h = torch.randn(batch, width, generator=gen)
    f = ACTIVATIONS[activation]
    lo = {"tanh": -1.0, "sigmoid": 0.0, "relu": 0.0}[activation]
    bins = np.linspace(lo, 1.0, 41)
    stats = {"mean": [], "std": [], "saturated": [], "counts": [], "bins": bins}
    for _ in range(depth):
        W = torch.randn(width, width, generator=gen) * INITS[init](width)
        h = f(h @ W)
        a = h.numpy()
        stats["mean"].append(float(a.mean()))
        stats["std"].append(float(a.std()))
        if activation == "relu":
            stats["saturated"].append(float(np.mean(a == 0.0)))
        else:
            stats["saturated"].append(float(np.mean((a - lo < 0.01) | (1.0 - a < 0.01))))
        stats["counts"].append(np.histogram(np.clip(a, lo, 1.0), bins=bins)[0])
    return stats


def _two_classes(offset: float, n: int, rng: np.random.Generator):
    """Two Gaussian classes (unit spread, centres 2 apart) around (offset, offset)."""
    y = np.repeat([0.0, 1.0], n // 2)
    X = rng.standard_normal((n, 2)) + np.where(y[:, None] > 0, 1.0, -1.0) + offset
    return X, y


def _fit_logistic(data, y):
    """The minimiser of the (lightly L2-regularised) logistic loss on ``data`` with a bias
    column, via full-batch L-BFGS; returns (weights (3,), loss function of weights)."""
    A = torch.tensor(np.c_[data, np.ones(len(y))])
    t = torch.tensor(y)

    def loss(w):
        return nn.functional.binary_cross_entropy_with_logits(A @ w, t) + 1e-3 * (w[:2] ** 2).sum()

    w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=500, tolerance_grad=1e-12, tolerance_change=1e-14,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        value = loss(w)
        value.backward()
        return value

    opt.step(closure)
    return w.detach(), loss


def _versions(offset, n, seed):
    rng = np.random.default_rng(seed)
    X, y = _two_classes(offset, n, rng)
    return rng, y, {"raw": X, "centred": (X - X.mean(0)) / X.std(0)}


@cached
def preprocessing_sensitivity(offset=10.0, n=400, trials=200, step=1e-2, seed=0) -> dict:
    """C00c: how much a small change of a linear classifier's weights moves its loss, for the same
    two-class data raw (both classes around (offset, offset)) and zero-centred with unit variance.

    Each copy of the data gets its own logistic-regression fit (the minimiser, via L-BFGS). Then
    ``trials`` random weight changes of norm ``step`` (bias included) are applied and the mean
    |change in loss| is measured; also the condition number of the loss's Hessian at the fit,
    which sets how hard plain gradient descent finds it. Returns both for "raw" and "centred"."""
    rng, y, versions = _versions(offset, n, seed)
    out = {"offset": offset}
    for name, data in versions.items():
        w_star, loss = _fit_logistic(data, y)
        L0 = float(loss(w_star))
        dirs = rng.standard_normal((trials, 3))
        dirs *= step / np.linalg.norm(dirs, axis=1, keepdims=True)
        changes = [abs(float(loss(w_star + torch.tensor(d))) - L0) for d in dirs]
        eig = np.linalg.eigvalsh(torch.autograd.functional.hessian(loss, w_star).numpy())
        out[name] = {"loss": L0, "mean_change": float(np.mean(changes)),
                     "condition": float(eig.max() / eig.min())}
    return out


@cached
def preprocessing_view(name: str, offset=10.0, n=400, lines=12, step=5e-2, seed=0) -> dict:
    """What the centring figure draws for one version ("raw" or "centred") of the C00c data:
    the points, the fitted boundary and the boundaries after ``lines`` random weight changes of
    norm ``step``, each as a segment across the plotted window."""
    _check("name", name, {"raw", "centred"})
    rng, y, versions = _versions(offset, n, seed)
    X = versions[name]
    w, _ = _fit_logistic(X, y)
    lo, hi = X.min(0) - 0.5, X.max(0) + 0.5
    xs = np.array([lo[0], hi[0]])

    def segment(v):  # v0 x1 + v1 x2 + v2 = 0, across the window
        return np.array([xs, -(v[0] * xs + v[2]) / v[1]])

    dirs = np.random.default_rng(seed + 1).standard_normal((lines, 3))
    dirs *= step / np.linalg.norm(dirs, axis=1, keepdims=True)
    return {"X": X, "y": y, "boundary": segment(w.numpy()),
            "perturbed": [segment(w.numpy() + d) for d in dirs],
            "xlim": (lo[0], hi[0]), "ylim": (lo[1], hi[1])}


@cached
def batchnorm_matches_formula(features=5, batch=32, seed=0) -> dict:
    """C00d: ``torch.nn.BatchNorm1d`` in training mode against the formula written out
    (per-feature batch mean and biased variance, normalise, then scale by gamma and shift by
    beta), with non-trivial gamma and beta; and what training mode does to running statistics.
    Returns the largest differences and the normalised outputs' per-feature mean and std."""
    gen = deterministic(seed)
    x = 3.0 + 2.0 * torch.randn(batch, features, generator=gen, dtype=torch.float64)
    bn = nn.BatchNorm1d(features).double()
    with torch.no_grad():
        bn.weight.copy_(torch.linspace(0.5, 2.0, features, dtype=torch.float64))
        bn.bias.copy_(torch.linspace(-1.0, 1.0, features, dtype=torch.float64))
    out = bn(x)
    mu, var = x.mean(0), x.var(0, unbiased=False)
    xhat = (x - mu) / torch.sqrt(var + bn.eps)
    formula = bn.weight.detach() * xhat + bn.bias.detach()
    out.sum().backward()
    return {
        "max_diff": float((out - formula).detach().abs().max()),
        "xhat_mean": xhat.mean(0).tolist(),
        "xhat_std": xhat.std(0, unbiased=False).tolist(),
        "out_mean": out.detach().mean(0).tolist(),
        "beta": bn.bias.detach().tolist(),
        "gamma": bn.weight.detach().tolist(),
        "out_std": out.detach().std(0, unbiased=False).tolist(),
        "learnable": [name for name, p in bn.named_parameters() if p.grad is not None],
        # running_mean after one step with momentum 0.1 from 0; running_var uses the unbiased var.
        "running_mean_diff": float((bn.running_mean - 0.1 * mu).abs().max()),
        "running_var_diff": float((bn.running_var - (0.9 + 0.1 * x.var(0, unbiased=True))).abs().max()),
    }


@cached
def training_curves(n_train=200, n_val=1000, epochs=60, seeds=(0, 1, 2)) -> dict:
    """C00e: three runs a practitioner learns to read, on a small MNIST subset with an MLP
    (784-100-10, SGD + momentum 0.9, batch 50, no regularisation), over several seeds:
    "good" (lr 0.05): train accuracy climbs to 1 while validation stalls (overfitting);
    "high" (lr 3.0): the loss blows up or jumps around instead of falling;
    "low" (lr 1e-4): the loss barely moves.
    Returns per setting the per-seed histories (train_loss, train_acc, val_acc)."""
    X, y = mnist_digits()
    (Xt, yt), (Xv, yv) = split(X, y, [n_train, n_val], np.random.default_rng(0))
    out = {"epochs": epochs, "seeds": list(seeds)}
    for name, lr in (("good", 0.05), ("high", 3.0), ("low", 1e-4)):
        runs = []
        for seed in seeds:
            model = mlp([784, 100, 10], seed=seed)
            opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
            with np.errstate(all="ignore"):
                h = train(model, opt, (Xt, yt), (Xv, yv), epochs=epochs, batch_size=50,
                          seed=seed, progress=f"lr {lr:g}, seed {seed}")
            runs.append({k: h[k] for k in ("train_loss", "train_acc", "val_acc")})
        out[name] = {"lr": lr, "runs": runs}
    return out


# ---------------------------------------------------------------- hyperparameter search ------

def search_accuracy(points, data, steps: int = 10) -> np.ndarray:
    """Validation accuracy of softmax regression on 8x8 digits for each row (log10 learning
    rate, log10 weight decay) of ``points``: ``steps`` full-batch gradient steps (short runs, as
    in a coarse search, which also make the best learning rate sharp) with L2 weight
    decay from one fixed random start, every trial a real training run (all trials at once, as
    one batched array computation). A run that diverges scores chance (0.1). Within the search
    box the learning rate decides almost everything and weight decay barely matters."""
    (Xt, yt), (Xv, yv) = data
    points = np.atleast_2d(np.asarray(points, dtype=np.float64))
    lr = 10.0 ** points[:, 0, None, None]
    wd = 10.0 ** points[:, 1, None, None]
    # A fixed random start (not zeros: from W = 0 the first step alone is a decent classifier,
    # since argmax ignores scale, and the learning rate would hardly matter).
    W0 = 0.1 * np.random.default_rng(12345).standard_normal((Xt.shape[1], 10))
    W = np.repeat(W0[None], len(points), axis=0)
    Y = np.eye(10)[yt]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            Z = Xt @ W
            Z -= Z.max(2, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(2, keepdims=True)
            W = W - lr * (Xt.T @ (P - Y) / len(yt) + wd * W)
        acc = np.mean(np.argmax(Xv @ W, axis=2) == yv, axis=1)
    finite = np.all(np.isfinite(W), axis=(1, 2))
    return np.where(finite, acc, 0.1)


def _search_data(seed=0):
    X, y = sklearn_digits()
    X = X.reshape(len(X), -1).astype(np.float64)
    X = np.c_[X, np.ones(len(X))]
    return split(X, y, [500, 800], np.random.default_rng(seed))


SEARCH_BOX = {"log_lr": (-3.0, 1.5), "log_wd": (-6.0, -3.0)}


@cached
def search_landscape(resolution=41) -> dict:
    """The validation accuracy over the whole search box (a ``resolution`` x ``resolution`` grid
    of real training runs): the surface the search demo shows, and how much each axis matters
    (the range of the accuracy along each axis, averaged over the other)."""
    lrs = np.linspace(*SEARCH_BOX["log_lr"], resolution)
    wds = np.linspace(*SEARCH_BOX["log_wd"], resolution)
    A, B = np.meshgrid(lrs, wds)
    acc = search_accuracy(np.c_[A.ravel(), B.ravel()], _search_data()).reshape(A.shape)
    return {"log_lr": lrs, "log_wd": wds, "acc": acc, "best": float(acc.max()),
            "lr_effect": float(np.ptp(acc.mean(0))), "wd_effect": float(np.ptp(acc.mean(1)))}


def _box(u):
    """Map points of the unit square to the search box."""
    (a0, a1), (b0, b1) = SEARCH_BOX["log_lr"], SEARCH_BOX["log_wd"]
    return np.c_[a0 + (a1 - a0) * u[:, 0], b0 + (b1 - b0) * u[:, 1]]


@cached
def random_vs_grid(budget=9, repeats=200, seed=0) -> dict:
    """C00f: grid search (sqrt(budget) values per axis) against random search (``budget`` uniform
    draws in the box) over ``repeats`` searches, every trial a real training run. The grid is
    shifted by a random offset each repeat so both searches are random and comparable. Returns
    per method the number of distinct learning rates tried, and per repeat the best accuracy
    found and the distance (in log10 units) from the best learning rate tried to the best one on
    a fine grid (``search_landscape``)."""
    k = int(round(np.sqrt(budget)))
    if k * k != budget:
        raise ValueError(f"budget must be a square (a k x k grid), got {budget}")
    rng = np.random.default_rng(seed)
    cells = (np.stack(np.meshgrid(np.arange(k), np.arange(k)), -1).reshape(-1, 2) + 0.5) / k
    grid = np.concatenate([_box((cells + rng.uniform(-0.5, 0.5, 2) / k) % 1.0) for _ in range(repeats)])
    rand = _box(rng.uniform(size=(repeats * budget, 2)))
    land = search_landscape()
    lr_opt = land["log_lr"][np.argmax(land["acc"].max(0))]
    data = _search_data()
    out = {"budget": budget, "repeats": repeats, "distinct_lr": {}, "best": {}, "lr_distance": {},
           "optimum_log_lr": float(lr_opt), "optimum_acc": land["best"]}
    for name, pts in (("grid", grid), ("random", rand)):
        acc = search_accuracy(pts, data).reshape(repeats, budget)
        lrs = pts[:, 0].reshape(repeats, budget)
        out["distinct_lr"][name] = int(np.median([len(np.unique(np.round(r, 9))) for r in lrs]))
        out["best"][name] = acc.max(1)
        out["lr_distance"][name] = np.abs(lrs - lr_opt).min(1)
    return out


@cached
def coarse_to_fine(budget=16, repeats=200, seed=0) -> dict:
    """C00f, second half: a budget of trials spent as one wide random search, or as a coarse
    random search over the wide box with half the budget followed by a fine random search with
    the other half in a box a quarter as wide (on each axis) around the best coarse trial.
    Returns the best accuracy of each strategy in every repeat."""
    rng = np.random.default_rng(seed)
    data = _search_data()
    half = budget // 2
    wide = search_accuracy(_box(rng.uniform(size=(repeats * budget, 2))), data).reshape(repeats, budget)
    coarse_pts = _box(rng.uniform(size=(repeats * half, 2))).reshape(repeats, half, 2)
    coarse = search_accuracy(coarse_pts.reshape(-1, 2), data).reshape(repeats, half)
    centre = coarse_pts[np.arange(repeats), coarse.argmax(1)]
    (a0, a1), (b0, b1) = SEARCH_BOX["log_lr"], SEARCH_BOX["log_wd"]
    span = np.array([a1 - a0, b1 - b0]) / 8
    lo = np.maximum(centre - span, [a0, b0])
    hi = np.minimum(centre + span, [a1, b1])
    u = rng.uniform(size=(repeats, budget - half, 2))
    fine_pts = lo[:, None] + u * (hi - lo)[:, None]
    fine = search_accuracy(fine_pts.reshape(-1, 2), data).reshape(repeats, budget - half)
    return {"budget": budget, "repeats": repeats, "wide": wide.max(1),
            "coarse_to_fine": np.maximum(coarse.max(1), fine.max(1))}


def example_searches(budget=9, seed=0) -> dict:
    """One grid search and one random search of ``budget`` trials in the search box, as points
    (log10 learning rate, log10 weight decay), for the figure."""
    k = int(round(np.sqrt(budget)))
    rng = np.random.default_rng(seed)
    cells = (np.stack(np.meshgrid(np.arange(k), np.arange(k)), -1).reshape(-1, 2) + 0.5) / k
    return {"grid": _box(cells), "random": _box(rng.uniform(size=(budget, 2)))}


def search_landscape_for_demo(resolution=41) -> dict:
    """The search landscape as plain lists for the SearchRace demo (accuracy rows by weight
    decay, columns by learning rate), rounded to 4 digits to keep the page small."""
    land = search_landscape(resolution)
    return {"x": np.round(land["log_lr"], 4).tolist(), "y": np.round(land["log_wd"], 4).tolist(),
            "z": np.round(land["acc"], 4).tolist(), "x_label": "log10 learning rate",
            "y_label": "log10 weight decay", "z_label": "validation accuracy"}
