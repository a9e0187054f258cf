"""Variants of the five ps4 functions (schedules, weight average, early stopping): plausible
wrong versions and differently-written correct ones, to prove the hidden checks take points from
the first and give full marks to the second. One module per student function; see
``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(
    __name__, ("step_decay", "cosine_decay", "linear_warmup", "ema_update", "early_stopping"),
    min_wrong=4, min_correct=2,
    side_effects=(
        ("step_decay", "wrong_sorts_in_place", "step_decay.contract",
         "changed the milestones list"),
        ("ema_update", "wrong_in_place", "ema_update.contract", "modified the average or params"),
        ("ema_update", "wrong_reuses_the_list", "ema_update.contract",
         "modified the average or params"),
        ("early_stopping", "wrong_replaces_nan_in_place", "early_stopping.contract",
         "changed the list it was given"),
    ))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
