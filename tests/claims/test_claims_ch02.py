"""Chapter 2 claims (C08-C11, listed in book/claims.md): each test runs the experiment the page shows and asserts
what the lecture says happens, in the precise form the page states. The experiments live in
trainlab.experiments.momentum; they use torch.optim. The CS231n-form and look-ahead-form updates
below are written inline on purpose: graded update rules never ship in trainlab."""
import numpy as np
import pytest

from trainlab.experiments import momentum as ex
from trainlab.paths import optimizer_path
from trainlab.surfaces import get_surface


# --- C08 ------------------------------------------------------------------------------------

def test_C08_same_sign_gradients_accumulate_to_lr_g_over_one_minus_rho():
    r = ex.constant_slope_steps(rhos=(0.0, 0.5, 0.9, 0.99), lr=0.1, slope=1.0, steps=100)
    np.testing.assert_allclose(r["step"], r["theory"], rtol=1e-9)
    step, limit = r["step"], np.array(r["limit"])
    growth = np.diff(step[1:], axis=1)
    assert np.all(growth[:, :10] > 0) and np.all(growth >= 0), "with momentum steps lengthen"
    np.testing.assert_allclose(step[:3, -1], limit[:3], rtol=1e-4)  # 0, 0.5, 0.9 have converged
    assert step[2, -1] / step[0, -1] == pytest.approx(10.0, rel=1e-4), "rho = 0.9: 10x SGD's step"
    assert 0.6 * limit[3] < step[3, -1] < limit[3], "rho = 0.99 is still building up at step 100"


def test_C08_opposing_gradient_components_cancel_in_the_velocity():
    r = ex.velocity_gain(rho=0.9, steps=200)
    assert r["steady"] == pytest.approx(r["theory_steady"], rel=1e-6)
    assert r["alternating"] == pytest.approx(r["theory_alternating"], rel=1e-6)
    assert r["steady"] / r["alternating"] > 18, "consistent direction amplified 19x relative"


def test_C08_at_one_learning_rate_momentum_speeds_the_shallow_axis_but_keeps_bouncing():
    r = ex.same_learning_rate(lr=0.9, rho=0.9, steps=60)
    sgd, mom = r["sgd_abs"], r["momentum_abs"]
    # Shallow axis: momentum's envelope sqrt(rho)^t beats SGD's (1 - lr h)^t, but it crosses
    # zero on the way, so a snapshot may catch it near a crossing or near a peak.
    crossings = np.flatnonzero(np.sign(r["momentum"][1:, 0]) != np.sign(r["momentum"][:-1, 0]))
    assert len(crossings) >= 2, "the shallow coordinate oscillates through the minimum"
    assert mom[:, 0].max() <= mom[0, 0] and mom[-1, 0] < sgd[-1, 0]
    # Steep axis: still oscillating, with an envelope decaying like sqrt(rho)^t, slower than
    # SGD's (1 - 2 * 0.9)^t = 0.8^t.
    envelope = mom[50:, 1].max() / (mom[0, 1] * r["sqrt_rho"] ** 50)
    assert 0.5 < envelope < 2
    assert mom[-1, 1] > 1000 * sgd[-1, 1]


@pytest.fixture(scope="module")
def regimes():
    return ex.heavy_ball_regimes(lr=0.9, h=1 / 32, rhos=(0.0, 0.3, 0.5, 0.8, 0.9, 0.95), steps=400)


def test_C08_each_direction_decays_at_the_rate_of_the_characteristic_roots(regimes):
    r = regimes
    np.testing.assert_allclose(r["measured"], r["root_modulus"], rtol=0.01)
    for rho, regime in zip(r["rhos"], r["regime"]):
        expected = ("critical" if rho == r["rho_critical"] else
                    "overdamped" if rho < r["rho_critical"] else "underdamped")
        assert regime == expected, rho


def test_C08_at_the_pages_settings_the_shallow_axis_is_underdamped(regimes):
    """At lr 0.9, rho 0.9 on curvature 1/32: lr h > (1 - sqrt rho)^2, so the shallow coordinate
    oscillates, crossing zero every pi / theta steps, inside an envelope sqrt(rho)^t."""
    r = regimes
    i = r["rhos"].index(0.9)
    assert r["lr"] * r["h"] > (1 - np.sqrt(0.9)) ** 2 and r["regime"][i] == "underdamped"
    assert r["crossing_spacing"][i] == pytest.approx(r["crossing_spacing_theory"][i], abs=1)
    assert 15 < r["crossing_spacing"][i] < 25
    assert r["measured"][i] == pytest.approx(np.sqrt(0.9), rel=0.005)
    assert r["measured"][i] < r["sgd_factor"], "still faster than SGD at the same lr"
    assert r["as_if"][i] < 0.8 * r["measured"][i], "but far slower than 'lr / (1 - rho)'"


def test_C08_the_as_if_step_holds_only_well_below_critical_damping(regimes):
    r = regimes
    for rho, measured, as_if in zip(r["rhos"], r["measured"], r["as_if"]):
        if 0 < rho <= 0.5:  # overdamped, far from rho_c ~ 0.69
            assert measured == pytest.approx(as_if, rel=0.005), rho
        if rho >= r["rho_critical"]:
            assert abs(measured - as_if) > 0.03 * measured, rho


def test_C08_momentum_needs_about_sqrt_kappa_steps_where_gd_needs_about_kappa():
    r = ex.tuned_steps_vs_condition(kappas=(16, 64, 256, 1024), tol=1e-4)
    assert None not in r["gd"] and None not in r["momentum"]
    assert r["gd_slope"] == pytest.approx(1.0, abs=0.05)
    assert r["momentum_slope"] == pytest.approx(0.5, abs=0.08)
    assert all(m < g for m, g in zip(r["momentum"], r["gd"]))
    assert r["gd"][-1] / r["momentum"][-1] > 15, "at kappa = 1024 momentum is >15x faster"


def test_C08_velocity_carries_the_iterate_out_of_a_local_minimum():
    r = ex.local_minimum_escape(rhos=(0.0, 0.5, 0.8, 0.9, 0.95), lr=0.05, steps=1500)
    f = dict(zip(r["rhos"], r["fraction_global"]))
    assert f[0.0] == 0.0, "plain GD ends in the local minimum from every one of these starts"
    assert f[0.9] > 0.25 and f[0.95] > 0.2, "with rho = 0.9 a quarter or more roll through"
    assert f[0.8] < f[0.9]


def test_C08_momentum_escapes_a_near_saddle_faster_but_not_an_exact_one():
    r = ex.saddle_escape(offsets=(1e-2, 1e-4, 1e-6, 1e-8, 0.0), lr=0.1, rho=0.9)
    *sgd, sgd_exact = r["sgd"]
    *mom, mom_exact = r["momentum"]
    assert sgd_exact is None and mom_exact is None, "on the stable axis nothing pushes it off"
    assert all(m < s for m, s in zip(mom, sgd))
    # The plateau costs log(1/offset) / log(growth) steps; each 100x closer adds that much.
    extra_sgd, extra_mom = np.mean(np.diff(sgd)), np.mean(np.diff(mom))
    assert extra_sgd == pytest.approx(np.log(100) / np.log(r["growth_sgd"]), rel=0.1)
    assert extra_mom == pytest.approx(np.log(100) / np.log(r["growth_momentum"]), rel=0.1)


def test_C08_velocity_averages_gradient_noise_but_not_where_the_iterate_hovers():
    r = ex.momentum_noise(rho=0.9, lr=0.01, sigma=1.0, steps=2000, runs=400, seed=0)
    # The scaled velocity is an unbiased, 4.4x less noisy estimate of the gradient...
    assert r["velocity_mean"] == pytest.approx(1.0, abs=4 * r["velocity_std"] / np.sqrt(400))
    assert r["velocity_std"] == pytest.approx(r["velocity_std_theory"], rel=0.1)
    # ...so consecutive steps point the same way (a smooth path), unlike SGD's...
    assert r["step_cosine"]["momentum"] > 0.7
    assert abs(r["step_cosine"]["sgd"]) < 0.1 and abs(r["step_cosine"]["sgd_effective"]) < 0.15
    # ...but the distance at which it hovers is that of SGD with the step lr / (1 - rho).
    for key in ("sgd", "momentum", "sgd_effective"):
        assert r["rms"][key] == pytest.approx(r["rms_theory"][key], rel=0.1), key
    assert r["rms"]["momentum"] == pytest.approx(r["rms"]["sgd_effective"], rel=0.1)
    assert r["rms"]["momentum"] > 2.5 * r["rms"]["sgd"], "same lr: momentum hovers ~3x farther"


# --- C09 ------------------------------------------------------------------------------------

def _cs231n_momentum_path(surface, start, lrs, rho):
    """The CS231n form v = rho * v - lr * g; w += v, with a learning rate per step."""
    w, v = np.array(start, dtype=float), np.zeros(2)
    path = [w.copy()]
    for lr in lrs:
        v = rho * v - lr * surface.grad(w)
        w = w + v
        path.append(w.copy())
    return np.array(path)


def test_C09_cs231n_and_torch_momentum_agree_while_the_learning_rate_is_constant():
    r = ex.learning_rate_change(lr_before=0.1, lr_after=0.1, change_at=20, rho=0.9, steps=40)
    inline = _cs231n_momentum_path(get_surface("quadratic"), ex.LECTURE_START, [0.1] * 40, 0.9)
    np.testing.assert_allclose(r["velocity"], inline, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["torch"], inline, rtol=0, atol=1e-12)


def test_C09_the_two_forms_differ_once_the_learning_rate_changes():
    r = ex.learning_rate_change(lr_before=0.1, lr_after=0.01, change_at=20, rho=0.9, steps=40)
    inline = _cs231n_momentum_path(get_surface("quadratic"), ex.LECTURE_START,
                                   [0.1] * 20 + [0.01] * 20, 0.9)
    np.testing.assert_allclose(r["velocity"], inline, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["torch"][:21], r["velocity"][:21], rtol=0, atol=1e-12)
    # Right after the drop torch's whole step shrinks 10x; the CS231n velocity still carries
    # the old learning rate and shrinks only gradually (by about rho per step).
    before = r["torch_steps"][19]
    assert r["torch_steps"][20] < 0.15 * before
    assert r["velocity_steps"][20] > 0.7 * before
    assert np.max(np.abs(r["torch"][21:] - r["velocity"][21:])) > 0.1


# --- C10 ------------------------------------------------------------------------------------

def test_C10_nesterov_change_of_variables_needs_only_the_gradient_at_the_current_point():
    """Look-ahead form: v' = rho v - lr grad(x + rho v); x' = x + v'. Its variable
    x~ = x + rho v follows torch's Nesterov SGD exactly, which evaluates the gradient at x~ only,
    and x~' = x~ + v' + rho (v' - v) (the error-correcting term)."""
    surface, lr, rho, steps = get_surface("rosenbrock"), 1e-3, 0.9, 60
    x, v = np.array(surface.start), np.zeros(2)
    tilde, tilde_update = [x + rho * v], []
    for _ in range(steps):
        v_new = rho * v - lr * surface.grad(x + rho * v)
        x = x + v_new
        tilde_update.append(tilde[-1] + v_new + rho * (v_new - v))
        v = v_new
        tilde.append(x + rho * v)
    torch_path = optimizer_path(surface, "nesterov", steps, start=surface.start,
                                learning_rate=lr, momentum=rho)
    np.testing.assert_allclose(torch_path, np.array(tilde), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.array(tilde_update), np.array(tilde[1:]), rtol=1e-12, atol=1e-12)


NESTEROV_GRID = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.2, 1.3)  # the page's grid


@pytest.mark.parametrize("rho", [0.9, 0.99])
def test_C10_nesterov_reaches_the_tolerance_in_fewer_steps_on_the_ill_conditioned_quadratic(rho):
    r = ex.nesterov_vs_momentum(kappa=64, rho=rho, lr_times_L=NESTEROV_GRID, tol=1e-4)
    for f, m, n in zip(r["lr_times_L"], r["momentum"], r["nesterov"]):
        if f >= 0.2:
            assert n is not None and m is not None and n < 0.9 * m, (f, m, n)


def test_C10_at_small_steps_nesterov_gains_nothing_at_rho_0_9_but_still_does_at_0_99():
    """The precise version of "within a few steps of each other at small lr": true at rho = 0.9;
    at rho = 0.99 even the smallest learning rates leave the slow direction oscillating, and
    Nesterov is still about twice as fast."""
    r9 = ex.nesterov_vs_momentum(kappa=64, rho=0.9, lr_times_L=NESTEROV_GRID, tol=1e-4)
    r99 = ex.nesterov_vs_momentum(kappa=64, rho=0.99, lr_times_L=NESTEROV_GRID, tol=1e-4)
    for i in (0, 1):  # lr * h_max = 0.05 and 0.1
        assert r9["nesterov"][i] == pytest.approx(r9["momentum"][i], rel=0.03)
        assert r99["momentum"][i] > 2 * r99["nesterov"][i]


def test_C10_nesterovs_stable_range_is_smaller():
    """lr * h_max < 2 (1 + rho) / (1 + 2 rho) = 1.36 for Nesterov at rho = 0.9, 2 (1 + rho) for
    plain momentum."""
    r = ex.nesterov_vs_momentum(kappa=64, rho=0.9, lr_times_L=(1.3, 1.5), tol=1e-4)
    assert None not in r["momentum"]
    assert r["nesterov"][0] is not None and r["nesterov"][1] is None


def test_C10_nesterov_converges_on_a_convex_function_where_heavy_ball_cycles():
    r = ex.convex_counterexample(x0=3.2, steps=300)
    assert r["nesterov_final"] < 1e-10 and r["sgd_final"] < 1e-8
    tail = r["momentum"][-9:]
    assert np.all(np.abs(tail) > 0.5), "heavy ball never gets near the minimum at 0"
    np.testing.assert_allclose(tail[3:], tail[:-3], atol=1e-9, err_msg="a 3-cycle")


def test_C10_on_a_non_convex_surface_nesterov_has_no_advantage():
    r = ex.nonconvex_success(n_starts=400, steps=1000, seed=0)
    m, n = np.array(r["momentum"]), np.array(r["nesterov"])
    assert n.mean() < m.mean(), "fewer Nesterov runs reach the global minimum on average"
    assert np.sum(n < m) >= 4, "and in most of the six settings"


# --- C11 ------------------------------------------------------------------------------------

def test_C11_momentum_overshoots_the_minimum_and_comes_back():
    r = ex.overshoot_by_rho(rhos=(0.0, 0.5, 0.8, 0.9, 0.95, 0.99), lr=0.1, steps=3000)
    o = np.array(r["overshoot"])
    assert o[0] == 0.0, "plain GD at this step never crosses the minimum"
    assert np.all(o[1:] > 0) and np.all(np.diff(o) > 0), "more momentum, bigger swings"
    assert o[3] > 0.5, "rho = 0.9 swings past by over half the starting offset"
    assert max(r["final_distance"][1:]) < 1e-4, "and yet every run comes back and converges"


def test_C11_momentum_rolls_out_of_a_narrow_well_into_a_wide_one_more_often_than_sgd():
    r = ex.wide_versus_narrow(lrs=(0.01, 0.02, 0.04), rhos=(0.8, 0.9, 0.95, 0.99), n_starts=600,
                              seed=0)
    assert all(row["unsettled"] == 0 for row in r["rows"])
    for row in r["rows"]:
        if row["rho"] in (0.9, 0.95):
            assert row["momentum_wide"] > row["sgd_wide"], row
            if row["lr"] <= 0.02:
                assert row["gained"] >= 5 and row["lost"] == 0, row
            else:
                assert row["gained"] >= 5 * row["lost"], row
    # The preference grows with rho up to 0.95, then, at 0.99, the ball sloshes between the
    # wells and ends in either: runs move both ways.
    by = {(row["lr"], row["rho"]): row for row in r["rows"]}
    for lr in (0.01, 0.02, 0.04):
        assert by[(lr, 0.95)]["gained"] > by[(lr, 0.9)]["gained"] > by[(lr, 0.8)]["gained"]
        assert by[(lr, 0.99)]["lost"] > 0, "at rho = 0.99 runs move both ways"
    # Whether the preference survives at 0.99 depends on the learning rate: none is left at
    # 0.01 and 0.02, and at 0.04 it is back.
    for lr in (0.01, 0.02):
        assert abs(by[(lr, 0.99)]["gained"] - by[(lr, 0.99)]["lost"]) <= 10
    assert by[(0.04, 0.99)]["gained"] > 2 * by[(0.04, 0.99)]["lost"]


def test_C11_past_the_momentum_bound_no_method_settles_in_the_narrow_well():
    """The narrow well's curvature h_max puts momentum's stability bound 2 (1 + rho) / h_max
    below 4 / h_max < 0.1 for every rho < 1: at lr 0.1 nothing settles at its minimum (runs
    bounce around it or leave), while at lr 0.02, below every bound, everything does."""
    r = ex.narrow_well_stability(lrs=(0.02, 0.1), rhos=(0.0, 0.5, 0.9, 0.99))
    assert 4 / r["h_max"] < 0.1
    for row in r["rows"]:
        assert row["settled"] == (row["lr"] < row["bound"]), row
