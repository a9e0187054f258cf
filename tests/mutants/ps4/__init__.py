"""Variants of the five ps4 functions (schedules, weight average, early stopping): plausible
wrong versions and differently-written correct ones, to prove the hidden checks take points from
the first and give full marks to the second. One module per student function; see
``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(__name__, ("step_decay", "cosine_decay", "linear_warmup", "ema_update",
                               "early_stopping"))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
