"""Matplotlib helpers shared by the chapter pages, so every figure in the book looks alike."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .surfaces import Surface

# Colour-blind-safe cycle (Okabe-Ito), in the order the book introduces methods.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def figure(ncols: int = 1, width: float = 4.2, height: float = 3.4):
    """A row of ``ncols`` axes sized for the book's text column."""
    fig, axes = plt.subplots(1, ncols, figsize=(width * ncols, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def contours(surface: Surface, ax, levels: int = 30, resolution: int = 300):
    """Filled log-spaced contours of ``surface`` over its window, with its minimum marked."""
    x0, x1, y0, y1 = surface.window
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = surface.grid(X, Y)
    # Log spacing shows both the steep walls and the flat valley floor.
    Zs = np.log1p(Z - Z.min())
    ax.contourf(X, Y, Zs, levels=levels, cmap="Greys", alpha=0.55)
    ax.contour(X, Y, Zs, levels=levels, colors="0.35", linewidths=0.4)
    if surface.minimum is not None:
        ax.plot(*surface.minimum, marker="*", color="gold", markeredgecolor="k", ms=12, zorder=5)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$w_1$", ylabel="$w_2$")
    return ax


def paths(ax, named_paths: dict, markers: bool = True):
    """Draw optimizer paths (arrays of shape (steps + 1, 2)) with a legend."""
    for (label, p), color in zip(named_paths.items(), COLORS):
        p = p[np.all(np.isfinite(p), axis=1)]
        ax.plot(p[:, 0], p[:, 1], "-", color=color, lw=1.4, label=label,
                marker="." if markers else None, ms=3)
        ax.plot(*p[0], "o", color=color, ms=5)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return ax
