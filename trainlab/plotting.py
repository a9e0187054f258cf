"""Matplotlib helpers shared by the chapter pages, so every figure in the book looks alike.

Importing this module sets the book's figure style: SVG output in notebooks (crisp at any zoom
and on HiDPI screens), text sizes that stay legible in the text column, transparent
backgrounds (the site's dark mode re-colours figures), and tick labels in the text colour.
Colours, dashes and labels come from `trainlab.palette`, keyed by method name:

    fig, (ax,) = plotting.figure()
    ax.plot(steps, loss, **palette.style("adam"))
    plotting.legend(ax)                    # beside the axes, never over the data
"""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from . import palette
from .surfaces import Surface

# The optimizers' colours in the book's order, for figures not yet keyed by method name.
# Prefer palette.style("<method>"): a method keeps its colour and dashes in every figure and demo.
COLORS = [palette.color(k) for k in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop",
                                     "adam", "adamw", "gd")]

STYLE = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    # Dark grey text and frame on a transparent background: 12.6:1 on white (WCAG AA needs
    # 4.5:1), and the dark mode's inversion turns it into light grey on the dark page.
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#444444",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "xtick.labelcolor": "#222222",
    "ytick.labelcolor": "#222222",
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    # Raster parts of an SVG (filled contours, heat maps) at 2x a 100-dpi screen.
    "savefig.dpi": 200,
    "figure.dpi": 100,
    "svg.fonttype": "path",
}
mpl.rcParams.update(STYLE)


def _svg_in_notebooks() -> None:
    """Notebook figures as SVG (the inline backend's default is a 1x PNG)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg")


_svg_in_notebooks()


def figure(ncols: int = 1, width: float = 4.2, height: float = 3.4):
    """A row of ``ncols`` axes sized for the book's text column."""
    fig, axes = plt.subplots(1, ncols, figsize=(width * ncols, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def legend(ax, where: str = "right", **kwargs):
    """The axes' legend outside the plotting area, so it hides no data: to the ``right`` of
    the axes (one column) or ``above`` them (one row, several columns)."""
    if where == "right":
        kwargs = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0), "borderaxespad": 0.0,
                  **kwargs}
    elif where == "above":
        handles, _ = ax.get_legend_handles_labels()
        kwargs = {"loc": "lower left", "bbox_to_anchor": (0.0, 1.02), "borderaxespad": 0.0,
                  "ncols": min(len(handles), 4) or 1, **kwargs}
    else:
        raise ValueError(f"legend(where=...) must be 'right' or 'above'; got {where!r}")
    return ax.legend(**kwargs)


def contours(surface: Surface, ax, levels: int = 30, resolution: int = 300):
    """Filled log-spaced contours of ``surface`` over its window, with its minimum marked."""
    x0, x1, y0, y1 = surface.window
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = surface.grid(X, Y)
    # Log spacing shows both the steep walls and the flat valley floor.
    Zs = np.log1p(Z - Z.min())
    filled = ax.contourf(X, Y, Zs, levels=levels, cmap="Greys", alpha=0.45)
    filled.set_rasterized(True)  # thousands of polygons: an image inside the SVG is far smaller
    ax.contour(X, Y, Zs, levels=levels, colors="0.45", linewidths=0.4)
    if surface.minimum is not None:
        ax.plot(*surface.minimum, marker="*", color="gold", markeredgecolor="k", ms=12, zorder=5,
                linestyle="none", label="minimum")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$w_1$", ylabel="$w_2$")
    return ax


def paths(ax, named_paths: dict, markers: bool = True, where: str = "right"):
    """Draw optimizer paths (arrays of shape (steps + 1, 2)) with a legend beside the axes.

    Keys are palette method names ("sgd", "adam", ...), which give each path its colour, dashes
    and label, or (method, label) pairs to relabel one (e.g. ("momentum", "rho = 0.5")); any
    other string is a label, coloured in turn from COLORS."""
    for k, (key, p) in enumerate(named_paths.items()):
        method, text = key if isinstance(key, tuple) else (key, None)
        if method in palette.METHODS:
            style = palette.style(method, label=text)
        else:
            style = {"color": COLORS[k % len(COLORS)], "label": method}
        p = p[np.all(np.isfinite(p), axis=1)]
        ax.plot(p[:, 0], p[:, 1], lw=1.4, marker="." if markers else None, ms=3, **style)
        ax.plot(*p[0], "o", color=style["color"], ms=5)
    if where:
        legend(ax, where)
    return ax
