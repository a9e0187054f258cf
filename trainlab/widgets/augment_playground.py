"""Live demo for chapter 6 (claims C30, C31): data augmentation on a real photograph."""
from __future__ import annotations

import base64
import functools
import io

import numpy as np
import traitlets

from ._base import Demo


@functools.lru_cache(maxsize=8)
def photo_data_url(name: str, size: int) -> str:
    """A centred square crop of a scikit-image photograph, resized to size x size, as a JPEG
    data URL (the page embeds it: no request at run time)."""
    from PIL import Image

    from ..data import photograph

    img = photograph(name)
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    pil = Image.fromarray((img[top:top + s, left:left + s] * 255).round().astype(np.uint8))
    buf = io.BytesIO()
    pil.resize((size, size), Image.LANCZOS).save(buf, format="JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class AugmentationPlayground(Demo):
    """Random crop, flip, Mixup, colour jitter, PCA colour shift and Cutout applied in the
    browser to a size x size photograph; "draw again" draws new random values (a new ``seed``).

    ``min_area``: the crop's area is uniform in [min_area, 1] of the image. ``brightness``,
    ``contrast``, ``saturation``: factors uniform in [1 - s, 1 + s]. ``pca_std``: the standard
    deviation of AlexNet's alphas (0.1 in the paper), which scale the colour's standard deviation
    along each principal axis. ``cutout``: side of the zeroed square in
    pixels (0 = off). ``mixup_alpha``: Beta(alpha, alpha) for the blend with the second
    photograph (0 = off). ``photo`` and ``partner`` name photographs of ``trainlab.data``.
    """

    JS = "augment_playground.js"
    TITLE = "Augmentation playground"
    LIMITS = {"min_area": (0.08, 1.0), "brightness": (0.0, 0.8), "contrast": (0.0, 0.8),
              "saturation": (0.0, 0.8), "pca_std": (0.0, 1.0), "cutout": (0, 192),
              "mixup_alpha": (0.0, 4.0), "seed": (0, 1_000_000), "size": (256, 512)}
    ABOUT = {
        "min_area": "the smallest share of the image a crop may keep",
        "brightness": "the half-width of the brightness factor's range around 1",
        "contrast": "the half-width of the contrast factor's range around 1",
        "saturation": "the half-width of the saturation factor's range around 1",
        "pca_std": "the standard deviation of the PCA colour alphas",
        "cutout": "the side of the Cutout square in pixels, 0 for off",
        "mixup_alpha": "Mixup's Beta(alpha, alpha) parameter, 0 for off",
        "seed": "the draw number",
        "size": "the side of the image in pixels",
    }

    crop = traitlets.Bool(True).tag(sync=True)
    min_area = traitlets.Float(0.35).tag(sync=True)
    flip = traitlets.Bool(True).tag(sync=True)
    brightness = traitlets.Float(0.3).tag(sync=True)
    contrast = traitlets.Float(0.3).tag(sync=True)
    saturation = traitlets.Float(0.3).tag(sync=True)
    pca_std = traitlets.Float(0.1).tag(sync=True)
    cutout = traitlets.Int(0).tag(sync=True)
    mixup_alpha = traitlets.Float(0.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    size = traitlets.Int(256).tag(sync=True)
    photo = traitlets.Unicode("chelsea")
    partner = traitlets.Unicode("coffee")
    _photo_a = traitlets.Unicode().tag(sync=True)
    _photo_b = traitlets.Unicode().tag(sync=True)
    _credit = traitlets.Unicode().tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._load()
        self.observe(lambda _: self._load(), names=["photo", "partner", "size"])

    @traitlets.validate("photo", "partner")
    def _known_photo(self, proposal):
        from ..data import PHOTOGRAPHS

        if proposal["value"] not in PHOTOGRAPHS:
            raise traitlets.TraitError(f"AugmentationPlayground.{proposal['trait'].name} must be "
                                       f"one of {sorted(PHOTOGRAPHS)}; got {proposal['value']!r}")
        return proposal["value"]

    def _load(self):
        from ..data import PHOTOGRAPHS

        self._photo_a = photo_data_url(self.photo, self.size)
        self._photo_b = photo_data_url(self.partner, self.size)
        self._credit = ("Photographs from scikit-image: " + PHOTOGRAPHS[self.photo][1] +
                        "; Mixup partner: " + PHOTOGRAPHS[self.partner][1] + ".")
