"""Chapter 6 data augmentation on real photographs (scikit-image's, shipped offline): ResNet's
scale augmentation and its 10-crop test, colour jitter, AlexNet's PCA colour shift, Cutout and
Mixup. Images are float32 (H, W, 3) arrays in [0, 1]; every random choice comes from the
``numpy.random.Generator`` passed in, and each function returns the parameters it drew so the
page can print them.
"""
from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from ..cache import cached
from ..data import PHOTOGRAPHS, photograph


def resize_short_side(img, length: int):
    """Bilinear resize so that the shorter side is ``length`` pixels (aspect ratio kept)."""
    h, w = img.shape[:2]
    scale = length / min(h, w)
    size = (max(1, round(h * scale)), max(1, round(w * scale)))
    t = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None]
    out = F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)
    return out[0].permute(1, 2, 0).clamp(0, 1).numpy()  # antialiasing overshoots slightly


def resnet_train_crop(img, rng, short=(256, 480), size=224):
    """ResNet's training augmentation: resize the short side to L ~ U{256..480}, take a random
    size x size crop, flip it left-right with probability 1/2. Returns (crop, params)."""
    length = int(rng.integers(short[0], short[1] + 1))
    big = resize_short_side(img, length)
    top = int(rng.integers(0, big.shape[0] - size + 1))
    left = int(rng.integers(0, big.shape[1] - size + 1))
    crop = big[top:top + size, left:left + size]
    flip = bool(rng.random() < 0.5)
    return (crop[:, ::-1] if flip else crop), {"L": length, "top": top, "left": left, "flip": flip}


def ten_crops(img, size=224):
    """The 10-crop test: the four corners and the centre, each also mirrored (one scale)."""
    h, w = img.shape[:2]
    if size > min(h, w):
        raise ValueError(f"crop size {size} exceeds the image ({h}x{w}); resize it first")
    corners = [(0, 0), (0, w - size), (h - size, 0), (h - size, w - size),
               ((h - size) // 2, (w - size) // 2)]
    crops = [img[t:t + size, l:l + size] for t, l in corners]
    return crops + [c[:, ::-1] for c in crops]


def colour_jitter(img, rng, brightness=0.4, contrast=0.4, saturation=0.4):
    """Scale brightness, contrast (around the mean grey) and saturation (around each pixel's
    grey) by factors drawn uniformly from [1 - s, 1 + s], in that order; clip to [0, 1]."""
    f = {k: float(rng.uniform(1 - s, 1 + s)) for k, s in
         (("brightness", brightness), ("contrast", contrast), ("saturation", saturation))}
    grey_w = np.array([0.299, 0.587, 0.114], dtype=img.dtype)
    out = img * f["brightness"]
    out = (out - (out @ grey_w).mean()) * f["contrast"] + (out @ grey_w).mean()
    g = (out @ grey_w)[..., None]
    out = (out - g) * f["saturation"] + g
    return np.clip(out, 0, 1).astype(img.dtype), f


def pca_colour(img, rng, std=0.1):
    """AlexNet's colour augmentation: add sum_k alpha_k sqrt(lambda_k) p_k to every pixel, where
    (lambda_k, p_k) are the eigenvalues and eigenvectors of the 3x3 covariance of the image's
    RGB values and alpha_k ~ N(0, std^2). The paper writes lambda_k; with pixels in [0, 1] that
    shift is invisibly small (lambda ~ 0.05), so, like common implementations (fb.resnet.torch,
    timm), this scales by the standard deviation sqrt(lambda_k) along each axis. (AlexNet
    computed the covariance over the whole training set; one image stands in for it here.) Each eigenvector's sign is chosen so its
    components sum to a positive number. Returns (image, shift, eigenvalues,
    eigenvectors as columns)."""
    pix = img.reshape(-1, 3).astype(np.float64)
    lam, vecs = np.linalg.eigh(np.cov(pix, rowvar=False))
    vecs = vecs * np.sign(vecs.sum(axis=0))  # a fixed sign per axis (the demo uses the same)
    alpha = rng.normal(0.0, std, 3)
    shift = vecs @ (alpha * np.sqrt(np.maximum(lam, 0)))
    return np.clip(img + shift, 0, 1).astype(img.dtype), shift, lam, vecs


@cached
def photo_gallery(name="chelsea", seed=0, draws=4) -> dict:
    """C30: ``draws`` ResNet training crops, the 10 test crops, colour jitter and PCA colour
    draws of one photograph (downscaled for the page), with the parameters of each draw and the
    photograph's credit."""
    rng = np.random.default_rng(seed)
    img = photograph(name)
    train = [resnet_train_crop(img, rng) for _ in range(draws)]
    test = ten_crops(resize_short_side(img, 256))
    jitter = [colour_jitter(img, rng) for _ in range(draws)]
    pca = [pca_colour(img, rng) for _ in range(draws)]
    small = lambda a: resize_short_side(a, 112)  # noqa: E731  (page figures are small)
    return {"name": name, "credit": PHOTOGRAPHS[name][1], "original": small(img),
            "shape": img.shape,
            "train_crops": [small(c) for c, _ in train], "train_params": [p for _, p in train],
            "test_crops": [small(c) for c in test],
            "jitter": [small(j) for j, _ in jitter], "jitter_params": [f for _, f in jitter],
            "pca": [small(p) for p, *_ in pca], "pca_shift": np.array([s for _, s, _, _ in pca]),
            "pca_eigenvalues": pca[0][2], "pca_eigenvectors": pca[0][3]}


@cached
def resnet_crop_statistics(name="astronaut", draws=2000, seed=0) -> dict:
    """C30: how much of the photograph one ResNet training crop shows, over many draws: the
    crop is 224 px of a short side between 256 and 480, so it covers between (224/480)^2 and
    (224/256)^2 of the area of a square image. Also the number of test crops per scale."""
    rng = np.random.default_rng(seed)
    img = photograph(name)
    h, w = img.shape[:2]
    lengths = rng.integers(256, 481, draws)
    frac = (224 / lengths) ** 2 * min(h, w) / max(h, w)
    crops = ten_crops(resize_short_side(img, 256))
    return {"lengths": lengths, "area_fraction": frac, "crops_per_scale": len(crops),
            "distinct_test_crops": len({c.tobytes() for c in crops}),
            "scales": [224, 256, 384, 480, 640]}


def cutout_image(img, rng, size):
    """Zero one size x size square (every channel) whose centre is uniform over the pixels,
    clipped at the borders. Returns (image, (ci, cj))."""
    h, w = img.shape[:2]
    ci, cj = int(rng.integers(0, h)), int(rng.integers(0, w))
    out = img.copy()
    out[max(0, ci - size // 2):ci - size // 2 + size, max(0, cj - size // 2):cj - size // 2 + size] = 0
    return out, (ci, cj)


@cached
def cutout_and_mixup(names=("chelsea", "coffee"), size=128, alpha=0.4, seed=0) -> dict:
    """C31 on two photographs: Cutout draws, and Mixup blends with lam ~ Beta(alpha, alpha) of
    the two images and their one-hot labels (cat = class 0, cup = class 1)."""
    rng = np.random.default_rng(seed)
    imgs = [resize_short_side(photograph(n), 112)[:112, :112] for n in names]
    cut = [cutout_image(imgs[0], rng, size // 3) for _ in range(3)]
    lams = [float(rng.beta(alpha, alpha)) for _ in range(3)] + [0.5]
    blends = [lam * imgs[0] + (1 - lam) * imgs[1] for lam in lams]
    labels = [[lam, 1 - lam] for lam in lams]
    return {"names": list(names), "credits": [PHOTOGRAPHS[n][1] for n in names],
            "cutout": [c for c, _ in cut], "cutout_centres": [c for _, c in cut],
            "mixup": blends, "lams": lams, "labels": labels, "images": imgs}
