"""Chapter 6 demos: the augmentation playground's in-browser pixel arithmetic and random draws,
checked against numpy / scipy from node, and its widget (bundle, traits, photographs)."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from scipy import stats

from support.node_bridge import call_js
from trainlab.experiments.augmentation import pca_colour
from trainlab.widgets import AugmentationPlayground
from support.widget_checks import check_bundled_esm, check_rejects

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


@pytest.mark.parametrize("name,value,match", [
    ("min_area", 0.0, "smallest share"), ("cutout", 500, "Cutout square"),
    ("mixup_alpha", -1.0, "Beta"), ("size", 64, "side of the image"),
    ("photo", "lena", "must be one of"),
])
def test_bad_input_raises_a_clear_trait_error(name, value, match):
    check_rejects(AugmentationPlayground, name, value, match)


def test_photographs_are_embedded_with_their_credit():
    w = AugmentationPlayground()
    assert w._photo_a.startswith("data:image/jpeg;base64,") and len(w._photo_a) < 60_000
    assert "CC0" in w._credit and "Stefan van der Walt" in w._credit


# ------------------------------------------------------------- constraint shapes ----

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


# --------------------------------------------------------------- dropout ensemble ----

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


@pytest.mark.parametrize("cls,shared", [
    ("AugmentationPlayground", {"__mod_rng", "__mod_controls"}),
    ("ConstraintShapes", {"__mod_plot", "__mod_controls"}),
    ("DropoutEnsemble", {"__mod_rng", "__mod_plot", "__mod_controls"}),
])
def test_every_chapter6_bundle_is_one_valid_module(cls, shared, tmp_path):
    import trainlab.widgets as W

    check_bundled_esm(getattr(W, cls), tmp_path, shared)


def test_chapter6_widgets_reject_bad_input_clearly():
    from trainlab.widgets import ConstraintShapes, DropoutEnsemble

    check_rejects(ConstraintShapes, "penalty", "L3", "must be one of")
    check_rejects(ConstraintShapes, "strength", -1.0, "penalty strength")
    check_rejects(DropoutEnsemble, "p", 1.0, "probability of dropping")
    check_rejects(DropoutEnsemble, "masks", 0, "number of masks")
