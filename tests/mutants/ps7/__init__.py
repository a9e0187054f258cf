"""Variants of the six ps7 functions (transfer learning in torch): plausible wrong versions and
differently-written correct ones, to prove the hidden checks take points from the first and give
full marks to the second. One module per student function; see ``mutants/__init__.py``. Like the
notebook's code, variants use the names its setup cell defines (torch, nn, F, np) and the other
student functions by name.
"""
from __future__ import annotations

from mutants import Variants

VARIANTS = Variants(__name__, ("replace_head", "freeze_backbone", "make_optimizer",
                               "extract_features", "train_step", "fine_tune"))
FUNCTIONS = VARIANTS.functions
REGISTRY = VARIANTS.registry
variant = VARIANTS.variant
describe = VARIANTS.describe
variant_source = VARIANTS.variant_source
all_variants = VARIANTS.all_variants
