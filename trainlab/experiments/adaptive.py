"""Chapter 3 experiments: AdaGrad, RMSProp, Adam and AdamW (C12-C17, listed in book/claims.md).

The chapter page (book/03_adaptive.md) draws its figures and quotes its numbers from these
functions, and the claim tests (tests/claims/test_claims_ch03.py) assert on the same cached
results. All updates come from torch.optim
(through trainlab.paths, CS231n-style names): the update rules students write in ps3 are not
here. Where an experiment needs a quantity torch does not return, such as AdaGrad's effective
step lr / (sqrt(G) + eps), it is read from the optimizer's own state.
"""
from __future__ import annotations

import contextlib
import math

import numpy as np
import torch
from tqdm.auto import tqdm

from ..cache import cached
from ..data import gaussian_blobs, spirals, wavy_regression
from ..paths import make_torch_optimizer, optimizer_path
from ..surfaces import get_surface
from .runs import LECTURE_START, batch_run, overshoot, settling_step

EPS = 1e-8  # the epsilon of every method here (trainlab.paths defaults)


# ---------------------------------------------------------------------------------------------
# C12: AdaGrad balances progress across coordinates
# ---------------------------------------------------------------------------------------------

@cached
def first_step(curvatures=(1 / 64, 1.0, 100.0), lr=0.1) -> dict:
    """C12: the first step of AdaGrad and of SGD from w = 1 on L(w) = sum_i c_i w_i^2.

    AdaGrad's accumulator after one step is g^2, so its step is lr * g / (|g| + eps): every
    coordinate moves by lr, whatever its curvature. SGD's step is lr * 2 c_i: proportional to it.
    """
    c = torch.tensor(curvatures, dtype=torch.float64)
    out = {"curvatures": list(curvatures)}
    for name in ("adagrad", "sgd"):
        w = torch.ones(len(curvatures), dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer(name, [w], learning_rate=lr)
        (c * w**2).sum().backward()
        opt.step()
        out[name] = (1.0 - w.detach().numpy()).tolist()
    return out


@cached
def balanced_progress(lr=0.1, steps=200, start=(1.0, 1.0)) -> dict:
    """C12: AdaGrad and SGD (same lr) on the lecture's quadratic (curvatures 1/32 and 2).

    From a start at the same distance along both axes, AdaGrad's two coordinates follow the
    same trajectory (the per-coordinate division cancels each axis's scale; exactly so as
    eps -> 0), while SGD finishes the steep axis long before the shallow one. Returns both paths.
    """
    surface = get_surface("quadratic")
    return {name: optimizer_path(surface, name, steps, start=start, learning_rate=lr)
            for name in ("adagrad", "sgd")}


@cached
def rotation_sensitivity(angles_deg=(0, 15, 30, 45), lr=0.5, steps=3000, tol=1e-3) -> dict:
    """C12, the limit of "per coordinate": the lecture's quadratic (curvatures 1/32 and 2)
    rotated by an angle, started at the rotated image of (1, 1). AdaGrad rescales coordinates,
    not directions: aligned with the axes it removes the conditioning; rotated, the steep and
    shallow directions mix in every coordinate and it slows down. Plain gradient descent does
    not care about the rotation. Returns steps to ``tol`` (None = not within ``steps``)."""
    out = {"angles_deg": list(angles_deg), "adagrad": [], "sgd": []}
    D = torch.diag(torch.tensor([2 / 64, 2.0], dtype=torch.float64))  # Hessian eigenvalues
    for deg in angles_deg:
        a = math.radians(deg)
        R = torch.tensor([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]],
                         dtype=torch.float64)
        H = R @ D @ R.T
        for name in ("adagrad", "sgd"):
            w = (R @ torch.ones(2, dtype=torch.float64)).requires_grad_(True)
            opt = make_torch_optimizer(name, [w], learning_rate=lr)
            reached = None
            for k in range(steps + 1):
                if torch.linalg.vector_norm(w.detach()) <= tol:
                    reached = k
                    break
                opt.zero_grad()
                (0.5 * w @ H @ w).backward()
                opt.step()
            out[name].append(reached)
    return out


# ---------------------------------------------------------------------------------------------
# C13-C14: AdaGrad's step only shrinks; RMSProp's settles
# ---------------------------------------------------------------------------------------------

_STATE = {"adagrad": "sum", "rmsprop": "square_avg"}


def _effective_step(opt, w, lr):
    """lr / (sqrt(accumulator) + eps), per coordinate, from the optimizer's own state."""
    name = "adagrad" if isinstance(opt, torch.optim.Adagrad) else "rmsprop"
    return (lr / (opt.state[w][_STATE[name]].sqrt() + EPS)).numpy().copy()


@cached
def effective_step_long_run(steps=5000, sigma=1.0, lr=0.01, runs=50, seed=0,
                            checkpoints=(10, 30, 100, 300, 1000, 3000, 5000)) -> dict:
    """C13-C14: the effective per-coordinate step lr / (sqrt(accumulator) + eps) of AdaGrad and
    RMSProp (decay 0.99) on a long noisy run: ``runs`` copies of L = |w|^2 started at the minimum,
    gradients with N(0, sigma^2) noise (the minibatch model of chapter 1).

    AdaGrad's accumulator is the sum of all squared gradients, about t * sigma^2 here, so its
    effective step only shrinks, like lr / (sigma * sqrt(t)). RMSProp's is a moving average that
    settles near sigma^2, so its step settles near lr / sigma. Returns the mean effective step at
    each checkpoint, whether AdaGrad's ever grew, and the fitted log-log slope over the last
    checkpoints from 300 on (after RMSProp's average has warmed up).
    """
    surface = get_surface("quadratic", a=1.0, b=1.0)
    out = {"checkpoints": list(checkpoints), "sigma": sigma, "lr": lr}
    for name in ("adagrad", "rmsprop"):
        gen = torch.Generator().manual_seed(seed)
        w = torch.zeros(runs, 2, dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer(name, [w], learning_rate=lr)
        means, prev, grew = [], None, False
        for t in range(1, steps + 1):
            opt.zero_grad()
            surface.loss_torch(w).sum().backward()
            w.grad += sigma * torch.randn(w.shape, generator=gen, dtype=torch.float64)
            opt.step()
            if name == "adagrad":  # monotonicity is checked at every step, not only checkpoints
                eff = _effective_step(opt, w, lr)
                grew |= bool(prev is not None and np.any(eff > prev))
                prev = eff
            if t in checkpoints:
                means.append(float(_effective_step(opt, w, lr).mean()))
        out[name] = means
        if name == "adagrad":
            out["adagrad_ever_grew"] = grew
    late = [i for i, t in enumerate(checkpoints) if t >= 300]
    fit = lambda v: float(np.polyfit(np.log(np.array(checkpoints)[late]),  # noqa: E731
                                     np.log(np.array(v)[late]), 1)[0])
    out["adagrad_slope"], out["rmsprop_slope"] = fit(out["adagrad"]), fit(out["rmsprop"])
    return out


@cached
def saddle_stall(steps=4000, sigma=0.1, lr=0.01, seed=0, start=(-1.5, 0.0)) -> dict:
    """C13: AdaGrad and RMSProp (same lr, decay 0.99) on the saddle surface with gradient noise
    sigma, started on the saddle's stable axis (w2 = 0): only the noise pushes them off. Returns
    the loss along each path (the minima have loss -0.25, the saddle 0) and the per-coordinate
    effective step at every step."""
    surface = get_surface("saddle")
    out = {"steps": steps}
    for name in ("adagrad", "rmsprop"):
        gen = torch.Generator().manual_seed(seed)
        noise = sigma * torch.randn(steps, 2, generator=gen, dtype=torch.float64)
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer(name, [w], learning_rate=lr)
        losses, eff = [surface.loss(start)], np.empty((steps, 2))
        for k in range(steps):
            opt.zero_grad()
            loss = surface.loss_torch(w)
            loss.backward()
            w.grad += noise[k]
            opt.step()
            eff[k] = _effective_step(opt, w, lr)
            losses.append(surface.loss(w.detach().numpy()))
        out[name + "_loss"] = np.array(losses)
        out[name + "_effective_step"] = eff
    return out


@cached
def adagrad_saddle_by_lr(lrs=(0.01, 0.03, 0.1), seeds=(0, 1, 2, 3, 4), steps=4000, sigma=0.1,
                         start=(-1.5, 0.0)) -> dict:
    """C13, where AdaGrad's stall really is: AdaGrad on the saddle surface (minima (0, +-1) with
    loss -0.25, saddle at the origin), started on the stable axis with gradient noise sigma, for
    several learning rates and noise seeds (one run per seed).

    Per (lr, seed): the step at which it leaves the stable axis (|w2| first above 0.5; None if
    never), the final loss, and how the remaining gap to -0.25 splits between the convex
    coordinate (a w1^2, a = 0.5) and the escape coordinate (the rest).
    """
    surface = get_surface("saddle")
    a = surface.params["a"]
    rows = []
    for lr in lrs:
        for seed in seeds:
            hist = batch_run(surface, "adagrad", [start], steps, noise_std=sigma, seed=seed,
                             record=True, learning_rate=lr)[:, 0]
            off = np.flatnonzero(np.abs(hist[:, 1]) > 0.5)
            end = hist[-1]
            loss = surface.loss(end)
            in_w1 = float(a * end[0] ** 2)
            rows.append({"lr": lr, "seed": seed, "left_axis_at": int(off[0]) if off.size else None,
                         "final_loss": float(loss), "gap_in_w1": in_w1,
                         "gap_in_w2": float(loss + 0.25 - in_w1), "final_w": end.tolist()})
    return {"rows": rows, "minimum_loss": -0.25}


@cached
def overshoot_vs_speed(name, lrs=tuple(np.geomspace(0.01, 1.0, 9)), steps=1500, tol=1e-3,
                       **hyper) -> dict:
    """C14, C16: optimizer ``name`` on the lecture's quadratic from the lecture's start, for each
    learning rate: the step from which it stays within ``tol`` of the minimum (None = it does not
    settle within ``steps``) and how far it swings past the minimum (``runs.overshoot``: 0 =
    never crosses it, 1 = as far past as it started, in the worse coordinate)."""
    surface = get_surface("quadratic")
    out = {"name": name, "lrs": [float(lr) for lr in lrs], "settle": [], "overshoot": []}
    for lr in lrs:
        p = optimizer_path(surface, name, steps, start=LECTURE_START, learning_rate=lr, **hyper)
        out["settle"].append(settling_step(p, (0.0, 0.0), tol))
        out["overshoot"].append(overshoot(p))
    return out


# ---------------------------------------------------------------------------------------------
# C15: Adam's bias correction
# ---------------------------------------------------------------------------------------------

@cached
def bias_correction(steps=200, beta1=0.9, beta2=0.999, lr=1e-3, gradients="constant",
                    seed=0) -> dict:
    """C15: Adam's step with and without bias correction, for the same gradient sequence.

    torch.optim.Adam takes the corrected step lr * m_hat / (sqrt(v_hat) + eps); the uncorrected
    step lr * m / (sqrt(v) + eps) is computed from the same optimizer state (exp_avg = m,
    exp_avg_sq = v). Their ratio is (1 - beta1^t) / sqrt(1 - beta2^t) whatever the gradients
    (eps aside), because m_hat = m / (1 - beta1^t) and v_hat = v / (1 - beta2^t).
    ``gradients``: "constant" (g = 1) or "random" (N(0, 1), one fixed sequence per seed).
    Returns both step sizes, their ratio, the closed form, and where the ratio peaks.
    """
    if gradients not in ("constant", "random"):
        raise ValueError(f"gradients must be 'constant' or 'random', got {gradients!r}")
    g = (torch.ones(steps, dtype=torch.float64) if gradients == "constant" else
         torch.randn(steps, generator=torch.Generator().manual_seed(seed), dtype=torch.float64))
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = make_torch_optimizer("adam", [w], learning_rate=lr, beta1=beta1, beta2=beta2)
    corrected, uncorrected = np.empty(steps), np.empty(steps)
    for k in range(steps):
        before = w.item()
        w.grad = g[k:k + 1].clone()
        opt.step()
        corrected[k] = abs(w.item() - before)
        st = opt.state[w]
        uncorrected[k] = abs(lr * st["exp_avg"].item() / (math.sqrt(st["exp_avg_sq"].item()) + EPS))
    t = np.arange(1, steps + 1)
    theory = (1 - beta1**t) / np.sqrt(1 - beta2**t)
    ratio = uncorrected / corrected
    return {"t": t, "gradients": g.numpy(), "corrected": corrected, "uncorrected": uncorrected,
            "ratio": ratio,
            "theory": theory, "peak_t": int(t[np.argmax(theory)]),
            "peak_ratio": float(theory.max())}


# ---------------------------------------------------------------------------------------------
# C16: Adam's default hyperparameters across problems
# ---------------------------------------------------------------------------------------------

PROBLEMS = ("spirals", "blobs", "regression")


def make_problem(name: str, n=200, seed=0):
    """One of three small synthetic problems, made on the spot: ("spirals", 3-class spiral arms
    in 2-D), ("blobs", 4 Gaussian classes in 10-D), ("regression", a wavy 1-D curve).
    Returns (X float32 tensor, y tensor, task) with task "classify" or "regress"."""
    rng = np.random.default_rng(seed)
    if name == "spirals":
        X, y = spirals(n, classes=3, noise=0.15, rng=rng)
    elif name == "blobs":
        X, y = gaussian_blobs(n, d=10, classes=4, spread=1.5, rng=rng)
    elif name == "regression":
        X, y = wavy_regression(n, noise=0.1, rng=rng)
        return (torch.tensor(X, dtype=torch.float32),
                torch.tensor(y, dtype=torch.float32)[:, None], "regress")
    else:
        raise ValueError(f"unknown problem {name!r}; choose one of {PROBLEMS}")
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y), "classify"


@contextlib.contextmanager
def _one_thread():
    """Tiny networks run fastest on one thread; several threads on a busy 2-core machine thrash.
    Restores torch's setting afterwards."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def _mlp(d_in, d_out, seed, hidden=32):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.ReLU(),
                               torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
                               torch.nn.Linear(hidden, d_out))


@cached
def train_mlp(problem: str, name: str, lr: float, steps=1000, seed=0,
              reduction="mean") -> dict:
    """Train a 2-hidden-layer MLP (32 ReLU units each, torch's default initialisation, seeded)
    full-batch on ``problem`` with optimizer ``name`` ("adam" with beta1 0.9, beta2 0.999; "sgd";
    "momentum" with rho 0.9). ``reduction`` "sum" instead of "mean" multiplies the loss, and
    every gradient, by the number of examples. Returns the initial and final mean loss and the
    score: training accuracy for classification, R^2 for regression (NaN if it diverged)."""
    X, y, task = make_problem(problem, seed=seed)
    d_out = int(y.max()) + 1 if task == "classify" else 1
    lossf = (torch.nn.functional.cross_entropy if task == "classify"
             else torch.nn.functional.mse_loss)
    net = _mlp(X.shape[1], d_out, seed)
    params = list(net.parameters())
    opt = {"adam": lambda: torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999)),
           "sgd": lambda: torch.optim.SGD(params, lr=lr),
           "momentum": lambda: torch.optim.SGD(params, lr=lr, momentum=0.9)}[name]()
    with torch.no_grad():
        initial = lossf(net(X), y).item()
    with _one_thread():
        for _ in range(steps):
            opt.zero_grad()
            lossf(net(X), y, reduction=reduction).backward()
            opt.step()
    with torch.no_grad():
        out = net(X)
        final = lossf(out, y).item()
        if task == "classify":
            score = (out.argmax(1) == y).double().mean().item()
        else:
            score = 1 - final / y.var(unbiased=False).item()
    if not math.isfinite(final):
        score = float("nan")
    return {"initial": initial, "final": final, "score": score}


# The bar for "solved": the classifiers fit their training set, the regression gets close to its
# noise floor (``regression_noise_floor``: the R^2 of the noise-free curve itself).
SOLVED = {"spirals": 0.99, "blobs": 0.99, "regression": 0.95}


@cached
def regression_noise_floor(n=200, seed=0) -> float:
    """C16: the training R^2 of the noise-free curve on the regression problem: the best score a
    model can reach without fitting the noise."""
    X, y, _ = make_problem("regression", n=n, seed=seed)
    x = X[:, 0].double()
    truth = torch.sin(2 * x) + 0.3 * x
    y = y[:, 0].double()
    return float(1 - torch.mean((y - truth) ** 2) / y.var(unbiased=False))


@cached
def lr_sweep(problem: str, name: str, lrs=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0),
             steps=1000, seed=0, reduction="mean", progress=False) -> dict:
    """C16: ``train_mlp`` on ``problem`` for every learning rate; "solved" uses ``SOLVED``."""
    runs = [train_mlp(problem, name, lr, steps, seed, reduction)
            for lr in tqdm(lrs, desc=f"{name} on {problem}", disable=not progress)]
    scores = [r["score"] for r in runs]
    return {"problem": problem, "name": name, "lrs": list(lrs), "scores": scores,
            "final": [r["final"] for r in runs], "initial": runs[0]["initial"],
            "solved": [bool(s >= SOLVED[problem]) for s in scores]}


# ---------------------------------------------------------------------------------------------
# C17: the comparison table, from torch.optim's own state and behaviour; AdamW versus L2
# ---------------------------------------------------------------------------------------------

TABLE_METHODS = ("momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")


def _probe(name, grads, lr=0.1):
    """Feed a fixed gradient sequence to optimizer ``name`` on one coordinate; return the steps
    taken and the optimizer state after each step. AdamW runs with its weight decay off: the
    table's columns are about the moments (its decay is measured by ``decay_with_zero_gradient``
    and ``adamw_vs_l2``)."""
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    extra = {"weight_decay": 0.0} if name == "adamw" else {}
    opt = make_torch_optimizer(name, [w], learning_rate=lr, **extra)
    steps, states = [], []
    for g in grads:
        before = w.item()
        w.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        steps.append(w.item() - before)
        states.append({k: v.clone() for k, v in opt.state[w].items() if torch.is_tensor(v)})
    return np.array(steps), states


@cached
def comparison_table(lr=0.1) -> dict:
    """C17: each row of the lecture's table, decided by behaviour (torch.optim, default
    hyperparameters of trainlab.paths), with the state tensors each optimizer keeps.

    first_moment  after 5 gradients of 1, a zero gradient still moves the weight (a velocity).
    second_moment scaling every gradient by 1000 leaves the steps (nearly) unchanged: the step is
                  divided by a running size of the gradient, coordinate by coordinate.
    leaky         after 20 gradients of 1 and then 2000 zero gradients, the squared-gradient
                  state has fallen below half (only asked of methods with a second moment).
    bias_corrected with a constant gradient the step is the same size from the very first step
                  (the running averages are not biased towards their zero start).
    """
    table = {}
    for name in TABLE_METHODS:
        steps, _ = _probe(name, [1.0] * 5 + [0.0], lr)
        first = abs(steps[-1]) > 1e-12
        small, _ = _probe(name, [1.0] * 10, lr)
        big, _ = _probe(name, [1000.0] * 10, lr)
        second = bool(np.allclose(small, big, rtol=1e-6))
        leaky = None
        if second:
            _, states = _probe(name, [1.0] * 20 + [0.0] * 2000, lr)
            key = {"adagrad": "sum", "rmsprop": "square_avg", "adam": "exp_avg_sq",
                   "adamw": "exp_avg_sq"}[name]
            leaky = bool(states[-1][key].item() < 0.5 * states[19][key].item())
        const, states = _probe(name, [1.0] * 10, lr)
        table[name] = {"first_moment": bool(first), "second_moment": second, "leaky": leaky,
                       "bias_corrected": bool(np.allclose(const, const[0], rtol=1e-9)),
                       "state": sorted(states[-1])}
    return table


@cached
def first_steps(lr=0.1) -> dict:
    """C17: the size of the first 5 steps on a constant gradient (in units of lr) for each
    method: only Adam's is lr from the start. RMSProp's first is lr / sqrt(1 - 0.99) = 10 lr,
    AdaGrad's shrinks like lr / sqrt(t), momentum's grows towards lr / (1 - rho)."""
    return {name: (np.abs(_probe(name, [1.0] * 5, lr)[0]) / lr).tolist() for name in TABLE_METHODS}


@cached
def decay_with_zero_gradient(lr=1e-2, weight_decay=0.1, steps=100) -> dict:
    """C17: weight decay alone (data gradient 0), from w = (1, 100). AdamW multiplies w by exactly
    (1 - lr * weight_decay) per step. Adam with L2 in the loss sees the gradient wd * w, which
    its normalisation turns into a step of about lr * sign(w): a fixed decrement, whatever the
    weight decay and whatever the weight. Returns both weight trajectories."""
    out = {}
    for name in ("adamw", "adam_l2"):
        w = torch.tensor([1.0, 100.0], dtype=torch.float64, requires_grad=True)
        opt = (make_torch_optimizer("adamw", [w], learning_rate=lr, weight_decay=weight_decay)
               if name == "adamw" else torch.optim.Adam([w], lr=lr, weight_decay=weight_decay))
        path = [w.detach().numpy().copy()]
        for _ in range(steps):
            w.grad = torch.zeros(2, dtype=torch.float64)
            opt.step()
            path.append(w.detach().numpy().copy())
        out[name] = np.array(path)
    out["factor"] = 1 - lr * weight_decay
    return out


@cached
def adamw_vs_l2(scales=(0.01, 0.1, 1.0, 10.0), lr=1e-2, weight_decay=0.1, steps=1000, runs=400,
                seed=0) -> dict:
    """C17: how strongly weight decay pulls each weight to zero under Adam with L2 in the loss
    (torch.optim.Adam(weight_decay=...)) and under AdamW, when the data gradient of coordinate
    i is pure noise of size scales[i] (mean zero: nothing but the decay pulls it anywhere).

    ``runs`` independent runs from w = 1, same noise for both methods. Returns the mean weight
    over runs per step, and the decay rate per step measured from it (-log(mean w) / steps,
    over the first ``steps`` / 4 steps) in units of lr * weight_decay: 1 means the nominal decay.
    """
    d = len(scales)
    sc = torch.tensor(scales, dtype=torch.float64)
    out = {"scales": list(scales)}
    for name in ("adamw", "adam_l2"):
        gen = torch.Generator().manual_seed(seed)
        w = torch.ones(runs, d, dtype=torch.float64, requires_grad=True)
        opt = (make_torch_optimizer("adamw", [w], learning_rate=lr, weight_decay=weight_decay)
               if name == "adamw" else torch.optim.Adam([w], lr=lr, weight_decay=weight_decay))
        means = [np.ones(d)]
        for _ in range(steps):
            w.grad = sc * torch.randn(runs, d, generator=gen, dtype=torch.float64)
            opt.step()
            means.append(w.detach().mean(0).numpy())
        means = np.array(means)
        k = steps // 4
        out[name] = means
        out[name + "_rate"] = (-np.log(np.clip(means[k], 1e-12, None)) / k
                               / (lr * weight_decay)).tolist()
    return out
