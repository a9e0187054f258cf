"""Variants of the six ps6 functions (dropout, penalties, augmentations): plausible wrong versions
and differently-written correct ones, to prove the hidden checks take points from the first and
give full marks to the second. One module per student function; see ``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(__name__, ("dropout_forward", "dropout_backward", "weight_penalty",
                               "random_crop_flip", "cutout", "mixup"))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
