"""Variants of the six ps7 functions (transfer learning in torch): plausible wrong versions and
differently-written correct ones. One module per student function; see ``mutants/__init__.py``.
Like the notebook's code, variants use the names its setup cell defines (torch, nn, F, np) and
the other student functions by name.

Not registered yet (no ``VARIANTS``): ps7's hidden checks (autograder/specs/ps7/) do not exist,
because the graded functions take and return torch modules and optimizers, which the grader's
kernel side (numpy and plain data only) and its visible-test replay (plain-data results only)
cannot carry. Registering the variants would enrol ps7 in the parametrised assignment tests
before it can pass them. The registry, when the specs land:

    VARIANTS = Variants(__name__, ("replace_head", "freeze_backbone", "make_optimizer",
                                   "extract_features", "train_step", "fine_tune"))
"""
