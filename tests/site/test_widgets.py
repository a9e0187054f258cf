"""The chapter-1 demo widgets: the bundler, their traits' messages, and the in-browser logic
against torch (what every demo must satisfy is in test_widget_contract.py).

The demos' compute functions are imported in node from the real modules (no DOM needed); the
bundled _esm is checked as the browser will load it (one module, no relative imports).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from support.node_bridge import HERE as JS_HELPERS, JSError, call_js
from trainlab.paths import optimizer_path, steps_to_tolerance
from trainlab.surfaces import get_surface
from trainlab.widgets import BundleError, QuadraticGD, SaddleNoise, bundle
from support.widget_checks import check_rejects


JS = JS_HELPERS
START = (-9.0, 2.5)


# ------------------------------------------------------------------ bundling ----

def test_bundled_compute_equals_the_source_modules(tmp_path):
    file = tmp_path / "quadratic.mjs"
    file.write_text(QuadraticGD()._esm)
    state = {"kappa": 50.0, "lr_fraction": 0.7}
    bundled, source = call_js([(str(file), "computeQuadratic", [state]),
                               ("quadratic_gd.js", "computeQuadratic", [state])])
    assert bundled == source


def _write(dir: Path, files: dict[str, str]):
    for name, text in files.items():
        (dir / name).write_text(text)


def test_bundler_inlines_shared_modules_once_in_dependency_order(tmp_path):
    _write(tmp_path, {
        "a.js": 'export const A = 1;\nexport function twice(x) { return 2 * x; }\n',
        "b.js": 'import { A } from "./a.js";\nexport const B = A + 1;\nconst hidden = 5;\n'
                'export { hidden as shown };\n',
        "main.js": 'import { twice, A as one } from "./a.js";\nimport * as b from "./b.js";\n'
                   'export const result = [twice(one), b.B, b.shown];\nexport default {};\n',
    })
    out = bundle(tmp_path / "main.js")
    assert out.index("const __mod_a") < out.index("const __mod_b") < out.index("// ---- main.js")
    assert out.count("const __mod_a =") == 1
    (tmp_path / "bundled.mjs").write_text(out)
    (info,) = call_js([(str(tmp_path / "bundled.mjs"), "result", [])])
    assert info == [2, 2, 5]


def test_bundler_inlines_json_modules_as_constants(tmp_path):
    _write(tmp_path, {
        "data.json": '{"adam": {"color": "#6940fa"}}',
        "a.js": 'import DATA from "./data.json" with { type: "json" };\n'
                'export const color = DATA.adam.color;\n',
        "main.js": 'import { color } from "./a.js";\nexport const result = color;\nexport default {};\n',
    })
    out = bundle(tmp_path / "main.js")
    assert "data.json" not in out.split("\n", 1)[1] and 'const DATA = {"adam"' in out
    (tmp_path / "bundled.mjs").write_text(out)
    (info,) = call_js([(str(tmp_path / "bundled.mjs"), "result", [])])
    assert info == "#6940fa"


@pytest.mark.parametrize("files, message", [
    ({"main.js": 'import x from "./a.js";\n', "a.js": ""}, "unsupported import form"),
    ({"main.js": 'import { x } from "lodash";\n'}, "only relative imports of .js files"),
    ({"main.js": 'import { x } from "./missing.js";\n'}, "module not found"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": "export default 3;\n"},
     "only allowed in the entry"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": 'import { y } from "./main.js";\n'},
     "import cycle: main.js -> a.js -> main.js"),
    ({"main.js": 'import { x } from "./a.js";\n', "a.js": "  export const x = 1;\n"},
     "unsupported export form"),
    ({"main.js": 'import D from "./d.json" with { type: "json" };\n', "d.json": "{oops}"},
     "d.json is not valid JSON"),
    ({"main.js": 'import D from "./d.json" with { type: "json" };\n'}, "JSON module not found"),
])
def test_bundler_rejects_what_it_cannot_bundle_with_a_clear_error(tmp_path, files, message):
    _write(tmp_path, files)
    with pytest.raises(BundleError, match=re.escape(message)):
        bundle(tmp_path / "main.js")


# -------------------------------------------------------------------- traits ----

@pytest.mark.parametrize("cls, name, value, match", [
    (QuadraticGD, "kappa", 0.5, r"QuadraticGD\.kappa must be between 1\.0 and 1000\.0"),
    (QuadraticGD, "kappa", 5000.0, r"kappa must be between"),
    (QuadraticGD, "kappa", float("nan"), r"kappa must be between"),
    (QuadraticGD, "lr_fraction", 0.0, r"lr_fraction must be between 0\.05 and 1\.2"),
    (QuadraticGD, "tol", 0.0, r"tol must be between"),
    (QuadraticGD, "max_steps", 0, r"max_steps must be between 1 and 1000000"),
    (SaddleNoise, "surface", "bowl", r"surface must be one of 'saddle', 'double_well'; got 'bowl'"),
    (SaddleNoise, "batch_size", 0, r"batch_size must be between 1 and 2048 .*None for the full"),
    (SaddleNoise, "learning_rate", 1.0, r"learning_rate must be between 0\.01 and 0\.5"),
    (SaddleNoise, "seed", -1, r"seed must be between 0 and 999"),
    (SaddleNoise, "noise_std", -0.1, r"noise_std must be between"),
    (SaddleNoise, "steps", 0, r"steps must be between 1 and 5000"),
    (SaddleNoise, "steps", 2.5, r"steps"),  # traitlets' own type check
])
def test_bad_input_raises_a_trait_error_naming_the_trait_and_its_range(cls, name, value, match):
    check_rejects(cls, name, value, match)


def test_full_batch_is_none_and_valid_values_are_kept():
    w = SaddleNoise(batch_size=None, surface="double_well", seed=999, learning_rate=0.5)
    assert (w.batch_size, w.surface, w.seed, w.learning_rate) == (None, "double_well", 999, 0.5)
    assert QuadraticGD(kappa=1, lr_fraction=1.2).kappa == 1.0


def test_kappa_slider_grid_spans_the_python_limits():
    (grid,) = call_js([("quadratic_gd.js", "KAPPA_GRID", [])])
    lo, hi = QuadraticGD.LIMITS["kappa"]
    assert grid[0] == lo and grid[-1] == hi and grid == sorted(grid)


# ------------------------------------------------------ QuadraticGD vs torch ----

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
    path = optimizer_path(surface, "sgd", 5000, start=START, learning_rate=lr)
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
                         start=START, learning_rate=0.5)
    np.testing.assert_allclose(path[-1], ref[-1], rtol=1e-9)


def test_sweep_closed_form_equals_the_iteration_for_every_slider_position():
    fractions = [0.05, 0.3, 0.5, 0.9, 0.99, 1.0, 1.01]
    calls = [(str(JS / "quadratic_sweep_check.mjs"), "compare", [f, 1e-3, 200000])
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
                             start=START, learning_rate=0.5)
        assert steps[i] == steps_to_tolerance(ref, (0.0, 0.0), 1e-3)


# ------------------------------------------------------ SaddleNoise vs torch ----

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
