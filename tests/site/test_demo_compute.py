"""What every live demo computes in the browser, against torch, numpy or the book's own
experiments, demo by demo: paths against torch.optim (to 1e-12 per iterate where the path is
well conditioned), readouts against the same measurement done in Python, the outcome each demo
exists to show, and clear errors from its JS for bad input.

The demos' compute functions are imported in node from the real modules (no DOM needed). The
contract every demo keeps (bundle, title, traits, sliders) is test_widget_contract.py; the
update rules themselves are test_js_parity.py.
"""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import torch
from scipy import stats

from support.demo_page import TRANSFER_STEPS, transfer_grid
from support.node_bridge import HERE as JS_HELPERS, JSError, call_js
from support.parity import RTOL, STEPS, agreeing_steps, rel_err, rel_error_per_iterate, torch_path
from support.widget_checks import compute_call, state_of
from trainlab import paths
from trainlab.experiments import momentum as ex_momentum
from trainlab.experiments import recap
from trainlab.experiments import schedules as ex_schedules
from trainlab.experiments import second_order as ex_second_order
from trainlab.experiments.augmentation import pca_colour
from trainlab.experiments.runs import LECTURE_START, overshoot
from trainlab.paths import optimizer_path, steps_to_tolerance
from trainlab.surfaces import get_surface
from trainlab.widgets import (AdagradVsRmsprop, AdamBiasCorrection, AugmentationPlayground,
                              EmaAverage, MomentumRho, OptimizerRace, TransferFreeze)
from trainlab.widgets.bundle import JS_DIR

SEVEN = list(paths.DEFAULTS)


# ------------------------------------------------------------- QuadraticGD ----

QUADRATIC_SETTINGS = [(30.0, 0.9), (100.0, 0.5), (7.943, 0.23), (1.0, 0.5), (5.0, 1.05),
                      (2.0, 1.0)]


@pytest.fixture(scope="module")
def quadratic_js():
    return call_js([("quadratic_gd.js", "computeQuadratic",
                     [{"kappa": k, "lr_fraction": f, "max_steps": 5000}])
                    for k, f in QUADRATIC_SETTINGS])


@pytest.mark.parametrize("index", range(len(QUADRATIC_SETTINGS)),
                         ids=[f"kappa{k}-lr{f}" for k, f in QUADRATIC_SETTINGS])
def test_quadratic_readout_agrees_with_torch_optim(quadratic_js, index):
    kappa, frac = QUADRATIC_SETTINGS[index]
    js = quadratic_js[index]
    surface = get_surface("quadratic", a=1 / kappa, b=1.0)
    # 2 / L_max with L_max = 2 * max(a, b) = 2, so the learning rate is the fraction itself.
    lr = frac * 2 / np.linalg.eigvalsh(surface.hessian([0.0, 0.0])).max()
    assert js["lr"] == pytest.approx(lr, rel=1e-15)
    path = optimizer_path(surface, "sgd", 5000, start=LECTURE_START, learning_rate=lr)
    finite = int(np.all(np.isfinite(path), axis=1).sum())
    steps = steps_to_tolerance(path[:finite], (0.0, 0.0), 1e-3)
    if frac > 1.0:
        assert js["status"] == "diverged"
        assert js["steps"] == finite, "JS stops at the first iterate past 1e150, as paths.py"
        assert js["readout"].startswith("Diverged")
    elif steps is None:
        assert js["status"] == "budget" and js["steps"] == 5000
        assert "Did not reach" in js["readout"]
    else:
        assert js["status"] == "converged" and js["steps"] == steps
        assert f"in {steps:,} step" in js["readout"]
    # The drawn path starts with the true iterates (optim.run, parity-tested).
    head = np.array(js["path"][: min(len(js["path"]), 50)])
    np.testing.assert_allclose(head, path[: len(head)], rtol=1e-12, atol=1e-300)


def test_quadratic_long_runs_are_drawn_whole_and_thinned():
    (r,) = call_js([("quadratic_gd.js", "computeQuadratic",
                     [{"kappa": 1000.0, "lr_fraction": 0.5, "draw_steps": 500}])])
    assert r["status"] == "converged" and r["steps"] > 5000
    path = np.array(r["path"])
    assert len(path) < 3000, "the drawing is thinned"
    assert np.linalg.norm(path[-1]) <= 1e-3, "and still ends where the run reached tolerance"
    ref = optimizer_path(get_surface("quadratic", a=1e-3, b=1.0), "sgd", r["steps"],
                         start=LECTURE_START, learning_rate=0.5)
    np.testing.assert_allclose(path[-1], ref[-1], rtol=1e-9)


def test_sweep_closed_form_equals_the_iteration_for_every_slider_position():
    fractions = [0.05, 0.3, 0.5, 0.9, 0.99, 1.0, 1.01]
    calls = [(str(JS_HELPERS / "quadratic_sweep_check.mjs"), "compare", [f, 1e-3, 200000])
             for f in fractions]
    for f, mismatches in zip(fractions, call_js(calls)):
        assert mismatches == [], f"lr fraction {f}: {mismatches[:3]}"


def test_sweep_shows_steps_growing_with_kappa_against_torch():
    (curve,) = call_js([("quadratic_gd.js", "sweep", [0.5, 1e-3, 200000])])
    kappas = np.array([c["kappa"] for c in curve])
    steps = np.array([c["steps"] for c in curve])
    assert all(c["status"] == "converged" for c in curve)
    assert np.all(np.diff(steps[kappas >= 2]) >= 0)
    for k in (10.0, 100.0):
        i = int(np.flatnonzero(kappas == k)[0])
        ref = optimizer_path(get_surface("quadratic", a=1 / k, b=1.0), "sgd", 5000,
                             start=LECTURE_START, learning_rate=0.5)
        assert steps[i] == steps_to_tolerance(ref, (0.0, 0.0), 1e-3)

# ------------------------------------------------------------- SaddleNoise ----

def _critical_points(surface):
    if surface.name == "saddle":
        return [((0.0, 0.0), "saddle point"), ((0.0, 1.0), "minimum"), ((0.0, -1.0), "minimum")]
    roots = np.sort(np.roots([1.0, 0.0, -1.0, surface.params["tilt"]]).real)
    # Outer roots are minima (the global one is the deeper, left one), the middle a saddle.
    return [((roots[0], 0.0), "global minimum"), ((roots[1], 0.0), "saddle point"),
            ((roots[2], 0.0), "local minimum")]


SADDLE_SETTINGS = [("saddle", 16, 0.1, 0), ("saddle", 1, 0.2, 3), ("double_well", 1, 0.1, 0),
                   ("double_well", 64, 0.1, 5), ("double_well", None, 0.1, 0)]


@pytest.mark.parametrize("surface_name, batch, lr, seed", SADDLE_SETTINGS)
def test_saddle_noise_paths_and_readout_agree_with_torch(surface_name, batch, lr, seed):
    state = {"surface": surface_name, "batch_size": batch, "learning_rate": lr, "seed": seed,
             "noise_std": 1.5, "steps": 300}
    (js,) = call_js([("saddle_noise.js", "computeSaddleNoise", [state])])
    surface = get_surface(surface_name)
    start = (-1.5, 0.0) if surface_name == "saddle" else (1.8, 0.8)
    gd = optimizer_path(surface, "sgd", 300, start=start, learning_rate=lr)
    np.testing.assert_allclose(np.array(js["gd"]), gd, rtol=1e-12, atol=1e-300)
    crit = _critical_points(surface)

    def nearest(p):
        return min(crit, key=lambda c: np.hypot(p[0] - c[0][0], p[1] - c[0][1]))

    # Plain GD: stuck on the saddle's stable manifold, or in the double well's local minimum.
    expected = "saddle point" if surface_name == "saddle" else "local minimum"
    assert nearest(gd[-1])[1] == expected and js["gdEnd"]["kind"] == expected
    assert np.hypot(*(gd[-1] - np.array(nearest(gd[-1])[0]))) < 1e-4
    if batch is None:
        assert js["sgd"] is None and js["readout"].startswith("Full batch")
        return
    noise = np.array(js["noise"])
    assert js["std"] == pytest.approx(1.5 / np.sqrt(batch), rel=1e-15)
    (unit,) = call_js([("rng.js", "noiseArray", [seed, 300, 2, 1.0])])
    np.testing.assert_allclose(noise, js["std"] * np.array(unit), rtol=1e-15)
    sgd = optimizer_path(surface, "sgd", 300, start=start, noise=noise, learning_rate=lr)
    assert np.all(np.isfinite(sgd))
    diff = np.linalg.norm(np.array(js["sgd"]) - sgd, axis=1)
    assert np.all(diff <= 1e-12 * np.linalg.norm(sgd, axis=1)), diff.max()
    assert js["sgdEnd"]["kind"] == nearest(sgd[-1])[1]
    assert js["sgdEnd"]["loss"] == pytest.approx(surface.loss(sgd[-1]), rel=1e-9)
    assert f"batch {batch}" in js["readout"] and js["sgdEnd"]["text"] in js["readout"]


def test_saddle_noise_rejects_unknown_surface():
    with pytest.raises(JSError, match='unknown demo surface "bowl"; choose saddle or double_well'):
        call_js([("saddle_noise.js", "computeSaddleNoise",
                  [{"surface": "bowl", "batch_size": 1, "learning_rate": 0.1, "seed": 0}])])

# ----------------------------------------------------------- OptimizerRace ----

# Non-default values of every slider (lr scaled from the surface's preset so paths stay finite):
# a JS run that ignored or swapped a hyperparameter would leave torch's path.
def varied(preset):
    v = {"learning_rate": preset["learning_rate"] * 0.7}
    for key, value in {"momentum": 0.8, "decay_rate": 0.95, "beta1": 0.8, "beta2": 0.99,
                       "weight_decay": 0.05}.items():
        if key in preset:
            v[key] = value
    return v


@pytest.fixture(scope="module")
def race_meta():
    names = ["RACE_SURFACES", "PRESETS", "SLIDER_KEYS", "GRIDS", "TOL", "LABELS"]
    return dict(zip(names, call_js([("race.js", n, []) for n in names])))


RACE_CASES = [(surface, noise) for surface in ("quadratic", "saddle", "rosenbrock", "beale", "bumpy")
              for noise in (0.0, 0.3)]

# With exact gradients these paths amplify rounding: the JS and torch gradients differ by
# rounding (V8's vs glibc's sin, cancellation inside Rosenbrock's and Beale's formulas, ~1e-15),
# and RMSProp (normalising gradients that cancel near a minimum or across a narrow valley) or
# Adam among the ripples turn that into differences far above 1e-12. No second implementation
# can meet the bar end to end there; these are checked at the rule level instead (the JS rule
# fed torch's gradients), and test_race_ill_conditioned_set_is_exactly_these proves the list.
ILL_CONDITIONED_RACE = {(s, "rmsprop") for s in ("quadratic", "saddle", "rosenbrock", "beale", "bumpy")}
ILL_CONDITIONED_RACE |= {("bumpy", "adam"), ("bumpy", "adamw")}


@pytest.fixture(scope="module")
def race_runs(race_meta):
    calls = []
    for surface, noise in RACE_CASES:
        hyper = {n: varied(race_meta["PRESETS"][surface][n]) for n in SEVEN}
        calls.append(("race.js", "computeRace", [{"surface": surface, "enabled": SEVEN, "hyper": hyper,
                                                  "noise_std": noise, "seed": 11, "steps": STEPS}]))
    return call_js(calls)


@pytest.mark.parametrize("index", range(len(RACE_CASES)),
                         ids=[f"{s}-noise{n}" for s, n in RACE_CASES])
def test_race_paths_match_torch_optim_for_every_optimizer_at_varied_settings(
        race_meta, race_runs, index):
    surface, noise_std = RACE_CASES[index]
    r = race_runs[index]
    noise = None
    if noise_std:
        noise = np.array(r["noise"])
        (unit,) = call_js([("rng.js", "noiseArray", [11, STEPS, 2, 1.0])])
        np.testing.assert_array_equal(noise, noise_std * np.array(unit))
    assert [res["name"] for res in r["results"]] == SEVEN
    minima = np.array(race_meta["RACE_SURFACES"][surface]["minima"])
    s = get_surface(surface)
    star = s.loss(minima[0])
    for res in r["results"]:
        name, hyper = res["name"], res["hyper"]
        # The run used the preset overridden by the varied values, epsilon at its default.
        assert hyper == {**paths.DEFAULTS[name], **varied(race_meta["PRESETS"][surface][name]),
                         **({"bias_correction": True} if name.startswith("adam") else {})}
        ref = torch_path(surface, name, hyper, STEPS, noise=noise)
        finite = ref[np.all(np.isfinite(ref), axis=1)]
        assert len(finite) == STEPS + 1, f"{name}: choose settings that keep this path finite"
        measured = finite  # the path the readout's figures are re-measured on
        if noise is None and (surface, name) in ILL_CONDITIONED_RACE:
            js = np.array(_rule_level(surface, name, hyper))
            measured = np.array(res["path"])
        else:
            js = np.array(res["path"])
        err = rel_error_per_iterate(js, finite)
        assert err <= RTOL, f"{surface} {name}: max relative difference {err:.2e}"
        # The readout's figures, measured in Python.
        gap = np.array([s.loss(w) for w in measured]) - star
        np.testing.assert_allclose(res["gap"], gap, rtol=1e-9, atol=1e-12)
        hits = [paths.steps_to_tolerance(measured, m, race_meta["TOL"]) for m in minima]
        hits = [h for h in hits if h is not None]
        assert res["reached"] == (min(hits) if hits else None), name
        assert res["diverged"] is False


def _rule_level(surface, name, hyper):
    """The JS rule with the race's hyperparameters, fed the gradients torch's path used."""
    s = get_surface(surface)
    w = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
    opt = paths.make_torch_optimizer(name, [w], **{k: v for k, v in hyper.items()
                                                   if k != "bias_correction"})
    grads = []
    for _ in range(STEPS):
        opt.zero_grad()
        s.loss_torch(w).backward()
        grads.append(w.grad.numpy().copy())
        opt.step()
    return call_js([(str(JS_HELPERS / "rule_steps.mjs"), "trajectory", [name, hyper, list(s.start), grads])])[0]


def test_race_ill_conditioned_set_is_exactly_these(race_meta):
    """Perturbing each gradient by 1e-15 (the size of the rounding differences above) moves
    torch's own exact-gradient path past 1e-13 on exactly the listed settings, and nowhere else,
    so every other race path is held to 1e-12 end to end."""
    jitter = np.random.default_rng(0).normal(scale=1e-15, size=(STEPS, 2))
    sensitive = set()
    for surface in race_meta["RACE_SURFACES"]:
        for name in SEVEN:
            hyper = {**paths.DEFAULTS[name], **varied(race_meta["PRESETS"][surface][name])}
            ref = torch_path(surface, name, hyper, STEPS)
            moved = rel_error_per_iterate(torch_path(surface, name, hyper, STEPS, noise=jitter), ref)
            if moved > 1e-13:
                sensitive.add((surface, name))
    assert sensitive == ILL_CONDITIONED_RACE


def test_race_reports_divergence_where_torch_diverges():
    hyper = {"sgd": {"learning_rate": 2.0}, "momentum": {"learning_rate": 0.05}}
    state = {"surface": "rosenbrock", "enabled": ["sgd", "momentum"], "hyper": hyper, "steps": STEPS}
    (r,) = call_js([("race.js", "computeRace", [state])])
    sgd, mom = r["results"]
    ref = torch_path("rosenbrock", "sgd", {"learning_rate": 2.0}, STEPS)
    finite = ref[np.all(np.isfinite(ref), axis=1)]
    assert sgd["diverged"] and len(sgd["path"]) == len(finite) < STEPS + 1
    assert mom["diverged"]
    assert "Diverged: SGD (at step" in r["readout"] and "lower its learning rate" in r["readout"]


def test_race_recomputes_only_the_optimizer_whose_inputs_changed():
    """raceComputer's memo: after a change to one optimizer's slider, the other optimizers'
    results are the very same objects, and everything equals a fresh computation."""
    (report,) = call_js([(str(JS_HELPERS / "race_memo.mjs"), "memoReport", [])])
    for step in report:
        assert step["equalsFresh"], step
        assert step["recomputed"] == step["expected"], step


def test_race_presets_keep_every_optimizer_finite_and_improving(race_meta):
    """The race as the reader first sees each surface: no preset diverges or ends higher than
    it started (on the bumpy bowl some presets are meant to stop in a ripple's local minimum)."""
    calls = [("race.js", "computeRace", [{"surface": s, "enabled": SEVEN, "steps": STEPS}])
             for s in race_meta["RACE_SURFACES"]]
    for surface, r in zip(race_meta["RACE_SURFACES"], call_js(calls)):
        for res in r["results"]:
            assert not res["diverged"], (surface, res["name"])
            assert res["gap"][-1] < res["gap"][0], (surface, res["name"], res["gap"][-1])


def test_race_presets_sit_on_the_sliders_and_cover_every_slider(race_meta):
    for surface, presets in race_meta["PRESETS"].items():
        assert sorted(presets) == sorted(SEVEN), surface
        for name, preset in presets.items():
            assert sorted(preset) == sorted(race_meta["SLIDER_KEYS"][name]), (surface, name)
            for key, value in preset.items():
                assert value in race_meta["GRIDS"][key], (surface, name, key, value)


def test_race_rejects_bad_input_with_clear_messages():
    base = {"surface": "quadratic", "enabled": ["adam"], "steps": 10}
    with pytest.raises(JSError, match='unknown race surface "bowl"; choose one of quadratic'):
        call_js([("race.js", "computeRace", [{**base, "surface": "bowl"}])])
    with pytest.raises(JSError, match='"epsilon" is not a slider of Adam; it has learning_rate, beta1'):
        call_js([("race.js", "computeRace", [{**base, "hyper": {"adam": {"epsilon": 1e-3}}}])])
    with pytest.raises(JSError, match="learning_rate must be a finite number"):
        call_js([("race.js", "computeRace", [{**base, "hyper": {"adam": {"learning_rate": "x"}}}])])

# ------------------------------------------------------------- MomentumRho ----

RHO_CASES = [(0.9, 0.1), (0.0, 0.1), (0.5, 0.3), (0.95, 0.1), (0.99, 0.5), (0.3, 1.4)]


@pytest.fixture(scope="module")
def rho_runs():
    return call_js([("momentum_rho.js", "computeMomentumRho",
                     [{"rho": rho, "learning_rate": lr, "steps": 300, "max_steps": 6000}])
                    for rho, lr in RHO_CASES])


@pytest.mark.parametrize("index", range(len(RHO_CASES)), ids=[f"rho{r}-lr{a}" for r, a in RHO_CASES])
def test_momentum_rho_paths_and_readout_match_torch(rho_runs, index):
    rho, lr = RHO_CASES[index]
    r = rho_runs[index]
    for key, name, hyper in (("momPath", "momentum", {"learning_rate": lr, "momentum": rho}),
                             ("sgdPath", "sgd", {"learning_rate": lr})):
        ref = torch_path("quadratic", name, hyper, 300)
        finite = ref[np.all(np.isfinite(ref), axis=1)]
        js = np.array(r[key])
        assert len(js) == len(finite), key
        assert rel_error_per_iterate(js, finite) <= (RTOL if len(finite) == 301 else 1e-9), key
    for key, name, hyper in (("momentum", "momentum", {"learning_rate": lr, "momentum": rho}),
                             ("sgd", "sgd", {"learning_rate": lr})):
        ref = torch_path("quadratic", name, hyper, 6000)
        finite = ref[np.all(np.isfinite(ref), axis=1)]
        got = r[key]
        if len(finite) < len(ref):
            assert got["status"] == "diverged" and got["steps"] == len(finite)
            continue
        k = paths.steps_to_tolerance(finite, (0.0, 0.0), 1e-3)
        if k is None:
            assert got["status"] == "budget" and got["steps"] == 6000
        else:
            assert got["status"] == "converged" and got["steps"] == k
        upto = finite[: got["steps"] + 1]
        assert got["overshoot"] == pytest.approx(overshoot(upto), rel=1e-12, abs=1e-15)
        by_coord = np.clip((-np.sign(upto[0]) * upto).max(axis=0), 0, None) / np.abs(upto[0])
        np.testing.assert_allclose(got["overshootByCoord"], by_coord, rtol=1e-12, atol=1e-15)


def test_momentum_rho_overshoot_is_the_chapter_figure():
    """The readout's overshoot is what chapter 2's figure measures (3000 torch steps)."""
    rhos = (0.5, 0.8, 0.9, 0.95)
    ref = ex_momentum.overshoot_by_rho(rhos=rhos, lr=0.1, steps=3000)["overshoot"]
    js = call_js([("momentum_rho.js", "computeMomentumRho", [{"rho": r, "learning_rate": 0.1}])
                  for r in rhos])
    np.testing.assert_allclose([j["momentum"]["overshoot"] for j in js], ref, rtol=1e-12)
    assert "overshoot 71% in w2" in js[2]["readout"] and "at step 119" in js[2]["readout"]


# ------------------------------------------------------ AdamBiasCorrection ----

BIAS_CASES = [("quadratic", 0.9, 0.999, 0.1), ("rosenbrock", 0.8, 0.99, 0.01),
              ("beale", 0.0, 0.999, 0.05), ("bumpy", 0.95, 0.9999, 0.2)]


@pytest.mark.parametrize("problem, b1, b2, lr", BIAS_CASES)
def test_adam_bias_steps_match_torch_adam_and_its_state(problem, b1, b2, lr):
    """With correction on, the taken steps are torch.optim.Adam's; the uncorrected candidate is
    lr * m / (sqrt(v) + eps) from torch's own exp_avg and exp_avg_sq (as chapter 3's figure)."""
    T = 60
    (r,) = call_js([("adam_bias.js", "computeBias", [{"problem": problem, "bias_correction": True,
                                                      "beta1": b1, "beta2": b2, "learning_rate": lr,
                                                      "steps": T}])])
    s = get_surface(problem)
    w = torch.tensor(s.start, dtype=torch.float64, requires_grad=True)
    opt = paths.make_torch_optimizer("adam", [w], learning_rate=lr, beta1=b1, beta2=b2)
    steps, unc = [], []
    for _ in range(T):
        before = w.detach().clone()
        opt.zero_grad()
        s.loss_torch(w).backward()
        opt.step()
        steps.append((w.detach() - before).numpy())
        st = opt.state[w]
        m, v = st["exp_avg"].numpy(), st["exp_avg_sq"].numpy()
        unc.append(np.linalg.norm(lr * m / (np.sqrt(v) + 1e-8)))
    steps = np.array(steps)
    # torch accumulates w, so its steps carry cancellation error ~ |w| 1e-16 / |step|.
    np.testing.assert_allclose(np.array(r["taken"]), steps, rtol=1e-11, atol=0)
    np.testing.assert_allclose(r["corrected"], np.linalg.norm(steps, axis=1), rtol=1e-11)
    np.testing.assert_allclose(r["uncorrected"], unc, rtol=1e-12)
    np.testing.assert_allclose(np.array(r["path"]), torch_path(problem, "adam", {
        "learning_rate": lr, "beta1": b1, "beta2": b2}, T), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("b1, b2", [(0.9, 0.999), (0.0, 0.999), (0.8, 0.99), (0.9, 0.9999)])
def test_adam_bias_ratio_is_the_closed_form_factor(b1, b2):
    T = 200
    (r,) = call_js([("adam_bias.js", "computeBias", [{"problem": "quadratic", "bias_correction": False,
                                                      "beta1": b1, "beta2": b2, "learning_rate": 0.01,
                                                      "steps": T}])])
    t = np.arange(1, T + 1)
    theory = (1 - b1**t) / np.sqrt(1 - b2**t)
    # b2^t rounds differently in V8 and numpy; 1 - b2^t cancels by up to ~1e4 for b2 = 0.9999.
    np.testing.assert_allclose(r["theory"], theory, rtol=1e-11)
    # eps = 1e-8 against sqrt(v) >= ~1e-3 here: the measured ratio is the factor to ~1e-5.
    np.testing.assert_allclose(r["ratio"], theory, rtol=1e-4)
    assert r["theoryPeak"] == {"t": int(np.argmax(theory)) + 1, "ratio": pytest.approx(theory.max())}
    assert r["peak"]["t"] == r["theoryPeak"]["t"]
    if (b1, b2) == (0.9, 0.999):
        assert r["peak"]["t"] == 12 and r["ratio"][0] == pytest.approx(np.sqrt(10), rel=1e-5)
        assert "3.16× the corrected one" in r["readout"] and "6.57× at t = 12" in r["readout"]


def test_adam_bias_off_path_is_optim_js_adam_without_correction():
    h = {"learning_rate": 0.05, "beta1": 0.9, "beta2": 0.999}
    off = {**h, "bias_correction": False}
    (r, ref) = call_js([("adam_bias.js", "computeBias", [{"problem": "beale", "steps": 80, **off}]),
                        ("optim.js", "run", ["beale", {}, "adam", off, None, 80])])
    assert r["path"] == ref
    np.testing.assert_allclose(np.array(r["taken"]), np.diff(np.array(ref), axis=0),
                               rtol=1e-12, atol=1e-15)


# -------------------------------------------------------- AdagradVsRmsprop ----

EFF_CASES = [("saddle", 0.01, 0.99, 0.1), ("quadratic", 0.1, 0.9, 0.0), ("bowl", 0.03, 0.999, 1.0),
             ("saddle", 0.05, 0.5, 0.5)]
SETUP_REF = {"saddle": ("saddle", {}, (-1.5, 0.0)), "quadratic": ("quadratic", {}, LECTURE_START),
             "bowl": ("quadratic", {"a": 1.0, "b": 1.0}, (1.0, 1.0))}


@pytest.mark.parametrize("setup, lr, decay, noise_std", EFF_CASES)
def test_effective_steps_and_paths_match_torch_state(setup, lr, decay, noise_std):
    T = 400
    (r,) = call_js([("adagrad_rmsprop.js", "computeEffectiveSteps",
                     [{"setup": setup, "learning_rate": lr, "decay_rate": decay,
                       "noise_std": noise_std, "seed": 5, "steps": T}])])
    surface_name, params, start = SETUP_REF[setup]
    s = get_surface(surface_name, **params)
    noise = np.array(r["noise"]) if noise_std else None
    if noise_std:
        (unit,) = call_js([("rng.js", "noiseArray", [5, T, 2, 1.0])])
        np.testing.assert_array_equal(noise, noise_std * np.array(unit))
    for name, hyper, key in (("adagrad", {"learning_rate": lr}, "sum"),
                             ("rmsprop", {"learning_rate": lr, "decay_rate": decay}, "square_avg")):
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = paths.make_torch_optimizer(name, [w], **hyper)
        path, eff = [np.array(start)], []
        for k in range(T):
            opt.zero_grad()
            s.loss_torch(w).backward()
            if noise is not None:
                w.grad += torch.as_tensor(noise[k])
            opt.step()
            path.append(w.detach().numpy().copy())
            eff.append((lr / (opt.state[w][key].sqrt() + 1e-8)).numpy())
        js = r["runs"][name]
        assert not js["diverged"]
        assert rel_error_per_iterate(np.array(js["path"]), np.array(path)) <= RTOL, name
        np.testing.assert_allclose(np.array(js["effective"]), np.array(eff), rtol=1e-12, atol=0)
        assert js["finalLoss"] == pytest.approx(s.loss(path[-1]), rel=1e-9, abs=1e-12)
        # The readout's slope: least squares on log-log over the second half.
        g = np.sqrt(np.prod(np.array(eff), axis=1))
        t = np.arange(1, T + 1)
        half = t >= T // 2
        slope = np.polyfit(np.log(t[half]), np.log(g[half]), 1)[0]
        assert js["slope"] == pytest.approx(slope, rel=1e-8, abs=1e-10)
    # AdaGrad's effective step never grows: its cache is a sum.
    ada = np.array(r["runs"]["adagrad"]["effective"])
    assert np.all(np.diff(ada, axis=0) <= 0)


def test_effective_steps_readout_says_adagrad_stalls_and_rmsprop_settles():
    (r,) = call_js([("adagrad_rmsprop.js", "computeEffectiveSteps",
                     [{"setup": "saddle", "learning_rate": 0.01, "decay_rate": 0.99,
                       "noise_std": 0.1, "seed": 0, "steps": 2000}])])
    assert r["runs"]["adagrad"]["slope"] < -0.3 and abs(r["runs"]["rmsprop"]["slope"]) < 0.05
    text = r["readout"]
    assert "AdaGrad" in text and "still shrinking" in text and "settled" in text
    # RMSProp reaches a minimum of the saddle surface (-0.25); AdaGrad is still on its way.
    assert r["runs"]["rmsprop"]["finalLoss"] < -0.24 < r["runs"]["adagrad"]["finalLoss"]


# ---------------------------------------------------- at the book's defaults ----

def test_optimizer_demos_make_their_point_at_their_defaults():
    """At the defaults each readout makes its demo's point (numbers checked against torch
    above)."""
    widgets = (OptimizerRace(), MomentumRho(), AdamBiasCorrection(), AdagradVsRmsprop())
    race, rho, bias, eff = call_js([compute_call(w) for w in widgets])
    assert not any(r["diverged"] for r in race["results"]) and len(race["results"]) == 4
    assert rho["momentum"]["overshoot"] > 0.5 > rho["sgd"]["overshoot"] == 0
    assert rho["momentum"]["steps"] < rho["sgd"]["steps"] / 10
    assert bias["peak"]["t"] == 12 and bias["ratio"][0] == pytest.approx(10 ** 0.5, rel=1e-5)
    assert eff["runs"]["adagrad"]["slope"] < -0.3 and abs(eff["runs"]["rmsprop"]["slope"]) < 0.05


# -------------------------------------------------------- ScheduleComposer ----

SCHEDULE_JS = "schedule_composer.js"
SCHEDULE_CASES = [  # (schedule, total, warmup, milestone fractions)
    (s, total, warmup, fr)
    for s in ex_schedules.SCHEDULES for total, warmup in ((40, 0), (48, 8), (121, 1), (800, 100))
    for fr in ((0.5, 0.75), (0.3, 0.6, 0.9))
    if not (s == "cyclic" and (total - warmup) % 4) and (s == "step" or fr == (0.5, 0.75))
]


def _js_schedules(base_lr=0.1):
    calls = [(SCHEDULE_JS, "lrSchedule", [{"schedule": s, "base_lr": base_lr, "total": total, "warmup": w,
                                  "milestones": list(fr)}]) for s, total, w, fr in SCHEDULE_CASES]
    return [np.array(list(r.values()) if isinstance(r, dict) else r) for r in call_js(calls)]


def test_js_schedules_equal_torch_schedulers_at_every_step():
    worst = 0.0
    for (s, total, w, fr), js in zip(SCHEDULE_CASES, _js_schedules()):
        ref = ex_schedules.lr_curve(s, 0.1, total, warmup_steps=w, milestones=fr)
        assert js.shape == ref.shape, (s, total, w)
        err = np.max(np.abs(js - ref)) / 0.1
        worst = max(worst, err)
        assert err < 1e-12, f"{s}, total {total}, warm-up {w}, milestones {fr}: {err:.1e}"
    assert worst < 1e-12


def test_js_refuses_an_unknown_schedule_and_a_warmup_as_long_as_the_run():
    with pytest.raises(JSError, match="unknown schedule"):
        call_js([(SCHEDULE_JS, "lrSchedule", [{"schedule": "cosin", "base_lr": 0.1, "total": 10}])])
    with pytest.raises(JSError, match="warmup < total"):
        call_js([(SCHEDULE_JS, "lrSchedule", [{"schedule": "cosine", "base_lr": 0.1, "total": 10,
                                      "warmup": 10}])])


def _torch_run(lrs, noise, start, c, q):
    """The demo's run with torch.optim.SGD and the same noise draws."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lrs[0])
    c, losses, path = torch.tensor(c, dtype=torch.float64), [], [w.detach().numpy().copy()]
    for t, lr in enumerate(lrs):
        opt.param_groups[0]["lr"] = lr
        opt.zero_grad()
        loss = (c * w**2 / 2 + q * w**4 / 4).sum()
        losses.append(loss.item())
        loss.backward()
        w.grad += torch.tensor(noise[t], dtype=torch.float64)
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(losses), np.array(path)


@pytest.mark.parametrize("state", [
    {"schedule": "step", "batch_scale": 1, "warmup_steps": 0},
    {"schedule": "cosine", "batch_scale": 4, "warmup_steps": 50},
    {"schedule": "cyclic", "batch_scale": 2, "warmup_steps": 25},
], ids=lambda s: f"{s['schedule']}-x{s['batch_scale']}")
def test_js_sgd_run_equals_torch_sgd_with_the_same_noise(state):
    full = {"base_lr": 0.05, "milestones": "50%, 75%", "total_steps": 400, "noise_std": 1.0,
            "seed": 3, **state}
    r, problem = call_js([(SCHEDULE_JS, "computeComposer", [full]), (SCHEDULE_JS, "PROBLEM", [])])
    steps = len(r["lr"])
    std = 1.0 / np.sqrt(full["batch_scale"])
    (noise,) = call_js([("rng.js", "noiseArray", [3, steps, 2, std])])
    losses, path = _torch_run(r["lr"], noise, problem["start"], problem["c"], problem["q"])
    assert not r["diverged"]
    np.testing.assert_allclose(np.array(r["path"]), path, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(r["loss"][:-1], losses, rtol=1e-9, atol=1e-12)


def _composer(**over):
    state = {"schedule": "step", "base_lr": 0.05, "warmup_steps": 0, "milestones": "50%, 75%",
             "total_steps": 800, "batch_scale": 1, "noise_std": 1.0, "seed": 0, **over}
    return call_js([(SCHEDULE_JS, "computeComposer", [state])])[0]


def test_a_decay_shrinks_the_noise_ball_the_reader_sees():
    step, const = _composer(), _composer(schedule="constant")
    assert step["finalLoss"] < const["finalLoss"] / 3
    assert step["refLoss"] == pytest.approx(const["finalLoss"])


def test_the_linear_scaling_rule_breaks_without_warmup_and_holds_with_it():
    assert not _composer(batch_scale=4)["diverged"]
    no_warm, warm = _composer(batch_scale=8), _composer(batch_scale=8, warmup_steps=100)
    assert no_warm["diverged"] and "add a warm-up" in no_warm["readout"]
    assert not warm["diverged"] and warm["finalLoss"] < 0.01


def test_the_composer_offers_the_schedules_of_the_chapter():
    from trainlab.widgets import ScheduleComposer

    assert ScheduleComposer.CHOICES["schedule"] == ex_schedules.SCHEDULES


# -------------------------------------------------------------- EmaAverage ----

EMA_JS = "ema_average.js"


@pytest.mark.parametrize("copy_first", [True, False])
@pytest.mark.parametrize("decay", [0.5, 0.95, 0.995])
def test_js_average_equals_torch_averaged_model_on_the_same_iterates(decay, copy_first):
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

    state = {"decay": decay, "learning_rate": 0.5, "noise_std": 1.0, "steps": 200,
             "copy_first": copy_first, "seed": 5}
    r, curv, start = call_js([(EMA_JS, "computeEma", [state]), (EMA_JS, "CURVATURES", []),
                              (EMA_JS, "START", [])])
    (noise,) = call_js([("rng.js", "noiseArray", [5, 200, 2, 1.0])])
    # the iterates: torch.optim.SGD with the same noise
    w = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.5)
    model = torch.nn.Module()
    model.w = w
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay))
    if not copy_first:  # count the initial weights as the first update: the average starts there
        ema.update_parameters(model)
    c = torch.tensor(curv, dtype=torch.float64)
    path, avg = [w.detach().numpy().copy()], [start]
    for t in range(200):
        opt.zero_grad()
        (c * w**2 / 2).sum().backward()
        w.grad += torch.tensor(noise[t], dtype=torch.float64)
        opt.step()
        ema.update_parameters(model)
        path.append(w.detach().numpy().copy())
        avg.append(ema.module.w.detach().numpy().copy())
    np.testing.assert_allclose(np.array(r["path"]), path, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(np.array(r["avgPath"]), np.array(avg), rtol=1e-10, atol=1e-13)


def test_js_ema_update_is_get_ema_multi_avg_fn():
    from torch.optim.swa_utils import get_ema_multi_avg_fn

    rng = np.random.default_rng(0)
    avg, new = [rng.normal(size=3), rng.normal(size=2)], [rng.normal(size=3), rng.normal(size=2)]
    (js,) = call_js([(EMA_JS, "emaUpdate", [avg, new, 0.9])])
    ref = [torch.tensor(a) for a in avg]
    get_ema_multi_avg_fn(0.9)(ref, [torch.tensor(p) for p in new], torch.tensor(1))
    for a, b in zip(js, ref):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-14)


def test_the_average_sits_far_closer_to_the_minimum_than_the_iterate():
    w = EmaAverage()
    state = {k: getattr(w, k) for k in ("decay", "learning_rate", "noise_std", "steps",
                                        "copy_first", "seed")}
    (r,) = call_js([(EMA_JS, "computeEma", [state])])
    assert r["late"]["average"] < r["late"]["iterate"] / 4
    (slow,) = call_js([(EMA_JS, "computeEma", [{**state, "decay": 0.99, "copy_first": False}])])
    assert "gives them weight" in slow["readout"]


# -------------------------------------------------------------- NewtonVsGD ----

# Agreement of the second-order demos with the Python references (the iterates divide by
# curvatures, so rounding grows faster than on first-order paths).
SECOND_ORDER_RTOL = 1e-9

NEWTON_CASES = [("quadratic", {"a": 1 / 30, "b": 1.0}, LECTURE_START),
                ("quadratic", {"a": 1e-3, "b": 1.0}, LECTURE_START),
                ("rosenbrock", {}, (-1.2, 1.0)),
                ("saddle", {}, (-1.5, 0.3)),
                ("saddle", {}, (-1.5, 0.8))]


@pytest.mark.parametrize("surface, params, start", NEWTON_CASES)
def test_newton_js_matches_the_python_reference(surface, params, start):
    (js,) = call_js([("newton_gd.js", "newtonPath", [surface, params, list(start), 8])])
    py = ex_second_order.newton_on_surface(surface, start=start, steps=8, **params)
    assert rel_err(js, py) < SECOND_ORDER_RTOL


@pytest.mark.parametrize("surface, params, lr, start", [
    ("quadratic", {"a": 1 / 30, "b": 1.0}, 2 / (2 / 30 + 2), LECTURE_START),
    ("rosenbrock", {}, 1e-3, (-1.2, 1.0)), ("saddle", {}, 0.2, (-1.5, 0.3))])
def test_newton_demo_gradient_descent_is_torch_sgd_stopped_at_the_tolerance(surface, params, lr,
                                                                             start):
    (js,) = call_js([("newton_gd.js", "gdPath", [surface, params, lr, list(start), 3000])])
    py = optimizer_path(get_surface(surface, **params), "sgd", len(js) - 1, start=start,
                        learning_rate=lr)
    assert rel_err(js, py) < SECOND_ORDER_RTOL
    assert len(js) == 3001 or surface != "rosenbrock", "Rosenbrock: the whole budget"


def test_newton_demo_reports_one_step_on_the_quadratic_and_the_saddle_attraction():
    quad, saddle, escape = call_js([
        ("newton_gd.js", "computeNewtonGD", [{"surface": "quadratic", "kappa": 1000}]),
        ("newton_gd.js", "computeNewtonGD", [{"surface": "saddle", "start_w2": 0.3}]),
        ("newton_gd.js", "computeNewtonGD", [{"surface": "saddle", "start_w2": 0.8}]),
    ])
    assert quad["newtonEnd"]["steps"] == 1 and quad["gdEnd"]["steps"] > 1000
    assert "1 step" in quad["readout"]
    assert saddle["newtonEnd"]["what"] == "the saddle point"
    assert saddle["gdEnd"]["what"] == "a minimum"
    assert escape["newtonEnd"]["what"] == "a minimum"


def test_newton_demo_rejects_an_unknown_surface():
    with pytest.raises(JSError, match="unknown demo surface"):
        call_js([("newton_gd.js", "computeNewtonGD", [{"surface": "beale"}])])


# -------------------------------------------------------------- LbfgsNoise ----

LBFGS_CASES = [(surface, m, std) for surface in ("rosenbrock", "quadratic")
               for m in (1, 3, 10) for std in (0.0, 0.1, 1.0)]


@pytest.fixture(scope="module")
def lbfgs_js():
    steps = 120
    calls = []
    for surface, m, std in LBFGS_CASES:
        calls.append(("rng.js", "noiseArray", [7, steps, 2, std]))
        calls.append(("lbfgs_noise.js", "computeLbfgsNoise",
                      [{"surface": surface, "history_size": m, "noise_std": std, "seed": 7,
                        "steps": steps}]))
    out = call_js(calls)
    return steps, {case: (out[2 * i], out[2 * i + 1]) for i, case in enumerate(LBFGS_CASES)}


@pytest.mark.parametrize("surface, m, std", LBFGS_CASES)
def test_lbfgs_js_follows_torch_optim_lbfgs(lbfgs_js, surface, m, std):
    steps, results = lbfgs_js
    noise, r = results[(surface, m, std)]
    py = ex_second_order.lbfgs_path(surface, steps, history_size=m,
                       noise=np.asarray(noise) if std > 0 else None)
    agree, n_js, n_py = agreeing_steps(r["lbfgs"], py)
    if surface == "quadratic" and std == 0:
        assert agree == n_js == n_py == steps + 1, "the whole path, step for step"
    else:
        # Without a line search L-BFGS amplifies last-bit differences between the two gradients
        # (hand-written in JS, autograd in torch): on Rosenbrock's valley and with noise (tiny
        # y.s, huge rho) the paths agree to 1e-9 for 15 to 60 steps, then separate, the way two
        # torch runs whose gradients differ by rounding do. Each must agree for a long stretch.
        assert agree >= 15, f"JS left torch's path after {agree} steps"
    if std == 0 and m >= 3:  # a one-pair history has not converged within 120 steps
        target = {"rosenbrock": (1, 1), "quadratic": (0, 0)}[surface]
        assert np.linalg.norm(np.asarray(r["lbfgs"])[-1] - target) < 1e-5
        assert np.linalg.norm(py[-1] - target) < 1e-5, "same outcome as torch"


def test_lbfgs_noise_breaks_the_full_batch_result(lbfgs_js):
    _, results = lbfgs_js
    for surface, target in (("rosenbrock", (1, 1)), ("quadratic", (0, 0))):
        clean = np.asarray(results[(surface, 10, 0.0)][1]["lbfgs"])
        noisy = np.asarray(results[(surface, 10, 1.0)][1]["lbfgs"])
        assert np.linalg.norm(clean[-1] - target) < 1e-5
        assert np.linalg.norm(noisy[-1] - target) > 1e-2


def test_lbfgs_demo_rejects_a_bad_history_size():
    with pytest.raises(JSError, match="history size"):
        call_js([("lbfgs_noise.js", "lbfgsPath", ["quadratic", {}, 0, None, 5])])


# -------------------------------------------------- AugmentationPlayground ----

MOD = "augment_playground.js"
GREY = np.array([0.299, 0.587, 0.114])


def photo_pixels(size):
    """The widget's own photographs decoded back to RGBA bytes."""
    from PIL import Image

    w = AugmentationPlayground(size=size)
    out = []
    for url in (w._photo_a, w._photo_b):
        img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA")
        out.append(np.asarray(img, dtype=np.uint8))
    return out


def reference(p, a, b, size):
    """numpy version of applyParams: bilinear crop (+ flip), Mixup, brightness, contrast,
    saturation, PCA shift, Cutout, rounded to bytes."""
    a, b = a[..., :3] / 255.0, b[..., :3] / 255.0
    scale = p["side"] / size
    idx = np.arange(size)
    jj = size - 1 - idx if p["flip"] else idx
    y = p["top"] + (idx + 0.5) * scale - 0.5
    x = p["left"] + (jj + 0.5) * scale - 0.5
    y0 = np.clip(np.floor(y), 0, size - 1).astype(int); y1 = np.minimum(size - 1, y0 + 1)
    x0 = np.clip(np.floor(x), 0, size - 1).astype(int); x1 = np.minimum(size - 1, x0 + 1)
    fy = np.clip(y - y0, 0, 1)[:, None, None]; fx = np.clip(x - x0, 0, 1)[None, :, None]
    v = ((1 - fy) * (1 - fx) * a[y0][:, x0] + (1 - fy) * fx * a[y0][:, x1]
         + fy * (1 - fx) * a[y1][:, x0] + fy * fx * a[y1][:, x1])
    if p["lam"] < 1:
        v = p["lam"] * v + (1 - p["lam"]) * b
    v = v * p["brightness"]
    m = (v @ GREY).mean()
    v = (v - m) * p["contrast"] + m
    g = (v @ GREY)[..., None]
    pix = a.reshape(-1, 3)
    lam, vecs = np.linalg.eigh(np.cov(pix, rowvar=False))
    vecs = vecs * np.sign(vecs.sum(0))
    v = (v - g) * p["saturation"] + g + vecs @ (np.array(p["alpha"]) * np.sqrt(lam))
    out = np.round(255 * np.clip(v, 0, 1))
    if p.get("cutout"):
        c = p["cutout"]
        out[max(0, c["ci"] - c["size"] // 2):c["ci"] - c["size"] // 2 + c["size"],
            max(0, c["cj"] - c["size"] // 2):c["cj"] - c["size"] // 2 + c["size"]] = 0
    return out


@pytest.mark.parametrize("params", [
    {"side": 256, "top": 0, "left": 0, "flip": False, "lam": 1, "brightness": 1, "contrast": 1,
     "saturation": 1, "alpha": [0, 0, 0]},
    {"side": 128, "top": 40, "left": 100, "flip": True, "lam": 1, "brightness": 1.2,
     "contrast": 0.7, "saturation": 1.3, "alpha": [0.1, -0.2, 0.15]},
    {"side": 200, "top": 56, "left": 0, "flip": False, "lam": 0.3, "brightness": 0.8,
     "contrast": 1.3, "saturation": 0.6, "alpha": [-0.1, 0.05, 0.3],
     "cutout": {"size": 60, "ci": 5, "cj": 250}},
], ids=["identity", "crop-flip-colour", "mixup-cutout-at-corner"])
def test_pixels_match_numpy(params):
    size = 256
    a, b = photo_pixels(size)
    (r,) = call_js([(MOD, "augmentPlain", [{}, a.ravel(), b.ravel(), size, params])])
    got = np.array(r["pixels"]).reshape(size, size, 4)
    want = reference(params, a, b, size)
    assert np.all(got[..., 3] == 255)
    diff = np.abs(got[..., :3] - want)
    assert diff.max() <= 1, f"max byte difference {diff.max()} (rounding allows 1)"
    if params.get("cutout"):  # clipped at the top-right corner: rows 0..34, columns 220..255
        assert np.all(got[:35, 220:, :3] == 0) and np.any(got[35, 220:, :3] > 0)


def test_pca_eigenvectors_and_shift_match_numpy_and_the_book():
    size = 256
    a, b = photo_pixels(size)
    params = {"side": 256, "top": 0, "left": 0, "flip": False, "lam": 1, "brightness": 1,
              "contrast": 1, "saturation": 1, "alpha": [0.1, -0.05, 0.2]}
    (r,) = call_js([(MOD, "augmentPlain", [{}, a.ravel(), b.ravel(), size, params])])
    lam, vecs = np.linalg.eigh(np.cov(a[..., :3].reshape(-1, 3) / 255.0, rowvar=False))
    np.testing.assert_allclose(r["pca"]["values"], lam, rtol=1e-6)
    np.testing.assert_allclose(r["pca"]["vectors"], vecs * np.sign(vecs.sum(0)), atol=1e-6)
    # The same shift, sign convention included, as the book's pca_colour.
    img = (a[..., :3] / 255.0).astype(np.float32)

    class FixedAlpha:
        def normal(self, mean, std, n):
            return np.array(params["alpha"])

    _, shift, _, _ = pca_colour(img, FixedAlpha())
    np.testing.assert_allclose(r["params"]["shift"], shift, atol=1e-6)


def test_random_draws_cover_every_crop_position_and_flip_half_the_time():
    size, n = 256, 4000
    (draws,) = call_js([(MOD, "drawMany", [{"min_area": 0.08, "crop": True, "flip": True,
                                            "cutout": 64}, size, n])])
    side = np.array([d["side"] for d in draws])
    top = np.array([d["top"] for d in draws]); left = np.array([d["left"] for d in draws])
    area = (side / size) ** 2
    assert area.min() >= 0.08 - 2 / size and area.max() <= 1
    assert np.all(top + side <= size) and np.all(left + side <= size)
    # The corner is uniform over its valid range: its position relative to that range too.
    rel = (top + 0.5) / (size - side + 1)
    assert stats.kstest(rel, "uniform").pvalue > 1e-4
    assert np.any(top == size - side) and np.any(top == 0)
    flips = np.mean([d["flip"] for d in draws])
    assert abs(flips - 0.5) < 5 * np.sqrt(0.25 / n)
    ci = np.array([d["cutout"]["ci"] for d in draws])
    assert ci.min() == 0 and ci.max() == size - 1


@pytest.mark.parametrize("alpha", [0.2, 1.0, 4.0])
def test_mixup_lambda_is_beta_alpha_alpha(alpha):
    n = 20000
    (lam,) = call_js([(MOD, "betaDraws", [alpha, n, 7])])
    lam = np.array(lam)
    assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-4
    exact = 2 * stats.beta.cdf(0.1, alpha, alpha)
    assert abs(np.mean((lam < 0.1) | (lam > 0.9)) - exact) < 5 * np.sqrt(exact * (1 - exact) / n)


# -------------------------------------------------------- ConstraintShapes ----

def test_constraint_solutions_match_the_book_and_a_numeric_minimiser():
    from scipy.optimize import minimize

    from trainlab.experiments.regularization import constraint_solutions

    book = constraint_solutions()
    centre, h = list(book["centre"]), list(book["curvature"])
    strengths = [0.0, 0.5, 1.2, 2.4, 3.0]
    calls = [("constraint_shapes.js", "solve", [pen, s, centre, h])
             for pen in ("L1", "L2", "elastic net") for s in strengths]
    got = iter(call_js(calls))
    for pen in ("L1", "L2"):
        for s in strengths:
            k = int(np.argmin(np.abs(book["strengths"] - s)))
            np.testing.assert_allclose(next(got), book[pen][k], atol=1e-12)
    for s in strengths:  # elastic net: no closed form in the book; a numeric minimiser
        f = lambda w: 0.5 * np.sum(h * (w - centre) ** 2) + s * np.sum(0.5 * np.abs(w) + 0.5 * w ** 2)  # noqa: E731
        ref = minimize(f, np.array(centre), method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000}).x
        np.testing.assert_allclose(next(got), ref, atol=1e-6)


def test_constraint_ball_passes_through_the_solution_and_l1_hits_zero():
    (r1, r2) = call_js([
        ("constraint_shapes.js", "compute",
         [{"penalty": "L1", "strength": 1.3, "centre_x": 1.5, "centre_y": 0.6, "kappa": 2.0}]),
        ("constraint_shapes.js", "compute",
         [{"penalty": "L2", "strength": 1.3, "centre_x": 1.5, "centre_y": 0.6, "kappa": 2.0}]),
    ])
    assert r1["w"][1] == 0 and r1["zeros"] == [False, True] and "exactly zero" in r1["readout"]
    assert r2["w"][1] > 0 and "neither to zero" in r2["readout"]
    ball = np.array(r1["ball"])
    np.testing.assert_allclose(np.abs(ball).sum(1), abs(r1["w"][0]), rtol=1e-9)


# --------------------------------------------------------- DropoutEnsemble ----

def _numpy_net(net, mask, p, relu):
    W, v, x = (np.array(net[k]) for k in ("W", "v", "x"))
    a = W @ (x * (mask / (1 - p) if mask is not None else 1))
    return v @ (np.maximum(a, 0) if relu else a)


@pytest.mark.parametrize("relu", [False, True])
def test_dropout_ensemble_average_against_numpy_enumeration(relu):
    p, K = 0.5, 1000
    (r,) = call_js([("dropout_ensemble.js", "compute", [{"p": p, "masks": K, "relu": relu, "seed": 4}])])
    net = r["net"]
    masks = np.array(list(np.ndindex(*(2,) * 8)))
    outs = np.array([_numpy_net(net, m, p, relu) for m in masks])
    exact = outs.mean()  # p = 1/2: every mask equally likely
    assert r["exact"] == pytest.approx(exact, rel=1e-12)
    assert r["test"] == pytest.approx(_numpy_net(net, None, p, relu), rel=1e-12)
    se = outs.std() / np.sqrt(K)
    assert abs(r["running"][-1] - exact) < 5 * se
    np.testing.assert_allclose(r["outputs"][-1], _numpy_net(net, np.array(r["lastMask"]), p, relu))
    if relu:
        assert abs(r["exact"] - r["test"]) > 20 * se, "with a ReLU, scaling is only approximate"
    else:
        assert r["exact"] == pytest.approx(r["test"], rel=1e-12)


def test_dropout_ensemble_masks_drop_a_share_p_independently():
    p, K = 0.3, 1000
    (r,) = call_js([("dropout_ensemble.js", "compute", [{"p": p, "masks": K, "relu": True, "seed": 9}])])
    assert abs(r["dropFraction"] - p) < 5 * np.sqrt(p * (1 - p) / (8 * K))
    # The outputs of consecutive masks are independent draws: lag-1 correlation ~ 0.
    y = np.array(r["outputs"])
    assert abs(np.corrcoef(y[:-1], y[1:])[0, 1]) < 5 / np.sqrt(K)


# ----------------------------------------------------------- TransferFreeze ----

def test_transfer_without_data_the_demo_says_how_to_get_it():
    (r,) = call_js([("transfer_freeze.js", "compute", [state_of(TransferFreeze())])])
    assert "demo_grid()" in r["readout"] and r["chosen"] == []


@pytest.mark.parametrize("per_class,frozen,mult", [(3, 0, 0.1), (30, 1, 1.0), (30, 0, 0.01),
                                                   (3, 2, 1.0), (30, 2, 0.01)])
def test_transfer_browser_shows_the_curve_the_setting_names(per_class, frozen, mult, tmp_path):
    w = TransferFreeze.from_experiment(transfer_grid(), per_class=per_class, frozen=frozen,
                                       backbone_mult=mult)
    state = {"per_class": w.per_class, "frozen": w.frozen, "backbone_mult": w.backbone_mult}
    file = tmp_path / "bundled.mjs"
    file.write_text(w._esm)
    bundled, source = call_js([(str(file), "compute", [state_of(w)]),
                               ("transfer_freeze.js", "computeTransferFreeze", [w.data, state])])
    assert bundled == source
    key = f"{per_class}/{frozen}/{mult:g}" if frozen < 2 else f"{per_class}/2/0.01"
    assert [p[1] for p in source["chosen"]] == w.data["curves"][key]
    assert [p[0] for p in source["chosen"]] == TRANSFER_STEPS
    assert [p[1] for p in source["scratch"]] == w.data["curves"][f"{per_class}/scratch"]
    assert source["isProbe"] == (frozen == 2)
    final = w.data["curves"][key][-1]
    assert f"{final:.3f}" in source["readout"] and f"{per_class} labelled" in source["readout"]


# --------------------------------------------------------- ActivationDepth ----

ACT = str(JS_DIR / "activation_depth.js")
SEARCH = str(JS_DIR / "search_race.js")
# ActivationDepth draws its own random network (64 units, a batch of 160), so it cannot match
# torch draw for draw: it is checked against recap.activation_statistics at the same width and
# batch on what the page claims (the per-layer factor of the spread, saturation).
ACTIVATION_CASES = [("tanh", "small"), ("tanh", "large"), ("tanh", "xavier"), ("relu", "xavier"),
         ("relu", "he"), ("sigmoid", "xavier"), ("relu", "small")]


def _factor(std):
    return float(np.exp(np.mean(np.diff(np.log(np.maximum(std, 1e-300))))))


@pytest.fixture(scope="module")
def js_runs():
    calls = [(ACT, "computeActivations", [{"activation": a, "init": i, "seed": 3, "depth": 8}])
             for a, i in ACTIVATION_CASES]
    return dict(zip(ACTIVATION_CASES, call_js(calls)))


@pytest.mark.parametrize("case", ACTIVATION_CASES, ids=lambda c: "-".join(c))
def test_activation_demo_spread_per_layer_matches_the_python_experiment(case, js_runs):
    js = js_runs[case]["layers"]
    py = recap.activation_statistics.uncached(*case, depth=8, width=64, batch=160, seed=3)
    js_std = np.array([layer["std"] for layer in js])
    assert _factor(js_std) == pytest.approx(_factor(py["std"]), rel=0.1)
    assert js_std[0] == pytest.approx(py["std"][0], rel=0.1)
    # Saturation per layer fluctuates with which units happen to be off for the whole batch
    # (about +-0.05 for ReLU at this width), so compare its mean over the layers.
    js_sat = np.array([layer["saturated"] for layer in js])
    assert js_sat.mean() == pytest.approx(np.mean(py["saturated"]), abs=0.03)
    assert all(sum(layer["counts"]) == 64 * 160 for layer in js)


def test_activation_demo_rejects_unknown_choices():
    with pytest.raises(JSError, match="unknown init"):
        call_js([(ACT, "computeActivations", [{"activation": "tanh", "init": "zeros"}])])


# -------------------------------------------------------------- SearchRace ----
# SearchRace reads the precomputed map: checked exactly at the map's nodes and on what it counts.

@pytest.fixture(scope="module")
def land():
    return recap.search_landscape_for_demo()


def test_search_demo_reads_the_map_exactly_at_its_nodes(land):
    pts = [(land["x"][i], land["y"][j]) for i, j in [(0, 0), (5, 7), (40, 40), (20, 3)]]
    got = call_js([(SEARCH, "lookup", [land, a, b]) for a, b in pts])
    want = [land["z"][j][i] for i, j in [(0, 0), (5, 7), (40, 40), (20, 3)]]
    np.testing.assert_allclose(got, want, atol=1e-12)
    # Half-way between two nodes: the mean of the two.
    mid = call_js([(SEARCH, "lookup", [land, (land["x"][3] + land["x"][4]) / 2, land["y"][2]])])[0]
    assert mid == pytest.approx((land["z"][2][3] + land["z"][2][4]) / 2, abs=1e-12)


@pytest.mark.parametrize("budget", [4, 9, 16, 25])
def test_search_demo_grid_tries_sqrt_budget_learning_rates_random_tries_budget(land, budget):
    runs = call_js([(SEARCH, "computeSearch", [{"landscape": land, "budget": budget, "seed": s}])
                    for s in range(5)])
    k = int(np.sqrt(budget))
    for r in runs:
        assert r["grid"]["distinct"] == k and r["random"]["distinct"] == budget
        assert len(r["grid"]["points"]) == len(r["random"]["points"]) == budget
        lo, hi = land["x"][0], land["x"][-1]
        assert all(lo <= p[0] <= hi for p in r["grid"]["points"] + r["random"]["points"])
        assert r["random"]["bestAcc"] == max(r["random"]["acc"])
    # Different seeds, different draws.
    assert len({tuple(map(tuple, r["random"]["points"])) for r in runs}) == 5


def test_search_demo_random_beats_grid_on_average_as_the_experiment_says(land):
    runs = call_js([(SEARCH, "computeSearch", [{"landscape": land, "budget": 9, "seed": s}])
                    for s in range(200)])
    diff = np.array([r["random"]["bestAcc"] - r["grid"]["bestAcc"] for r in runs])
    assert diff.mean() > 2 * diff.std(ddof=1) / np.sqrt(len(diff))


def test_search_demo_rejects_a_budget_that_is_not_a_square(land):
    with pytest.raises(JSError, match="budget must be a square"):
        call_js([(SEARCH, "computeSearch", [{"landscape": land, "budget": 10}])])
