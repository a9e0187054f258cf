"""What every live demo shares: the bundled JS, the stylesheet, a title, and checked traits.

A demo is an anywidget whose JavaScript (trainlab/js/<demo>.js, bundled with its imports by
bundle.py) computes and draws in the browser. Its inputs are synced traits, so the same widget
runs in JupyterLab and, from the embedded widget state, in the static book with no kernel.
Python never computes the demo; it only checks inputs, so a bad value fails where it is set.

    class MyDemo(Demo):
        JS = "my_demo.js"                      # trainlab/js/my_demo.js, `export default { render }`
        TITLE = "What the demo shows"          # shown above it; `MyDemo(title=...)` overrides
        LIMITS = {"rate": (0.01, 1.0)}         # numeric traits: allowed range (sliders' ends)
        ABOUT = {"rate": "the learning rate"}  # quoted in the error for an out-of-range value
        CHOICES = {"surface": ("bowl", "saddle")}   # menu traits: allowed values, in menu order
        rate = traitlets.Float(0.1).tag(sync=True)
        surface = traitlets.Unicode("bowl").tag(sync=True)

tests/site/test_widget_contract.py checks every subclass found in trainlab.widgets: bundle,
title, defaults within LIMITS and CHOICES, clear errors for values outside them.
"""
from __future__ import annotations

import anywidget
import traitlets

from .bundle import JS_DIR, bundle


def esm(demo_file: str) -> str:
    """The demo module with its local imports inlined (read once, at class definition)."""
    return bundle(JS_DIR / demo_file)


CSS = (JS_DIR / "demo.css").read_text(encoding="utf-8")


class Demo(anywidget.AnyWidget):
    """Base class of the live demos; see the module docstring for what a subclass sets.

    LIMITS is the single source of each slider's range: the JS builds its sliders from the
    synced ``_limits``. Every trait named in ABOUT gets one shared validator that rejects values
    outside its LIMITS with a TraitError quoting ABOUT (None passes, for traits that allow it);
    every trait named in CHOICES one that rejects values not listed.
    """

    _css = CSS
    JS: str = ""
    TITLE: str = ""
    LIMITS: dict = {}
    ABOUT: dict = {}
    CHOICES: dict = {}
    _limits = traitlets.Dict().tag(sync=True)
    title = traitlets.Unicode().tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        missing = set(cls.ABOUT) - set(cls.LIMITS)
        if missing:
            raise TypeError(f"{cls.__name__}.ABOUT names traits without LIMITS: {sorted(missing)}")
        # Only where JS is declared: anywidget subclasses each widget again at construction
        # (add_traits) and that subclass must keep the _esm trait it was given.
        if "JS" in cls.__dict__:
            cls._esm = esm(cls.JS)
        if cls.ABOUT:
            # traitlets collects validators when the class is set up, which happens after this.
            cls._validate_ranges = traitlets.validate(*cls.ABOUT)(Demo._check_range)
        if cls.CHOICES:
            cls._validate_choices = traitlets.validate(*cls.CHOICES)(Demo._check_choice)

    @traitlets.default("_limits")
    def _default_limits(self):
        return {k: list(v) for k, v in self.LIMITS.items()}

    @traitlets.default("title")
    def _default_title(self):
        return self.TITLE

    @traitlets.validate("title")
    def _check_title(self, proposal):
        if not str(proposal["value"]).strip():
            raise traitlets.TraitError(
                f"{type(self).__name__}.title must be a non-empty text naming what the demo shows")
        return proposal["value"]

    def _check_range(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        what = self.ABOUT[name]
        if value is None:
            return value
        lo, hi = self.LIMITS[name]
        if not (lo <= value <= hi):
            raise traitlets.TraitError(
                f"{type(self).__name__}.{name} must be between {lo} and {hi} ({what}); "
                f"got {value!r}")
        return value

    def _check_choice(self, proposal):
        name, value = proposal["trait"].name, proposal["value"]
        allowed = self.CHOICES[name]
        if value not in allowed:
            raise traitlets.TraitError(
                f"{type(self).__name__}.{name} must be one of {', '.join(map(repr, allowed))}; "
                f"got {value!r}")
        return value
