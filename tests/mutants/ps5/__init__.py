"""Variants of the four ps5 functions (second-order methods): plausible wrong versions and
differently-written correct ones, to prove the hidden checks take points from the first and give
full marks to the second. One module per student function; see ``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(
    __name__, ("newton_step", "bfgs_update", "lbfgs_direction", "minimize_lbfgs"), min_wrong=4,
    min_correct=2,
    side_effects=(
        ("newton_step", "wrong_in_place", "newton_step.contract", "w was modified"),
        ("bfgs_update", "wrong_in_place", "bfgs_update.contract", "H_inv was modified"),
        ("lbfgs_direction", "wrong_modifies_grad", "lbfgs_direction.contract", "grad was modified"),
    ))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
