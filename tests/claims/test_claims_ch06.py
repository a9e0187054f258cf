"""Chapter 6 claims (C26-C31 on the claims page): each test runs the cached experiment the page shows and
asserts what it measures. Statistical margins are derived from the number of draws (binomial or
standard-error bounds at 5 sigma unless stated), never tuned to one outcome. The training run's
tests compare regularizers by their mean over seeds against the seed-to-seed spread.
"""
import numpy as np
import pytest
from scipy import stats

from trainlab.experiments import augmentation as aug
from trainlab.experiments import regularization as ex
from trainlab.experiments import regularizer_sweep as run


# --- C26 ------------------------------------------------------------------------------------

def test_C26_l1_zeroes_weights_exactly_l2_only_shrinks_them():
    r = ex.penalty_paths()
    l2, l1, en = r["L2"], r["L1"], r["elastic net"]
    assert all(z == 0.0 for z in l2["zero_frac"]), "L2 never lands a weight on exactly 0"
    assert np.all(np.diff(l2["mean_abs"]) < 0), "stronger L2, smaller weights"
    assert l2["mean_abs"][-1] < 0.5 * r["unpenalised"]["mean_abs"]
    assert np.all(np.diff(l1["zero_frac"]) > 0), "stronger L1, more exact zeros"
    assert l1["zero_frac"][3] > 0.4 and l1["zero_frac"][-1] > 0.9
    # Elastic net (half of each) sits between the two at every strength.
    assert all(0 < e < a for e, a in zip(en["zero_frac"], l1["zero_frac"]))


def test_C26_exact_zeros_need_the_proximal_step_not_a_subgradient():
    r = ex.penalty_paths()
    assert r["subgradient_zero_frac"] == [0.0] * len(r["strengths"])


def test_C26_l1_solution_reaches_the_corner_at_a_finite_strength():
    r = ex.constraint_solutions()
    s, c, h = r["strengths"], r["centre"], r["curvature"]
    hits = s[r["L1"][:, 1] == 0.0]
    assert hits.size and hits.min() == pytest.approx(c[1] * h[1], abs=s[1] - s[0])
    assert np.all(r["L2"][1:, 1] > 0) and np.all(np.diff(r["L2"][:, 1]) < 0)


def test_C26_penalties_in_training_do_not_beat_no_penalty_here():
    r = run.sweep_all()
    base = r["none"]["test_acc"]
    for name in ("L2", "L1"):
        diff = r[name]["test_acc"] - base  # paired by seed: same split and initialisation
        assert abs(diff.mean()) < 0.03, f"{name} changes test accuracy by {diff.mean():+.3f}"


# --- C27 ------------------------------------------------------------------------------------

def test_C27_dropout_draws_a_fresh_independent_mask_every_pass():
    r = ex.dropout_masks()
    p, n, passes = r["p"], r["n"], r["passes"]
    sd = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs(r["drop_frac"] - p) < 5 * sd), "each pass drops a share p"
    # Correlation of independent Bernoulli pairs has standard error 1 / sqrt(pairs).
    assert abs(r["corr_across_passes"]) < 5 / np.sqrt((passes - 1) * n)
    assert abs(r["corr_across_entries"]) < 5 / np.sqrt(passes * (n - 1))


def test_C27_inverted_dropout_scales_kept_units_and_eval_is_the_identity():
    r = ex.dropout_masks()
    assert r["kept_values"] == [pytest.approx(1 / (1 - r["p"]))]
    assert r["mean_output"] == pytest.approx(1.0, abs=5 * np.sqrt(r["p"] / (1 - r["p"])
                                                             / (r["n"] * r["passes"])))
    assert r["eval_identity"]


def test_C27_dropout2d_drops_whole_channels():
    r = ex.dropout_masks()
    assert r["channelwise_whole"] == 1.0
    assert abs(r["channel_drop_frac"] - r["p"]) < 5 * np.sqrt(r["p"] * (1 - r["p"]) / (32 * 16))


def test_C27_forgetting_eval_makes_predictions_random_and_worse():
    r = run.dropout_test_time()
    assert r["forgot_eval_changed"] > 0.02, "two passes of the same input disagree"
    assert r["forgot_eval_acc"] < r["eval_acc"] - 0.01


# --- C28 ------------------------------------------------------------------------------------

def test_C28_scaling_by_the_keep_probability_is_exact_for_a_linear_unit():
    r = ex.linear_unit_expectation()
    assert r["n_masks"] == 16
    assert r["mean_plain"] == pytest.approx(r["scaled_test"], rel=1e-12)
    assert r["mean_inverted"] == pytest.approx(r["test_output"], rel=1e-12)


def test_C28_mask_average_matches_weight_scaling_only_before_a_linear_layer():
    r = run.dropout_test_time()
    k = np.array(r["samples"])
    last, both = np.array(r["last"]["rms_logits"]), np.array(r["all"]["rms_logits"])
    # Only the last dropout random: an unbiased estimate, error ~ 1 / sqrt(K).
    slope = np.polyfit(np.log(k), np.log(last), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.1)
    # Both random (a ReLU between them): the error stops falling at a bias.
    assert both[-1] > 0.5 * both[-2] and both[-1] > 3 * last[-1]
    # Yet the two test-time rules classify almost alike.
    assert abs(r["all"]["acc"][-1] - r["eval_acc"]) < 0.02


# --- C29 ------------------------------------------------------------------------------------

def test_C29_batchnorm_output_depends_on_batch_mates_in_training_only():
    r = ex.batchnorm_batch_dependence()
    assert r["eval_spread"] == 0.0, "eval mode: running averages, the same output every time"
    # Training mode normalises with the batch's own mean and variance, estimated from 32
    # examples: their error is of order 1 / sqrt(32) of the unit's spread.
    assert r["train_spread"] > 0.5 / np.sqrt(32)


def test_C29_dropout_before_batchnorm_shifts_the_variance_at_test():
    r = ex.batchnorm_batch_dependence()
    ratio, theory = r["variance_ratio"], r["variance_ratio_theory"]
    alive = np.isfinite(theory) & (theory > 0)
    assert np.all(ratio[alive] < 1), "test-time variance is smaller than BN learned"
    # BN's running variance is itself an average of ~60 noisy batch variances of heavy-tailed
    # (ReLU, dropout) units, so single units scatter; the typical unit matches the formula.
    assert np.median(ratio[alive] / theory[alive]) == pytest.approx(1.0, abs=0.1)
    assert np.median(ratio[alive]) < 0.6, "test-time spread is well under what BN expects"


def test_C29_dropout_adds_nothing_on_top_of_batchnorm_here():
    r = run.sweep_all()
    diff = r["batch norm + dropout"]["test_acc"] - r["batch norm"]["test_acc"]
    assert diff.mean() < 0.02


# --- C30 ------------------------------------------------------------------------------------

def test_C30_shift_augmentation_improves_test_accuracy_and_narrows_the_gap():
    r = run.sweep_all()
    diff = r["shifts"]["test_acc"] - r["none"]["test_acc"]
    assert np.all(diff > 0) and diff.mean() > 0.02
    assert r["shifts"]["gap"].mean() < r["none"]["gap"].mean() - 0.02


def test_C30_a_flip_is_not_label_preserving_for_digits():
    r = run.sweep_all()
    assert np.all(r["none"]["test_acc_flipped"] < r["none"]["test_acc"] - 0.3)


def test_C30_resnet_recipe_crop_sizes_and_ten_crop_test():
    r = aug.resnet_crop_statistics()
    assert r["lengths"].min() >= 256 and r["lengths"].max() <= 480
    assert r["crops_per_scale"] == 10 and r["distinct_test_crops"] == 10
    assert len(r["scales"]) * r["crops_per_scale"] == 50
    ratio = 512 / 512  # astronaut is square
    lo, hi = (224 / 480) ** 2 * ratio, (224 / 256) ** 2 * ratio
    assert r["area_fraction"].min() >= lo - 1e-12 and r["area_fraction"].max() <= hi + 1e-12


def test_C30_augmented_photographs_keep_shape_and_range():
    g = aug.photo_gallery()
    for crop in g["train_crops"] + g["test_crops"] + g["jitter"] + g["pca"]:
        assert crop.dtype == np.float32 and crop.min() >= 0 and crop.max() <= 1
    rng = np.random.default_rng(1)
    img = np.random.default_rng(2).random((300, 400, 3)).astype(np.float32)
    crop, params = aug.resnet_train_crop(img, rng)
    assert crop.shape == (224, 224, 3) and 256 <= params["L"] <= 480


def test_C30_pca_colour_shift_adds_one_colour_along_the_principal_axes():
    g = aug.photo_gallery()
    lam, vecs = g["pca_eigenvalues"], g["pca_eigenvectors"]
    assert np.all(np.diff(lam) > 0) and lam[-1] > 5 * lam[-2], "one dominant colour axis"
    top = vecs[:, -1]
    assert np.all(top > 0) or np.all(top < 0), "the main axis is brightness: all channels"
    img = aug.photograph("chelsea")
    out, shift, _, _ = aug.pca_colour(img, np.random.default_rng(3))
    inside = np.all((img + shift > 0) & (img + shift < 1), axis=-1)
    np.testing.assert_allclose((out - img)[inside], np.broadcast_to(shift, (inside.sum(), 3)),
                               atol=1e-6)


# --- C31 ------------------------------------------------------------------------------------

def test_C31_dropconnect_and_dropout_share_the_mean_but_not_the_correlation():
    r = ex.dropconnect_vs_dropout()
    n = r["draws"]
    for name in ("dropout", "dropconnect"):
        m = r[name]
        assert m["max_z"] < 4.5, "Monte Carlo mean = the test-time layer W x"
        assert m["variance"] == pytest.approx(m["variance_theory"], rel=0.1)
        assert abs(m["corr_between_units"] - m["corr_theory"]) < 5 / np.sqrt(n)
    assert r["random_numbers_per_example"]["dropconnect"] == 16 * 64


def test_C31_stochastic_depth_expected_depth_and_test_network():
    r = ex.stochastic_depth()
    L, pL = 54, 0.5
    assert r["expected_depth"] == pytest.approx(L - (1 - pL) * (L + 1) / 2)
    assert abs(r["mean_depth"] - r["expected_depth"]) < 5 * r["depth_std"] / np.sqrt(20000)
    assert abs(r["mc_output"] - r["test_output"]) < 5 * r["mc_se"]
    assert abs(r["full_depth_output"] - r["mc_output"]) > 20 * r["mc_se"], \
        "the test network must scale each block by its survival probability"


def test_C31_fractional_max_pooling_redraws_its_regions_each_pass():
    r = ex.fractional_pooling()
    assert r["output_shape"] == (19, 19)
    assert r["changed_between_passes"] > 0.02
    assert r["stable_over_passes"] < 1


def test_C31_mixup_lambda_follows_beta_alpha_alpha():
    r = ex.mixup_lambdas()
    n = 20000
    for a in r["alphas"]:
        m = r[a]
        exact = 2 * stats.beta.cdf(0.1, a, a)
        assert abs(m["near_ends"] - exact) < 5 * np.sqrt(exact * (1 - exact) / n)
        assert abs(m["mean"] - 0.5) < 5 * np.sqrt(m["var_theory"] / n)
    assert r[0.2]["near_ends"] > 0.5, "small alpha: most blends are nearly one image"
    assert r[4.0]["near_ends"] < 0.02


def test_C31_cutout_and_mixup_are_worth_trying_not_guaranteed():
    # The precise version of "try them on small data": on a fully connected network (no
    # convolutional features for Cutout to make robust) neither beat the baseline by more than
    # one seed-to-seed spread, and Mixup was worse on every seed.
    r = run.sweep_all()
    base = r["none"]["test_acc"]
    spread = base.std(ddof=1) + max(r[n]["test_acc"].std(ddof=1) for n in ("cutout", "mixup"))
    for name in ("cutout", "mixup"):
        assert (r[name]["test_acc"] - base).mean() < spread, f"{name} helped after all"
    assert np.all(r["mixup"]["test_acc"] < base)
