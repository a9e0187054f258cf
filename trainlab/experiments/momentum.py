"""Chapter 2 experiments: SGD with momentum and Nesterov momentum (C08-C11, listed in book/claims.md).

The chapter page (book/02_momentum.md) draws its figures and quotes its numbers from these
functions, and the claim tests (tests/claims/test_claims_ch02.py) assert on the same cached
results. All runs
use torch.optim through trainlab.paths: the update rules students write in ps2 are not here.

Hyperparameters use CS231n's names: ``learning_rate`` and ``momentum`` (rho). torch's momentum
form is buf = rho * buf + g, w -= lr * buf; CS231n's is v = rho * v - lr * g, w += v. They give
the same iterates while the learning rate is constant (see ``learning_rate_change``).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from ..cache import cached
from ..paths import make_torch_optimizer, optimizer_path
from ..surfaces import get_surface
from .runs import LECTURE_START, batch_run, overshoot, steps_until



# ---------------------------------------------------------------------------------------------
# C08: what the velocity does
# ---------------------------------------------------------------------------------------------

@cached
def constant_slope_steps(rhos=(0.0, 0.5, 0.9, 0.99), lr=0.1, slope=1.0, steps=100) -> dict:
    """C08, acceleration: step sizes of momentum on a constant slope L(w) = slope * w.

    With a constant gradient g the velocity is a geometric sum, so step k (from 1) has size
    lr * g * (1 - rho^k) / (1 - rho), approaching lr * g / (1 - rho): 10x plain SGD's step for
    rho = 0.9, 100x for 0.99. Returns measured and closed-form step sizes per rho.
    """
    measured, theory = [], []
    k = np.arange(1, steps + 1)
    for rho in rhos:
        w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer("momentum", [w], learning_rate=lr, momentum=rho)
        ws = [0.0]
        for _ in range(steps):
            opt.zero_grad()
            (slope * w).sum().backward()
            opt.step()
            ws.append(w.item())
        measured.append(np.abs(np.diff(ws)))
        theory.append(lr * slope * (1 - rho**k) / (1 - rho))
    return {"rhos": list(rhos), "step": np.array(measured), "theory": np.array(theory),
            "limit": [lr * slope / (1 - rho) for rho in rhos]}


@cached
def velocity_gain(rho=0.9, steps=200) -> dict:
    """C08, zig-zag cancels: feed torch's momentum buffer a gradient whose first coordinate is
    always +1 and whose second flips sign every step (what gradient descent sees across a steep
    valley). The buffer is a weighted sum of past gradients, so the steady first coordinate grows
    to 1 / (1 - rho) while the alternating one shrinks to 1 / (1 + rho)."""
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = make_torch_optimizer("momentum", [w], learning_rate=1e-3, momentum=rho)
    buf = np.empty((steps, 2))
    for k in range(steps):
        w.grad = torch.tensor([1.0, (-1.0) ** k], dtype=torch.float64)
        opt.step()
        buf[k] = opt.state[w]["momentum_buffer"].numpy()
    return {"buffer": buf, "steady": float(abs(buf[-1, 0])), "alternating": float(abs(buf[-1, 1])),
            "theory_steady": 1 / (1 - rho), "theory_alternating": 1 / (1 + rho)}


@cached
def same_learning_rate(lr=0.9, rho=0.9, steps=60, start=LECTURE_START) -> dict:
    """C08, poor conditioning at one learning rate: SGD and momentum, both with ``lr`` (90% of
    SGD's stability limit 2 / L_max by default), on the lecture's quadratic.

    Along the shallow axis (a consistent gradient) momentum moves like SGD with step
    lr / (1 - rho); across the steep one it stays stable up to lr < 2 (1 + rho) / L_max, but it
    does not stop bouncing: its oscillation there decays only like sqrt(rho)^t. Returns both
    paths and |w1|, |w2| per step.
    """
    surface = get_surface("quadratic")
    out = {}
    for name, hyper in [("sgd", {}), ("momentum", {"momentum": rho})]:
        p = optimizer_path(surface, name, steps, start=start, learning_rate=lr, **hyper)
        out[name] = p
        out[name + "_abs"] = np.abs(p)
    out["sqrt_rho"] = math.sqrt(rho)
    return out


def _rate_of_decay(x: np.ndarray, start: int) -> float:
    """Per-step factor by which |x_t| shrinks from step ``start`` on: a log-linear fit through
    the local maxima of |x| where it oscillates, through every |x_t| where it does not."""
    a = np.abs(x[start:])
    t = np.arange(start, len(x))
    peaks = np.flatnonzero((a[1:-1] >= a[:-2]) & (a[1:-1] > a[2:])) + 1
    if len(peaks) >= 3:
        a, t = a[peaks], t[peaks]
    keep = a > 0
    return float(np.exp(np.polyfit(t[keep], np.log(a[keep]), 1)[0]))


@cached
def heavy_ball_regimes(lr=0.9, h=1 / 32, rhos=(0.0, 0.3, 0.5, 0.8, 0.9, 0.95), steps=400) -> dict:
    """C08, what "the shallow direction moves as if the step were lr / (1 - rho)" means.

    Along one direction of curvature h, momentum is w_{t+1} = w_t - lr h w_t + rho (w_t - w_{t-1}),
    whose characteristic equation z^2 - (1 + rho - lr h) z + rho = 0 decides everything:
      stable       iff lr h < 2 (1 + rho);
      overdamped   (real roots, no oscillation) iff rho < rho_c = (1 - sqrt(lr h))^2 (for lr h < 1);
      underdamped  (complex roots) above rho_c: |w| oscillates, crossing zero every pi / theta steps
                   (theta the roots' angle) inside an envelope shrinking like sqrt(rho)^t.
    Far below rho_c the slow root is about 1 - lr h / (1 - rho): gradient descent with the step
    lr / (1 - rho). ``rhos`` plus rho_c itself are run with torch.optim.SGD from w = 1 on the
    w1 axis of L = (h / 2) w1^2 + w2^2. Returns per rho the path, the measured decay factor per
    step, the root modulus, the as-if factor |1 - lr h / (1 - rho)|, and where it oscillates,
    the measured and predicted spacing of zero crossings.
    """
    rho_c = (1 - math.sqrt(lr * h)) ** 2
    rhos = sorted(set(rhos) | {rho_c})
    surface = get_surface("quadratic", a=h / 2, b=1.0)
    out = {"lr": lr, "h": h, "rho_critical": rho_c, "rhos": rhos, "path": [], "measured": [],
           "root_modulus": [], "as_if": [], "regime": [], "crossing_spacing": [],
           "crossing_spacing_theory": [], "stable_below_lr": [2 * (1 + r) / h for r in rhos]}
    for rho in rhos:
        x = optimizer_path(surface, "momentum", steps, start=(1.0, 0.0), learning_rate=lr,
                           momentum=rho)[:, 0]
        b = 1 + rho - lr * h
        disc = b * b - 4 * rho
        roots = np.roots([1.0, -b, rho])
        if abs(disc) < 1e-12:
            regime = "critical"
        else:
            regime = "overdamped" if disc > 0 else "underdamped"
        crossings = np.flatnonzero(np.sign(x[1:]) != np.sign(x[:-1]))
        out["path"].append(x)
        out["measured"].append(_rate_of_decay(x, steps // 4))
        out["root_modulus"].append(float(np.abs(roots).max()))
        out["as_if"].append(abs(1 - lr * h / (1 - rho)))
        out["regime"].append(regime)
        out["crossing_spacing"].append(float(np.mean(np.diff(crossings)))
                                       if len(crossings) > 2 else None)
        out["crossing_spacing_theory"].append(float(math.pi / abs(np.angle(roots[0])))
                                              if disc < 0 else None)
    out["sgd_factor"] = abs(1 - lr * h)
    return out


@cached
def narrow_well_stability(lrs=(0.02, 0.1), rhos=(0.0, 0.5, 0.9, 0.99), steps=3000) -> dict:
    """C11, why a large learning rate cannot settle in a narrow well, momentum or not.

    The narrow well of ``two_wells`` has curvature h_max at its minimum. Momentum converges to a
    minimum only if lr < 2 (1 + rho) / h_max (plain SGD: rho = 0), a bound that stays below
    4 / h_max for every rho < 1. Started a hair away from that minimum, each (lr, rho) either
    settles there (within 1e-6 at the end) or does not: it is thrown out, or bounces around the
    minimum at a distance it keeps. Returns h_max, and per run the bound, whether it settled and
    its final distance from the minimum.
    """
    surface = get_surface("two_wells")
    w = np.array([-1.0, 0.0])
    for _ in range(50):  # Newton's method: the narrow minimum is near, not at, (-1, 0)
        w = w - np.linalg.solve(surface.hessian(w), surface.grad(w))
    h_max = float(np.linalg.eigvalsh(surface.hessian(w)).max())
    rows = []
    for lr in lrs:
        for rho in rhos:
            end = optimizer_path(surface, "momentum", steps, start=w + (1e-3, 1e-3),
                                 learning_rate=lr, momentum=rho)[-1]
            dist = float(np.linalg.norm(end - w)) if np.all(np.isfinite(end)) else math.inf
            rows.append({"lr": lr, "rho": rho, "bound": 2 * (1 + rho) / h_max,
                         "settled": dist < 1e-6, "distance": dist})
    return {"minimum": w.tolist(), "h_max": h_max, "rows": rows}


@cached
def tuned_steps_vs_condition(kappas=(16, 64, 256, 1024), tol=1e-4, max_steps=50_000) -> dict:
    """C08, poor conditioning: steps to reach ``tol`` on L = w1^2 / kappa + w2^2 from (1, 1),
    for gradient descent and momentum, each with its best constant hyperparameters for a
    quadratic with Hessian eigenvalues mu = 2 / kappa and L = 2:

      GD:       lr = 2 / (L + mu)                                  error x (kappa - 1) / (kappa + 1)
      momentum: lr = 4 / (sqrt L + sqrt mu)^2,                     error x (sqrt kappa - 1) /
                rho = ((sqrt L - sqrt mu) / (sqrt L + sqrt mu))^2            (sqrt kappa + 1)
    per step (Polyak's heavy ball). So GD needs ~kappa steps and momentum ~sqrt(kappa).
    Returns the steps and the slope of log(steps) against log(kappa) for each.
    """
    gd, mom = [], []
    for kappa in kappas:
        surface = get_surface("quadratic", a=1.0 / kappa, b=1.0)
        L, mu = 2.0, 2.0 / kappa
        gd.append(steps_until(surface, "sgd", (1.0, 1.0), tol, max_steps,
                              learning_rate=2 / (L + mu)))
        rL, rmu = math.sqrt(L), math.sqrt(mu)
        mom.append(steps_until(surface, "momentum", (1.0, 1.0), tol, max_steps,
                               learning_rate=4 / (rL + rmu) ** 2,
                               momentum=((rL - rmu) / (rL + rmu)) ** 2))
    slope = lambda s: float(np.polyfit(np.log(kappas), np.log(s), 1)[0])  # noqa: E731
    return {"kappas": list(kappas), "gd": gd, "momentum": mom,
            "gd_slope": slope(gd), "momentum_slope": slope(mom)}


@cached
def local_minimum_escape(rhos=(0.0, 0.5, 0.8, 0.9, 0.95), lr=0.05, steps=1500) -> dict:
    """C08, local minima: start at rest on a grid of 216 points on the right-hand side of the
    tilted double well, all in the basin of its shallow local minimum (plain GD ends there from
    every one). Returns, per rho, the fraction of runs that end in the deeper global minimum
    (w1 < 0) instead: the velocity gathered on the way down carries them over the ridge."""
    surface = get_surface("double_well")
    xs, ys = np.linspace(0.3, 2.0, 18), np.linspace(-1.1, 1.1, 12)
    starts = np.array([(x, y) for x in xs for y in ys])
    fractions = []
    for rho in rhos:
        end = batch_run(surface, "momentum", starts, steps, learning_rate=lr, momentum=rho)
        fractions.append(float(np.mean(end[:, 0] < 0)))
    return {"rhos": list(rhos), "fraction_global": fractions, "starts": starts}


@cached
def saddle_escape(offsets=(1e-2, 1e-4, 1e-6, 1e-8, 0.0), lr=0.1, rho=0.9, steps=600) -> dict:
    """C08, saddle points: GD and momentum (same learning rate) started at (-1.5, offset) on the
    saddle surface. Returns the steps until the loss is 0.1 below the saddle's (None if never)
    and the per-step growth factor of the offset near the saddle (curvature -b = -1 along w2):
    1 + lr for GD, the larger root of z^2 - (1 + rho + lr) z + rho = 0 for momentum."""
    surface = get_surface("saddle")
    out = {"offsets": list(offsets), "sgd": [], "momentum": []}
    for off in offsets:
        for name, hyper in [("sgd", {}), ("momentum", {"momentum": rho})]:
            p = optimizer_path(surface, name, steps, start=(-1.5, off), learning_rate=lr, **hyper)
            below = np.flatnonzero(np.array([surface.loss(w) for w in p]) < -0.1)
            out[name].append(int(below[0]) if below.size else None)
    b = 1 + rho + lr
    out["growth_sgd"] = 1 + lr
    out["growth_momentum"] = (b + math.sqrt(b * b - 4 * rho)) / 2
    return out


@cached
def momentum_noise(rho=0.9, lr=0.01, sigma=1.0, steps=2000, runs=400, seed=0) -> dict:
    """C08, noise: what "momentum averages out minibatch noise" does and does not mean.

    1. The velocity, scaled to an average ((1 - rho) * buf), is an exponential moving average of
       the gradients: for independent noise of std sigma its std is sigma * sqrt((1 - rho) /
       (1 + rho)) (0.23 sigma for rho = 0.9) while its mean is the true gradient. Measured by
       feeding gradients 1 + sigma * N(0, 1) to torch's momentum buffer.
    2. Consecutive steps are strongly correlated, so the path is smooth (mean cosine between
       consecutive steps near 1 rather than near 0).
    3. But where the iterate hovers around the minimum is not improved: on L = |w|^2 (curvature
       2) with gradient noise sigma, the stationary RMS distance of momentum at (lr, rho) is that
       of plain SGD at the effective learning rate lr / (1 - rho), and sqrt(1 / (1 - rho)) times
       that of SGD at lr. Returns measured values beside the closed forms (per coordinate).
    """
    gen = torch.Generator().manual_seed(seed)
    # 1. the velocity as a noise filter
    w = torch.zeros(runs, dtype=torch.float64, requires_grad=True)
    opt = make_torch_optimizer("momentum", [w], learning_rate=lr, momentum=rho)
    for _ in range(400):  # rho^400 is negligible: the buffer has forgotten its start
        w.grad = 1.0 + sigma * torch.randn(runs, generator=gen, dtype=torch.float64)
        opt.step()
    avg = (1 - rho) * opt.state[w]["momentum_buffer"].numpy()

    # 2-3. hovering around the minimum of an isotropic bowl, many runs at once
    surface = get_surface("quadratic", a=1.0, b=1.0)
    h = 2.0
    starts = np.zeros((runs, 2))
    settings = {"sgd": ("sgd", {"learning_rate": lr}),
                "momentum": ("momentum", {"learning_rate": lr, "momentum": rho}),
                "sgd_effective": ("sgd", {"learning_rate": lr / (1 - rho)})}
    rms, smooth = {}, {}
    for key, (name, hyper) in settings.items():
        hist = batch_run(surface, name, starts, steps, noise_std=sigma, seed=seed + 1,
                         record=True, **hyper)
        tail = hist[steps // 2:]
        rms[key] = float(np.sqrt(np.mean(tail**2)))
        d = np.diff(tail, axis=0)
        cos = np.sum(d[1:] * d[:-1], axis=2) / (
            np.linalg.norm(d[1:], axis=2) * np.linalg.norm(d[:-1], axis=2))
        smooth[key] = float(np.mean(cos))

    def sgd_var(a):  # x <- (1 - a h) x - a noise
        return a * sigma**2 / (h * (2 - a * h))

    ah = lr * h  # heavy ball x' = (1 + rho - a h) x - rho x_prev - a noise
    mom_var = lr**2 * sigma**2 * (1 + rho) / ((1 - rho) * ((1 + rho) ** 2 - (1 + rho - ah) ** 2))
    return {
        "velocity_mean": float(avg.mean()), "velocity_std": float(avg.std()),
        "velocity_std_theory": sigma * math.sqrt((1 - rho) / (1 + rho)),
        "rms": rms, "step_cosine": smooth,
        "rms_theory": {"sgd": math.sqrt(sgd_var(lr)), "momentum": math.sqrt(mom_var),
                       "sgd_effective": math.sqrt(sgd_var(lr / (1 - rho)))},
    }


# ---------------------------------------------------------------------------------------------
# C09: two ways to write momentum
# ---------------------------------------------------------------------------------------------

@cached
def learning_rate_change(lr_before=0.1, lr_after=0.01, change_at=20, rho=0.9, steps=40,
                         start=LECTURE_START) -> dict:
    """C09: momentum on the lecture's quadratic when the learning rate changes at step
    ``change_at``, in both conventions.

    torch:    buf = rho * buf + g;  w -= lr_t * buf   (torch.optim.SGD, lr changed in place)
    velocity: v = rho * v - lr_t * g;  w += v           (CS231n)

    The velocity form is computed with torch.optim.SGD too: with lr = 1 and gradient lr_t * g
    torch's buffer is exactly -v. With lr_after == lr_before the two paths coincide; after a
    change, torch rescales the whole remembered velocity at once, while the CS231n velocity
    keeps the old learning rate in its memory and adapts over ~1 / (1 - rho) steps.
    Returns both paths (steps + 1, 2) and their step lengths.
    """
    surface = get_surface("quadratic")
    paths = {}
    for form in ("torch", "velocity"):
        w = torch.tensor(np.asarray(start, dtype=np.float64), requires_grad=True)
        lr0 = lr_before if form == "torch" else 1.0
        opt = make_torch_optimizer("momentum", [w], learning_rate=lr0, momentum=rho)
        path = [w.detach().numpy().copy()]
        for k in range(steps):
            lr = lr_before if k < change_at else lr_after
            opt.zero_grad()
            surface.loss_torch(w).backward()
            if form == "torch":
                opt.param_groups[0]["lr"] = lr
            else:
                w.grad *= lr
            opt.step()
            path.append(w.detach().numpy().copy())
        paths[form] = np.array(path)
    return {"change_at": change_at, **paths,
            "torch_steps": np.linalg.norm(np.diff(paths["torch"], axis=0), axis=1),
            "velocity_steps": np.linalg.norm(np.diff(paths["velocity"], axis=0), axis=1)}


# ---------------------------------------------------------------------------------------------
# C10: Nesterov momentum
# ---------------------------------------------------------------------------------------------

@cached
def nesterov_vs_momentum(kappa=64.0, rho=0.9, lr_times_L=(0.05, 0.1, 0.2, 0.5, 1.0, 1.2),
                         tol=1e-4, max_steps=5000) -> dict:
    """C10: steps to reach ``tol`` from (1, 1) on L = w1^2 / kappa + w2^2 (L_max = 2) for plain
    and Nesterov momentum with the same (lr, rho), lr given in units of 1 / L_max. None = not
    within ``max_steps`` (Nesterov diverges for lr * L_max > 2 (1 + rho) / (1 + 2 rho), plain
    momentum only beyond 2 (1 + rho))."""
    surface = get_surface("quadratic", a=1.0 / kappa, b=1.0)
    out = {"lr_times_L": list(lr_times_L), "momentum": [], "nesterov": []}
    for f in lr_times_L:
        for name in ("momentum", "nesterov"):
            out[name].append(steps_until(surface, name, (1.0, 1.0), tol, max_steps,
                                         learning_rate=f / 2.0, momentum=rho))
    return out


def _lessard(x):
    """A smooth, 1-strongly convex, 25-smooth function of one variable (Lessard, Recht and
    Packard 2016, SIAM J. Optim.) on which heavy-ball momentum tuned for quadratics cycles."""
    return torch.where(x < 1, 12.5 * x**2,
                       torch.where(x < 2, 0.5 * x**2 + 24 * x - 12, 12.5 * x**2 - 24 * x + 36))


@cached
def convex_counterexample(x0=3.2, steps=300) -> dict:
    """C10, the guarantee: on Lessard et al.'s strongly convex function (mu = 1, L = 25), run
    plain momentum with Polyak's quadratic-optimal (lr, rho), Nesterov with its standard
    strongly convex choice (lr = 1 / L, rho = (sqrt k - 1) / (sqrt k + 1), k = L / mu), and GD
    with lr = 2 / (L + mu). Heavy ball falls into a 3-cycle and never converges; Nesterov and
    GD converge. Returns the iterates and final |x| (the minimum is x = 0)."""
    L, mu = 25.0, 1.0
    rL, rmu, rk = math.sqrt(L), math.sqrt(mu), math.sqrt(L / mu)
    settings = {
        "momentum": ("momentum", {"learning_rate": 4 / (rL + rmu) ** 2,
                                  "momentum": ((rL - rmu) / (rL + rmu)) ** 2}),
        "nesterov": ("nesterov", {"learning_rate": 1 / L, "momentum": (rk - 1) / (rk + 1)}),
        "sgd": ("sgd", {"learning_rate": 2 / (L + mu)}),
    }
    out = {}
    for key, (name, hyper) in settings.items():
        w = torch.tensor([x0], dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer(name, [w], **hyper)
        xs = [x0]
        for _ in range(steps):
            opt.zero_grad()
            _lessard(w).sum().backward()
            opt.step()
            xs.append(w.item())
        out[key] = np.array(xs)
        out[key + "_final"] = abs(xs[-1])
    return out


@cached
def nonconvex_success(settings=((0.01, 0.9), (0.03, 0.9), (0.1, 0.9), (0.01, 0.95),
                                (0.03, 0.95), (0.1, 0.95)),
                      n_starts=400, steps=1000, radius=0.3, seed=0) -> dict:
    """C10, no guarantee on non-convex problems: on the bumpy bowl (global minimum at the origin,
    a local minimum in every ripple), the fraction of ``n_starts`` random starts that end within
    ``radius`` of the global minimum, for plain and Nesterov momentum with the same (lr, rho)."""
    surface = get_surface("bumpy")
    x0, x1, y0, y1 = surface.window
    starts = np.random.default_rng(seed).uniform((x0, y0), (x1, y1), size=(n_starts, 2))
    out = {"settings": [tuple(s) for s in settings], "momentum": [], "nesterov": []}
    for lr, rho in settings:
        for name in ("momentum", "nesterov"):
            end = batch_run(surface, name, starts, steps, learning_rate=lr, momentum=rho)
            out[name].append(float(np.mean(np.linalg.norm(end, axis=1) < radius)))
    return out


# ---------------------------------------------------------------------------------------------
# C11: overshoot, and wide versus narrow minima
# ---------------------------------------------------------------------------------------------

@cached
def overshoot_by_rho(rhos=(0.0, 0.5, 0.8, 0.9, 0.95, 0.99), lr=0.1, steps=3000) -> dict:
    """C11: on the lecture's quadratic from its start, how far momentum swings past the minimum
    (``runs.overshoot``: 0 = never crosses, 1 = as far past as it started) and how close it is at
    the end (it comes back)."""
    surface = get_surface("quadratic")
    out = {"rhos": list(rhos), "overshoot": [], "final_distance": []}
    for rho in rhos:
        p = optimizer_path(surface, "momentum", steps, start=LECTURE_START, learning_rate=lr,
                           momentum=rho)
        out["overshoot"].append(overshoot(p))
        out["final_distance"].append(float(np.linalg.norm(p[-1])))
    return out


@cached
def wide_versus_narrow(lrs=(0.01, 0.02), rhos=(0.8, 0.9, 0.95, 0.99), n_starts=600, steps=1500,
                       seed=0) -> dict:
    """C11: on ``two_wells`` (a narrow deep well at (-1, 0), the global minimum, and a wide
    shallow one at (1, 0)), run SGD and momentum with the same learning rate from the same
    ``n_starts`` random starts. Per (lr, rho): the fraction ending in each well, and how many
    runs momentum moves from the narrow well (where SGD ends) to the wide one ("gained") and
    the other way ("lost")."""
    surface = get_surface("two_wells")
    x0, x1, y0, y1 = surface.window
    starts = np.random.default_rng(seed).uniform((x0, y0), (x1, y1), size=(n_starts, 2))

    def well(end):  # 0 = narrow, 1 = wide, -1 = neither (not settled)
        narrow = np.linalg.norm(end - (-1.0, 0.0), axis=1) < 0.3
        wide = np.linalg.norm(end - (1.0, 0.0), axis=1) < 0.6
        return np.where(narrow, 0, np.where(wide, 1, -1))

    rows = []
    for lr in lrs:
        sgd = well(batch_run(surface, "sgd", starts, steps, learning_rate=lr))
        for rho in rhos:
            mom = well(batch_run(surface, "momentum", starts, steps, learning_rate=lr,
                                 momentum=rho))
            rows.append({"lr": lr, "rho": rho,
                         "sgd_wide": float(np.mean(sgd == 1)),
                         "momentum_wide": float(np.mean(mom == 1)),
                         "unsettled": int(np.sum(sgd == -1) + np.sum(mom == -1)),
                         "gained": int(np.sum((sgd == 0) & (mom == 1))),
                         "lost": int(np.sum((sgd == 1) & (mom == 0)))})
    return {"rows": rows, "starts": starts}
