"""The chapter 5 demos (trainlab/js/newton_gd.js, lbfgs_noise.js): their in-browser computations
against the Python references, and their widgets' bundles and traits.

- Newton's iterates in JS (hand-written Hessian, 2x2 solve) against
  second_order.newton_on_surface (torch autograd's Hessian, numpy solve).
- The demo's L-BFGS against torch.optim.LBFGS in the one configuration it names
  (second_order.DEMO_LBFGS, via second_order.lbfgs_path), with and without gradient noise from
  rng.js's seeded stream, for several history sizes.
"""
from __future__ import annotations

import numpy as np
import pytest

from support.node_bridge import JSError, call_js
from trainlab.experiments import second_order as ex
from trainlab.widgets import LbfgsNoise, NewtonVsGD
from support.widget_checks import check_bundled_esm, check_rejects

RTOL = 1e-9


def rel_err(js_path, py_path):
    js, py = np.asarray(js_path, dtype=float), np.asarray(py_path, dtype=float)
    assert js.shape == py.shape, f"JS path has {len(js)} points, the reference {len(py)}"
    return float(np.max(np.abs(js - py) / (1.0 + np.abs(py))))


# ------------------------------------------------------------------------- Newton ----

NEWTON_CASES = [("quadratic", {"a": 1 / 30, "b": 1.0}, (-9.0, 2.5)),
                ("quadratic", {"a": 1e-3, "b": 1.0}, (-9.0, 2.5)),
                ("rosenbrock", {}, (-1.2, 1.0)),
                ("saddle", {}, (-1.5, 0.3)),
                ("saddle", {}, (-1.5, 0.8))]


@pytest.mark.parametrize("surface, params, start", NEWTON_CASES)
def test_newton_js_matches_the_python_reference(surface, params, start):
    (js,) = call_js([("newton_gd.js", "newtonPath", [surface, params, list(start), 8])])
    py = ex.newton_on_surface(surface, start=start, steps=8, **params)
    assert rel_err(js, py) < RTOL


@pytest.mark.parametrize("surface, params, lr, start", [
    ("quadratic", {"a": 1 / 30, "b": 1.0}, 2 / (2 / 30 + 2), (-9.0, 2.5)),
    ("rosenbrock", {}, 1e-3, (-1.2, 1.0)), ("saddle", {}, 0.2, (-1.5, 0.3))])
def test_newton_demo_gradient_descent_is_torch_sgd_stopped_at_the_tolerance(surface, params, lr,
                                                                             start):
    from trainlab.paths import optimizer_path
    from trainlab.surfaces import get_surface

    (js,) = call_js([("newton_gd.js", "gdPath", [surface, params, lr, list(start), 3000])])
    py = optimizer_path(get_surface(surface, **params), "sgd", len(js) - 1, start=start,
                        learning_rate=lr)
    assert rel_err(js, py) < RTOL
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


# ------------------------------------------------------------------------- L-BFGS ----

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


def agreeing_steps(js_path, py_path, rtol=RTOL):
    """How many leading iterates of the two paths agree to ``rtol`` (relative per iterate)."""
    js = np.asarray(js_path, dtype=float)
    py = py_path[np.all(np.isfinite(py_path), axis=1)]
    n = min(len(js), len(py))
    rel = np.max(np.abs(js[:n] - py[:n]) / (1.0 + np.abs(py[:n])), axis=1)
    bad = np.flatnonzero(~(rel <= rtol))
    return int(bad[0]) if bad.size else n, len(js), len(py)


@pytest.mark.parametrize("surface, m, std", LBFGS_CASES)
def test_lbfgs_js_follows_torch_optim_lbfgs(lbfgs_js, surface, m, std):
    steps, results = lbfgs_js
    noise, r = results[(surface, m, std)]
    py = ex.lbfgs_path(surface, steps, history_size=m,
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


# ------------------------------------------------------------------------ widgets ----

@pytest.mark.parametrize("cls", [NewtonVsGD, LbfgsNoise])
def test_widget_bundles(cls, tmp_path):
    check_bundled_esm(cls, tmp_path, {"__mod_surfaces", "__mod_plot", "__mod_controls"})


def test_widgets_reject_bad_values_clearly():
    check_rejects(NewtonVsGD, "kappa", 0.5, "condition number")
    check_rejects(NewtonVsGD, "surface", "beale", "must be one of")
    check_rejects(LbfgsNoise, "history_size", 0, "pairs")
    check_rejects(LbfgsNoise, "noise_std", -1.0, "standard deviation")
    check_rejects(LbfgsNoise, "surface", "saddle", "must be one of")


# ------------------------------------------------------------------------ browser ----

@pytest.mark.browser
def test_chapter_5_demos_are_live_with_no_network(site_server, built_site):
    """Both demos render in the static page with no network, and every enabled slider and menu
    position changes what the reader sees."""
    from support.offline_site import offline_chromium
    from test_site_browser import check_demos_are_live

    path = "book/05_second_order.html"
    assert (built_site / path).exists(), f"{path} is not in the built site"
    with offline_chromium(site_server) as browser:
        page = browser.open(path)
        check_demos_are_live(page, browser, min_demos=2, where=path)
        for demo, surfaces in ((0, ("rosenbrock", "saddle", "quadratic")),
                               (1, ("quadratic", "rosenbrock"))):
            menu = page.locator(".trainlab-demo").nth(demo).locator("select").first
            readouts = set()
            for k, _ in enumerate(surfaces):
                menu.select_option(index=(k + 1) % len(surfaces))
                page.wait_for_timeout(200)
                readouts.add(page.locator(".trainlab-demo").nth(demo)
                             .locator(".trainlab-readout").inner_text())
            assert len(readouts) == len(surfaces), f"demo {demo}: each surface reads differently"
        page.wait_for_load_state("networkidle")
    assert not browser.problems, browser.problems.report()
