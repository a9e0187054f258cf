"""The chapter 2-3 demo widgets: their traits' messages and defaults, and the agreement between
each widget's Python limits and its JavaScript sliders (what every demo must satisfy is in
test_widget_contract.py).

The in-browser computations themselves are checked against torch in test_js_parity_ch23.py.
"""
from __future__ import annotations

import pytest

from support.node_bridge import call_js
from support.widget_checks import check_rejects, state_of
from trainlab.widgets import AdagradVsRmsprop, AdamBiasCorrection, MomentumRho, OptimizerRace
from trainlab.widgets import race as race_py


def compute_call(widget) -> tuple:
    """(module, "compute", [state]) for call_js: the widget's demo computation at its traits."""
    return type(widget).JS, "compute", [state_of(widget)]


@pytest.mark.parametrize("cls, name, value, match", [
    (OptimizerRace, "surface", "bowl", r"surface must be one of 'quadratic', 'saddle', 'rosenbrock', "
                                       r"'beale', 'bumpy'; got 'bowl'"),
    (OptimizerRace, "steps", 5, r"OptimizerRace\.steps must be between 10 and 1000"),
    (OptimizerRace, "noise_std", -0.1, r"noise_std must be between 0\.0 and 3\.0"),
    (OptimizerRace, "seed", 1000, r"seed must be between 0 and 999"),
    (OptimizerRace, "optimizers", [], r"optimizers must be a non-empty list"),
    (OptimizerRace, "optimizers", ["sgd", "lbfgs"],
     r"taken from sgd, momentum, .*got \['sgd', 'lbfgs'\]"),
    (OptimizerRace, "optimizers", ["sgd", "sgd"], r"without repeats"),
    (OptimizerRace, "enabled", ["lbfgs"], r"enabled must list optimizers offered in `optimizers`"),
    (OptimizerRace, "hyper", {"lbfgs": {}}, r"unknown optimizer 'lbfgs'"),
    (OptimizerRace, "hyper", {"adam": 0.1}, r"hyper\['adam'\] must be a dict such as"),
    (OptimizerRace, "hyper", {"adam": {"epsilon": 1e-3}}, r"hyper\['adam'\] has no slider 'epsilon'; "
                                                          r"adam has learning_rate, beta1, beta2"),
    (OptimizerRace, "hyper", {"sgd": {"momentum": 0.9}}, r"sgd has learning_rate$"),
    (OptimizerRace, "hyper", {"adam": {"learning_rate": 5.0}}, r"\['learning_rate'\] must be a number "
                                                               r"between 0\.0001 and 2\.0; got 5\.0"),
    (OptimizerRace, "hyper", {"rmsprop": {"decay_rate": 1.0}}, r"between 0\.5 and 0\.9999"),
    (OptimizerRace, "hyper", {"momentum": {"momentum": True}}, r"must be a number"),
    (MomentumRho, "rho", 1.0,
     r"MomentumRho\.rho must be between 0\.0 and 0\.99 \(momentum's rho; 0 is"),
    (MomentumRho, "rho", float("nan"), r"rho must be between"),
    (MomentumRho, "learning_rate", 0.0, r"learning_rate must be between 0\.005 and 1\.5"),
    (MomentumRho, "steps", 10, r"steps must be between 20 and 2000"),
    (AdamBiasCorrection, "problem", "saddle", r"problem must be one of 'quadratic', 'rosenbrock'"),
    (AdamBiasCorrection, "beta1", 1.0, r"beta1 must be between 0\.0 and 0\.99"),
    (AdamBiasCorrection, "beta2", 0.5, r"beta2 must be between 0\.9 and 0\.9999"),
    (AdamBiasCorrection, "learning_rate", 2.0, r"learning_rate must be between 0\.001 and 1\.0"),
    (AdamBiasCorrection, "steps", 500, r"steps must be between 10 and 200"),
    (AdamBiasCorrection, "bias_correction", "yes", r"bias_correction"),  # traitlets' own check
    (AdagradVsRmsprop, "setup", "rosenbrock", r"setup must be one of 'saddle', 'quadratic', 'bowl'"),
    (AdagradVsRmsprop, "decay_rate", 0.1, r"decay_rate must be between 0\.5 and 0\.9999"),
    (AdagradVsRmsprop, "noise_std", 3.0, r"noise_std must be between 0\.0 and 2\.0"),
    (AdagradVsRmsprop, "steps", 20_000, r"steps must be between 100 and 10000"),
])
def test_bad_input_raises_a_trait_error_naming_the_trait_and_its_range(cls, name, value, match):
    check_rejects(cls, name, value, match)


def test_race_default_is_four_optimizers_for_200_steps_and_follows_the_offer():
    w = OptimizerRace()
    assert (w.enabled, w.steps) == (["sgd", "momentum", "rmsprop", "adam"], 200)
    assert w.optimizers == list(race_py.OPTIMIZERS)
    # Chapter 2 offers three: all on by default, rows in the book's order whatever the input's.
    ch2 = OptimizerRace(optimizers=["nesterov", "sgd", "momentum"])
    assert ch2.optimizers == ch2.enabled == ["sgd", "momentum", "nesterov"]
    # Offering fewer rows switches off the ones that went; switches keep the rows' order.
    w.optimizers = ["sgd", "adam"]
    assert w.enabled == ["sgd", "adam"]
    assert OptimizerRace(enabled=["adam", "sgd"]).enabled == ["sgd", "adam"]
    assert OptimizerRace(enabled=[]).enabled == []


def test_race_hyper_keeps_valid_overrides_as_floats():
    w = OptimizerRace(hyper={"adam": {"learning_rate": 1, "beta2": 0.99}, "sgd": {}})
    assert w.hyper == {"adam": {"learning_rate": 1.0, "beta2": 0.99}, "sgd": {}}
    assert isinstance(w.hyper["adam"]["learning_rate"], float)


# ------------------------------------------------------ Python <-> JS agreement ----

def test_race_python_and_js_agree_on_surfaces_optimizers_sliders_and_ranges():
    surfaces, keys, grids = call_js([("race.js", "SURFACE_NAMES", []), ("race.js", "SLIDER_KEYS", []),
                                     ("race.js", "GRIDS", [])])
    assert tuple(surfaces) == race_py.SURFACES
    assert {k: tuple(v) for k, v in keys.items()} == race_py.SLIDER_KEYS
    for key, grid in grids.items():
        assert (grid[0], grid[-1]) == OptimizerRace.LIMITS[key], key
        assert grid == sorted(grid) and len(set(grid)) == len(grid), key


@pytest.mark.parametrize("module, grid, cls, trait", [
    ("momentum_rho.js", "LR_GRID", MomentumRho, "learning_rate"),
    ("adam_bias.js", "LR_GRID", AdamBiasCorrection, "learning_rate"),
    ("adam_bias.js", "BETA2_GRID", AdamBiasCorrection, "beta2"),
    ("adagrad_rmsprop.js", "LR_GRID", AdagradVsRmsprop, "learning_rate"),
    ("adagrad_rmsprop.js", "DECAY_GRID", AdagradVsRmsprop, "decay_rate"),
    ("adagrad_rmsprop.js", "STEPS_GRID", AdagradVsRmsprop, "steps"),
])
def test_slider_grids_span_the_python_limits_and_hold_the_default(module, grid, cls, trait):
    (values,) = call_js([(module, grid, [])])
    assert (values[0], values[-1]) == cls.LIMITS[trait]
    assert values == sorted(values)
    assert getattr(cls(), trait) in values, "the default must be a slider position"


@pytest.mark.parametrize("module, names, cls, trait", [
    ("adam_bias.js", "PROBLEM_NAMES", AdamBiasCorrection, "problem"),
    ("adagrad_rmsprop.js", "SETUP_NAMES", AdagradVsRmsprop, "setup"),
])
def test_choices_agree_between_python_and_js(module, names, cls, trait):
    from trainlab.widgets import adagrad_rmsprop, adam_bias
    (js,) = call_js([(module, names, [])])
    py = {"problem": adam_bias.PROBLEMS, "setup": adagrad_rmsprop.SETUPS}[trait]
    assert tuple(js) == py


def test_defaults_show_what_each_demo_is_for():
    """At the defaults each readout makes its demo's point (numbers checked against torch in
    test_js_parity_ch23.py)."""
    widgets = (OptimizerRace(), MomentumRho(), AdamBiasCorrection(), AdagradVsRmsprop())
    race, rho, bias, eff = call_js([compute_call(w) for w in widgets])
    assert not any(r["diverged"] for r in race["results"]) and len(race["results"]) == 4
    assert rho["momentum"]["overshoot"] > 0.5 > rho["sgd"]["overshoot"] == 0
    assert rho["momentum"]["steps"] < rho["sgd"]["steps"] / 10
    assert bias["peak"]["t"] == 12 and bias["ratio"][0] == pytest.approx(10 ** 0.5, rel=1e-5)
    assert eff["runs"]["adagrad"]["slope"] < -0.3 and abs(eff["runs"]["rmsprop"]["slope"]) < 0.05
