"""Variants of the six ps6 functions (dropout, penalties, augmentations): plausible wrong versions
and differently-written correct ones, to prove the hidden checks take points from the first and
give full marks to the second. One module per student function; see ``mutants/__init__.py``.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(
    __name__, ("dropout_forward", "dropout_backward", "weight_penalty", "random_crop_flip",
               "cutout", "mixup"),
    min_wrong=4, min_correct=2,
    side_effects=(  # judged from the arguments as the function left them
        ("dropout_forward", "wrong_modifies_x", "dropout_forward.contract", "modified x"),
        ("cutout", "wrong_modifies_images", "cutout.contract", "modified images")))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
