"""The ps2/ps3 reference solutions against torch.optim: largest |difference| over 100 steps.

Each update rule of solutions/ps2 and solutions/ps3 runs 100 float64 steps on the hidden tests'
kind of data (random shapes, gradients from 1e-9 to 10 in size, some exactly 0), once with the
defaults (config=None) and once with every hyperparameter given, carrying its config from call
to call; torch.optim runs the same gradients (autograder/specs/_optim.py, reference_for). The
figure is the largest absolute difference of next_w over all steps. Goal: <= 1e-12.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np

from autograder.specs.optim import grader_side as _optim

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = {"ps2": ("sgd", "sgd_momentum", "nesterov_momentum"),
               "ps3": ("adagrad", "rmsprop", "adam", "adamw")}
STEPS = 100


def solution_namespace(assignment: str) -> dict:
    """The setup cell and every solution code cell of the solution notebook, executed."""
    nb = nbformat.read(REPO_ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    ns: dict = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade_id") == "setup"):
            exec(compile(cell.source, f"<{assignment} {meta.get('grade_id')}>", "exec"), ns)
    return ns


def max_abs_diff(rule, name: str, mode: str, seed: int) -> float:
    inp = _optim.make_inputs(np.random.default_rng(seed), name, mode, steps=STEPS)
    expected, _ = _optim.reference_for(inp)
    w, config, worst = inp["w0"], inp["config"], 0.0
    for dw, e in zip(inp["grads"], expected):
        w, config = rule(w, dw, config)
        worst = max(worst, float(np.max(np.abs(w - e))))
    return worst


def run() -> dict:
    figures = {}
    for assignment, names in ASSIGNMENTS.items():
        ns = solution_namespace(assignment)
        for name in names:
            figures[f"{name}_max_abs_diff"] = max(
                max_abs_diff(ns[name], name, mode, seed) for mode in ("none", "full")
                for seed in range(3))
    return {"max_abs_diff_vs_torch": max(figures.values()), "steps": STEPS, **figures}


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:32} {value:.3g}")
