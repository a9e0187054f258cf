"""Chapter 6 demos: the augmentation playground's in-browser pixel arithmetic and random draws,
checked against numpy / scipy from node, and its widget (bundle, traits, photographs)."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from scipy import stats

from node_bridge import call_js
from trainlab.experiments.augmentation import pca_colour
from trainlab.widgets import AugmentationPlayground
from widget_checks import check_bundled_esm, check_rejects

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
    v = (v - g) * p["saturation"] + g + vecs @ (np.array(p["alpha"]) * lam)
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


def test_bundle_is_one_valid_module(tmp_path):
    check_bundled_esm(AugmentationPlayground, tmp_path, {"__mod_rng", "__mod_controls"})


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
