"""Wrong and differently-written correct implementations of graded functions, per assignment.

One package per assignment (``mutants/ps1``, ...), one module per student function in it. In
each module, a top-level function named ``wrong_<what>`` or ``correct_<how>`` has the student
function's signature; its first docstring line says what it does. Variants use only ``np`` (and
the standard library, imported inside the function) and may call the other student functions
by their names, exactly like code in the notebook, so their source can be pasted into the
notebook's solution cell. :class:`Variants` finds them; each package exposes one as module-level
names (``REGISTRY``, ``variant_source``, ...). tests/assignments/test_assignments.py runs every
package here that registers ``VARIANTS`` (see autograder/README.md, "Adding an assignment").
"""
from __future__ import annotations

import importlib
import inspect
import re


class Variants:
    """The variants of one assignment's functions, found in ``<package>.<function>`` modules."""

    def __init__(self, package: str, functions: tuple[str, ...], *, min_wrong: int = 3,
                 min_correct: int = 1, side_effects: tuple = ()):
        """``functions``: the graded functions, in notebook order. ``min_wrong``/``min_correct``:
        how many variants each function must have. ``side_effects``: (function, wrong variant,
        group, words its failure message must contain) for variants that modify an input in
        place, so the test can show the group says so."""
        self.package = package
        self.functions = tuple(functions)
        self.min_wrong, self.min_correct = min_wrong, min_correct
        self.side_effects = tuple(side_effects)
        self.registry = {f: {"wrong": self._names(f, "wrong_"), "correct": self._names(f, "correct_")}
                         for f in self.functions}

    def _module(self, function: str):
        if function not in self.functions:
            raise KeyError(f"no variants for {function!r}; known: {', '.join(self.functions)}")
        return importlib.import_module(f"{self.package}.{function}")

    def _names(self, function: str, prefix: str) -> list[str]:
        module = self._module(function)
        return [name for name, obj in vars(module).items()
                if name.startswith(prefix) and inspect.isfunction(obj)
                and obj.__module__ == module.__name__]

    def variant(self, function: str, name: str):
        """The variant as a function object (its globals are its module: call only variants that
        do not use other student functions this way; use variant_source otherwise)."""
        try:
            return getattr(self._module(function), name)
        except AttributeError:
            raise KeyError(f"{function} has no variant {name!r}; known: {self.registry[function]}") from None

    def describe(self, function: str, name: str) -> str:
        return inspect.getdoc(self.variant(function, name)).splitlines()[0]

    def variant_source(self, function: str, name: str) -> str:
        """Source of the variant with its ``def`` renamed to the student function's name."""
        source = inspect.getsource(self.variant(function, name))
        renamed, count = re.subn(rf"^def {re.escape(name)}\(", f"def {function}(", source, count=1)
        if count != 1:
            raise ValueError(f"{name} does not start with a plain top-level def")
        return renamed

    def all_variants(self, kind: str) -> list[tuple[str, str]]:
        """(function, variant name) pairs of one kind, "wrong" or "correct"."""
        return [(f, name) for f in self.functions for name in self.registry[f][kind]]
