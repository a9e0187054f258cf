"""Variants of the three ps2 functions (update rules with momentum): plausible wrong versions and
differently-written correct ones, to prove the hidden checks take points from the first and give
full marks to the second. One module per student function; see ``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(
    __name__, ("sgd", "sgd_momentum", "nesterov_momentum"), min_wrong=4, min_correct=2,
    side_effects=(("sgd", "wrong_in_place", "sgd.contract", "call 1 modified w, dw or an array in config in place"),
                  ("sgd_momentum", "wrong_velocity_in_place", "sgd_momentum.contract",
                   "call 1 modified w, dw or an array in config in place")))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
