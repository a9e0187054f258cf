"""Chapter 1 claims (C01-C07, listed in book/claims.md): each test runs the experiment the page shows and asserts
what the lecture says happens. The experiments live in trainlab.experiments.sgd."""
import numpy as np
import pytest

from trainlab.experiments import sgd as ex
from trainlab.experiments.runs import LECTURE_START
from trainlab.paths import optimizer_path
from trainlab.surfaces import get_surface


def test_C01_random_search_is_hopeless_in_high_dimension_while_gd_is_not():
    r = ex.random_search_vs_gd(dims=(2, 10, 50, 200), budget=1000, seed=0)
    random, gd = np.array(r["random"]), np.array(r["gd"])
    # In 2-D, 1000 random guesses find the optimum; in 200-D they do not even beat w = 0.
    assert random[0] > 0.9
    assert random[-1] < 0.0
    assert np.all(np.diff(random) < 0), "random search gets worse as the dimension grows"
    # The same budget of gradient steps closes the whole gap in every dimension.
    assert np.all(gd > 0.999)


def test_C02_numeric_gradient_check_catches_a_wrong_analytic_gradient():
    r = ex.gradient_check(n_params=(5, 10, 20, 40), seed=0)
    assert all(r["correct_passes"]) and not any(r["buggy_passes"])


def test_C02_numeric_gradient_costs_exactly_two_evaluations_per_weight():
    """Centred differences evaluate L at w + delta e_j and w - delta e_j for every j: each added
    weight adds exactly two evaluations (a one-sided difference would add one)."""
    r = ex.gradient_check(n_params=(5, 10, 20, 40), seed=0)
    per_weight = np.diff(r["evaluations"]) / np.diff(r["n_params"])
    np.testing.assert_array_equal(per_weight, 2.0)


def test_C03_too_large_a_learning_rate_diverges_too_small_crawls():
    r = ex.learning_rate_sweep(fractions=(1e-3, 0.1, 0.5, 0.9, 1.05), steps=100, kappa=10.0)
    tiny, _, good, _, too_big = r["final_over_initial"]
    assert tiny > 0.5, "a tiny step has barely reduced the loss after 100 steps"
    assert good < 1e-6, "a step of half the stability limit converges"
    assert too_big > 1.0, "past 2 / L_max the loss grows"


def test_C03_initialisation_decides_which_minimum_gd_reaches():
    right, left = ex.initialisation_decides_minimum()
    assert right["end"][0] > 0 > left["end"][0]
    assert right["loss"] > left["loss"] + 0.2, "the right start stops in the worse, local minimum"


@pytest.mark.parametrize("replace", [True, False])
def test_C04_minibatch_gradient_is_unbiased_and_its_noise_shrinks_like_one_over_sqrt_batch(replace):
    r = ex.minibatch_gradient_stats(batch_sizes=(1, 4, 16, 64, 256), replace=replace, seed=0)
    assert max(r["bias_z"]) < 4.5, "the mean of minibatch gradients equals the full gradient"
    std, theory = np.array(r["std"]), np.array(r["theory"])
    np.testing.assert_allclose(std, theory, rtol=0.1)
    # Quadrupling the batch halves the noise (with replacement exactly; without, slightly less).
    ratios = std[:-1] / std[1:]
    assert np.all((ratios > 1.8) & (ratios < 2.2))


def test_C04_sampling_without_replacement_shrinks_noise_by_the_finite_population_factor():
    n, B = 200, 100
    with_r = ex.minibatch_gradient_stats(batch_sizes=(B,), n=n, replace=True, seed=1)
    without = ex.minibatch_gradient_stats(batch_sizes=(B,), n=n, replace=False, seed=1)
    expected = np.sqrt((n - B) / (n - 1))
    assert without["std"][0] / with_r["std"][0] == pytest.approx(expected, rel=0.1)


def test_C05_lecture_quadratic_has_condition_number_64():
    H = get_surface("quadratic", a=1 / 64, b=1.0).hessian([0.3, -0.2])
    np.testing.assert_allclose(H, np.diag([1 / 32, 2.0]), atol=1e-15)
    eig = np.linalg.eigvalsh(H)
    assert eig.max() / eig.min() == pytest.approx(64.0)


def test_C05_steps_to_tolerance_grow_in_proportion_to_the_condition_number_from_kappa_4():
    """The page's figure: from kappa = 4 on each 4x in conditioning costs about 4x the steps;
    at kappa = 1 the step alpha = 1/h solves the problem at once, so 1 -> 4 costs far more."""
    r = ex.steps_vs_condition(kappas=(1, 4, 16, 64, 256, 1024), lr_fraction=0.5, tol=1e-3)
    steps = np.array(r["steps"], dtype=float)
    assert steps[0] == 1, "kappa = 1, alpha = 1/h: one exact step"
    assert np.all(np.diff(steps) > 0)
    ratios = steps[1:] / steps[:-1]
    assert ratios[0] > 10, "the first factor of 4 breaks the rule"
    np.testing.assert_allclose(ratios[1:], 4.0, rtol=0.15)


def test_C05_zigzag_along_the_steep_axis_and_crawl_along_the_shallow_one():
    surface = get_surface("quadratic", a=1 / 64, b=1.0)
    lr = 0.9 * 2 / 2.0  # 90% of the stability limit set by the steep axis (L_max = 2)
    path = optimizer_path(surface, "sgd", 50, start=LECTURE_START, learning_rate=lr)
    steep_signs = np.sign(path[:, 1])
    assert np.all(steep_signs[1:] == -steep_signs[:-1]), "w2 flips sign every step: zig-zag"
    shallow_left = path[-1, 0] / path[0, 0]
    steep_left = abs(path[-1, 1] / path[0, 1])
    # Each axis shrinks by |1 - alpha h| per step: 0.8 across the valley, 1 - 0.9/32 along it.
    assert shallow_left == pytest.approx((1 - lr / 32) ** 50, rel=1e-9)
    assert steep_left < 1e-4, "after 50 steps the steep coordinate is all but solved..."
    assert shallow_left > 0.2, "...while the shallow one still has over a fifth of its way to go"
    assert shallow_left > 1000 * steep_left


@pytest.mark.parametrize("kappa", [1.0, 64.0, 1000.0])
def test_C05_largest_stable_step_is_set_by_the_steep_direction(kappa):
    surface = get_surface("quadratic", a=1 / kappa, b=1.0)  # L_max = 2 whatever kappa is
    for frac, diverges in [(0.99, False), (1.01, True)]:
        path = optimizer_path(surface, "sgd", 3000, start=(1.0, 1.0), learning_rate=frac)
        final = np.linalg.norm(path[-1]) if np.all(np.isfinite(path[-1])) else np.inf
        assert (final > 1.0) == diverges, (kappa, frac)


def test_C06_gd_stops_at_a_saddle_and_slows_near_one():
    r = ex.saddle_escape(offsets=(1e-2, 1e-4, 1e-6, 1e-8, 0.0))
    *escapes, stuck = r["escape_steps"]
    assert stuck is None, "started exactly on the saddle's stable direction GD never leaves"
    assert r["final_grad_norm"][-1] < 1e-12 and r["final_loss"][-1] > -1e-12
    # The closer to the saddle, the longer the stall: about log(1/offset) steps.
    assert np.all(np.diff(escapes) > 0)
    gaps = np.diff(escapes)
    assert np.ptp(gaps) <= 0.15 * np.mean(gaps), "each 100x closer costs the same extra steps"
    assert all(loss == pytest.approx(-0.25) for loss in r["final_loss"][:-1])


def test_C06_in_high_dimension_almost_every_critical_point_is_a_saddle():
    r = ex.fraction_of_minima(dims=(1, 2, 4, 8, 12), trials=20_000, seed=0)
    f = np.array(r["fraction_minima"])
    assert f[0] == pytest.approx(0.5, abs=0.02)
    assert np.all(np.diff(f) <= 0)
    assert f[2] < 0.01 and f[-1] == 0.0


def test_C07_minibatch_noise_makes_the_path_wander_and_more_so_for_small_batches():
    """Real minibatches drawn from a data set (no noise added by hand), as on the page."""
    r = ex.sgd_wander(batch_sizes=(1, 4, 16, 64), seed=0)
    rms = np.array(r["rms_distance"])
    assert r["gd_rms_distance"] < 1e-10, "full-batch GD sits at the least-squares solution"
    assert np.all(rms > 100 * r["gd_rms_distance"] + 0.01)
    # The wandering scales like the noise: 1/sqrt(B), so 4x the batch halves it.
    np.testing.assert_allclose(rms[:-1] / rms[1:], 2.0, rtol=0.15)
    assert min(r["path_length"]) > 4 * r["gd_path_length"], "the noisy paths are several times longer"
    assert np.all(np.diff(r["path_length"]) < 0), "and the longer the smaller the batch"
