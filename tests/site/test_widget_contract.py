"""The contract every live demo keeps, checked for every widget class in trainlab.widgets and
every demo module in trainlab/js: a new demo is tested by adding it, not by adding a test file.

A demo module is a trainlab/js/*.js file with `export default { render }`. Per widget class:
its bundle is one valid ES module built on the shared pieces (controls, plot, palette); it has a
title; its defaults lie within LIMITS and CHOICES; values outside them fail with an error naming
the class, the trait and what is allowed. Per demo module: it is some widget's JS; its exported
`compute(state)` runs in node at that widget's defaults, identically from the sources and from
the bundle, and says something in its readout; its view has one `render` (anywidget's entry) and
redraws through `liveRender(..., redraw)`.
"""
from __future__ import annotations

import importlib
import math
import pkgutil
import re

import pytest
import traitlets

import trainlab.widgets
from support.node_bridge import call_js
from support.widget_checks import check_bundled_esm, state_of
from trainlab.widgets._base import Demo
from trainlab.widgets.bundle import JS_DIR

SHARED = {"__mod_controls", "__mod_plot", "__mod_palette"}


def widget_classes() -> list[type[Demo]]:
    """Every Demo subclass defined in a module of trainlab.widgets (not anywidget's per-instance
    subclasses, which are not importable by name)."""
    for info in pkgutil.iter_modules(trainlab.widgets.__path__):
        importlib.import_module(f"trainlab.widgets.{info.name}")
    found, stack = [], list(Demo.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        module = importlib.import_module(cls.__module__)
        if cls.__module__.startswith("trainlab.widgets.") and getattr(module, cls.__name__, None) is cls:
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


def demo_modules() -> list[str]:
    return sorted(p.name for p in JS_DIR.glob("*.js")
                  if re.search(r"^export default\b", p.read_text(encoding="utf-8"), re.MULTILINE))


WIDGETS = widget_classes()
MODULES = demo_modules()
by_name = pytest.mark.parametrize("cls", WIDGETS, ids=lambda c: c.__name__)


def js_of(cls) -> str:
    assert cls.JS, f"{cls.__name__} must set JS = '<demo>.js' (its module in trainlab/js)"
    return cls.JS


def test_discovery_finds_the_book_s_demos():
    names = {c.__name__ for c in WIDGETS}
    assert {"QuadraticGD", "SaddleNoise", "OptimizerRace", "MomentumRho", "AdamBiasCorrection",
            "AdagradVsRmsprop"} <= names
    assert {"race.js", "quadratic_gd.js"} <= set(MODULES)


def test_every_demo_module_belongs_to_a_widget_and_every_widget_has_one():
    used = {js_of(c) for c in WIDGETS}
    assert set(MODULES) <= used, f"demo modules no widget uses: {sorted(set(MODULES) - used)}"
    assert used <= set(MODULES), f"widgets whose JS is missing or has no default export: " \
                                 f"{sorted(used - set(MODULES))}"


def test_every_widget_is_exported_by_the_package():
    missing = [c.__name__ for c in WIDGETS if getattr(trainlab.widgets, c.__name__, None) is not c]
    assert not missing, f"add to trainlab/widgets/__init__.py: {missing}"


@by_name
def test_bundle_is_one_module_built_on_the_shared_pieces(cls, tmp_path):
    check_bundled_esm(cls, tmp_path, SHARED)


@by_name
def test_has_a_title_shown_by_its_js(cls):
    assert cls.TITLE.strip() and cls().title == cls.TITLE
    assert cls(title="Another title").title == "Another title"
    with pytest.raises(traitlets.TraitError, match=rf"{cls.__name__}\.title must be a non-empty"):
        cls(title="  ")
    source = (JS_DIR / js_of(cls)).read_text(encoding="utf-8")
    assert 'title: model.get("title")' in source, f"{cls.JS} must pass the title to demoRoot"


@by_name
def test_defaults_lie_within_limits_and_choices(cls):
    w = cls()
    assert w._limits == {k: list(v) for k, v in cls.LIMITS.items()}
    for name, (lo, hi) in cls.LIMITS.items():
        if name in w.traits():
            value = getattr(w, name)
            assert value is None or lo <= value <= hi, (name, value)
    for name, allowed in cls.CHOICES.items():
        assert getattr(w, name) in allowed, name
    state = w.get_state()
    assert {"_esm", "_css", "_limits", "title"} <= set(state)


def _outside(trait, lo, hi):
    """Values just outside [lo, hi] of the trait's type."""
    if isinstance(trait, traitlets.Int):
        return [math.floor(lo) - 1, math.ceil(hi) + 1]
    span = (hi - lo) or 1.0
    return [lo - span, hi + span]


@by_name
def test_values_outside_limits_fail_with_the_trait_and_its_range(cls):
    for name in cls.ABOUT:
        trait = cls.class_traits()[name]
        lo, hi = cls.LIMITS[name]
        for value in _outside(trait, lo, hi):
            with pytest.raises(traitlets.TraitError,
                               match=rf"{cls.__name__}\.{name} must be between {re.escape(str(lo))} "
                                     rf"and {re.escape(str(hi))}"):
                cls(**{name: value})


@by_name
def test_values_outside_choices_fail_with_the_allowed_values(cls):
    for name, allowed in cls.CHOICES.items():
        # A value of the choices' own type that is not among them (numeric menus included).
        bad = max(allowed) + 1 if all(isinstance(a, (int, float)) for a in allowed) else "no such choice"
        with pytest.raises(traitlets.TraitError,
                           match=rf"{cls.__name__}\.{name} must be one of {re.escape(repr(allowed[0]))}"):
            cls(**{name: bad})


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """compute(state) of every widget's demo module at the widget's defaults: from the source
    module and from the bundle, in one node process."""
    tmp = tmp_path_factory.mktemp("bundles")
    calls = []
    for cls in WIDGETS:
        w = cls()
        bundled = tmp / f"{cls.__name__}.mjs"
        bundled.write_text(w._esm)
        calls += [(js_of(cls), "compute", [state_of(w)]), (str(bundled), "compute", [state_of(w)])]
    results = call_js(calls)
    return {cls: (results[2 * i], results[2 * i + 1]) for i, cls in enumerate(WIDGETS)}


@by_name
def test_compute_runs_at_the_defaults_and_the_bundle_agrees(cls, computed):
    source, bundled = computed[cls]
    assert bundled == source
    assert isinstance(source.get("readout"), str) and source["readout"].strip()


@pytest.mark.parametrize("module", MODULES)
def test_view_has_one_render_and_redraws_through_live_render(module):
    source = (JS_DIR / module).read_text(encoding="utf-8")
    assert len(re.findall(r"\bfunction render\s*\(", source)) == 1, \
        "only anywidget's entry is called render; the inner one is redraw(state)"
    assert re.search(r"liveRender\([^)]*\bredraw\)", source), "wire the view with liveRender(..., redraw)"
    assert not re.search(r"\+\+uid|let uid\b", source), "ids come from controls.js nextId (page-wide)"
