"""Chapter 5 experiments: Newton's method, its cost, BFGS and L-BFGS (claims C23-C25).

Each function is run by the chapter page (book/05_second_order.md) to draw a figure or fill a
table, and by the claim tests (tests/claims/test_claims_ch05.py) to assert what it shows.
References: Newton's step is the one-line formula of the page (a linear solve, torch autograd
for H and g); BFGS's inverse-Hessian estimate is scipy's ``scipy.optimize.BFGS`` update;
L-BFGS is ``torch.optim.LBFGS``. The functions students write in ps5 are not here.
"""
from __future__ import annotations

import math
import os
import time

import numpy as np
import torch
from tqdm.auto import tqdm

from ..cache import cached
from ..data import sklearn_digits, split
from ..models import SmallCNN, mlp
from ..paths import DIVERGED_AT
from ..surfaces import get_surface

F = torch.nn.functional

# The demo's L-BFGS, named once: the JS in trainlab/js/lbfgs_noise.js follows exactly this
# torch.optim.LBFGS configuration, one ``step(closure)`` per iteration, and is parity-tested
# against ``lbfgs_path`` below.
DEMO_LBFGS = {"lr": 1.0, "max_iter": 1, "line_search_fn": None, "tolerance_grad": 1e-7,
              "tolerance_change": 1e-9}


# ---------------------------------------------------------------------------------------------
# C23: Newton's step jumps to the minimum of the quadratic model
# ---------------------------------------------------------------------------------------------

def random_quadratic(dim: int, kappa: float, seed: int = 0):
    """A = Q diag(lambda) Q^T with eigenvalues log-spaced from 1 to ``kappa`` and a random
    rotation Q, b ~ N(0, I): L(w) = w^T A w / 2 - b^T w, minimum A^{-1} b, Hessian A.
    Returns (A, b, w_star, w0) in float64, w0 ~ N(0, I) (independent of the minimum)."""
    if dim < 1 or kappa < 1:
        raise ValueError(f"need dim >= 1 and kappa >= 1, got dim={dim}, kappa={kappa}")
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    lam = np.logspace(0, math.log10(kappa), dim)
    A = (Q * lam) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(dim)
    return A, b, np.linalg.solve(A, b), rng.standard_normal(dim)


def _newton(w, g, H):
    """Newton's step w - H^{-1} g, by a linear solve (never forming the inverse)."""
    return w - np.linalg.solve(H, g)


@cached
def newton_vs_gd(kappas=(1, 10, 100, 1_000, 10_000), dim=20, tol=1e-6, max_steps=200_000,
                 seed=0) -> dict:
    """C23: Newton's method and gradient descent on random ``dim``-dimensional quadratics whose
    Hessian has condition number kappa. Newton takes one step with no learning rate; gradient
    descent uses its best fixed learning rate 2 / (h_max + h_min). Reports, per kappa, Newton's
    relative error |w_1 - w*| / |w_0 - w*| after its single step, and the steps gradient descent
    needs to reach relative error ``tol`` (None if not within ``max_steps``)."""
    out = {"kappas": list(kappas), "dim": dim, "tol": tol, "newton_error": [], "gd_steps": []}
    for kappa in kappas:
        A, b, w_star, w0 = random_quadratic(dim, kappa, seed)
        e0 = np.linalg.norm(w0 - w_star)
        w1 = _newton(w0, A @ w0 - b, A)
        out["newton_error"].append(float(np.linalg.norm(w1 - w_star) / e0))
        h = np.linalg.eigvalsh(A)
        lr = 2.0 / (h[-1] + h[0])
        w, steps = w0.copy(), None
        for k in range(max_steps + 1):
            if np.linalg.norm(w - w_star) <= tol * e0:
                steps = k
                break
            w = w - lr * (A @ w - b)
        out["gd_steps"].append(steps)
    return out


def newton_on_surface(surface_name="saddle", start=(-1.5, 0.3), steps=8, saddle_free=False,
                      **params) -> np.ndarray:
    """Newton's iterates on a 2-D surface of trainlab.surfaces, shape (steps + 1, 2). With
    ``saddle_free`` the step uses |H| (H with its eigenvalues replaced by their absolute values),
    one standard repair when H is not positive definite."""
    surface = get_surface(surface_name, **params)
    path = [np.asarray(start, dtype=np.float64)]
    for _ in range(steps):
        w = path[-1]
        H = surface.hessian(w)
        if saddle_free:
            lam, V = np.linalg.eigh(H)
            H = (V * np.abs(lam)) @ V.T
        path.append(_newton(w, surface.grad(w), H))
    return np.array(path)


def gd_on_surface(surface_name="saddle", start=(-1.5, 0.3), steps=60, learning_rate=0.2,
                  **params) -> np.ndarray:
    """Gradient descent's iterates (torch.optim.SGD) on the same surface, for comparison."""
    from ..paths import optimizer_path

    return optimizer_path(get_surface(surface_name, **params), "sgd", steps, start=start,
                          learning_rate=learning_rate)


@cached
def saddle_basins(resolution=41, steps=30) -> dict:
    """C23, what goes wrong: Newton's method from a grid of starts on the saddle surface
    L = w1^2/2 + (w2^4/4 - w2^2/2) (saddle at the origin, minima at (0, +-1)). Newton solves
    grad L = 0, so it is attracted to whichever stationary point is nearby. Along w2 its step is
    w2 -> 2 w2^3 / (3 w2^2 - 1): where the curvature is negative (|w2| < 1/sqrt(3)) it points
    uphill, and every start with |w2| < 1/sqrt(5) (where |2 w2^3| < |3 w2^2 - 1| |w2|) shrinks
    to the saddle; between the two bands the step is huge and lands anywhere. Gradient
    descent (lr 0.2) and saddle-free Newton (|H|) from the same starts are the comparison.
    Returns the grid, each method's end label per start (0 saddle, 1 a minimum, 2 neither) and
    the fraction of starts each method sends to the saddle (starts exactly on w2 = 0, where no
    method can leave the saddle's axis, are excluded from the fractions)."""
    surface = get_surface("saddle")
    if surface.params != {"a": 0.5, "b": 1.0}:
        raise ValueError("saddle_basins assumes the saddle surface with a = 0.5, b = 1")
    x0, x1, y0, y1 = surface.window
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    labels = {}
    # All starts at once. Here grad L = (w1, w2^3 - w2) and H = diag(1, 3 w2^2 - 1): the same
    # steps as newton_on_surface, written elementwise so a grid of starts costs one loop.
    with np.errstate(all="ignore"):
        for method in ("newton", "saddle_free", "gd"):
            x, y = X.copy(), Y.copy()
            for _ in range(steps if method != "gd" else 10 * steps):
                gy = y**3 - y
                if method == "gd":
                    x, y = x - 0.2 * x, y - 0.2 * gy
                    continue
                h = 3 * y**2 - 1
                if method == "saddle_free":
                    h = np.abs(h)
                x, y = x - x, y - gy / h
            dist_saddle = np.hypot(x, y)
            dist_min = np.hypot(x, np.abs(y) - 1.0)
            lab = np.full(X.shape, 2, dtype=np.int64)
            lab[dist_min <= 1e-3] = 1
            lab[dist_saddle <= 1e-3] = 0
            labels[method] = lab
    off_axis = np.abs(ys) > 1e-12
    frac = {m: float(np.mean(lab[off_axis] == 0)) for m, lab in labels.items()}
    return {"xs": xs, "ys": ys, "labels": labels, "saddle_fraction": frac,
            "negative_band": 1 / math.sqrt(3), "saddle_band": 1 / math.sqrt(5)}


@cached
def newton_damped_rosenbrock(steps=30, start=(-1.2, 1.0)) -> dict:
    """C23, "no learning rate": Newton's method with its natural step (1) on Rosenbrock's banana,
    a non-quadratic but convex-near-the-minimum surface, against gradient descent with a tuned
    rate. Returns both loss curves (Newton needs a handful of steps, GD thousands)."""
    surface = get_surface("rosenbrock")
    newton = newton_on_surface("rosenbrock", start=start, steps=steps)
    gd = gd_on_surface("rosenbrock", start=start, steps=2000, learning_rate=1e-3)
    return {"newton_loss": [surface.loss(w) for w in newton],
            "gd_loss": [surface.loss(w) for w in gd], "newton_end": newton[-1].tolist(),
            "gd_end": gd[-1].tolist()}


# ---------------------------------------------------------------------------------------------
# C24: what Newton costs, and what quasi-Newton methods store instead
# ---------------------------------------------------------------------------------------------

def _vgg16(classes=1000):
    """VGG-16's layers (Simonyan & Zisserman 2015, configuration D) for 224x224 inputs."""
    from torch import nn

    layers, c = [], 3
    for v in (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
              512, 512, 512, "M"):
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
            c = v
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, classes))


def _alexnet(classes=1000):
    """AlexNet's layers (one-GPU form, as in torchvision) for 224x224 inputs."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1),
        nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
        nn.Linear(4096, classes))


def network_sizes() -> dict:
    """Parameter counts N of real networks, counted from their layers (the two ImageNet networks
    are built on torch's "meta" device: shapes only, no memory)."""
    def count(model):
        return int(sum(p.numel() for p in model.parameters()))

    with torch.device("meta"):
        alexnet, vgg = count(_alexnet()), count(_vgg16())
    return {
        "logistic regression, 8x8 digits": 64 * 10 + 10,
        "MLP 784-100-10 (MNIST)": count(mlp([784, 100, 10])),
        "SmallCNN (this book, MNIST)": count(SmallCNN()),
        "AlexNet (ImageNet)": alexnet,
        "VGG-16 (ImageNet)": vgg,
    }


def solve_timing(sizes=(256, 512, 1024, 2048), repeats=3) -> dict:
    """Seconds for one dense symmetric positive definite solve (Cholesky, float32, one thread)
    at each size N: the measured cost of one Newton step once H is known. The fastest of
    ``repeats`` runs (the least disturbed by other work on the machine)."""
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    seconds = []
    for n in sizes:
        M = torch.randn(n, n, generator=gen)
        H = M @ M.T / n + torch.eye(n)
        g = torch.randn(n, 1, generator=gen)
        best = math.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            torch.cholesky_solve(g, torch.linalg.cholesky(H))
            best = min(best, time.perf_counter() - t0)
        seconds.append(best)
    slope = float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])
    return {"sizes": list(sizes), "seconds": seconds, "loglog_slope": slope}


@cached
def cost_table(history_size=10) -> dict:
    """C24: for each network of ``network_sizes``, the Hessian's entries (N^2), its memory in
    float32, the flops of one Cholesky solve (N^3 / 3) and that solve's time extrapolated from
    this machine's measured rate at the largest timed size; beside them L-BFGS's memory with
    ``history_size`` pairs (2 m N floats). Also the machine's RAM, for scale."""
    sizes = network_sizes()
    timing = solve_timing()
    n_ref, t_ref = timing["sizes"][-1], timing["seconds"][-1]
    rows = []
    for name, n in sizes.items():
        rows.append({"network": name, "N": n, "hessian_entries": float(n) ** 2,
                     "hessian_bytes": 4.0 * float(n) ** 2, "solve_flops": float(n) ** 3 / 3,
                     "solve_seconds": t_ref * (n / n_ref) ** 3,
                     "lbfgs_bytes": 4.0 * 2 * history_size * n, "gradient_bytes": 4.0 * n})
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"rows": rows, "timing": timing, "ram_bytes": float(ram), "history_size": history_size}


@cached
def bfgs_learns_inverse(dim=10, kappa=100.0, seed=0) -> dict:
    """C24: BFGS on a ``dim``-dimensional quadratic (condition number ``kappa``) with exact line
    searches, its inverse-Hessian estimate updated by scipy's reference ``BFGS`` strategy from the
    identity. On a quadratic this classic setting has two known outcomes, checked here: the
    minimum is reached in at most ``dim`` steps, and after them the estimate equals A^{-1}.
    Returns per step the relative error of the estimate (Frobenius norm) and of the iterate."""
    from scipy.optimize import BFGS

    A, b, w_star, w = random_quadratic(dim, kappa, seed)
    A_inv = np.linalg.inv(A)
    est = BFGS(init_scale=1.0)
    est.initialize(dim, "inv_hess")
    e0 = np.linalg.norm(w - w_star)
    h_err = [float(np.linalg.norm(est.get_matrix() - A_inv) / np.linalg.norm(A_inv))]
    w_err = [1.0]
    g = A @ w - b
    for _ in range(dim + 2):
        if np.linalg.norm(g) <= 1e-13 * np.linalg.norm(b):
            break
        d = -est.get_matrix() @ g
        alpha = -(g @ d) / (d @ A @ d)  # exact line search on a quadratic
        s = alpha * d
        w_new = w + s
        g_new = A @ w_new - b
        est.update(s, g_new - g)
        w, g = w_new, g_new
        h_err.append(float(np.linalg.norm(est.get_matrix() - A_inv) / np.linalg.norm(A_inv)))
        w_err.append(float(np.linalg.norm(w - w_star) / e0))
    return {"dim": dim, "kappa": kappa, "inverse_error": h_err, "iterate_error": w_err}


# ---------------------------------------------------------------------------------------------
# C25: L-BFGS with the full batch and with minibatches, convex and not
# ---------------------------------------------------------------------------------------------

def digits_split(seed=0):
    """scikit-learn's 8x8 digits as float64 rows of 64 pixels: 1,400 training and 397 test
    examples, stratified, shuffled with ``seed``."""
    X, y = sklearn_digits()
    X = X.reshape(len(X), -1).astype(np.float64)
    (Xtr, ytr), (Xte, yte) = split(X, y, (1400, len(y) - 1400), np.random.default_rng(seed))
    # Standardise each pixel with the training set's statistics (constant pixels stay 0), as
    # one does before fitting a linear model: it sets the problem's conditioning to something sane.
    mu, sd = Xtr.mean(0), Xtr.std(0)
    sd[sd == 0] = 1.0
    Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    return tuple(torch.as_tensor(a) for a in (Xtr, ytr, Xte, yte))


PROBLEMS = {
    # name: (what it is, a model constructor (seed -> nn.Module), L2 weight)
    "logreg": "softmax regression on 8x8 digits, L2 1e-2 (convex)",
    "mlp": "MLP 64-64-10 with tanh on 8x8 digits (non-convex)",
}

# name -> (label, optimizer, batch size (None = full batch), extra optimizer settings)
METHODS = {
    "lbfgs_full": ("L-BFGS, full batch", "lbfgs", None, {"max_iter": 1, "max_eval": 25}),
    "lbfgs_mini": ("L-BFGS, minibatch 100", "lbfgs", 100, {"max_iter": 1, "max_eval": 25}),
    "lbfgs_mini_20": ("L-BFGS, minibatch 100, 20 iterations per batch", "lbfgs", 100,
                      {"max_iter": 20}),
    "adam": ("Adam, minibatch 100, lr 1e-2", "adam", 100, {"lr": 1e-2}),
    "sgd_momentum": ("SGD+momentum 0.9, minibatch 100, lr 0.1", "sgd", 100,
                     {"lr": 0.1, "momentum": 0.9}),
}


def _model(problem: str, seed: int):
    from torch import nn

    torch.manual_seed(seed)
    if problem == "logreg":
        model = nn.Linear(64, 10).double()
        nn.init.zeros_(model.weight)
        nn.init.zeros_(model.bias)
        return model, 1e-2
    if problem == "mlp":
        return mlp([64, 64, 10], "tanh", seed=seed).double(), 0.0
    raise ValueError(f"unknown problem {problem!r}; choose one of {sorted(PROBLEMS)}")


def _objective(model, lam, X, y):
    loss = F.cross_entropy(model(X), y)
    if lam:
        loss = loss + 0.5 * lam * sum((p**2).sum() for n, p in model.named_parameters()
                                      if n.endswith("weight"))
    return loss


@cached
def train_run(problem: str, method: str, epochs: float = 20, seed: int = 0,
              history_size: int = 10) -> dict:
    """One training run of ``method`` (a key of METHODS) on ``problem`` (a key of PROBLEMS).

    Every method gets the same budget: ``epochs`` passes' worth of example gradients (L-BFGS's
    line-search evaluations count). Minibatches are drawn with replacement by a generator seeded
    with ``seed``, which also seeds the model. L-BFGS is torch.optim.LBFGS(lr=1,
    history_size=``history_size``, line_search_fn="strong_wolfe"), one ``step(closure)`` per
    batch. Returns the full training objective after each optimizer step against the epochs used,
    its final and worst values, how many steps raised it by more than 1 %, and the final test
    accuracy.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    label, kind, batch, extra = METHODS[method]
    torch.set_num_threads(1)
    Xtr, ytr, Xte, yte = digits_split()
    model, lam = _model(problem, seed)
    params = list(model.parameters())
    if kind == "lbfgs":
        opt = torch.optim.LBFGS(params, lr=1.0, history_size=history_size,
                                line_search_fn="strong_wolfe", **extra)
    elif kind == "adam":
        opt = torch.optim.Adam(params, **extra)
    else:
        opt = torch.optim.SGD(params, **extra)
    n = len(ytr)
    batch = n if batch is None else batch
    gen = torch.Generator().manual_seed(seed)
    evals = 0
    with torch.no_grad():
        curve = [(0.0, _objective(model, lam, Xtr, ytr).item())]
    while evals * batch < epochs * n:
        idx = torch.randint(0, n, (batch,), generator=gen) if batch < n else slice(None)

        def closure():
            nonlocal evals
            opt.zero_grad()
            loss = _objective(model, lam, Xtr[idx], ytr[idx])
            loss.backward()
            evals += 1
            return loss

        opt.step(closure)
        with torch.no_grad():
            value = _objective(model, lam, Xtr, ytr).item()
        curve.append((evals * batch / n, value if math.isfinite(value) else math.inf))
    with torch.no_grad():
        acc = (model(Xte).argmax(1) == yte).double().mean().item()
    losses = [v for _, v in curve]
    rises = sum(b > a * 1.01 for a, b in zip(losses, losses[1:]))
    return {"rises": int(rises), "label": label, "epochs": [e for e, _ in curve], "loss": losses,
            "final": losses[-1], "worst": max(losses), "start": losses[0], "test_acc": acc,
            "steps": len(curve) - 1}


def optimum(problem="logreg", epochs=200) -> float:
    """The training objective's minimum for the convex problem: full-batch L-BFGS run long."""
    return min(train_run(problem, "lbfgs_full", epochs=epochs)["loss"])


def batch_comparison(problem="logreg", methods=tuple(METHODS), seeds=(0, 1, 2), epochs=20) -> dict:
    """C25: every method of ``methods`` on ``problem`` over ``seeds`` (the full-batch L-BFGS run
    is deterministic on the convex problem, but the seed still sets the MLP's initialisation).
    Returns {method: [run per seed]} and, for the convex problem, the optimum."""
    out = {"problem": problem, "about": PROBLEMS[problem], "epochs": epochs, "seeds": list(seeds),
           "runs": {}}
    jobs = [(m, s) for m in methods for s in seeds]
    for m, s in tqdm(jobs, desc=f"{problem}: optimizers x seeds", leave=False):
        out["runs"].setdefault(m, []).append(train_run(problem, m, epochs=epochs, seed=s))
    if problem == "logreg":
        out["optimum"] = optimum("logreg")
    return out


@cached
def history_sizes(sizes=(1, 2, 5, 10, 20), problem="logreg", tol=1e-6, epochs=100) -> dict:
    """C24-C25: full-batch L-BFGS on the convex problem with history size m: the epochs of
    gradient evaluations until the objective is within ``tol`` (relative) of the optimum,
    against the memory 2 m N floats the history costs."""
    best = optimum(problem)
    out = {"sizes": list(sizes), "epochs_to_tol": [], "tol": tol, "optimum": best}
    for m in sizes:
        r = train_run(problem, "lbfgs_full", epochs=epochs, history_size=m)
        reached = [e for e, v in zip(r["epochs"], r["loss"]) if v - best <= tol * abs(best)]
        out["epochs_to_tol"].append(reached[0] if reached else None)
    return out


# ---------------------------------------------------------------------------------------------
# The demo's reference: one named torch.optim.LBFGS configuration on a 2-D surface
# ---------------------------------------------------------------------------------------------

def lbfgs_path(surface_name: str, steps: int, history_size: int = 10, start=None, noise=None,
               **params) -> np.ndarray:
    """Iterates of torch.optim.LBFGS(**DEMO_LBFGS, history_size=m) on a 2-D surface, one
    ``step(closure)`` per iterate; ``noise`` (shape (steps, 2), optional) is added to the exact
    gradient inside the closure at each step (the minibatch-noise model of chapter 1). Shape
    (steps + 1, 2); NaN after the iterate leaves float range."""
    surface = get_surface(surface_name, **params)
    w = torch.tensor(np.asarray(surface.start if start is None else start, dtype=np.float64),
                     requires_grad=True)
    opt = torch.optim.LBFGS([w], history_size=history_size, **DEMO_LBFGS)
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w.detach().numpy()
    for k in range(steps):
        def closure():
            opt.zero_grad()
            loss = surface.loss_torch(w)
            loss.backward()
            if noise is not None:
                w.grad += torch.as_tensor(noise[k], dtype=torch.float64)
            return loss

        opt.step(closure)
        p = w.detach().numpy()
        if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > DIVERGED_AT:
            break
        path[k + 1] = p
    return path
