"""Chapter 3 claims (C12-C17, listed in book/claims.md): each test runs the experiment the page shows and asserts
what the lecture says happens, in the precise form the page states. The experiments live in
trainlab.experiments.adaptive; all updates come from torch.optim."""
from pathlib import Path

import numpy as np
import pytest

from trainlab.experiments import adaptive as ex


# --- C12 ------------------------------------------------------------------------------------

def test_C12_adagrad_first_step_moves_every_coordinate_by_lr_whatever_its_curvature():
    r = ex.first_step(curvatures=(1 / 64, 1.0, 100.0), lr=0.1)
    np.testing.assert_allclose(r["adagrad"], 0.1, rtol=1e-6)
    np.testing.assert_allclose(r["sgd"], [0.1 * 2 * c for c in r["curvatures"]], rtol=1e-12)
    assert r["sgd"][2] / r["sgd"][0] == pytest.approx(6400), "SGD: proportional to curvature"


def test_C12_adagrad_progress_is_balanced_across_steep_and_shallow_axes():
    r = ex.balanced_progress(lr=0.1, steps=200, start=(1.0, 1.0))
    ada, sgd = r["adagrad"], r["sgd"]
    np.testing.assert_allclose(ada[:, 0], ada[:, 1], atol=1e-6)  # identical, up to eps
    assert np.all(np.abs(ada[-1]) < 0.01), "both axes solved together"
    assert abs(sgd[-1, 1]) < 1e-12 and sgd[-1, 0] > 0.5, "SGD: steep axis done, shallow not half"


def test_C12_adagrad_balances_coordinates_not_directions():
    r = ex.rotation_sensitivity(angles_deg=(0, 15, 30, 45), lr=0.5, steps=3000, tol=1e-3)
    ada, sgd = r["adagrad"], r["sgd"]
    assert len(set(sgd)) == 1, "gradient descent does not care about the rotation"
    assert ada[0] < sgd[0] / 10, "aligned with the axes AdaGrad removes the conditioning"
    assert all(a is not None for a in ada) and np.all(np.diff(ada) > 0)
    assert ada[-1] > 20 * ada[0], "rotated by 45 degrees the advantage is gone"
    assert ada[2] > sgd[2] and ada[3] > sgd[3], "at 30 and 45 degrees AdaGrad is slower than GD"


# --- C13 ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_run():
    return ex.effective_step_long_run(steps=5000, sigma=1.0, lr=0.01, runs=50, seed=0)


def test_C13_adagrad_effective_step_only_shrinks_and_decays_like_one_over_sqrt_t(long_run):
    r = long_run
    assert not r["adagrad_ever_grew"]
    assert r["adagrad_slope"] == pytest.approx(-0.5, abs=0.05)
    # lr / (sigma sqrt(t)) at t = 5000
    assert r["adagrad"][-1] == pytest.approx(0.01 / np.sqrt(5000), rel=0.1)


def test_C14_rmsprop_effective_step_settles_at_a_constant_instead(long_run):
    r = long_run
    assert abs(r["rmsprop_slope"]) < 0.02
    assert r["rmsprop"][-1] == pytest.approx(r["lr"] / r["sigma"], rel=0.1)
    assert r["rmsprop"][-1] > 50 * r["adagrad"][-1]


def test_C13_adagrad_leaves_the_saddle_then_crawls_along_the_convex_direction():
    """The precise version of "AdaGrad stalls near a saddle": at lr 0.01 it does leave the
    saddle's stable axis (after hundreds of steps), and what it has not finished after 4000 steps
    is the convex coordinate w1, whose step shrank early. At lr 0.03 and 0.1 it finishes."""
    r = ex.adagrad_saddle_by_lr(lrs=(0.01, 0.03, 0.1), seeds=(0, 1, 2, 3, 4), steps=4000)
    slow = [row for row in r["rows"] if row["lr"] == 0.01]
    assert all(row["left_axis_at"] is not None and 300 < row["left_axis_at"] < 2000
               for row in slow), "it leaves the stable axis, but only after hundreds of steps"
    for row in slow:
        gap = row["final_loss"] + 0.25
        assert gap > 0.05, "still far from the minimum after 4000 steps"
        assert row["gap_in_w1"] > 0.95 * gap, "and nearly all of what is left is in w1"
    assert all(row["final_loss"] < -0.2499 for row in r["rows"] if row["lr"] >= 0.03)


def test_C13_adagrad_stalls_after_a_saddle_where_rmsprop_does_not():
    r = ex.saddle_stall(steps=4000, sigma=0.1, lr=0.01, seed=0)
    ada, rms = r["adagrad_loss"], r["rmsprop_loss"]
    first_rms = np.flatnonzero(rms < -0.24)[0]
    assert first_rms < 1000, "RMSProp is in a minimum (loss -0.25) within 1000 steps"
    assert ada[-1] > -0.2, "AdaGrad is still on its way after 4000"
    eff = r["adagrad_effective_step"]
    assert np.all(np.diff(eff, axis=0) <= 0), "AdaGrad's effective step never grows"
    assert eff[-1, 0] < 0.01 * 0.1, "and is below a tenth of lr along w1 by the end"


# --- C14 ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def overshoot_runs():
    return {name: ex.overshoot_vs_speed(name, **hyper) for name, hyper in
            [("momentum", {"momentum": 0.9}), ("rmsprop", {}), ("adam", {})]}


def _settled(run):
    return [(lr, s, o) for lr, s, o in zip(run["lrs"], run["settle"], run["overshoot"])
            if s is not None]


def test_C14_rmsprop_overshoots_far_less_than_momentum(overshoot_runs):
    mom, rms = _settled(overshoot_runs["momentum"]), _settled(overshoot_runs["rmsprop"])
    assert len(mom) >= 3 and len(rms) >= 2
    worst_rms = max(o for _, _, o in rms)
    best_mom = min(o for _, _, o in mom)
    assert best_mom > 0.4, "momentum swings past by 40%+ of the offset at every settling lr"
    assert worst_rms < 0.1 and worst_rms < best_mom / 5


def test_C14_rmsprop_with_a_large_learning_rate_rattles_instead_of_settling(overshoot_runs):
    run = overshoot_runs["rmsprop"]
    assert all(s is None for lr, s in zip(run["lrs"], run["settle"]) if lr >= 0.1)


# --- C15 ------------------------------------------------------------------------------------

def _uncorrected_adam_steps(grads, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam without bias correction, written here on purpose (graded update rules never ship in
    trainlab): a separate run, sharing no state with torch.optim.Adam."""
    m = v = 0.0
    steps = []
    for g in grads:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        steps.append(abs(lr * m / (np.sqrt(v) + eps)))
    return np.array(steps)


@pytest.mark.parametrize("gradients", ["constant", "random"])
def test_C15_uncorrected_adam_step_is_larger_by_the_bias_correction_factor(gradients):
    """Two separate runs on the same gradients: torch's corrected Adam and an uncorrected Adam
    written independently. Their measured step ratio is the formula (1 - b1^t) / sqrt(1 - b2^t)."""
    r = ex.bias_correction(steps=200, gradients=gradients, seed=0)
    separate = _uncorrected_adam_steps(r["gradients"])
    np.testing.assert_allclose(separate / r["corrected"], r["theory"], rtol=1e-5)
    np.testing.assert_allclose(r["ratio"], r["theory"], rtol=1e-5)
    assert r["ratio"][0] == pytest.approx(np.sqrt(10), rel=1e-5)  # 0.1 / sqrt(0.001)
    assert r["peak_t"] == 12 and r["peak_ratio"] == pytest.approx(6.5685, abs=1e-4)
    assert np.all(r["ratio"] > 1), "uncorrected is larger at every step, not only the first"


def test_C15_corrected_adam_moves_by_lr_from_the_first_step_on_a_constant_gradient():
    r = ex.bias_correction(steps=50, gradients="constant", lr=1e-3)
    np.testing.assert_allclose(r["corrected"], 1e-3, rtol=1e-7)


def test_C15_without_momentum_the_uncorrected_first_step_is_31x():
    r = ex.bias_correction(steps=20, beta1=0.0, beta2=0.999)
    assert r["ratio"][0] == pytest.approx(np.sqrt(1000), rel=1e-5)
    assert r["peak_t"] == 1


# --- C16 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("problem", ex.PROBLEMS)
def test_C16_adam_default_settings_solve_three_different_problems(problem):
    for lr in (1e-3, 5e-4):
        r = ex.train_mlp(problem, "adam", lr, steps=1000, seed=0)
        assert r["score"] >= ex.SOLVED[problem], (lr, r)


def test_C16_adam_at_1e_4_is_the_slow_end_of_the_range():
    """Precise version of "1e-4 is a default too": in the same 1000 steps it has made progress
    on every problem but has not yet solved the spirals."""
    runs = {p: ex.train_mlp(p, "adam", 1e-4, steps=1000, seed=0) for p in ex.PROBLEMS}
    assert all(r["final"] < 0.7 * r["initial"] for r in runs.values())
    assert runs["spirals"]["score"] < ex.SOLVED["spirals"]


def test_C16_sgd_needs_a_learning_rate_chosen_per_problem():
    spirals_03 = ex.train_mlp("spirals", "sgd", 0.03)["score"]
    blobs_03 = ex.train_mlp("blobs", "sgd", 0.03)["score"]
    assert blobs_03 >= ex.SOLVED["blobs"] and spirals_03 < 0.8
    spirals_1 = ex.train_mlp("spirals", "sgd", 1.0)["score"]
    regression_1 = ex.train_mlp("regression", "sgd", 1.0)["score"]
    assert spirals_1 >= ex.SOLVED["spirals"] and not regression_1 > 0.5


def test_C16_adam_ignores_the_scale_of_the_loss_sgd_does_not():
    """Summing instead of averaging the loss over the 200 examples multiplies every gradient by
    200: Adam's steps are unchanged (up to eps), SGD's working learning rates move."""
    a_mean = ex.train_mlp("spirals", "adam", 1e-3, reduction="mean")
    a_sum = ex.train_mlp("spirals", "adam", 1e-3, reduction="sum")
    assert a_sum["final"] == pytest.approx(a_mean["final"], rel=0.02)
    s = {(lr, red): ex.train_mlp("spirals", "sgd", lr, reduction=red)["score"]
         for lr in (0.003, 0.1) for red in ("mean", "sum")}
    assert s[(0.003, "sum")] >= 0.99 and s[(0.003, "mean")] < 0.8
    assert s[(0.1, "mean")] >= 0.99 and s[(0.1, "sum")] < 0.5


def test_C16_adam_overshoots_less_than_momentum(overshoot_runs):
    mom, adam = overshoot_runs["momentum"], overshoot_runs["adam"]
    both = [(m, a) for m, a, sm, sa in zip(mom["overshoot"], adam["overshoot"], mom["settle"],
                                           adam["settle"]) if sm is not None and sa is not None]
    assert len(both) >= 4 and all(a < m for m, a in both)
    fastest = lambda run: min(_settled(run), key=lambda x: x[1])  # noqa: E731
    assert fastest(adam)[2] < fastest(mom)[2] / 2, "each at its fastest learning rate"
    assert fastest(adam)[1] < 1.1 * fastest(mom)[1], "at about the same speed"


# --- C17 ------------------------------------------------------------------------------------

def test_C17_comparison_table_rows_from_torch_optim_behaviour_and_state():
    t = ex.comparison_table()
    rows = {"first_moment": {"momentum", "nesterov", "adam", "adamw"},
            "second_moment": {"adagrad", "rmsprop", "adam", "adamw"},
            "leaky": {"rmsprop", "adam", "adamw"},
            "bias_corrected": {"adam", "adamw"}}
    for row, expected in rows.items():
        assert {name for name, cols in t.items() if cols[row]} == expected, row
    assert t["adagrad"]["leaky"] is False
    assert all("momentum_buffer" in t[name]["state"] for name in ("momentum", "nesterov"))
    assert "sum" in t["adagrad"]["state"] and "square_avg" in t["rmsprop"]["state"]
    assert {"exp_avg", "exp_avg_sq"} <= set(t["adam"]["state"])


def test_C17_the_page_table_says_what_torch_optim_does():
    """Every mark in the page's comparison table, AdamW's row included, matches the behaviour
    measured by comparison_table (a check mark where it has the property, none or a cross where
    it does not)."""
    page = (Path(__file__).resolve().parents[2] / "book" / "03_adaptive.md").read_text()
    names = {"SGD + momentum": "momentum", "Nesterov": "nesterov", "AdaGrad": "adagrad",
             "RMSProp": "rmsprop", "Adam": "adam", "AdamW (added by this book)": "adamw"}
    columns = ("first_moment", "second_moment", "leaky", "bias_corrected")
    t = ex.comparison_table()
    seen = set()
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in names:
            seen.add(cells[0])
            for col, cell in zip(columns, cells[1:]):
                assert ("✓" in cell) == bool(t[names[cells[0]]][col]), (cells[0], col, cell)
    assert seen == set(names), f"rows missing from the page's table: {set(names) - seen}"


def test_C17_only_adam_and_adamw_start_with_steps_of_size_lr():
    s = ex.first_steps(lr=0.1)
    np.testing.assert_allclose(s["adam"], 1.0, rtol=1e-6)
    np.testing.assert_allclose(s["adamw"], 1.0, rtol=1e-6)
    assert s["rmsprop"][0] == pytest.approx(10.0, rel=1e-5), "lr / sqrt(1 - 0.99)"
    np.testing.assert_allclose(s["adagrad"], 1 / np.sqrt(np.arange(1, 6)), rtol=1e-6)
    assert s["momentum"][0] == pytest.approx(1.0) and s["momentum"][-1] > 4


def test_C17_adamw_shrinks_every_weight_by_exactly_one_minus_lr_wd_per_step():
    r = ex.decay_with_zero_gradient(lr=1e-2, weight_decay=0.1, steps=100)
    k = np.arange(101)[:, None]
    np.testing.assert_allclose(r["adamw"], np.array([1.0, 100.0]) * r["factor"] ** k, rtol=1e-12)
    # L2 through Adam: a step of about lr whatever the weight, so the big weight loses only ~1%
    # in 100 steps while the small one loses ~80%: not a proportional decay at all.
    drop = r["adam_l2"][0] - r["adam_l2"][-1]
    np.testing.assert_allclose(drop, 100 * 1e-2, rtol=0.25)


def test_C17_l2_under_adam_is_divided_by_the_gradient_scale_adamw_is_not():
    r = ex.adamw_vs_l2(scales=(0.01, 0.1, 1.0, 10.0), lr=1e-2, weight_decay=0.1, steps=1000,
                       runs=2000, seed=0)
    np.testing.assert_allclose(r["adamw_rate"], 1.0, rtol=0.06)
    l2 = r["adam_l2_rate"]
    assert l2[3] < 0.15, "gradient size 10: L2 decays the weight ~10x more weakly"
    assert l2[2] == pytest.approx(1.0, rel=0.1), "gradient size 1: about the nominal rate"
    assert l2[0] > 5 and l2[1] > 5, "small gradients: L2 decay dominates and is far stronger"
    # Not inverse proportion all the way down: for small gradients the normalised decay step
    # saturates near lr per step, so 10x smaller gradients give far less than 10x the rate.
    assert l2[1] / l2[2] > 5 and l2[0] / l2[1] < 5
