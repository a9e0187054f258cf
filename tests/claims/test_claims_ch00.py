"""Recap claims (C00a-C00f): each test runs the experiment the recap page shows (cached, shared
with the page build) and asserts what it shows. See book/claims for the one-line statements."""
import numpy as np
import pytest
import torch

from trainlab.experiments import recap as ex


def test_C00a_sigmoid_gradients_vanish_through_depth_relu_gradients_do_not():
    r = ex.gradient_through_depth()
    sig, relu = np.array(r["sigmoid"]), np.array(r["relu"])
    # Through sigmoids the first layer's gradient shrinks geometrically with depth (each sigmoid
    # passes at most 1/4 of the gradient): by 20 layers it is gone.
    assert np.all(np.diff(np.log(sig)) < 0)
    assert sig[-1] < 1e-8
    # Through ReLUs (He init) it stays within an order of magnitude of the last layer's.
    assert np.all((relu > 0.1) & (relu < 10))
    assert relu[-1] / sig[-1] > 1e6


@pytest.mark.parametrize("activation, init", [("tanh", "small"), ("relu", "small")])
def test_C00b_too_small_weights_make_activations_collapse_layer_by_layer(activation, init):
    std = np.array(ex.activation_statistics(activation, init, depth=10)["std"])
    assert np.all(np.diff(std) < 0)
    assert std[-1] < 1e-3 * std[0]


def test_C00b_too_large_weights_saturate_tanh_units():
    s = ex.activation_statistics("tanh", "large", depth=10)
    assert min(s["saturated"]) > 0.8, "most units sit at -1 or +1, where tanh's gradient is ~0"


def test_C00b_he_keeps_relu_spread_while_xavier_halves_its_variance_per_layer():
    he = np.array(ex.activation_statistics("relu", "he", depth=10)["std"])
    xav = np.array(ex.activation_statistics("relu", "xavier", depth=10)["std"])
    assert he.max() / he.min() < 1.5
    # Var(W) = 1/n loses half of the variance at every ReLU: std x 1/sqrt(2) per layer.
    ratio = np.exp(np.mean(np.diff(np.log(xav))))
    assert ratio == pytest.approx(1 / np.sqrt(2), abs=0.05)


def test_C00b_depth_makes_it_worse():
    """The same bad init costs more the deeper the net: collapse compounds layer by layer."""
    s = ex.activation_statistics("tanh", "small", depth=10)["std"]
    assert s[9] < 1e-3 * s[4] and s[4] < 1e-2 * s[0]
    # Xavier keeps tanh's spread within a factor of 3 over 10 layers (it decays slowly: the page
    # says so rather than "constant").
    x = ex.activation_statistics("tanh", "xavier", depth=10)["std"]
    assert x[-1] > x[0] / 3


def test_C00c_centred_inputs_make_the_loss_far_less_sensitive_to_weight_changes():
    r = ex.preprocessing_sensitivity()
    raw, centred = r["raw"], r["centred"]
    # The same classification problem, fitted equally well either way ...
    assert raw["loss"] == pytest.approx(centred["loss"], abs=0.05)
    # ... but a weight change of the same size moves the raw loss far more,
    assert raw["mean_change"] > 20 * centred["mean_change"]
    # and the raw loss's curvature is far worse conditioned (slow for gradient descent).
    assert raw["condition"] > 1000 * centred["condition"]


def test_C00d_batchnorm_normalises_each_feature_then_scales_and_shifts():
    r = ex.batchnorm_matches_formula()
    assert r["max_diff"] < 1e-12, "torch.nn.BatchNorm1d equals the formula written out"
    np.testing.assert_allclose(r["xhat_mean"], 0, atol=1e-12)
    np.testing.assert_allclose(r["xhat_std"], 1, atol=1e-4)  # eps keeps it just below 1
    np.testing.assert_allclose(r["out_mean"], r["beta"], atol=1e-12)
    np.testing.assert_allclose(r["out_std"], r["gamma"], rtol=1e-4)
    assert sorted(r["learnable"]) == ["bias", "weight"]
    assert r["running_mean_diff"] < 1e-12 and r["running_var_diff"] < 1e-12


def test_C00e_training_curves_tell_overfitting_and_bad_learning_rates_apart():
    r = ex.training_curves()
    for run in r["good"]["runs"]:
        assert run["train_acc"][-1] > 0.99
        assert run["train_acc"][-1] - run["val_acc"][-1] > 0.1, "train keeps rising, val stalls"
        # Validation stopped improving long before training did.
        assert max(run["val_acc"][-20:]) - max(run["val_acc"][:-20]) < 0.02
    for run in r["high"]["runs"]:
        loss = np.nan_to_num(run["train_loss"], nan=np.inf)
        assert loss[0] > 2.3 and loss[-1] > 2.0, "too high: the loss jumps up and never falls"
        assert run["val_acc"][-1] < 0.2
    for run in r["low"]["runs"]:
        assert run["train_loss"][-1] > 0.95 * run["train_loss"][0], "too low: barely moves"


def test_C00f_learning_rate_matters_far_more_than_weight_decay_here():
    land = ex.search_landscape()
    assert land["lr_effect"] > 20 * land["wd_effect"]


def test_C00f_random_search_tries_more_learning_rates_and_finds_better_runs_than_grid():
    r = ex.random_vs_grid()
    assert r["distinct_lr"] == {"grid": 3, "random": 9}
    g, rnd = r["best"]["grid"], r["best"]["random"]
    diff = rnd - g
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    assert diff.mean() > 3 * se, "random search's best run is better on average"
    assert r["lr_distance"]["random"].mean() < r["lr_distance"]["grid"].mean()


def test_C00f_coarse_to_fine_beats_one_wide_search_with_the_same_budget():
    r = ex.coarse_to_fine()
    diff = r["coarse_to_fine"] - r["wide"]
    se = diff.std(ddof=1) / np.sqrt(len(diff))
    assert diff.mean() > 2 * se


def test_recap_experiments_reject_unknown_choices():
    with pytest.raises(ValueError, match="init must be one of"):
        ex.activation_statistics("tanh", "uniform")
    with pytest.raises(ValueError, match="budget must be a square"):
        ex.random_vs_grid(budget=10)
