"""Assertions for the update-rule assignments (ps2, ps3: rules in CS231n's API, graded by
autograder/specs/optim/), beyond those every assignment gets (assignment_checks.py).

Each ``check_*`` takes an :class:`assignment_checks.AssignmentUnderTest` and asserts.
"""
from __future__ import annotations

import inspect
import re

import numpy as np

from autograder.decide.checks import observe_check
from autograder.specs.optim.grader_side import ATOL_W, RTOL_W, RULES, TORCH_REFERENCE, reference_for


def check_docstrings_document_the_config(A) -> None:
    """Each docstring names every config key with its default, the torch.optim reference and
    where epsilon goes, exactly as the hidden checks assume."""
    ns = A.namespace()
    for function in A.variants.FUNCTIONS:
        doc = inspect.getdoc(ns[function])
        rule = RULES[function]
        for key, default in rule.hyper.items():
            stated = re.search(rf"^\s+{key}: .*default ([0-9.e+-]+)\.$", doc, re.M)
            assert stated and float(stated.group(1)) == default, (function, key)
        for key in rule.state:
            default = "0" if key == "t" else "zeros like w"
            assert re.search(rf"^\s+{key}: .*default {default}", doc, re.M), (function, key)
        assert TORCH_REFERENCE[function] in doc, function
        if "epsilon" in rule.hyper:
            assert "outside the square root" in doc and "np.sqrt(" in doc, function
        assert "Do not modify w" in doc, function


def check_inputs_reach_what_the_variants_differ_in(A) -> None:
    """For every submission (200 keys of the seed sweep), the trajectory check's draws include
    one with tiny gradients (where epsilon's place decides the step) beside normal-sized ones
    and one with exact zeros; every run is at least 20 steps (state and t carried over many
    calls); over the class the draws cover several shapes."""
    from autograder.decide.checks import draws
    from support.seed_sweep import key

    for function in A.variants.FUNCTIONS:
        group = A.groups[f"{function}.trajectory"]
        (check,) = group.checks
        shapes = set()
        for i in range(200):
            tiny_and_normal = zeros = False
            for _, seed in draws(key(A.name, i), group, 0):
                inp = check.inputs(np.random.default_rng(seed))
                g = np.abs(inp["grads"])
                shapes.add(inp["w0"].shape)
                per_coordinate = g.max(axis=0)
                tiny_and_normal |= bool(per_coordinate.min() <= 1e-6 <= 1e-2 <= per_coordinate.max())
                zeros |= bool((g == 0).any())
                assert len(inp["grads"]) >= 20
            # Tiny gradients matter where epsilon's place decides the step.
            assert zeros and (tiny_and_normal or "epsilon" not in RULES[function].hyper), (function, i)
        assert len(shapes) >= 3, function


def tolerance_used(A, function: str, variant: str) -> float:
    """The largest |next_w - reference| / (atol + rtol |reference|) over every call of every
    check that compares values (inf if the variant raised): below 1 passes, above 1 fails."""
    ns = A.namespace(function, variant)
    worst = 0.0
    for aspect in ("trajectory", "defaults", "state"):
        for check in getattr(A.groups.get(f"{function}.{aspect}"), "checks", ()):
            for seed in check.seeds:
                inp, obs = observe_check(check, ns, seed)
                if "error" in obs:
                    return np.inf
                expected, _ = reference_for(inp)
                for call, e in zip(obs["calls"], expected):
                    ratio = np.abs(call["next_w"].astype(np.float64) - e) / (ATOL_W + RTOL_W * np.abs(e))
                    worst = max(worst, float(np.nan_to_num(ratio.max(), nan=np.inf)))
    return worst


def check_tolerance_is_far_from_every_variant(A) -> None:
    """Correct versions use at most 1% of the tolerance, and every wrong version that computes
    other values misses it by a factor of 100 or more: no variant passes or fails by a hair."""
    close = []
    for kind in ("correct", "wrong"):
        for function, variant in A.variants.all_variants(kind):
            used = tolerance_used(A, function, variant)
            if (kind == "correct" and used > 1e-2) or (kind == "wrong" and 1e-2 < used < 1e2):
                close.append(f"{kind} {function}.{variant}: {used:.3g} of the tolerance")
    assert not close, close

