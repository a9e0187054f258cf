"""The one palette (trainlab/js/palette.json): complete, readable on the light and the dark page,
distinguishable within every group under simulated colour-vision deficiencies, backed by dashes,
and the same in Python (matplotlib figures) and JavaScript (demos).

Colour-vision deficiencies are simulated with Machado, Oliveira & Fernandes (2009) at full
severity (dichromacy), as implemented by colorspacious; distances are in CAM02-UCS, where ~1 is a
just-noticeable difference for large patches and thin lines need far more.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert

from support.node_bridge import call_js
from trainlab import palette

# Two lines of a group must differ by at least this much in every simulated vision. Thin lines
# on a contour plot need a clear difference, not a just-noticeable one; dashes back it up.
MIN_DELTA_E = 10.0
VISIONS = {
    "normal": None,
    "deuteranopia": {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100},
    "protanopia": {"name": "sRGB1+CVD", "cvd_type": "protanomaly", "severity": 100},
    "tritanopia": {"name": "sRGB1+CVD", "cvd_type": "tritanomaly", "severity": 100},
}


def theme_backgrounds() -> dict[str, str]:
    """The page backgrounds demos and figures sit on, from the installed theme's stylesheet."""
    import pydata_sphinx_theme

    css = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" /
           "static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    out = {}
    for mode in ("light", "dark"):
        blocks = re.findall(r"html\[data-theme=%s\]\{([^}]*)\}" % mode, css)
        (value,) = {m for b in blocks for m in re.findall(r"--pst-color-background:(#[0-9a-fA-F]+)", b)}
        out[mode] = "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value.lower()
    return out


BACKGROUNDS = theme_backgrounds()
# Methods the later chapters plot: each must have its own entry.
REQUIRED = {
    "optimizers": ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"],
    "second order": ["newton", "bfgs", "lbfgs"],
    "schedules": ["constant", "step", "cosine", "warmup", "inverse_sqrt", "cyclic"],
    "averaging": ["ema", "swa", "ensemble", "snapshot"],
    "regularizers": ["none", "l2", "l1", "elastic_net", "dropout", "batch_norm", "augmentation"],
    "transfer": ["scratch", "linear_probe", "fine_tune"],
    "curves": ["train", "validation"],
}


def rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def luminance(hex_color: str) -> float:
    c = rgb(hex_color)
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def seen_as(hex_colors: list[str], vision: str) -> np.ndarray:
    """The colours in CAM02-UCS as a viewer with `vision` sees them."""
    x = np.array([rgb(c) for c in hex_colors])
    if VISIONS[vision] is not None:
        x = np.clip(cspace_convert(x, VISIONS[vision], "sRGB1"), 0, 1)
    return cspace_convert(x, "sRGB1", "CAM02-UCS")


def confusable(named_colors: dict[str, str], threshold: float = MIN_DELTA_E) -> list[str]:
    """Pairs closer than `threshold` in some vision, as 'a~b (vision: dE)'."""
    names, colors = list(named_colors), list(named_colors.values())
    out = []
    for vision in VISIONS:
        ucs = seen_as(colors, vision)
        for i, j in itertools.combinations(range(len(names)), 2):
            d = float(np.linalg.norm(ucs[i] - ucs[j]))
            if d < threshold:
                out.append(f"{names[i]}~{names[j]} ({vision}: {d:.1f})")
    return out


def test_every_method_the_book_plots_has_a_colour_dash_and_label():
    missing = [k for keys in REQUIRED.values() for k in keys if k not in palette.METHODS]
    assert not missing, f"palette.json lacks {missing}"
    for key, m in palette.METHODS.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", m["color"]), (key, m["color"])
        assert m["label"].strip(), key
        assert len(m["dash"]) % 2 == 0 and all(d > 0 for d in m["dash"]), (key, m["dash"])
    assert palette.SPLITS["train"] != palette.SPLITS["validation"]


def test_every_method_is_in_a_group_and_every_group_member_exists():
    grouped = {k for keys in palette.GROUPS.values() for k in keys}
    assert set(palette.METHODS) <= grouped, f"in no group: {set(palette.METHODS) - grouped}"
    assert grouped <= set(palette.METHODS), f"unknown in groups: {grouped - set(palette.METHODS)}"
    for name, keys in palette.GROUPS.items():
        assert len(keys) == len(set(keys)), name


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_every_colour_has_3_to_1_contrast_on_the_light_and_the_dark_page(background):
    low = {k: round(contrast(m["color"], BACKGROUNDS[background]), 2)
           for k, m in palette.METHODS.items()
           if contrast(m["color"], BACKGROUNDS[background]) < 3.0}
    assert not low, f"below WCAG's 3:1 for graphics on the {background} page: {low}"


@pytest.mark.parametrize("group", sorted(palette.GROUPS))
def test_each_group_stays_distinguishable_under_colour_vision_deficiencies(group):
    colors = {k: palette.color(k) for k in palette.group(group)}
    assert not confusable(colors), f"group {group}: {confusable(colors)}"


@pytest.mark.parametrize("group", sorted(palette.GROUPS))
def test_each_group_backs_its_colours_with_distinct_dashes(group):
    dashes = [tuple(palette.dash(k)) for k in palette.group(group)]
    assert len(set(dashes)) == len(dashes), f"group {group} repeats a dash: {dashes}"


def test_the_check_catches_the_colours_that_collided_before():
    # The demos' old momentum and Nesterov blues, and the old seven-colour series.
    assert confusable({"momentum": "#1c7ed6", "nesterov": "#1098ad"})
    old = ["#e8590c", "#1c7ed6", "#2f9e44", "#ae3ec9", "#f59f00", "#1098ad", "#e64980"]
    assert len(confusable(dict(zip("abcdefg", old)))) >= 3


def test_python_and_javascript_read_the_same_palette():
    keys = list(palette.METHODS)
    js = call_js([("palette.js", "methodStyle", [k, 2.0]) for k in keys])
    for key, style in zip(keys, js):
        assert style == {"color": palette.color(key), "label": palette.label(key),
                         "dash": [2.0 * d for d in palette.dash(key)]}, key
    (groups,) = call_js([("palette.js", "GROUPS", [])])
    assert groups == palette.GROUPS


def test_style_gives_matplotlib_colour_dashes_and_label():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    (adam,) = ax.plot([0, 1], [0, 1], **palette.style("adam"))
    (train,) = ax.plot([0, 1], [1, 0], **palette.style("adam", split="train"))
    (sgd,) = ax.plot([0, 1], [1, 1], **palette.style("sgd", label="SGD, lr 0.1"))
    plt.close(fig)
    assert adam.get_color() == palette.color("adam") and adam.get_label() == "Adam"
    assert adam.get_linestyle() != "-" and train.get_linestyle() != "-"
    assert train.get_label() == "Adam (train)" and sgd.get_linestyle() == "-"
    assert sgd.get_label() == "SGD, lr 0.1"
    with pytest.raises(KeyError, match="no method 'adan'"):
        palette.style("adan")
    with pytest.raises(KeyError, match="split must be one of train, validation"):
        palette.style("adam", split="test")


def test_plotting_paths_take_palette_keys_and_keep_the_legend_off_the_data():
    import matplotlib
    matplotlib.use("Agg")
    from trainlab import plotting

    fig, (ax,) = plotting.figure()
    path = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    plotting.paths(ax, {"momentum": path, ("adam", "Adam, lr 0.1"): path + 1})
    lines = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    assert lines["Momentum"].get_color() == palette.color("momentum")
    assert lines["Adam, lr 0.1"].get_color() == palette.color("adam")
    fig.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1, "the legend sits beside the axes"
    matplotlib.pyplot.close(fig)
