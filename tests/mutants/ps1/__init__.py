"""Variants of the five ps1 functions: plausible wrong versions and differently-written correct
ones, to prove the hidden checks take points from the first and give full marks to the second.

One module per student function (``rel_error.py``, ...); see ``mutants/__init__.py`` for the
conventions. Usage::

    from mutants.ps1 import REGISTRY, variant_source
    REGISTRY["minibatches"]["wrong"]           # ['wrong_drops_last_batch', ...]
    variant_source("minibatches", "wrong_drops_last_batch")  # 'def minibatches(n, ...'
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(
    __name__, ("rel_error", "numeric_gradient", "gradient_descent", "minibatches",
               "sgd_least_squares"),
    side_effects=(  # judged from a second call on inputs changed in place by known amounts
        ("numeric_gradient", "wrong_leaves_x_modified", "numeric_gradient.contract", "left x changed"),
        ("numeric_gradient", "wrong_restores_by_arithmetic", "numeric_gradient.contract",
         "left x changed"),
        ("gradient_descent", "wrong_modifies_w0", "gradient_descent.contract", "modified w0"),
        ("sgd_least_squares", "wrong_modifies_w0", "sgd_least_squares.contract",
         "modified X, y or w0")))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
