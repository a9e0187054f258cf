"""The recap demos' JavaScript against the recap experiments in Python.

ActivationDepth draws its own random network (64 units, a batch of 160), so it cannot match torch draw for draw: it is
checked against trainlab.experiments.recap.activation_statistics at the same width and batch
on what the page claims (the per-layer factor of the spread, saturation). SearchRace reads the
precomputed map: checked exactly at the map's nodes and on what it counts.
"""
from __future__ import annotations

import numpy as np
import pytest

from support.node_bridge import JSError, call_js
from trainlab.experiments import recap
from trainlab.widgets.bundle import JS_DIR

ACT = str(JS_DIR / "activation_depth.js")
SEARCH = str(JS_DIR / "search_race.js")
CASES = [("tanh", "small"), ("tanh", "large"), ("tanh", "xavier"), ("relu", "xavier"),
         ("relu", "he"), ("sigmoid", "xavier"), ("relu", "small")]


def _factor(std):
    return float(np.exp(np.mean(np.diff(np.log(np.maximum(std, 1e-300))))))


@pytest.fixture(scope="module")
def js_runs():
    calls = [(ACT, "computeActivations", [{"activation": a, "init": i, "seed": 3, "depth": 8}])
             for a, i in CASES]
    return dict(zip(CASES, call_js(calls)))


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(c))
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
