"""What every live demo shares: the bundled JS, the stylesheet, and range-checked traits.

A demo is an anywidget whose JavaScript (trainlab/js/<demo>.js, bundled with its imports by
bundle.py) computes and draws in the browser. Its inputs are synced traits, so the same widget
runs in JupyterLab and, from the embedded widget state, in the static book with no kernel.
Python never computes the demo; it only checks inputs, so a bad value fails where it is set.
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
    """Base class: subclasses set _esm = esm("<demo>.js"), LIMITS = {trait: (lo, hi)} and
    ABOUT = {trait: what it means}.

    LIMITS is the single source of each slider's range: the JS builds its sliders from the
    synced ``_limits``. Every trait named in ABOUT gets one shared validator that rejects values
    outside its LIMITS with a TraitError quoting ABOUT (None passes, for traits that allow it).
    """

    _css = CSS
    LIMITS: dict = {}
    ABOUT: dict = {}
    _limits = traitlets.Dict().tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        missing = set(cls.ABOUT) - set(cls.LIMITS)
        if missing:
            raise TypeError(f"{cls.__name__}.ABOUT names traits without LIMITS: {sorted(missing)}")
        if cls.ABOUT:
            # traitlets collects validators when the class is set up, which happens after this.
            cls._validate_ranges = traitlets.validate(*cls.ABOUT)(Demo._check_range)

    @traitlets.default("_limits")
    def _default_limits(self):
        return {k: list(v) for k, v in self.LIMITS.items()}

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
