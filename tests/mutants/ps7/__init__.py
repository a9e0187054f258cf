"""Variants of the six ps7 functions (transfer learning in torch): plausible wrong versions and
differently-written correct ones. One module per student function; see ``mutants/__init__.py``.
Like the notebook's code, variants use the names its setup cell defines (torch, nn, F, np) and
the other student functions by name."""
from mutants import Variants

VARIANTS = Variants(__name__, ("replace_head", "freeze_backbone", "make_optimizer",
                               "extract_features", "train_step", "fine_tune"), min_wrong=4)
FUNCTIONS, REGISTRY = VARIANTS.functions, VARIANTS.registry
variant, describe = VARIANTS.variant, VARIANTS.describe
variant_source, all_variants = VARIANTS.variant_source, VARIANTS.all_variants
