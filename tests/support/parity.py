"""What the parity tests of the in-browser JavaScript share: the agreement bar, its measure, and
torch's paths through trainlab.paths (torch.optim in float64)."""
from __future__ import annotations

import numpy as np

from trainlab import paths
from trainlab.surfaces import get_surface

RTOL = 1e-12  # relative agreement per iterate of a JS path with torch's, on finite paths
STEPS = 200   # steps of the parity paths unless a case says otherwise


def rel_error_per_iterate(a, b):
    """max over k of |a_k - b_k| / max_{j <= k} |b_j| (Euclidean norms).

    Relative to the path's scale so far, not to |b_k| alone: an iterate converging to a minimum
    at the origin is a sum of steps that cancel, so its rounding error is relative to the sizes
    that were summed, and |b_k| itself may be 1e-10 of them."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    diff = np.linalg.norm(a - b, axis=-1)
    scale = np.maximum.accumulate(np.linalg.norm(b, axis=-1))
    return float(np.max(np.where(diff == 0, 0.0, diff / np.where(scale == 0, 1.0, scale))))


def rel_err(js_path, py_path) -> float:
    """Largest coordinate difference relative to 1 + |reference| over two paths of equal length."""
    js, py = np.asarray(js_path, dtype=float), np.asarray(py_path, dtype=float)
    assert js.shape == py.shape, f"JS path has {len(js)} points, the reference {len(py)}"
    return float(np.max(np.abs(js - py) / (1.0 + np.abs(py))))


def agreeing_steps(js_path, py_path, rtol=1e-9):
    """(leading iterates of the two paths that agree to ``rtol`` relative per iterate, length of
    the JS path, length of the finite part of the reference)."""
    js = np.asarray(js_path, dtype=float)
    py = py_path[np.all(np.isfinite(py_path), axis=1)]
    n = min(len(js), len(py))
    rel = np.max(np.abs(js[:n] - py[:n]) / (1.0 + np.abs(py[:n])), axis=1)
    bad = np.flatnonzero(~(rel <= rtol))
    return int(bad[0]) if bad.size else n, len(js), len(py)


def torch_path(surface_name, name, hyper, steps, noise=None, start=None, params=None):
    """torch.optim's path of optimizer ``name`` with ``hyper`` (the JS's bias_correction key is
    dropped: torch's Adam always corrects) on a surface of trainlab.surfaces."""
    hyper = {k: v for k, v in hyper.items() if k != "bias_correction"}
    surface = get_surface(surface_name, **(params or {}))
    return paths.optimizer_path(surface, name, steps, start=start, noise=noise, **hyper)

